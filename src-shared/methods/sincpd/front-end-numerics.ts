// Forward and backward passes of SincPD's per-sensor front end (methods-spec §3.3.4: the folded sinc windows,
// LayerNorm over the filters, LeakyReLU 0.2, max-pool 2/2) and of the concatenation of the sensors, as pure
// functions on row-major Float32Arrays that write into arrays they are given (on the wasm backend: the tensors'
// own memory, so a training step allocates nothing in JS and leaves no garbage). As tfjs ops these layers were
// half of a training step on wasm (a pass over memory per elementwise op, broadcasts, a slow SplitV for the
// concatenation's gradient); one loop each is several times cheaper.

/** sincnet-tensorflow's LayerNorm constants: ε added to the std; the variance floored before the square root. */
export const LAYER_NORM_EPSILON = 1e-6;
export const LAYER_NORM_VARIANCE_FLOOR = 1e-12;

/** SAME padding of a strided convolution, as tf.nn.conv1d: total max((out−1)·stride + L − T, 0), the smaller half first. */
export function samePadding(length: number, kernelLength: number, stride: number): { out: number; left: number; right: number } {
  const out = Math.ceil(length / stride);
  const total = Math.max((out - 1) * stride + kernelLength - length, 0);
  const left = Math.floor(total / 2);
  return { out, left, right: total - left };
}

/**
 * The strided windows of rows of a signal multiplied by the filter window w and folded about their centre, into f
 * [rows·out, M + 1] row-major: f[·, 0] = w[M]·x[c] and f[·, n] = w[M + n]·x[c + n] + w[M − n]·x[c − n], with
 * c = t·stride − left + M the centre of window t (SAME padding, zero outside). Row r of the signal starts at
 * x[r·rowStride + rowOffset]. Then Σ_j h[j]·x[c − M + j] = Σ_n f[·, n]·u[n] for taps h[j] = u[j − M]·w[j], u even.
 */
export function foldedWindowsInto(f: Float32Array, x: Float32Array, rows: number, rowStride: number, rowOffset: number, length: number, window: ArrayLike<number>, stride: number): void {
  const L = window.length;
  const M = (L - 1) / 2;
  const H = M + 1;
  const { out, left } = samePadding(length, L, stride);
  for (let r = 0; r < rows; r++) {
    const base = r * rowStride + rowOffset;
    for (let t = 0; t < out; t++) {
      const c = t * stride - left + M;
      const o = (r * out + t) * H;
      f[o] = c >= 0 && c < length ? window[M] * x[base + c] : 0;
      if (c - M >= 0 && c + M < length) {
        // The whole window inside the signal (all but the first and last few): no bounds checks.
        for (let n = 1; n <= M; n++) f[o + n] = window[M + n] * x[base + c + n] + window[M - n] * x[base + c - n];
      } else {
        for (let n = 1; n <= M; n++) {
          const a = c + n < length ? window[M + n] * x[base + c + n] : 0;
          const b = c - n >= 0 ? window[M - n] * x[base + c - n] : 0;
          f[o + n] = a + b;
        }
      }
    }
  }
}

/**
 * Mean and 1/(std + ε) of one row (population std of max(variance, floor)), and the std (0 where the variance was
 * floored, which stops the gradient through it, as tf.maximum's gradient does). One pass: sums in float64, whose
 * cancellation error for a row of filter outputs (|mean| ≪ 10⁴ std) is far below float32's rounding.
 */
function rowStatistics(x: Float32Array, o: number, n: number): { mean: number; inverse: number; std: number } {
  let sum = 0, squares = 0;
  for (let i = 0; i < n; i++) { const v = x[o + i]; sum += v; squares += v * v; }
  const mean = sum / n;
  const variance = Math.max(0, squares / n - mean * mean);
  const floored = variance < LAYER_NORM_VARIANCE_FLOOR;
  const std = Math.sqrt(floored ? LAYER_NORM_VARIANCE_FLOOR : variance);
  return { mean, inverse: 1 / (std + LAYER_NORM_EPSILON), std: floored ? 0 : std };
}

/** Per row of a LayerNorm: mean, 1/(std + ε) and std (0 where floored), what its gradient reuses. */
export const LAYER_NORM_ROW_STATISTICS = 3;

/**
 * y = γ (x − mean)/(std + ε) + β over the last axis (width n), population std of max(variance, 1e-12); the row
 * statistics go to stats [rows, 3] for the gradient (which then reads x once less).
 */
export function layerNormInto(y: Float32Array, stats: Float32Array, x: Float32Array, n: number, gamma: Float32Array, beta: Float32Array): void {
  const rows = x.length / n;
  for (let r = 0; r < rows; r++) {
    const o = r * n;
    const { mean, inverse, std } = rowStatistics(x, o, n);
    stats[3 * r] = mean;
    stats[3 * r + 1] = inverse;
    stats[3 * r + 2] = std;
    for (let i = 0; i < n; i++) y[o + i] = gamma[i] * ((x[o + i] - mean) * inverse) + beta[i];
  }
}

/**
 * Gradients of layerNormInto for an upstream dy, from its row statistics. With g = γ·dy, x̂ = (x − mean)/d,
 * d = std + ε: ∂L/∂c_i = g_i/d − (Σ_j g_j x̂_j)/(std · n) · x̂_i (the second term through the std, absent where the
 * variance was floored) and dx = ∂L/∂c − mean(∂L/∂c) (through the mean); dγ = Σ_rows dy·x̂, dβ = Σ_rows dy.
 */
export function layerNormGradientInto(dx: Float32Array, dGamma: Float32Array, dBeta: Float32Array, dy: Float32Array, x: Float32Array, stats: Float32Array,
  n: number, gamma: Float32Array): void {
  const rows = dy.length / n;
  const sumGamma = new Float64Array(n);
  const sumBeta = new Float64Array(n);
  const xhat = new Float64Array(n);
  for (let r = 0; r < rows; r++) {
    const o = r * n;
    const mean = stats[3 * r], inverse = stats[3 * r + 1], std = stats[3 * r + 2];
    let gx = 0, g = 0, sx = 0;
    for (let i = 0; i < n; i++) {
      const h = (x[o + i] - mean) * inverse;
      const d = dy[o + i];
      const gd = gamma[i] * d;
      xhat[i] = h;
      sumGamma[i] += d * h;
      sumBeta[i] += d;
      gx += gd * h;
      g += gd;
      sx += h;
    }
    const throughStd = std > 0 ? gx / (std * n) : 0;
    // mean over the row of ∂L/∂c_i = γ_i dy_i/d − throughStd · x̂_i
    const meanDc = (g * inverse - throughStd * sx) / n;
    for (let i = 0; i < n; i++) dx[o + i] = gamma[i] * dy[o + i] * inverse - throughStd * xhat[i] - meanDc;
  }
  for (let i = 0; i < n; i++) { dGamma[i] = sumGamma[i]; dBeta[i] = sumBeta[i]; }
}

/** LeakyReLU: x where x > 0, α·x elsewhere (α rounded to float32 first, so the products are float32 products). */
export function leakyReluInto(y: Float32Array, x: Float32Array, alpha: number): void {
  const a = Math.fround(alpha);
  for (let i = 0; i < x.length; i++) { const v = x[i]; y[i] = v > 0 ? v : a * v; }
}

/**
 * LeakyReLU's gradient: dy where x > 0, α·dy elsewhere (tfjs's rule at 0). Without a branch: the sign of x is a
 * coin toss, and a mispredicted branch per element made this loop 4.5× slower. The factor is exactly 1 or α
 * (a + (1 − a) = 1 in float64 for a float32 a), so the product is the float32 product.
 */
export function leakyReluGradientInto(dx: Float32Array, x: Float32Array, dy: Float32Array, alpha: number): void {
  const a = Math.fround(alpha);
  const rest = 1 - a;
  for (let i = 0; i < dy.length; i++) dx[i] = dy[i] * (a + rest * +(x[i] > 0));
}

/** Max-pool 2/2 VALID over the middle axis of [batch, length, channels] (an odd last step dropped). */
export function pairMaxPoolInto(y: Float32Array, x: Float32Array, batch: number, length: number, channels: number): void {
  const half = Math.floor(length / 2);
  for (let b = 0; b < batch; b++) {
    for (let t = 0; t < half; t++) {
      const i0 = (b * length + 2 * t) * channels;
      const i1 = i0 + channels;
      const o = (b * half + t) * channels;
      for (let c = 0; c < channels; c++) { const a = x[i0 + c], v = x[i1 + c]; y[o + c] = v > a ? v : a; }
    }
  }
}

/**
 * The gradient of pairMaxPoolInto: each dy goes to the element that won its pair (the first of equal maxima), 0 to
 * the other and to an odd last step. Both elements are written through a 0/1 mask, without a branch (which
 * mispredicted half the time on real data: 4× slower).
 */
export function pairMaxPoolGradientInto(dx: Float32Array, x: Float32Array, dy: Float32Array, batch: number, length: number, channels: number): void {
  const half = Math.floor(length / 2);
  for (let b = 0; b < batch; b++) {
    for (let t = 0; t < half; t++) {
      const i0 = (b * length + 2 * t) * channels;
      const i1 = i0 + channels;
      const o = (b * half + t) * channels;
      for (let c = 0; c < channels; c++) {
        const second = +(x[i1 + c] > x[i0 + c]);
        const d = dy[o + c];
        dx[i1 + c] = second * d;
        dx[i0 + c] = (1 - second) * d;
      }
    }
    if (length > 2 * half) dx.fill(0, (b * length + 2 * half) * channels, (b + 1) * length * channels);
  }
}

/** Concatenation along the last axis: parts [rows, width_k] into y [rows, Σ widths]. */
export function concatLastAxisInto(y: Float32Array, parts: readonly Float32Array[], widths: readonly number[]): void {
  const total = widths.reduce((a, b) => a + b, 0);
  const rows = y.length / total;
  let offset = 0;
  parts.forEach((part, k) => {
    const w = widths[k];
    for (let r = 0; r < rows; r++) y.set(part.subarray(r * w, (r + 1) * w), r * total + offset);
    offset += w;
  });
}

/** Its gradient: dy [rows, Σ widths] split into parts [rows, width_k]. */
export function splitLastAxisInto(parts: readonly Float32Array[], dy: Float32Array, widths: readonly number[]): void {
  const total = widths.reduce((a, b) => a + b, 0);
  const rows = dy.length / total;
  let offset = 0;
  parts.forEach((part, k) => {
    const w = widths[k];
    for (let r = 0; r < rows; r++) {
      const from = r * total + offset;
      for (let i = 0; i < w; i++) part[r * w + i] = dy[from + i];
    }
    offset += w;
  });
}
