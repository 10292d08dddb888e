// Spatial gait parameters from marker trajectories, per stride of each foot (foot strike → next foot strike of
// the same foot), in the horizontal plane of the walk: the vertical axis and the direction of progression are
// found from the data (events/zeni.ts), so a walk in either direction along either lab axis gives the same values.
// Definitions (Perry & Burnfield 2010, ch. 1; Baker 2013, "Measuring Walking", ch. 3):
//   stride length   the heel's advance along the progression between the foot's two strikes;
//   step length     at the foot's strike, its heel ahead of the other heel along the progression;
//   step width      at the foot's strike, the two heels' distance across the progression;
//   walking speed   the pelvis's advance along the progression over the stride, / stride time;
//   foot progression angle  the heel→toe line against the progression over the stance (strike → foot off),
//                   positive when the toe points outward (toe-out), in degrees.
import { progressionAxes, type MarkerTrack } from './events/zeni';
import type { FootSide, PerSide } from './events/types';

export interface SpatialSignals {
  rateHz: number;
  /** Metres. */
  pelvis: MarkerTrack;
  heel: PerSide<MarkerTrack>;
  toe: PerSide<MarkerTrack>;
}

/** One foot's stride: its strike, its next strike and its foot off between them (null where none), s. */
export interface StrideEvents {
  side: FootSide;
  strikeS: number;
  nextStrikeS: number;
  footOffS: number | null;
}

export interface SpatialStride {
  side: FootSide;
  strikeS: number;
  strideLengthM: number | null;
  stepLengthM: number | null;
  stepWidthM: number | null;
  walkingSpeedMs: number | null;
  footProgressionDeg: number | null;
}

/** A track's position at a time (linear interpolation between frames; held at the ends). */
function positionAt(t: MarkerTrack, rateHz: number, timeS: number): [number, number, number] {
  const n = t.x.length;
  const p = Math.min(n - 1, Math.max(0, timeS * rateHz));
  const i = Math.min(n - 2, Math.floor(p));
  const f = p - i;
  const lerp = (v: ArrayLike<number>) => v[i] + f * (v[i + 1] - v[i]);
  return [lerp(t.x), lerp(t.y), lerp(t.z)];
}

const dot = (a: readonly number[], b: readonly number[]) => a[0] * b[0] + a[1] * b[1] + a[2] * b[2];
const minus = (a: readonly number[], b: readonly number[]) => [a[0] - b[0], a[1] - b[1], a[2] - b[2]];

/** Spatial parameters of each stride (a parameter is null where its markers or events are missing). */
export function spatialStrides(s: SpatialSignals, strides: readonly StrideEvents[]): SpatialStride[] {
  const axes = progressionAxes({ rateHz: s.rateHz, pelvis: s.pelvis, heel: s.heel, toe: s.toe });
  const forward = axes.direction;
  // Up × forward: the walker's left, horizontal.
  const up = [0, 0, 0];
  up[axes.verticalAxis] = 1;
  const left = [up[1] * forward[2] - up[2] * forward[1], up[2] * forward[0] - up[0] * forward[2], up[0] * forward[1] - up[1] * forward[0]];
  return strides.map((st) => {
    const other: FootSide = st.side === 'left' ? 'right' : 'left';
    const heel = s.heel[st.side], otherHeel = s.heel[other], toe = s.toe[st.side];
    const at = (t: MarkerTrack | undefined, timeS: number) => (t ? positionAt(t, s.rateHz, timeS) : null);
    const h0 = at(heel, st.strikeS), h1 = at(heel, st.nextStrikeS), o0 = at(otherHeel, st.strikeS);
    const p0 = positionAt(s.pelvis, s.rateHz, st.strikeS), p1 = positionAt(s.pelvis, s.rateHz, st.nextStrikeS);
    let fpa: number | null = null;
    if (heel && toe && st.footOffS !== null) {
      // Mean of the foot's direction over the stance frames, then its angle: robust to a frame of marker noise.
      let sumF = 0, sumL = 0;
      for (let i = Math.ceil(st.strikeS * s.rateHz); i <= Math.floor(st.footOffS * s.rateHz); i++) {
        const foot = minus(positionAt(toe, s.rateHz, i / s.rateHz), positionAt(heel, s.rateHz, i / s.rateHz));
        const len = Math.hypot(dot(foot, forward), dot(foot, left));
        if (!(len > 0)) continue;
        sumF += dot(foot, forward) / len;
        sumL += dot(foot, left) / len;
      }
      // Toe-out turns the left foot's toe to the walker's left and the right foot's to the right.
      if (sumF !== 0 || sumL !== 0) fpa = (Math.atan2(st.side === 'left' ? sumL : -sumL, sumF) * 180) / Math.PI;
    }
    return {
      side: st.side,
      strikeS: st.strikeS,
      strideLengthM: h0 && h1 ? dot(minus(h1, h0), forward) : null,
      stepLengthM: h0 && o0 ? dot(minus(h0, o0), forward) : null,
      stepWidthM: h0 && o0 ? Math.abs(dot(minus(h0, o0), left)) : null,
      walkingSpeedMs: dot(minus(p1, p0), forward) / (st.nextStrikeS - st.strikeS),
      footProgressionDeg: fpa,
    };
  });
}
