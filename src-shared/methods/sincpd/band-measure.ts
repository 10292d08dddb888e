// The band test of methods-spec §5.3.2: the −6 dB regions a filter really passes, measured on its zero-padded
// FFT, so that a reported band is what the taps do (and the folded bands of sincpd-2024 are seen, not assumed).

export interface MeasuredBands {
  /** Every contiguous region with |H| ≥ 0.5·max on [0, fs/2], edges linearly interpolated (Hz), lowest first. */
  regions: [number, number][];
  /** The region holding the peak (index into regions). */
  peakRegion: number;
  /** max |H| of the un-normalised response. */
  peakGain: number;
  /** Frequency of the peak (Hz). */
  peakHz: number;
}

/** In-place iterative radix-2 complex FFT (length a power of two). */
export function fftInPlace(re: Float64Array, im: Float64Array): void {
  const n = re.length;
  if ((n & (n - 1)) !== 0 || im.length !== n) throw new Error(`fftInPlace: length ${n} is not a power of two (or re/im differ)`);
  for (let i = 1, j = 0; i < n; i++) {
    let bit = n >> 1;
    for (; j & bit; bit >>= 1) j ^= bit;
    j ^= bit;
    if (i < j) {
      let t = re[i]; re[i] = re[j]; re[j] = t;
      t = im[i]; im[i] = im[j]; im[j] = t;
    }
  }
  for (let len = 2; len <= n; len <<= 1) {
    const ang = (-2 * Math.PI) / len;
    const wr = Math.cos(ang), wi = Math.sin(ang);
    const half = len >> 1;
    for (let start = 0; start < n; start += len) {
      let cr = 1, ci = 0;
      for (let k = 0; k < half; k++) {
        const a = start + k, b = a + half;
        const xr = re[b] * cr - im[b] * ci;
        const xi = re[b] * ci + im[b] * cr;
        re[b] = re[a] - xr; im[b] = im[a] - xi;
        re[a] += xr; im[a] += xi;
        const ncr = cr * wr - ci * wi;
        ci = cr * wi + ci * wr;
        cr = ncr;
      }
    }
  }
}

/** |FFT| of the taps zero-padded to nfft, on bins 0..nfft/2 (0..fs/2). */
export function magnitudeResponse(taps: ArrayLike<number>, nfft = 65536): Float64Array {
  if (taps.length > nfft) throw new Error(`magnitudeResponse: ${taps.length} taps exceed nfft ${nfft}`);
  const re = new Float64Array(nfft), im = new Float64Array(nfft);
  for (let i = 0; i < taps.length; i++) re[i] = taps[i];
  fftInPlace(re, im);
  const half = nfft / 2;
  const mag = new Float64Array(half + 1);
  for (let k = 0; k <= half; k++) mag[k] = Math.hypot(re[k], im[k]);
  return mag;
}

/** The −6 dB regions (response ≥ 0.5 of its maximum) of a filter, per §5.3.2 steps 1–3. */
export function measureBands(taps: ArrayLike<number>, fs: number, nfft = 65536): MeasuredBands {
  const mag = magnitudeResponse(taps, nfft);
  const last = mag.length - 1;
  const df = fs / nfft;
  let peak = 0;
  for (let k = 1; k <= last; k++) if (mag[k] > mag[peak]) peak = k;
  const peakGain = mag[peak];
  const half = 0.5 * peakGain;
  // Crossing between bins k−1 and k, linearly interpolated on the normalised response.
  const cross = (k: number) => ((k - 1) + (half - mag[k - 1]) / (mag[k] - mag[k - 1])) * df;
  const regions: [number, number][] = [];
  let peakRegion = -1;
  let k = 0;
  while (k <= last) {
    if (mag[k] < half) { k++; continue; }
    const lo = k === 0 ? 0 : cross(k);
    let end = k;
    while (end + 1 <= last && mag[end + 1] >= half) end++;
    const hi = end === last ? fs / 2 : cross(end + 1);
    if (peak >= k && peak <= end) peakRegion = regions.length;
    regions.push([lo, hi]);
    k = end + 1;
  }
  return { regions, peakRegion, peakGain, peakHz: peak * df };
}

export interface BandCheck {
  /** Nominal band the weights name. */
  f1: number;
  f2: number;
  measured: MeasuredBands;
  /** |measured − nominal| of the peak region's edges (Hz). */
  edgeErrorHz: number;
  /** Whether the filter passes §5.3.2 step 4: edges within tolHz, peak gain in [0.98, 1.02], one region only. */
  passes: boolean;
}

/** §5.3.2 step 4 for one filter; sincpd-2024 filters are reported, not asserted, by the caller. */
export function checkBand(taps: ArrayLike<number>, f1: number, f2: number, fs: number, tolHz = 0.05): BandCheck {
  const measured = measureBands(taps, fs);
  const [lo, hi] = measured.regions[measured.peakRegion];
  const edgeErrorHz = Math.max(Math.abs(lo - f1), Math.abs(hi - f2));
  const passes = edgeErrorHz <= tolHz && measured.peakGain >= 0.98 && measured.peakGain <= 1.02 && measured.regions.length === 1;
  return { f1, f2, measured, edgeErrorHz, passes };
}
