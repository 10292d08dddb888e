// SincPD data preparation (methods-spec §5.3.1): one walk's 16 insole forces on the device clock → an exact
// 100 Hz grid → the 8 left-minus-right sensor differences → non-overlapping 10 s segments. Pure functions on
// typed arrays; the readers (files, database) live in src-main/methods/sincpd/data.ts.
import { InputError } from '../../domain/errors';
import { resampleToUniform } from '../../signal/resample';

export const SINCPD_RATE_HZ = 100;
export const SINCPD_SENSORS = 8;
export const SEGMENT_SAMPLES = 1000;
/** Values per segment, channel-major: x[s * 1000 + t] is sensor s + 1 (L − R) at sample t. */
export const SEGMENT_VALUES = SINCPD_SENSORS * SEGMENT_SAMPLES;

/** The walk file name convention (GaPt03_01.txt): study, group, subject, walk number. */
export const SINCPD_WALK_NAME = /^((Ga|Ju|Si)(Co|Pt)\d{2})_(\d{2})(\.txt)?(\.gz)?$/;

export interface WalkIdentity { subject: string; study: 'Ga' | 'Ju' | 'Si'; group: 'Co' | 'Pt'; walk: number }

/** Subject, study, group and walk number from a walk name (file name or trial key); null when it is not one. */
export function parseWalkName(name: string): WalkIdentity | null {
  const m = SINCPD_WALK_NAME.exec(name);
  if (!m) return null;
  return { subject: m[1], study: m[2] as WalkIdentity['study'], group: m[3] as WalkIdentity['group'], walk: Number(m[4]) };
}

/** What the loader logs per walk (§5.3.1 item 2): the clock as found in the file. */
export interface ClockReport { rows: number; t0S: number; tLastS: number; shareOf0099Steps: number; estimatedRateHz: number; maxStepS: number; minStepS: number }

/**
 * Checks the device clock of a walk: strictly increasing, every step within [0.0095, 0.0105] s (the release has
 * 0.0100 s steps and about 0.7 % of 0.0099 s ones; anything else means a damaged or foreign file).
 */
export function checkWalkClock(timeS: ArrayLike<number>, source: string): ClockReport {
  const n = timeS.length;
  if (n < 2) throw new InputError(source, null, 'time', `a walk needs at least 2 samples, found ${n}`);
  let short = 0;
  let maxStep = -Infinity;
  let minStep = Infinity;
  for (let i = 1; i < n; i++) {
    const dt = timeS[i] - timeS[i - 1];
    // Stamps are printed to 4 decimals: compare with a tolerance far below one printed digit.
    if (!(dt >= 0.0095 - 1e-9 && dt <= 0.0105 + 1e-9)) {
      throw new InputError(source, i + 1, 'time', `time step ${dt.toFixed(4)} s after ${timeS[i - 1]} s is outside [0.0095, 0.0105] s`);
    }
    if (Math.abs(dt - 0.0099) < 5e-6) short++;
    if (dt > maxStep) maxStep = dt;
    if (dt < minStep) minStep = dt;
  }
  const t0S = timeS[0];
  const tLastS = timeS[n - 1];
  return { rows: n, t0S, tLastS, shareOf0099Steps: short / (n - 1), estimatedRateHz: (n - 1) / (tLastS - t0S), maxStepS: maxStep, minStepS: minStep };
}

/**
 * The 8 left-minus-right differences x_s = L_s − R_s (§3.2 item 3) on the exact 100 Hz grid t0 + k/100
 * (§5.3.1 item 2), each force column linearly interpolated against the file's own time column first.
 */
export function sensorDifferences100Hz(timeS: ArrayLike<number>, left: ArrayLike<number>[], right: ArrayLike<number>[]): Float64Array[] {
  if (left.length !== SINCPD_SENSORS || right.length !== SINCPD_SENSORS) throw new RangeError(`expected 8 left and 8 right sensors, got ${left.length} and ${right.length}`);
  return left.map((l, s) => {
    const lg = resampleToUniform(timeS, l, SINCPD_RATE_HZ);
    const rg = resampleToUniform(timeS, right[s], SINCPD_RATE_HZ);
    const d = new Float64Array(lg.length);
    for (let k = 0; k < d.length; k++) d[k] = lg[k] - rg[k];
    return d;
  });
}

/** Where a segment came from and what it is labelled. */
export interface SegmentMeta {
  /** Walk name (e.g. GaPt03_01) or trial id. */
  walk: string;
  /** Subject code (GaPt03). */
  subject: string;
  study: string;
  walkNumber: number;
  startS: number;
  /** 1 = PD (Pt), 0 = control (Co). */
  pd: 0 | 1;
  /** Index into SEVERITY_STAGES, or null where the subject has no valid H&Y (left out of severity tasks). */
  severity: number | null;
}

export interface SegmentSet {
  /** n × 8 × 1000 float32, channel-major per segment (SEGMENT_VALUES each). */
  x: Float32Array;
  meta: SegmentMeta[];
}

/**
 * Non-overlapping 1000-sample windows from k = 0 (§5.3.1 item 5); the partial tail and any window holding a
 * non-finite value are dropped. Returns the windows' start samples and their values (channel-major).
 */
export function cutSegments(channels: Float64Array[]): { starts: number[]; x: Float32Array } {
  if (channels.length !== SINCPD_SENSORS) throw new RangeError(`expected 8 channels, got ${channels.length}`);
  const n = Math.min(...channels.map((c) => c.length));
  const starts: number[] = [];
  for (let k = 0; k + SEGMENT_SAMPLES <= n; k += SEGMENT_SAMPLES) {
    let finite = true;
    for (const c of channels) for (let t = k; t < k + SEGMENT_SAMPLES && finite; t++) finite = Number.isFinite(c[t]);
    if (finite) starts.push(k);
  }
  const x = new Float32Array(starts.length * SEGMENT_VALUES);
  starts.forEach((k, i) => {
    channels.forEach((c, s) => x.set(c.subarray(k, k + SEGMENT_SAMPLES), i * SEGMENT_VALUES + s * SEGMENT_SAMPLES));
  });
  return { starts, x };
}

/** Concatenates segment sets (walk after walk). */
export function concatSegments(sets: SegmentSet[]): SegmentSet {
  const total = sets.reduce((a, s) => a + s.meta.length, 0);
  const x = new Float32Array(total * SEGMENT_VALUES);
  const meta: SegmentMeta[] = [];
  for (const s of sets) {
    x.set(s.x, meta.length * SEGMENT_VALUES);
    meta.push(...s.meta);
  }
  return { x, meta };
}

/** The rows `rows` of a segment set, in that order. */
export function selectSegments(set: SegmentSet, rows: ArrayLike<number>): SegmentSet {
  const x = new Float32Array(rows.length * SEGMENT_VALUES);
  const meta: SegmentMeta[] = [];
  for (let i = 0; i < rows.length; i++) {
    const r = rows[i];
    x.set(set.x.subarray(r * SEGMENT_VALUES, (r + 1) * SEGMENT_VALUES), i * SEGMENT_VALUES);
    meta.push(set.meta[r]);
  }
  return { x, meta };
}

/** The segments whose subject has a severity label (PD subjects without a valid H&Y are left out, §5.3.1 item 6). */
export function withSeverityLabels(set: SegmentSet): SegmentSet {
  const rows = set.meta.flatMap((m, i) => (m.severity === null ? [] : [i]));
  return rows.length === set.meta.length ? set : selectSegments(set, rows);
}
