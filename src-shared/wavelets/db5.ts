// Daubechies-5 discrete wavelet transform, symmetric (half-sample) extension, as PyWavelets 1.1.1 computes it
// (`pywt.wavedec/waverec(x, 'db5', mode='symmetric')`); the algorithm and its golden values are methods-spec §5.2.2.
// Plain float64 so that the round trip is exact to ~1e-15 and the same code runs in main, workers and renderer.

/** db5 decomposition low-pass filter dec_lo (F = 10), to 17 significant digits (spec §5.2.2). */
export const DB5_DEC_LO: readonly number[] = Object.freeze([
  0.0033357252854737712, -0.012580751999081999, -0.0062414902127982744, 0.077571493840045719,
  -0.032244869584638375, -0.24229488706638203, 0.13842814590132074, 0.72430852843777294,
  0.60382926979718965, 0.16010239797419293,
]);

const F = DB5_DEC_LO.length;
/** dec_hi[j] = (-1)^(j+1) dec_lo[F-1-j] (quadrature mirror). */
const DEC_LO = Float64Array.from(DB5_DEC_LO);
const DEC_HI = Float64Array.from({ length: F }, (_, j) => ((j + 1) % 2 === 0 ? 1 : -1) * DB5_DEC_LO[F - 1 - j]);
const REC_LO = Float64Array.from(DEC_LO).reverse();
const REC_HI = Float64Array.from(DEC_HI).reverse();

export const DB5_LEVEL = 4;

/** Index into the half-sample symmetric extension of a length-n signal, reflecting as often as needed (period 2n). */
function symmetricIndex(i: number, n: number): number {
  const period = 2 * n;
  let k = i % period;
  if (k < 0) k += period;
  return k < n ? k : period - 1 - k;
}

/** Length of one DWT level's output for an input of length n: floor((n + F - 1) / 2). */
export function dwtLength(n: number): number {
  return Math.floor((n + F - 1) / 2);
}

/** Coefficient lengths [cA4, cD4, cD3, cD2, cD1] for a signal of length n (G-W1: 101 → 14,14,20,32,55). */
export function db5CoefficientLengths(n: number, level = DB5_LEVEL): number[] {
  const details: number[] = [];
  let len = n;
  for (let l = 0; l < level; l++) {
    len = dwtLength(len);
    details.push(len);
  }
  return [len, ...details.reverse()];
}

/** One analysis step: cA[o] = Σ dec_lo[j] x̃[2o+1-j], cD likewise with dec_hi. */
export function dwtStep(x: Float64Array): { approx: Float64Array; detail: Float64Array } {
  const n = x.length;
  if (n < 1) throw new RangeError('dwt: empty signal');
  const out = dwtLength(n);
  const approx = new Float64Array(out);
  const detail = new Float64Array(out);
  for (let o = 0; o < out; o++) {
    let a = 0;
    let d = 0;
    for (let j = 0; j < F; j++) {
      const v = x[symmetricIndex(2 * o + 1 - j, n)];
      a += DEC_LO[j] * v;
      d += DEC_HI[j] * v;
    }
    approx[o] = a;
    detail[o] = d;
  }
  return { approx, detail };
}

/** One synthesis step: y[t] = Σ_o rec_lo[t+F-2-2o] cA[o] + rec_hi[t+F-2-2o] cD[o], output length 2n-F+2. */
export function idwtStep(approx: Float64Array, detail: Float64Array): Float64Array {
  const n = approx.length;
  if (detail.length !== n) throw new RangeError(`idwt: approximation has ${n} values, detail ${detail.length}`);
  const len = 2 * n - F + 2;
  if (len < 1) throw new RangeError(`idwt: ${n} coefficients are too few for db5`);
  const y = new Float64Array(len);
  for (let t = 0; t < len; t++) {
    // Only o with 0 <= t+F-2-2o < F contribute.
    const oMin = Math.max(0, Math.ceil((t - 1) / 2));
    const oMax = Math.min(n - 1, Math.floor((t + F - 2) / 2));
    let s = 0;
    for (let o = oMin; o <= oMax; o++) {
      const k = t + F - 2 - 2 * o;
      s += REC_LO[k] * approx[o] + REC_HI[k] * detail[o];
    }
    y[t] = s;
  }
  return y;
}

/** Multi-level decomposition in wavedec order [cA_L, cD_L, …, cD_1]. Level 4 on 101 points is below
 * dwt_max_level (3): PyWavelets only warns about boundary effects, and so do we not fail (spec §5.2.2). */
export function wavedec(x: Float64Array, level = DB5_LEVEL): Float64Array[] {
  const details: Float64Array[] = [];
  let a = x;
  for (let l = 0; l < level; l++) {
    const step = dwtStep(a);
    details.push(step.detail);
    a = step.approx;
  }
  return [a, ...details.reverse()];
}

/** Inverse of wavedec; keeps the first `length` samples (101 points give 102, the last is discarded). */
export function waverec(coefficients: readonly Float64Array[], length?: number): Float64Array {
  if (coefficients.length < 2) throw new RangeError('waverec: need an approximation and at least one detail array');
  let a = coefficients[0];
  for (let i = 1; i < coefficients.length; i++) {
    const d = coefficients[i];
    if (a.length === d.length + 1) a = a.subarray(0, d.length);
    a = idwtStep(a, d);
  }
  if (length === undefined) return a;
  if (length > a.length) throw new RangeError(`waverec: asked for ${length} samples, reconstruction has ${a.length}`);
  return a.slice(0, length);
}

/** wavedec flattened into one vector (offsets 0, 14, 28, 48, 80 for 101 points; 135 values). */
export function wavedecFlat(x: Float64Array, level = DB5_LEVEL): Float64Array {
  const parts = wavedec(x, level);
  const out = new Float64Array(parts.reduce((s, p) => s + p.length, 0));
  let off = 0;
  for (const p of parts) { out.set(p, off); off += p.length; }
  return out;
}

/** Split a flat coefficient vector back into its blocks for a signal of length n. */
export function splitCoefficients(flat: ArrayLike<number>, n: number, level = DB5_LEVEL): Float64Array[] {
  const lengths = db5CoefficientLengths(n, level);
  const total = lengths.reduce((s, l) => s + l, 0);
  if (flat.length !== total) throw new RangeError(`coefficients: expected ${total} for a ${n}-point signal, got ${flat.length}`);
  const parts: Float64Array[] = [];
  let off = 0;
  for (const len of lengths) {
    parts.push(Float64Array.from({ length: len }, (_, i) => flat[off + i]));
    off += len;
  }
  return parts;
}

/** waverec of a flat coefficient vector, first n samples. */
export function waverecFlat(flat: ArrayLike<number>, n: number, level = DB5_LEVEL): Float64Array {
  return waverec(splitCoefficients(flat, n, level), n);
}
