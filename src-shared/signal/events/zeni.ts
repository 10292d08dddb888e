// Kinematic gait events from marker coordinates (Zeni, Richards & Higginson 2008, Gait & Posture 27:710): along
// the direction of progression, relative to the pelvis (sacrum), the heel is furthest forward at foot strike
// and the toe furthest back at foot off. The direction is found from the data (the pelvis's net horizontal
// travel), so a walk in either direction along either lab axis, or diagonally, gives the same events.
import { ButterworthLowPass } from '../butterworth';
import { parabolicOffset } from '../extrema';
import { FOOT_SIDES, type FootSide, type GaitEvent, type PerSide } from './types';

/** A marker's trajectory, metres, one array per lab axis (x, y, z), all at one rate. */
export interface MarkerTrack {
  x: ArrayLike<number>;
  y: ArrayLike<number>;
  z: ArrayLike<number>;
}

export interface ZeniSignals {
  rateHz: number;
  pelvis: MarkerTrack;
  heel: PerSide<MarkerTrack>;
  toe: PerSide<MarkerTrack>;
}

export interface ZeniParams {
  /** Zero-phase 4th-order Butterworth cutoff on the relative positions, Hz; null for none (Zeni used 7 Hz on the markers). */
  lowPassHz: number | null;
  /** Tolerance: an extremum counts when it stands out of its neighbourhood by this much, m (smaller ones are marker noise or shuffling). */
  minProminenceM: number;
  /** Two events of one kind and foot are at least this far apart, s. */
  minStrideS: number;
}

export const ZENI_DEFAULTS: ZeniParams = { lowPassHz: 7, minProminenceM: 0.05, minStrideS: 0.5 };

export interface ZeniAxes {
  /** Lab axis (0 x, 1 y, 2 z) that points up, and its sign (+1 if up is +). */
  verticalAxis: 0 | 1 | 2;
  /** Unit vector of progression in the lab frame (horizontal). */
  direction: [number, number, number];
}

const at = (t: MarkerTrack, i: number): [number, number, number] => [t.x[i], t.y[i], t.z[i]];
const mean = (xs: ArrayLike<number>) => {
  let s = 0;
  for (let i = 0; i < xs.length; i++) s += xs[i];
  return s / xs.length;
};

/**
 * The vertical axis (the one along which the heels sit furthest from the pelvis on average) and the direction
 * of progression (the pelvis's first-to-last horizontal displacement).
 */
export function progressionAxes(s: ZeniSignals): ZeniAxes {
  const heel = s.heel.left ?? s.heel.right!;
  const gaps = (['x', 'y', 'z'] as const).map((k) => Math.abs(mean(s.pelvis[k]) - mean(heel[k])));
  const verticalAxis = gaps.indexOf(Math.max(...gaps)) as 0 | 1 | 2;
  const n = s.pelvis.x.length;
  const first = at(s.pelvis, 0), last = at(s.pelvis, n - 1);
  const d: [number, number, number] = [last[0] - first[0], last[1] - first[1], last[2] - first[2]];
  d[verticalAxis] = 0;
  const norm = Math.hypot(...d);
  if (!(norm > 0.2)) throw new RangeError(`the pelvis travels ${norm.toFixed(3)} m horizontally: no walk to find a direction of progression in`);
  return { verticalAxis, direction: [d[0] / norm, d[1] / norm, d[2] / norm] };
}

/** (marker − pelvis) · direction, per frame, m. */
function relative(marker: MarkerTrack, pelvis: MarkerTrack, dir: readonly number[]): Float64Array {
  const out = new Float64Array(marker.x.length);
  for (let i = 0; i < out.length; i++) {
    out[i] = (marker.x[i] - pelvis.x[i]) * dir[0] + (marker.y[i] - pelvis.y[i]) * dir[1] + (marker.z[i] - pelvis.z[i]) * dir[2];
  }
  return out;
}

/** Indices of local maxima whose prominence (height above the higher of the two flanking minima) is at least `minProminence`, at least `minGap` samples apart. */
export function prominentMaxima(v: Float64Array, minProminence: number, minGap: number): number[] {
  const peaks: number[] = [];
  for (let i = 1; i + 1 < v.length; i++) {
    if (!(v[i] > v[i - 1] && v[i] >= v[i + 1])) continue;
    let left = v[i], right = v[i];
    for (let j = i - 1; j >= 0 && v[j] <= v[i]; j--) left = Math.min(left, v[j]);
    for (let j = i + 1; j < v.length && v[j] <= v[i]; j++) right = Math.min(right, v[j]);
    if (v[i] - Math.max(left, right) < minProminence) continue;
    // Of two peaks closer than minGap, the higher stays.
    const prev = peaks[peaks.length - 1];
    if (prev !== undefined && i - prev < minGap) {
      if (v[i] > v[prev]) peaks[peaks.length - 1] = i;
      continue;
    }
    peaks.push(i);
  }
  return peaks;
}

/** `new ZeniEvents().run(signals)`: foot strikes and foot offs per side, with the axes used. */
export class ZeniEvents {
  static readonly source = 'KinematicEvents';
  readonly params: ZeniParams;

  constructor(params: Partial<ZeniParams> = {}) {
    this.params = { ...ZENI_DEFAULTS, ...params };
  }

  run(s: ZeniSignals): { events: GaitEvent[]; axes: ZeniAxes } {
    const axes = progressionAxes(s);
    const p = this.params;
    const events: GaitEvent[] = [];
    const smooth = (v: Float64Array) => (p.lowPassHz === null || v.length < 16 ? v
      : new ButterworthLowPass({ order: 4, cutoffHz: p.lowPassHz, padLength: Math.min(15, v.length - 1) }).run(v, s.rateHz) as Float64Array);
    const gap = Math.max(1, Math.round(p.minStrideS * s.rateHz));
    const add = (side: FootSide, label: GaitEvent['label'], v: Float64Array, sign: 1 | -1) => {
      const w = sign === 1 ? v : v.map((x) => -x);
      for (const i of prominentMaxima(w, p.minProminenceM, gap)) {
        // Sub-frame time from the parabola through the extremum: events between frames, like a file's own.
        const t = (i + parabolicOffset(w[i - 1], w[i], w[i + 1])) / s.rateHz;
        events.push({ label, side, timeS: t, source: ZeniEvents.source, confidence: 1, params: {} });
      }
    };
    for (const side of FOOT_SIDES) {
      const heel = s.heel[side], toe = s.toe[side];
      if (heel) add(side, 'initial_contact', smooth(relative(heel, s.pelvis, axes.direction)), 1);
      if (toe) add(side, 'final_contact', smooth(relative(toe, s.pelvis, axes.direction)), -1);
    }
    events.sort((a, b) => a.timeS - b.timeS);
    return { events, axes };
  }
}
