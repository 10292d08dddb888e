// Gait Profile Score and Movement Analysis Profile (Baker et al. 2009, Gait & Posture 30:265) on 101-point
// curves (0–100 % of the gait cycle; the paper samples every 2 %, 51 points, which changes the figures little).
//   GVS  = sqrt( mean_t (x̄_subject(t) − x̄_reference(t))² )        per variable and side
//   GPS  = sqrt( mean_i GVS_i² )                                    per side, over its 9 variables
//   GPS overall = sqrt( mean over the 15 GVS² ): both sides' 6 limb variables and the 3 pelvic ones once, from
//   the left side, since pelvic motion belongs to neither side (the paper's convention).
import { GPS_VARIABLES, type GraphSide } from './pig-variables';

/** Root mean square difference of two curves over their common length. */
export function gaitVariableScore(subjectMean: ArrayLike<number>, referenceMean: ArrayLike<number>): number {
  const n = Math.min(subjectMean.length, referenceMean.length);
  if (n === 0) return NaN;
  let sum = 0;
  for (let t = 0; t < n; t++) sum += (subjectMean[t] - referenceMean[t]) ** 2;
  return Math.sqrt(sum / n);
}

/** RMS of scores: how GVS combine into a GPS. */
export function rmsOf(scores: readonly number[]): number {
  if (scores.length === 0) return NaN;
  let sum = 0;
  for (const s of scores) sum += s * s;
  return Math.sqrt(sum / scores.length);
}

/** Per side and variable key, the subject's mean curve and the reference mean; a missing variable is undefined. */
export type CurvesBySide = Record<GraphSide, Partial<Record<string, { subject: ArrayLike<number>; reference: ArrayLike<number> }>>>;

export interface GvsEntry { variable: string; label: string; side: GraphSide; gvs: number }

export interface GpsResult {
  /** The Movement Analysis Profile: one GVS per variable and side that has both curves. */
  map: GvsEntry[];
  /** Per side over its variables present; null when none is. */
  gps: Record<GraphSide, number | null>;
  overall: number | null;
  /** Variables (side:key) without a subject or reference curve: a GPS over fewer than 9 is not the paper's. */
  missing: string[];
}

export function gaitProfileScore(curves: CurvesBySide): GpsResult {
  const map: GvsEntry[] = [];
  const missing: string[] = [];
  const gps: Record<GraphSide, number | null> = { left: null, right: null };
  const overallScores: number[] = [];
  for (const side of ['left', 'right'] as GraphSide[]) {
    const scores: number[] = [];
    for (const v of GPS_VARIABLES) {
      const c = curves[side][v.key];
      if (!c) {
        missing.push(`${side}:${v.key}`);
        continue;
      }
      const gvs = gaitVariableScore(c.subject, c.reference);
      map.push({ variable: v.key, label: v.label, side, gvs });
      scores.push(gvs);
      if (!v.pelvic || side === 'left') overallScores.push(gvs);
    }
    if (scores.length) gps[side] = rmsOf(scores);
  }
  return { map, gps, overall: overallScores.length ? rmsOf(overallScores) : null, missing };
}
