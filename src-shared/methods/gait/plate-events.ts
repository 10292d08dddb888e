// Force plates: ForceThresholdEvents on each plate's vertical force. Which foot stood on a plate is not in the
// force data: a plate event takes the side of the file's own event of the same label within sideToleranceS
// (C3D EVENT groups name the foot), else none.
import { FORCE_THRESHOLD_DEFAULTS, ForceThresholdEvents, type ForceThresholdParams } from '../../signal/events/force-threshold';
import type { FootSide } from '../../signal/events/types';
import { defineParams } from '../params';
import { defineEventDetector } from './detector';
import { rateOf, type DetectedEvent, type FileEvent } from './trial-signals';

export interface PlateEventsParams extends ForceThresholdParams {
  /** A file event this close to a plate event (same label) gives it its side, s. */
  sideToleranceS: number;
}

const PLATE_FZ = /^FP\d+_Fz$/;
const d = FORCE_THRESHOLD_DEFAULTS;

export const plateEventsParams = defineParams<PlateEventsParams>('ForceThresholdEvents', {
  onN: { type: 'number', unit: 'N', default: d.onN, min: 0, max: 5000, minExclusive: true, description: 'initial contact when the vertical force rises above this' },
  offN: { type: 'number', unit: 'N', default: d.offN, min: 0, max: 5000, minExclusive: true, description: 'final contact when the vertical force falls below this' },
  minContactS: { type: 'number', unit: 's', default: d.minContactS, min: 0, max: 2, description: 'shorter contacts are dropped' },
  minGapS: { type: 'number', unit: 's', default: d.minGapS, min: 0, max: 1, description: 'shorter unloadings inside a contact are ignored' },
  sideToleranceS: { type: 'number', unit: 's', default: 0.05, min: 0, max: 0.5, description: 'a file event this close gives a plate event its side' },
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

export const plateEvents = defineEventDetector<PlateEventsParams>({
  name: ForceThresholdEvents.source,
  version: '1.0.0',
  description: 'initial and final contacts on force plates by a Schmitt trigger on vertical force (20 N / 10 N)',
  needs: 'FPn_Fz (force-plate vertical force, N)',
  params: plateEventsParams,
  matches: (ch) => ch.some((c) => PLATE_FZ.test(c.name) && c.unit === 'N' && c.domain === 'time'),
  // Stances on plates are drawn per plate from all its force components: see the PlateStances method.
  curveChannels: () => ({}),
  detect({ channels, fileEvents = [] }, params) {
    const { sideToleranceS, ...threshold } = params;
    const detector = new ForceThresholdEvents(threshold);
    const events: DetectedEvent[] = [];
    for (const c of [...channels.values()].filter((x) => PLATE_FZ.test(x.name) && x.unit === 'N' && x.domain === 'time')) {
      // The detector works per foot; a plate is run as one "foot", and its events are labelled with the plate.
      // |Fz|: plates report the reaction force, up or down depending on the lab's axes.
      const fz = Float32Array.from(c.values, (v) => Math.abs(v));
      for (const e of detector.run({ rateHz: rateOf(c), left: fz })) {
        events.push({ ...e, side: sideFromFileEvents(e.label, e.timeS, fileEvents, sideToleranceS), params: { ...e.params, plate: c.name.split('_')[0] } });
      }
    }
    return events.sort((a, b) => a.timeS - b.timeS);
  },
});
