// Per-sensor band energies of a segment: the features of the quick baseline the SincPD evaluation runner is proven
// on (a fixed filter bank where SincPD learns one). Power spectrum by a radix-2 FFT of the 1000 samples zero-padded
// to 1024 (Cooley–Tukey), summed over octave-like bands, as log(1e-6 + mean power).
import { SEGMENT_SAMPLES, SEGMENT_VALUES, SINCPD_RATE_HZ, SINCPD_SENSORS } from './segments';

export const BASELINE_BANDS_HZ: [number, number][] = [[0, 0.5], [0.5, 1], [1, 2], [2, 4], [4, 8], [8, 16], [16, 50]];
const NFFT = 1024;

/** In-place iterative radix-2 FFT of (re, im), length a power of two. */
function fft(re: Float64Array, im: Float64Array): void {
  const n = re.length;
  for (let i = 1, j = 0; i < n; i++) {
    let bit = n >> 1;
    for (; j & bit; bit >>= 1) j ^= bit;
    j ^= bit;
    if (i < j) { [re[i], re[j]] = [re[j], re[i]]; [im[i], im[j]] = [im[j], im[i]]; }
  }
  for (let len = 2; len <= n; len <<= 1) {
    const ang = (-2 * Math.PI) / len;
    const wr = Math.cos(ang), wi = Math.sin(ang);
    for (let i = 0; i < n; i += len) {
      let cr = 1, ci = 0;
      for (let k = 0; k < len / 2; k++) {
        const a = i + k, b = a + len / 2;
        const tr = re[b] * cr - im[b] * ci, ti = re[b] * ci + im[b] * cr;
        re[b] = re[a] - tr; im[b] = im[a] - ti;
        re[a] += tr; im[a] += ti;
        const nr = cr * wr - ci * wi;
        ci = cr * wi + ci * wr; cr = nr;
      }
    }
  }
}

/** |X(f)|² for f = k · fs / 1024, k = 0..512, of one channel of 1000 samples. */
export function powerSpectrum(x: ArrayLike<number>): Float64Array {
  const re = new Float64Array(NFFT), im = new Float64Array(NFFT);
  for (let i = 0; i < x.length && i < NFFT; i++) re[i] = x[i];
  fft(re, im);
  return Float64Array.from({ length: NFFT / 2 + 1 }, (_, k) => re[k] * re[k] + im[k] * im[k]);
}

/** rows × (8 sensors × bands) log band powers, sensor-major, of n × 8 × 1000 segments. */
export function bandEnergyFeatures(x: Float32Array, bands: [number, number][] = BASELINE_BANDS_HZ): { features: Float32Array; perRow: number } {
  const n = x.length / SEGMENT_VALUES;
  const perRow = SINCPD_SENSORS * bands.length;
  const out = new Float32Array(n * perRow);
  const binHz = SINCPD_RATE_HZ / NFFT;
  for (let r = 0; r < n; r++) {
    for (let s = 0; s < SINCPD_SENSORS; s++) {
      const base = r * SEGMENT_VALUES + s * SEGMENT_SAMPLES;
      const p = powerSpectrum(x.subarray(base, base + SEGMENT_SAMPLES));
      bands.forEach(([lo, hi], b) => {
        let sum = 0, count = 0;
        for (let k = 0; k < p.length; k++) { const f = k * binHz; if (f >= lo && (f < hi || (hi >= SINCPD_RATE_HZ / 2 && f <= hi))) { sum += p[k]; count++; } }
        out[r * perRow + s * bands.length + b] = Math.log(1e-6 + (count ? sum / count : 0));
      });
    }
  }
  return { features: out, perRow };
}
