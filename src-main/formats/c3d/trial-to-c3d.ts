// A stored trial → the C3D model write.ts writes. The rule is that GaitLab's own reader, given the written
// file, gives back the trial: the same channels (name, unit, rate, samples), the same events (label, side,
// time) and, for trials imported from C3D, the same force plates.
//
// * Points: every triple <label>_x/_y/_z of one unit, rate and length. Length units are markers (POINT:UNITS);
//   deg, N, N·mm, W (and their per-kg forms) are model outputs listed in POINT:ANGLES/FORCES/MOMENTS/POWERS.
// * Analog: every other time-domain channel at the analog rate (the highest rate that is a whole multiple of
//   the point rate). Channels at other rates, of other lengths, or with NaN samples (C3D analog data has no
//   missing value) are left out and named in `leftOut`.
// * Force plates: where the trial's attributes carry a plate's geometry (plate-attributes.ts, written by the
//   C3D import), the plate's own analog channels and FORCE_PLATFORM parameters are written, and the derived
//   FPn_Fx … FPn_Tz channels are not: the reader derives them again. Without geometry (other formats, older
//   imports) the FPn_* channels are written as plain analog channels.
// * Events: 'Foot Strike' / 'Foot Off' with context Left/Right/General (Vicon's and Mokka's spelling); events
//   read from a C3D keep their own label, description and icon. Times are shifted back to the C3D origin
//   (frame 1 at 0 s) using the trial's first frame.
import type { Attributes } from '../../../src-shared/domain/import-batch';
import type { C3dPointKind } from './model';
import { plateGeometryOf } from './plate-attributes';
import type { C3dWriteAnalog, C3dWriteEvent, C3dWriteModel, C3dWritePlate, C3dWritePoint } from './write';

export interface TrialChannelForExport {
  name: string;
  unit: string;
  rateHz: number | null;
  domain: 'time' | 'stance' | 'cycle';
  device: string | null;
  samples: Float32Array;
}

export interface TrialEventForExport {
  label: string;
  side: string | null;
  timeS: number;
  source: string;
  params: Record<string, unknown> | null;
}

export interface TrialForExport {
  subjectCode: string;
  channels: TrialChannelForExport[];
  events: TrialEventForExport[];
  attributes: Attributes;
}

export interface TrialC3d {
  model: C3dWriteModel;
  /** Channels not written, each with the reason. */
  leftOut: string[];
}

const LENGTH_UNITS = new Set(['mm', 'cm', 'm']);
const MODEL_OUTPUT_KIND: Record<string, Exclude<C3dPointKind, 'marker'>> = {
  deg: 'angle', rad: 'angle',
  N: 'force', 'N/kg': 'force',
  'N·mm': 'moment', 'N·m': 'moment', 'N·mm/kg': 'moment', 'N·m/kg': 'moment',
  W: 'power', 'W/kg': 'power',
};

/** GaitLab's unit strings in C3D's ASCII spellings (c3d-format.ts reads each back as GaitLab's). */
const C3D_SPELLING: Record<string, string> = { 'N·mm': 'Nmm', 'N·m': 'Nm', 'm/s²': 'm/s^2', '×BW': 'xBW', 'N·mm/kg': 'Nmm/kg', 'N·m/kg': 'Nm/kg' };

export function c3dUnitSpelling(unit: string): string {
  return C3D_SPELLING[unit] ?? unit;
}

const DERIVED_PLATE_SUFFIXES = ['Fx', 'Fy', 'Fz', 'COPx', 'COPy', 'Tz'];

function numberAttribute(a: Attributes, key: string): number | null {
  const v = a[key]?.value;
  return typeof v === 'number' && Number.isFinite(v) ? v : null;
}

/** The analog rate: the highest rate of `channels` that is a whole multiple of the point rate (any, without points). */
function analogRateOf(channels: TrialChannelForExport[], pointRateHz: number | null): number | null {
  const rates = [...new Set(channels.map((c) => c.rateHz).filter((r): r is number => r !== null && r > 0))].sort((a, b) => b - a);
  if (pointRateHz === null) return rates[0] ?? null;
  return rates.find((r) => Math.abs(r / pointRateHz - Math.round(r / pointRateHz)) < 1e-9 && r >= pointRateHz) ?? null;
}

function eventLabelAndContext(e: TrialEventForExport): Pick<C3dWriteEvent, 'label' | 'context' | 'description' | 'subject' | 'iconId'> {
  const p = e.params ?? {};
  const fromC3d = e.source.startsWith('c3d:');
  const side = e.side === 'left' ? 'Left' : e.side === 'right' ? 'Right' : null;
  const own = fromC3d && typeof p.label === 'string' ? p.label : null;
  const ownMeaning = own && /^foot (strike|contact)$/i.test(own.trim()) ? 'initial_contact' : own && /^foot off$/i.test(own.trim()) ? 'final_contact' : own?.trim();
  const label = own && ownMeaning === e.label && e.source === 'c3d:EVENT' ? own
    : e.label === 'initial_contact' ? 'Foot Strike' : e.label === 'final_contact' ? 'Foot Off' : e.label;
  const ownContext = fromC3d && typeof p.context === 'string' ? p.context : null;
  return {
    label,
    context: side ?? (ownContext && !/^(left|right)$/i.test(ownContext.trim()) ? ownContext : 'General'),
    description: fromC3d && typeof p.description === 'string' ? p.description : '',
    subject: fromC3d && typeof p.subject === 'string' ? p.subject : '',
    iconId: fromC3d && typeof p.iconId === 'number' ? p.iconId : 0,
  };
}

export function trialToC3d(t: TrialForExport): TrialC3d {
  const leftOut: string[] = [];
  const time = t.channels.filter((c) => {
    if (c.domain === 'time' && c.rateHz !== null && c.rateHz > 0) return true;
    leftOut.push(`${c.name}: not a time series (${c.domain}); C3D holds time series only`);
    return false;
  });

  // Points: <base>_x, _y, _z of one unit, rate and length.
  const byName = new Map(time.map((c) => [c.name, c]));
  const used = new Set<string>();
  const pointChannels: { base: string; kind: C3dPointKind; unit: string; axes: TrialChannelForExport[] }[] = [];
  for (const c of time) {
    // The reader numbers repeated labels (RKNE_x, …, RKNE_x#2): the same order numbers them the same again.
    const m = /^(.*)_x(#\d+)?$/.exec(c.name);
    if (!m) continue;
    const repeat = m[2] ?? '';
    const axes = [c, byName.get(`${m[1]}_y${repeat}`), byName.get(`${m[1]}_z${repeat}`)];
    if (axes.some((a) => !a || a.unit !== c.unit || a.rateHz !== c.rateHz || a.samples.length !== c.samples.length)) continue;
    const kind: C3dPointKind | undefined = LENGTH_UNITS.has(c.unit) ? 'marker' : MODEL_OUTPUT_KIND[c.unit];
    if (!kind) continue;
    pointChannels.push({ base: m[1], kind, unit: c.unit, axes: axes as TrialChannelForExport[] });
  }
  // One point rate, one frame count, one marker unit and one unit per kind of model output.
  const pointRateHz = pointChannels[0]?.axes[0].rateHz ?? null;
  const frames = pointChannels[0]?.axes[0].samples.length ?? null;
  const markerUnit = pointChannels.find((p) => p.kind === 'marker')?.unit ?? 'mm';
  const unitOfKind = new Map<C3dPointKind, string>();
  const points: C3dWritePoint[] = [];
  for (const p of pointChannels) {
    // A triple that does not fit the points (another rate, length or unit) goes with the analog channels below.
    const fits = p.axes[0].rateHz === pointRateHz && p.axes[0].samples.length === frames
      && (p.kind === 'marker' ? p.unit === markerUnit : (unitOfKind.get(p.kind) ?? p.unit) === p.unit);
    if (!fits) continue;
    if (p.kind !== 'marker') unitOfKind.set(p.kind, p.unit);
    for (const a of p.axes) used.add(a.name);
    points.push({ label: p.base, kind: p.kind, x: p.axes[0].samples, y: p.axes[1].samples, z: p.axes[2].samples });
  }

  // Force plates with their geometry: their derived channels are left to the reader.
  const geometry = plateGeometryOf(t.attributes);
  const derivedOf = new Set<string>();
  for (const g of geometry) for (const s of DERIVED_PLATE_SUFFIXES) derivedOf.add(`${g.device}_${s}`);
  for (const c of time) if (derivedOf.has(c.name) && c.device !== null) used.add(c.name);

  const rest = time.filter((c) => !used.has(c.name));
  const storedPointRate = numberAttribute(t.attributes, 'c3d_point_rate');
  const analogRateHz = analogRateOf(rest, pointRateHz ?? storedPointRate) ?? analogRateOf(rest, pointRateHz);
  const frameRateHz = pointRateHz ?? (storedPointRate !== null && analogRateHz !== null && Number.isInteger(analogRateHz / storedPointRate) ? storedPointRate : analogRateHz);
  const spf = frameRateHz !== null && analogRateHz !== null ? Math.round(analogRateHz / frameRateHz) : 1;
  const analogLength = rest.find((c) => c.rateHz === analogRateHz)?.samples.length ?? 0;
  let frameCount = frames ?? Math.floor(analogLength / spf);
  let samplesPerFrame = spf;
  let pointRate = frameRateHz;
  if (frames === null && analogLength % spf !== 0) {
    // Without points the frame is free: one analog sample per frame keeps every sample.
    frameCount = analogLength;
    samplesPerFrame = 1;
    pointRate = analogRateHz;
  }
  const analogs: C3dWriteAnalog[] = [];
  const analogIndex = new Map<string, number>();
  for (const c of rest) {
    const reason = analogRateHz === null ? `rate ${c.rateHz} Hz is not a whole multiple of the point rate ${pointRate} Hz`
      : c.rateHz !== analogRateHz ? `rate ${c.rateHz} Hz, not the analog rate ${analogRateHz} Hz`
      : c.samples.length !== frameCount * samplesPerFrame ? `${c.samples.length} samples, not ${frameCount * samplesPerFrame}`
      : c.samples.some((v) => !Number.isFinite(v)) ? 'undefined (NaN) samples, which C3D analog data cannot hold' : null;
    if (reason) {
      leftOut.push(`${c.name}: ${reason}`);
      continue;
    }
    analogIndex.set(c.name, analogs.length);
    analogs.push({ label: c.name, unit: c3dUnitSpelling(c.unit), samples: c.samples });
  }

  const plates: C3dWritePlate[] = [];
  const mmPerUnit = markerUnit === 'm' ? 1000 : markerUnit === 'cm' ? 10 : 1;
  let zeroFrames: [number, number] | undefined;
  for (const g of geometry) {
    const channels = g.channelNames.map((n) => analogIndex.get(n) ?? -1);
    if (channels.some((k) => k < 0)) {
      // Without its channels the plate cannot be derived again: its derived channels go as analog data.
      leftOut.push(`${g.device}: its analog channels are not all written; FORCE_PLATFORM leaves it out`);
      for (const s of DERIVED_PLATE_SUFFIXES) {
        const c = byName.get(`${g.device}_${s}`);
        if (!c) continue;
        const reason = c.rateHz !== analogRateHz || c.samples.length !== frameCount * samplesPerFrame ? 'its rate or length is not the analog data\'s'
          : c.samples.some((v) => !Number.isFinite(v)) ? 'undefined (NaN) samples, which C3D analog data cannot hold' : null;
        if (reason) leftOut.push(`${c.name}: ${reason}`);
        else analogs.push({ label: c.name, unit: c3dUnitSpelling(c.unit), samples: c.samples });
      }
      continue;
    }
    plates.push({ type: g.type, channels, corners: g.cornersMm.map((v) => v / mmPerUnit), origin: g.originMm.map((v) => v / mmPerUnit), calMatrix: g.calMatrix, copPolynomial: g.copPolynomial });
    zeroFrames ??= g.zeroFrames ?? undefined;
  }

  const firstFrame = numberAttribute(t.attributes, 'c3d_first_frame') ?? 1;
  const offsetS = pointRate !== null ? (firstFrame - 1) / pointRate : 0;
  const events: C3dWriteEvent[] = t.events.map((e) => ({ ...eventLabelAndContext(e), timeS: e.timeS + offsetS }));

  return {
    model: {
      pointRateHz: pointRate ?? 100,
      analogSamplesPerFrame: samplesPerFrame,
      frameCount,
      firstFrame,
      pointUnit: markerUnit,
      modelOutputUnits: Object.fromEntries([...unitOfKind].map(([k, u]) => [k, c3dUnitSpelling(u)])),
      points,
      analogs,
      plates,
      plateZeroFrames: zeroFrames,
      events,
      subjects: [t.subjectCode],
      software: 'GaitLab',
    },
    leftOut,
  };
}
