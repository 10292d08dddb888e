// Butterworth low-pass design by the bilinear transform, exactly as scipy.signal.butter(N, Wn, 'low') does it:
// analog prototype poles p_k = −exp(iπm/2N), m = −N+1, −N+3, …, N−1 (Butterworth 1930), pre-warped cutoff
// ω = 4·tan(πWn/2), bilinear z = (4 + s)/(4 − s) (fs = 2), N zeros at z = −1 (Oppenheim & Schafer, Discrete-Time
// Signal Processing, §7.1). Wn is the cutoff as a fraction of the Nyquist frequency (cutoffHz / (rateHz / 2)).
import { filtfilt, sosfiltfilt, type PadType } from './filtfilt';

/** A transfer function b(z)/a(z), coefficients in powers of z⁻¹, a[0] = 1. */
export interface TransferFunction {
  b: Float64Array;
  a: Float64Array;
}

/**
 * Second-order sections, one row [b0, b1, b2, 1, a1, a2] per section, applied first to last (scipy's `sos` layout,
 * sections ordered as scipy.signal.zpk2sos orders them: the poles closest to the unit circle last).
 */
export type SecondOrderSections = Float64Array[];

interface Complex { re: number; im: number }
const cmul = (x: Complex, y: Complex): Complex => ({ re: x.re * y.re - x.im * y.im, im: x.re * y.im + x.im * y.re });
const cdiv = (x: Complex, y: Complex): Complex => {
  const d = y.re * y.re + y.im * y.im;
  return { re: (x.re * y.re + x.im * y.im) / d, im: (x.im * y.re - x.re * y.im) / d };
};
const cabs = (x: Complex) => Math.hypot(x.re, x.im);
/** Relative tolerance under which a root counts as real, as scipy's _cplxreal (100 ε). */
const REAL_TOL = 100 * Number.EPSILON;
const isReal = (x: Complex) => Math.abs(x.im) <= REAL_TOL * cabs(x);

interface Zpk { zeros: Complex[]; poles: Complex[]; gain: number }

function checkDesign(order: number, wn: number): void {
  if (!Number.isInteger(order) || order < 1) throw new RangeError(`Butterworth order must be a positive integer, got ${order}`);
  if (!(wn > 0 && wn < 1)) throw new RangeError(`Butterworth cutoff must satisfy 0 < Wn < 1 (a fraction of Nyquist), got ${wn}`);
}

/** Digital zeros, poles and gain of the Nth-order low-pass (scipy: buttap → lp2lp_zpk → bilinear_zpk). */
function butterworthZpk(order: number, wn: number): Zpk {
  checkDesign(order, wn);
  const warped = 4 * Math.tan((Math.PI * wn) / 2);
  const fs2: Complex = { re: 4, im: 0 };
  const poles: Complex[] = [];
  let denominator: Complex = { re: 1, im: 0 };
  for (let m = -order + 1; m < order; m += 2) {
    const theta = (Math.PI * m) / (2 * order);
    // m = 0 gives the exactly real pole of odd orders.
    const analog: Complex = { re: -Math.cos(theta) * warped, im: m === 0 ? 0 : -Math.sin(theta) * warped };
    const fs2MinusP: Complex = { re: fs2.re - analog.re, im: fs2.im - analog.im };
    poles.push(cdiv({ re: fs2.re + analog.re, im: fs2.im + analog.im }, fs2MinusP));
    denominator = cmul(denominator, fs2MinusP);
  }
  const gain = warped ** order * cdiv({ re: 1, im: 0 }, denominator).re;
  const zeros = Array.from({ length: order }, () => ({ re: -1, im: 0 }));
  return { zeros, poles, gain };
}

/** Coefficients of ∏(1 − r z⁻¹) by repeated convolution (numpy.poly), real part kept. */
function polyFromRoots(roots: Complex[]): Float64Array {
  let c: Complex[] = [{ re: 1, im: 0 }];
  for (const r of roots) {
    const next: Complex[] = Array.from({ length: c.length + 1 }, () => ({ re: 0, im: 0 }));
    for (let i = 0; i < c.length; i++) {
      next[i].re += c[i].re; next[i].im += c[i].im;
      const t = cmul(c[i], r);
      next[i + 1].re -= t.re; next[i + 1].im -= t.im;
    }
    c = next;
  }
  return Float64Array.from(c, (x) => x.re);
}

/** scipy.signal.butter(order, wn, 'low') → (b, a). Ill-conditioned for high orders at low Wn: prefer the SOS form. */
export function butterLowPassBA(order: number, wn: number): TransferFunction {
  const { zeros, poles, gain } = butterworthZpk(order, wn);
  const b = polyFromRoots(zeros);
  for (let i = 0; i < b.length; i++) b[i] *= gain;
  return { b, a: polyFromRoots(poles) };
}

/** scipy.signal.butter(order, wn, 'low', output='sos'): zpk2sos with pairing 'nearest'. */
export function butterLowPassSOS(order: number, wn: number): SecondOrderSections {
  const { zeros, poles, gain } = butterworthZpk(order, wn);
  return zpkToSos(zeros, poles, gain);
}

/** Splits roots into one representative of each conjugate pair (im > 0, pairs averaged) and the real roots, as scipy's _cplxreal. */
function complexThenReal(roots: Complex[]): Complex[] {
  const sorted = [...roots].sort((x, y) => x.re - y.re || Math.abs(x.im) - Math.abs(y.im));
  const reals = sorted.filter(isReal).map((x) => ({ re: x.re, im: 0 }));
  const upper = sorted.filter((x) => !isReal(x) && x.im > 0);
  const lower = sorted.filter((x) => !isReal(x) && x.im < 0);
  if (upper.length !== lower.length) throw new RangeError('zpk2sos: a complex root has no conjugate');
  const pairs = upper.map((u, i) => ({ re: (u.re + lower[i].re) / 2, im: (u.im - lower[i].im) / 2 }));
  return [...pairs, ...reals];
}

/** Index of the root closest to `to` among those that are real / complex / any (scipy's _nearest_real_complex_idx). */
function nearestIndex(roots: Complex[], to: Complex, which: 'real' | 'complex' | 'any'): number {
  let best = -1, bestD = Infinity;
  roots.forEach((r, i) => {
    if (which === 'real' && !isReal(r)) return;
    if (which === 'complex' && isReal(r)) return;
    const d = cabs({ re: r.re - to.re, im: r.im - to.im });
    if (d < bestD) { bestD = d; best = i; }
  });
  if (best < 0) throw new RangeError(`zpk2sos: no ${which} root left to pair`);
  return best;
}

/** Index of the pole closest to the unit circle, first on ties (np.argmin). */
function worstIndex(poles: Complex[], only?: (p: Complex) => boolean): number {
  let best = -1, bestD = Infinity;
  poles.forEach((p, i) => {
    if (only && !only(p)) return;
    const d = Math.abs(1 - cabs(p));
    if (d < bestD) { bestD = d; best = i; }
  });
  return best;
}

function section(z: Complex[], p: Complex[]): Float64Array {
  // Up to two zeros and two poles, each real or a conjugate pair: the products are real.
  const b = polyFromRoots(z), a = polyFromRoots(p);
  const s = new Float64Array(6);
  s.set(b, 3 - b.length);
  s.set(a, 6 - a.length);
  return s;
}

/**
 * scipy.signal.zpk2sos(z, p, k, pairing='nearest') for a digital system with real coefficients: poles closest to the
 * unit circle are paired with their nearest zeros and placed last; the gain goes into the first section.
 */
function zpkToSos(zerosIn: Complex[], polesIn: Complex[], gain: number): SecondOrderSections {
  let zeros = [...zerosIn], poles = [...polesIn];
  while (poles.length < zeros.length) poles.push({ re: 0, im: 0 });
  while (zeros.length < poles.length) zeros.push({ re: 0, im: 0 });
  const nSections = Math.floor((poles.length + 1) / 2);
  if (poles.length % 2 === 1) { poles.push({ re: 0, im: 0 }); zeros.push({ re: 0, im: 0 }); }
  zeros = complexThenReal(zeros);
  poles = complexThenReal(poles);
  const conj = (x: Complex): Complex => ({ re: x.re, im: -x.im });
  const sos: SecondOrderSections = new Array(nSections);
  for (let si = nSections - 1; si >= 0; si--) {
    const p1 = poles.splice(worstIndex(poles), 1)[0];
    const realPolesLeft = poles.filter(isReal).length;
    if (isReal(p1) && realPolesLeft === 0) {
      const z1 = zeros.splice(nearestIndex(zeros, p1, 'real'), 1)[0];
      sos[si] = section([z1, { re: 0, im: 0 }], [p1, { re: 0, im: 0 }]);
    } else if (poles.length + 1 === zeros.length && !isReal(p1) && realPolesLeft === 1 && zeros.filter(isReal).length === 1) {
      const z1 = zeros.splice(nearestIndex(zeros, p1, 'complex'), 1)[0];
      sos[si] = section([z1, conj(z1)], [p1, conj(p1)]);
    } else {
      let p2: Complex;
      if (isReal(p1)) p2 = poles.splice(worstIndex(poles, isReal), 1)[0];
      else p2 = conj(p1);
      if (zeros.length > 0) {
        const z1 = zeros.splice(nearestIndex(zeros, p1, 'any'), 1)[0];
        if (!isReal(z1)) sos[si] = section([z1, conj(z1)], [p1, p2]);
        else if (zeros.length > 0) {
          const z2 = zeros.splice(nearestIndex(zeros, p1, 'real'), 1)[0];
          sos[si] = section([z1, z2], [p1, p2]);
        } else sos[si] = section([z1], [p1, p2]);
      } else sos[si] = section([], [p1, p2]);
    }
  }
  for (let j = 0; j < 3; j++) sos[0][j] *= gain;
  return sos;
}

export interface ButterworthLowPassParams {
  /** Filter order of one pass; the zero-phase result has twice the attenuation (−6 dB at the cutoff). */
  order: number;
  cutoffHz: number;
  /**
   * 'sos' (default): second-order sections, scipy.signal.sosfiltfilt — numerically safe at any order and cutoff and
   * equal to filtfilt(b, a) in exact arithmetic (same padding, steady-state initial conditions).
   * 'ba': scipy.signal.filtfilt(b, a), the form most published gait pipelines use; loses digits for high orders at
   * low cutoffs (e.g. order 8 at Wn = 0.02).
   */
  form?: 'sos' | 'ba';
  padType?: PadType;
  /** Samples of padding at each end; default scipy's (3·max(len(a), len(b)) for 'ba', the SOS equivalent for 'sos'). */
  padLength?: number;
}

/** Zero-phase Butterworth low-pass: `new ButterworthLowPass({ order: 4, cutoffHz: 6 }).run(values, rateHz)`. */
export class ButterworthLowPass {
  readonly params: Required<Omit<ButterworthLowPassParams, 'padLength'>> & { padLength: number | null };

  constructor(params: ButterworthLowPassParams) {
    this.params = { form: 'sos', padType: 'odd', ...params, padLength: params.padLength ?? null };
    if (!(params.cutoffHz > 0)) throw new RangeError(`cutoffHz must be positive, got ${params.cutoffHz}`);
    checkDesign(params.order, 0.5);
  }

  /** The filtered signal, same length as `values`. */
  run(values: ArrayLike<number>, rateHz: number): Float64Array {
    const wn = this.params.cutoffHz / (rateHz / 2);
    if (!(wn < 1)) throw new RangeError(`cutoff ${this.params.cutoffHz} Hz is not below the Nyquist frequency of ${rateHz} Hz`);
    const options = { padType: this.params.padType, padLength: this.params.padLength ?? undefined };
    if (this.params.form === 'ba') {
      const { b, a } = butterLowPassBA(this.params.order, wn);
      return filtfilt(b, a, values, options);
    }
    return sosfiltfilt(butterLowPassSOS(this.params.order, wn), values, options);
  }
}
