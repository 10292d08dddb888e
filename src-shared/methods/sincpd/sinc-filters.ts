// SincPD's band-pass filter bank as pure numerics (methods-spec §3.3.2, §5.3.2): the taps of each profile from its
// stored weights, the nominal band those weights name, and their initialisation. The tfjs layer builds the same
// taps with tf ops (for gradients); this module is the reference it is tested against, and what the explanation,
// pruning and band test read.

export type SincProfile = 'sincpd-2024' | 'sincnet-gait';

export const SINC_PROFILES: readonly SincProfile[] = ['sincnet-gait', 'sincpd-2024'];

export interface SincGeometry {
  /** Sampling rate, Hz (100 for gaitpdb). */
  fs: number;
  /** Kernel length L (odd). */
  kernelLength: number;
}

export const DEFAULT_GEOMETRY: SincGeometry = { fs: 100, kernelLength: 101 };

/** sincnet-gait's derived constants (§5.3.2): transition width Δ = 3.3 fs / L, margin m = Δ/2, b_min = Δ, f_top = fs/2 − m. */
export function gaitConstants(g: SincGeometry = DEFAULT_GEOMETRY): { delta: number; margin: number; bMin: number; fTop: number } {
  const delta = (3.3 * g.fs) / g.kernelLength;
  const margin = delta / 2;
  return { delta, margin, bMin: delta, fTop: g.fs / 2 - margin };
}

/** sincpd-2024's absolute minima (SincNet's 16 kHz values, not scaled to fs: the cause of the aliasing of §3.3.3). */
export const PAPER_MIN_LOW_HZ = 50;
export const PAPER_MIN_BAND_HZ = 50;

const sigmoid = (t: number): number => 1 / (1 + Math.exp(-t));
const logit = (p: number): number => Math.log(p / (1 - p));

/** The nominal cut-offs (Hz) a filter's two weights name in a profile. */
export function nominalBand(profile: SincProfile, w1: number, w2: number, g: SincGeometry = DEFAULT_GEOMETRY): { f1: number; f2: number } {
  if (profile === 'sincpd-2024') {
    const a1 = Math.abs(w1) + PAPER_MIN_LOW_HZ / g.fs;
    const a2 = a1 + Math.abs(w2) + PAPER_MIN_BAND_HZ / g.fs;
    return { f1: a1 * g.fs, f2: a2 * g.fs };
  }
  const { margin, bMin, fTop } = gaitConstants(g);
  const f1 = margin + (fTop - margin - bMin) * sigmoid(w1);
  const f2 = f1 + bMin + (fTop - f1 - bMin) * sigmoid(w2);
  return { f1, f2 };
}

/** sincnet-gait: the weights (θ_lo, θ_bw) of a feasible band, σ clamped to [1e-4, 1 − 1e-4] (§5.3.5's mapping back). */
export function gaitWeightsForBand(f1: number, f2: number, g: SincGeometry = DEFAULT_GEOMETRY): { lo: number; bw: number } {
  const { margin, bMin, fTop } = gaitConstants(g);
  const clamp = (p: number) => Math.min(1 - 1e-4, Math.max(1e-4, p));
  const sLo = clamp((f1 - margin) / (fTop - margin - bMin));
  const f1c = margin + (fTop - margin - bMin) * sLo;
  const sBw = clamp((f2 - f1c - bMin) / (fTop - f1c - bMin));
  return { lo: logit(sLo), bw: logit(sBw) };
}

/** The L taps of one filter (float64), index j = 0..L−1 (the kernel the convolution slides; j = M is the centre). */
export function sincTaps(profile: SincProfile, w1: number, w2: number, g: SincGeometry = DEFAULT_GEOMETRY): Float64Array {
  const L = g.kernelLength;
  const M = (L - 1) / 2;
  const h = new Float64Array(L);
  if (profile === 'sincpd-2024') {
    // Normalised cut-offs a = f / fs; g_a[k] = sin(2π a k)/(π k), g_a[0] = 2a; u = g_a2 − g_a1 divided by its
    // largest tap (not the largest magnitude, as the published code does); periodic Hamming window.
    const { f1, f2 } = nominalBand(profile, w1, w2, g);
    const a1 = f1 / g.fs, a2 = f2 / g.fs;
    const u = new Float64Array(L);
    let max = -Infinity;
    for (let j = 0; j < L; j++) {
      const k = j - M;
      u[j] = k === 0 ? 2 * (a2 - a1) : (Math.sin(2 * Math.PI * a2 * k) - Math.sin(2 * Math.PI * a1 * k)) / (Math.PI * k);
      if (u[j] > max) max = u[j];
    }
    for (let j = 0; j < L; j++) h[j] = (u[j] / max) * (0.54 - 0.46 * Math.cos((2 * Math.PI * j) / L));
    return h;
  }
  // sincnet-gait: 2f/fs·sinc_π(2fn/fs) = sin(2π f n/fs)/(π n); symmetric Hamming; no normalisation (gain ≈ 1).
  const { f1, f2 } = nominalBand(profile, w1, w2, g);
  for (let j = 0; j < L; j++) {
    const n = j - M;
    const band = n === 0 ? (2 * (f2 - f1)) / g.fs : (Math.sin((2 * Math.PI * f2 * n) / g.fs) - Math.sin((2 * Math.PI * f1 * n) / g.fs)) / (Math.PI * n);
    h[j] = band * (0.54 - 0.46 * Math.cos((2 * Math.PI * j) / (L - 1)));
  }
  return h;
}

/** Initial weights of N filters: legacy SincNet mel initialisation (sincpd-2024) or linearly spaced low edges (sincnet-gait). */
export function initialWeights(profile: SincProfile, n: number, g: SincGeometry = DEFAULT_GEOMETRY): { w1: Float64Array; w2: Float64Array } {
  const w1 = new Float64Array(n), w2 = new Float64Array(n);
  if (profile === 'sincpd-2024') {
    // mel grid from 80 down to mel(fs/2) (it runs downwards at fs = 100 Hz), rolled into low/high edges as the
    // legacy sinc_conv does, in units of fs.
    const melLo = 80;
    const melHi = 2595 * Math.log10(1 + g.fs / 2 / 700);
    const fCos = Float64Array.from({ length: n }, (_, i) => {
      const mel = n === 1 ? melLo : melLo + ((melHi - melLo) * i) / (n - 1);
      return 700 * (10 ** (mel / 2595) - 1);
    });
    for (let i = 0; i < n; i++) {
      const b1 = i === 0 ? 30 : fCos[i - 1];
      const b2 = i === n - 1 ? g.fs / 2 - 100 : fCos[i + 1];
      w1[i] = b1 / g.fs;
      w2[i] = (b2 - b1) / g.fs;
    }
    return { w1, w2 };
  }
  for (let i = 0; i < n; i++) {
    w1[i] = logit((i + 0.5) / n);
    w2[i] = logit(0.05);
  }
  return { w1, w2 };
}

/**
 * Whether a sincpd-2024 filter's nominal band lies (partly) at or above Nyquist, where its taps fold (§3.3.3).
 * sincnet-gait bands never do.
 */
export function isAliased(profile: SincProfile, w1: number, w2: number, g: SincGeometry = DEFAULT_GEOMETRY): boolean {
  if (profile !== 'sincpd-2024') return false;
  const { f2 } = nominalBand(profile, w1, w2, g);
  return f2 > g.fs / 2;
}

/** The band the paper's figures draw for a sincpd-2024 filter: raw weights read as hertz, [|θ1| − θb/2, |θ1| + θb/2]. */
export function paperPlotBand(w1: number, w2: number): [number, number] {
  return [Math.abs(w1) - w2 / 2, Math.abs(w1) + w2 / 2];
}
