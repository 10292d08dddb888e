// Linear filtering and forward–backward zero-phase filtering with scipy.signal semantics (lfilter, lfilter_zi,
// filtfilt, sosfilt, sosfilt_zi, sosfiltfilt; method 'pad'). Direct form II transposed (Oppenheim & Schafer §6.5);
// initial state = steady state of the step response (Gustafsson 1996, IEEE TSP 44:988, as scipy's lfilter_zi).
import type { SecondOrderSections } from './butterworth';

/** Extension added at both ends before filtering, as scipy's padtype: odd (2·x₀ − mirrored x), even (mirror), constant (x₀), none. */
export type PadType = 'odd' | 'even' | 'constant' | 'none';

export interface ZeroPhaseOptions {
  padType?: PadType;
  /** Samples added at each end. Default (scipy): 3·max(len(a), len(b)) for filtfilt; see sosfiltfilt. */
  padLength?: number;
}

/** Copies b and a scaled so that a[0] = 1, both padded with zeros to the same length. */
function normalise(b: ArrayLike<number>, a: ArrayLike<number>): { b: Float64Array; a: Float64Array } {
  let start = 0;
  while (start < a.length - 1 && a[start] === 0) start++;
  const a0 = a[start];
  if (!a0) throw new RangeError('the denominator a has no nonzero coefficient');
  const n = Math.max(a.length - start, b.length);
  const bn = new Float64Array(n), an = new Float64Array(n);
  for (let i = 0; i < b.length; i++) bn[i] = a0 === 1 ? b[i] : b[i] / a0;
  for (let i = start; i < a.length; i++) an[i - start] = a0 === 1 ? a[i] : a[i] / a0;
  return { b: bn, a: an };
}

/**
 * scipy.signal.lfilter(b, a, x, zi=zi): y[n] = Σ b[k]x[n−k] − Σ a[k]y[n−k] (a[0] normalised to 1), state `zi`
 * (length max(len(a), len(b)) − 1) updated in place when given. Returns y.
 */
export function lfilter(b: ArrayLike<number>, a: ArrayLike<number>, x: ArrayLike<number>, zi?: Float64Array): Float64Array {
  const { b: bn, a: an } = normalise(b, a);
  const order = bn.length - 1;
  const z = zi ?? new Float64Array(order);
  if (z.length !== order) throw new RangeError(`lfilter: zi must have length ${order}, got ${z.length}`);
  const y = new Float64Array(x.length);
  for (let n = 0; n < x.length; n++) {
    const xn = x[n];
    const yn = order > 0 ? z[0] + bn[0] * xn : bn[0] * xn;
    for (let k = 0; k < order - 1; k++) z[k] = z[k + 1] + bn[k + 1] * xn - an[k + 1] * yn;
    if (order > 0) z[order - 1] = bn[order] * xn - an[order] * yn;
    y[n] = yn;
  }
  return y;
}

/**
 * scipy.signal.lfilter_zi(b, a): the state for which a unit step input gives a unit-step-response steady state,
 * solving (I − Aᵀ)·zi = b[1:] − a[1:]·b[0] (A = companion(a)) by Gaussian elimination with partial pivoting.
 */
export function lfilterZi(b: ArrayLike<number>, a: ArrayLike<number>): Float64Array {
  const { b: bn, a: an } = normalise(b, a);
  const m = bn.length - 1;
  if (m === 0) return new Float64Array(0);
  // I − companion(a)ᵀ: companion(a) has first row −a[1:], ones on the subdiagonal.
  const M = Array.from({ length: m }, () => new Float64Array(m));
  for (let i = 0; i < m; i++) {
    M[i][i] = 1;
    M[i][0] += an[i + 1];
    if (i + 1 < m) M[i][i + 1] -= 1;
  }
  const rhs = Float64Array.from({ length: m }, (_, i) => bn[i + 1] - an[i + 1] * bn[0]);
  return solve(M, rhs);
}

function solve(M: Float64Array[], rhs: Float64Array): Float64Array {
  const m = rhs.length;
  for (let col = 0; col < m; col++) {
    let piv = col;
    for (let r = col + 1; r < m; r++) if (Math.abs(M[r][col]) > Math.abs(M[piv][col])) piv = r;
    if (M[piv][col] === 0) throw new RangeError('lfilter_zi: the filter has a pole at z = 1 (no steady state)');
    if (piv !== col) {
      [M[piv], M[col]] = [M[col], M[piv]];
      [rhs[piv], rhs[col]] = [rhs[col], rhs[piv]];
    }
    for (let r = col + 1; r < m; r++) {
      const f = M[r][col] / M[col][col];
      if (f === 0) continue;
      for (let c = col; c < m; c++) M[r][c] -= f * M[col][c];
      rhs[r] -= f * rhs[col];
    }
  }
  const x = new Float64Array(m);
  for (let r = m - 1; r >= 0; r--) {
    let s = rhs[r];
    for (let c = r + 1; c < m; c++) s -= M[r][c] * x[c];
    x[r] = s / M[r][r];
  }
  return x;
}

/** x with `n` samples added at each end (scipy's odd_ext / even_ext / const_ext). */
export function padSignal(x: ArrayLike<number>, n: number, type: PadType): Float64Array {
  const len = x.length;
  if (type === 'none' || n === 0) return Float64Array.from(x);
  if (n > len - 1) throw new RangeError(`the signal (${len} samples) must be longer than the padding (${n} samples) + 1`);
  const out = new Float64Array(len + 2 * n);
  const first = x[0], last = x[len - 1];
  for (let i = 0; i < n; i++) {
    const left = x[n - i], right = x[len - 2 - i];
    out[i] = type === 'odd' ? 2 * first - left : type === 'even' ? left : first;
    out[n + len + i] = type === 'odd' ? 2 * last - right : type === 'even' ? right : last;
  }
  for (let i = 0; i < len; i++) out[n + i] = x[i];
  return out;
}

function checkLength(len: number, edge: number): void {
  if (len <= edge) throw new RangeError(`the signal (${len} samples) must be longer than the padding, which is ${edge} samples`);
}

/**
 * scipy.signal.filtfilt(b, a, x) (method 'pad'): pad, filter forward from zi·x_ext[0], filter the reversed output
 * from zi·y[−1], reverse, strip the padding. Default padding: odd, 3·max(len(a), len(b)) samples — scipy's
 * default; MATLAB's filtfilt uses 3·(max − 1), pass `padLength` for that.
 */
export function filtfilt(b: ArrayLike<number>, a: ArrayLike<number>, x: ArrayLike<number>, options: ZeroPhaseOptions = {}): Float64Array {
  const type = options.padType ?? 'odd';
  const edge = type === 'none' ? 0 : options.padLength ?? 3 * Math.max(a.length, b.length);
  checkLength(x.length, edge);
  const ext = padSignal(x, edge, type);
  const zi = lfilterZi(b, a);
  const forward = lfilter(b, a, ext, scaled(zi, ext[0]));
  forward.reverse();
  const backward = lfilter(b, a, forward, scaled(zi, forward[0]));
  backward.reverse();
  return backward.slice(edge, backward.length - edge);
}

function scaled(v: Float64Array, k: number): Float64Array {
  const out = new Float64Array(v.length);
  for (let i = 0; i < v.length; i++) out[i] = v[i] * k;
  return out;
}

/** scipy.signal.sosfilt_zi(sos): each section's lfilter_zi scaled by the DC gain of the sections before it. */
export function sosfiltZi(sos: SecondOrderSections): Float64Array[] {
  let scale = 1;
  return sos.map((s) => {
    const b = s.subarray(0, 3), a = s.subarray(3, 6);
    const zi = scaled(lfilterZi(b, a), scale);
    scale *= (b[0] + b[1] + b[2]) / (a[0] + a[1] + a[2]);
    return zi;
  });
}

/** scipy.signal.sosfilt(sos, x, zi=zi): the sections in cascade (each direct form II transposed); zi updated in place. */
export function sosfilt(sos: SecondOrderSections, x: ArrayLike<number>, zi?: Float64Array[]): Float64Array {
  const y = Float64Array.from(x);
  sos.forEach((s, k) => {
    const a0 = s[3];
    if (!a0) throw new RangeError(`section ${k}: a0 must be nonzero`);
    const b0 = s[0] / a0, b1 = s[1] / a0, b2 = s[2] / a0, a1 = s[4] / a0, a2 = s[5] / a0;
    const z = zi?.[k] ?? new Float64Array(2);
    let z0 = z[0], z1 = z[1];
    for (let n = 0; n < y.length; n++) {
      const xn = y[n];
      const yn = z0 + b0 * xn;
      z0 = z1 + b1 * xn - a1 * yn;
      z1 = b2 * xn - a2 * yn;
      y[n] = yn;
    }
    z[0] = z0; z[1] = z1;
  });
  return y;
}

/**
 * scipy.signal.sosfiltfilt(sos, x): as filtfilt with the cascade. Default padding 3·(2·sections + 1 − k) samples,
 * k = the number of sections whose b2 and a2 are both zero (first-order sections): the same as filtfilt's default
 * for the equivalent (b, a) of a Butterworth design.
 */
export function sosfiltfilt(sos: SecondOrderSections, x: ArrayLike<number>, options: ZeroPhaseOptions = {}): Float64Array {
  const type = options.padType ?? 'odd';
  const zeroB2 = sos.filter((s) => s[2] === 0).length, zeroA2 = sos.filter((s) => s[5] === 0).length;
  const ntaps = 2 * sos.length + 1 - Math.min(zeroB2, zeroA2);
  const edge = type === 'none' ? 0 : options.padLength ?? 3 * ntaps;
  checkLength(x.length, edge);
  const ext = padSignal(x, edge, type);
  const zi = sosfiltZi(sos);
  const forward = sosfilt(sos, ext, zi.map((z) => scaled(z, ext[0])));
  forward.reverse();
  const backward = sosfilt(sos, forward, zi.map((z) => scaled(z, forward[0])));
  backward.reverse();
  return backward.slice(edge, backward.length - edge);
}
