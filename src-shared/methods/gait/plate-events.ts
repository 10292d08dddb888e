// Force plates: ForceThresholdEvents on each plate's vertical force. Which foot stood on a plate is not in the
// force data; each contact (initial → final contact of one plate) takes its side by the first rule that decides,
// and its two events carry the rule (`sideRule`) and its evidence:
//   mapping      the plate's fpNSide parameter, where set to left or right (a lab's fixed walkway, a file
//                without foot markers);
//   markers      the foot whose heel/toe markers lie over the plate and nearest the centre of pressure
//                (signal/plate-sides.ts; the plate's corners come with the trial);
//   file_events  the file's own event of the same label within sideToleranceS of the contact's initial (else
//                final) contact (C3D EVENT groups name the foot);
//   none         side null: no spatiotemporal parameter uses the contact.
import { footMarkers, sideFromMarkers, type PlateSideRule } from '../../signal/plate-sides';
import { FORCE_THRESHOLD_DEFAULTS, ForceThresholdEvents, type ForceThresholdParams } from '../../signal/events/force-threshold';
import type { FootSide } from '../../signal/events/types';
import { defineParams } from '../params';
import { defineEventDetector } from './detector';
import { rateOf, type DetectedEvent, type FileEvent, type PlateGeometry, type TrialSignals } from './trial-signals';

/** A plate's side by mapping: 'auto' leaves it to the markers and the file's events. */
export type PlateSideChoice = 'auto' | 'left' | 'right';

export interface PlateEventsParams extends ForceThresholdParams {
  /** A file event this close to a plate event (same label) gives it its side, s. */
  sideToleranceS: number;
  fp1Side: PlateSideChoice;
  fp2Side: PlateSideChoice;
  fp3Side: PlateSideChoice;
  fp4Side: PlateSideChoice;
}

/** Plates that a mapping parameter can name (plates 5 and up are assigned by markers or file events only). */
const MAPPED_PLATES = 4;
const sideChoice = (plate: number) => ({
  type: 'choice' as const, values: ['auto', 'left', 'right'], default: 'auto',
  description: `the foot on FP${plate} wherever it is loaded (left/right), or auto: by the foot markers, else the file's events`,
});

const PLATE_FZ = /^FP\d+_Fz$/;
const d = FORCE_THRESHOLD_DEFAULTS;

export const plateEventsParams = defineParams<PlateEventsParams>('ForceThresholdEvents', {
  onN: { type: 'number', unit: 'N', default: d.onN, min: 0, max: 5000, minExclusive: true, description: 'initial contact when the vertical force rises above this' },
  offN: { type: 'number', unit: 'N', default: d.offN, min: 0, max: 5000, minExclusive: true, description: 'final contact when the vertical force falls below this' },
  minContactS: { type: 'number', unit: 's', default: d.minContactS, min: 0, max: 2, description: 'shorter contacts are dropped' },
  minGapS: { type: 'number', unit: 's', default: d.minGapS, min: 0, max: 1, description: 'shorter unloadings inside a contact are ignored' },
  sideToleranceS: { type: 'number', unit: 's', default: 0.05, min: 0, max: 0.5, description: 'a file event this close gives a plate event its side' },
  fp1Side: sideChoice(1),
  fp2Side: sideChoice(2),
  fp3Side: sideChoice(3),
  fp4Side: sideChoice(4),
}, [{
  holds: (p) => p.offN <= p.onN,
  message: (p) => `parameter offN = ${p.offN} is out of range (0 < offN ≤ onN = ${p.onN} N: the hysteresis needs on ≥ off)`,
}]);

/** The side of the file's own event of the same label nearest in time, within the tolerance; null when none. */
export function sideFromFileEvents(label: string, timeS: number, fileEvents: readonly FileEvent[], toleranceS: number): FootSide | null {
  let best: FileEvent | null = null;
  for (const f of fileEvents) {
    if (f.label !== label || (f.side !== 'left' && f.side !== 'right')) continue;
    if (Math.abs(f.timeS - timeS) <= toleranceS && (!best || Math.abs(f.timeS - timeS) < Math.abs(best.timeS - timeS))) best = f;
  }
  return (best?.side as FootSide | undefined) ?? null;
}

const CORNERS_ATTRIBUTE = /^(fp\d+)_corners_lab$/;

/**
 * The plates' corners from a trial's attributes (`fp1_corners_lab`: [[x, y, z] × 4] in mm, written by the C3D
 * import); plates without a readable attribute are left out (the marker rule then does without corners).
 */
export function plateGeometryOf(attributes: Readonly<Record<string, { value: string | number | null; unit?: string | null }>>): Record<string, PlateGeometry> {
  const out: Record<string, PlateGeometry> = {};
  for (const [key, a] of Object.entries(attributes)) {
    const m = CORNERS_ATTRIBUTE.exec(key);
    if (!m || a.unit !== 'mm' || typeof a.value !== 'string') continue;
    try {
      const corners = (JSON.parse(a.value) as unknown[]).flat();
      if (corners.length === 12 && corners.every((v) => typeof v === 'number' && Number.isFinite(v))) out[m[1].toUpperCase()] = { cornersMm: corners as number[] };
    } catch {
      // Not ours (an attribute of that name written by hand): the plate does without corners.
    }
  }
  return out;
}

/** The mapping parameter of a plate ('FP2' → fp2Side), or 'auto' beyond the mapped plates. */
function mappedSide(plate: string, params: PlateEventsParams): PlateSideChoice {
  const n = Number(/^FP(\d+)$/.exec(plate)?.[1]);
  if (!(n >= 1 && n <= MAPPED_PLATES)) return 'auto';
  return params[`fp${n}Side` as 'fp1Side'];
}

export const plateEvents = defineEventDetector<PlateEventsParams>({
  name: ForceThresholdEvents.source,
  version: '1.1.0',
  description: 'initial and final contacts on force plates by a Schmitt trigger on vertical force (20 N / 10 N); the foot from markers, a mapping or the file\'s events',
  needs: 'FPn_Fz (force-plate vertical force, N)',
  params: plateEventsParams,
  matches: (ch) => ch.some((c) => PLATE_FZ.test(c.name) && c.unit === 'N' && c.domain === 'time'),
  // Stances on plates are drawn per plate from all its force components: see the PlateStances method.
  curveChannels: () => ({}),
  detect({ channels, fileEvents = [], plates = {} }, params) {
    const { sideToleranceS, fp1Side: _1, fp2Side: _2, fp3Side: _3, fp4Side: _4, ...threshold } = params;
    const detector = new ForceThresholdEvents(threshold);
    const feet = footMarkers([...channels.values()]);
    const events: DetectedEvent[] = [];
    for (const c of [...channels.values()].filter((x) => PLATE_FZ.test(x.name) && x.unit === 'N' && x.domain === 'time')) {
      const plate = c.name.split('_')[0];
      // The detector works per foot; a plate is run as one "foot", and its events are labelled with the plate.
      // |Fz|: plates report the reaction force, up or down depending on the lab's axes.
      const fz = Float32Array.from(c.values, (v) => Math.abs(v));
      const contacts = detector.run({ rateHz: rateOf(c), left: fz });
      for (let i = 0; i < contacts.length; i++) {
        const e = contacts[i];
        if (e.label !== 'initial_contact') continue;
        const end = contacts[i + 1]?.label === 'final_contact' ? contacts[i + 1] : null;
        const side = contactSide(plate, e.timeS, end?.timeS ?? null, { channels, fileEvents, plates }, feet, params, sideToleranceS);
        for (const x of end ? [e, end] : [e]) {
          events.push({ ...x, side: side.side, params: { ...x.params, plate, sideRule: side.rule, ...side.evidence } });
        }
      }
      // A final contact without its initial contact: the trial starts with the foot on the plate.
      for (let i = 0; i < contacts.length; i++) {
        const e = contacts[i];
        if (e.label !== 'final_contact' || contacts[i - 1]?.label === 'initial_contact') continue;
        const side = contactSide(plate, 0, e.timeS, { channels, fileEvents, plates }, feet, params, sideToleranceS);
        events.push({ ...e, side: side.side, params: { ...e.params, plate, sideRule: side.rule, ...side.evidence } });
      }
    }
    return events.sort((a, b) => a.timeS - b.timeS);
  },
});

interface ContactSide { side: FootSide | null; rule: PlateSideRule; evidence: Record<string, number | null> }

/** The side of one contact of `plate` from startS to endS (null: runs to the trial's end), by the first rule that decides. */
function contactSide(plate: string, startS: number, endS: number | null, trial: Required<Pick<TrialSignals, 'channels' | 'fileEvents' | 'plates'>>, feet: ReturnType<typeof footMarkers>, params: PlateEventsParams, toleranceS: number): ContactSide {
  const mapped = mappedSide(plate, params);
  if (mapped !== 'auto') return { side: mapped, rule: 'mapping', evidence: {} };
  const copX = trial.channels.get(`${plate}_COPx`), copY = trial.channels.get(`${plate}_COPy`);
  if (copX?.rateHz && copY && copX.unit === 'mm' && copY.unit === 'mm') {
    const byMarkers = sideFromMarkers({
      startS, endS: endS ?? (copX.values.length - 1) / copX.rateHz, copX: copX.values, copY: copY.values, copRateHz: copX.rateHz,
      cornersMm: trial.plates[plate]?.cornersMm ?? null,
    }, feet);
    if (byMarkers) {
      const round = (v: number | null) => (v === null ? null : Math.round(v * 10) / 10);
      return { side: byMarkers.side, rule: 'markers', evidence: { sideCopDistanceMm: round(byMarkers.copDistanceMm), otherSideCopDistanceMm: round(byMarkers.otherCopDistanceMm) } };
    }
  }
  // The file's events: the initial contact's, else the final contact's.
  const fromFile = sideFromFileEvents('initial_contact', startS, trial.fileEvents, toleranceS)
    ?? (endS === null ? null : sideFromFileEvents('final_contact', endS, trial.fileEvents, toleranceS));
  if (fromFile) return { side: fromFile, rule: 'file_events', evidence: {} };
  return { side: null, rule: 'none', evidence: {} };
}
