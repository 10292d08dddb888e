// Batch normalisation in training mode (Keras / tfjs-layers semantics: batch mean and biased variance over every
// axis but the last, y = γ (x − mean)/√(variance + ε) + β) and its gradient, as pure loops on row-major
// Float32Arrays [rows, channels] that write into arrays they are given. tfjs's own gradient of batchNorm tiles
// 1/√(variance + ε) to the input's whole shape, which tfjs-backend-wasm 4.22 does slowly (a tenth of a SincPD step).

/** Per channel: batch mean and biased variance (float64 sums), written into mean and variance. */
function channelMoments(x: Float32Array, channels: number, mean: Float64Array, variance: Float64Array): void {
  const rows = x.length / channels;
  mean.fill(0);
  variance.fill(0);
  for (let r = 0; r < rows; r++) {
    const o = r * channels;
    for (let c = 0; c < channels; c++) mean[c] += x[o + c];
  }
  for (let c = 0; c < channels; c++) mean[c] /= rows;
  // Two passes (the squares about the mean), as tf.moments: no cancellation when |mean| ≫ std.
  for (let r = 0; r < rows; r++) {
    const o = r * channels;
    for (let c = 0; c < channels; c++) { const d = x[o + c] - mean[c]; variance[c] += d * d; }
  }
  for (let c = 0; c < channels; c++) variance[c] /= rows;
}

/** Training-mode batch norm: y, and the batch mean and variance (for the moving averages). */
export function batchNormTrainingInto(y: Float32Array, meanOut: Float32Array, varianceOut: Float32Array, x: Float32Array, channels: number,
  gamma: Float32Array, beta: Float32Array, epsilon: number): void {
  const mean = new Float64Array(channels), variance = new Float64Array(channels);
  channelMoments(x, channels, mean, variance);
  const scale = new Float64Array(channels);
  for (let c = 0; c < channels; c++) {
    scale[c] = gamma[c] / Math.sqrt(variance[c] + epsilon);
    meanOut[c] = mean[c];
    varianceOut[c] = variance[c];
  }
  const rows = x.length / channels;
  for (let r = 0; r < rows; r++) {
    const o = r * channels;
    for (let c = 0; c < channels; c++) y[o + c] = (x[o + c] - mean[c]) * scale[c] + beta[c];
  }
}

/**
 * Its gradient through the batch statistics (N rows, x̂ = (x − mean)/√(variance + ε)):
 * dx = γ/√(variance + ε) · (dy − mean(dy) − x̂ · mean(dy · x̂)), dγ = Σ dy · x̂, dβ = Σ dy.
 */
export function batchNormTrainingGradientInto(dx: Float32Array, dGamma: Float32Array, dBeta: Float32Array, dy: Float32Array, x: Float32Array,
  channels: number, gamma: Float32Array, epsilon: number): void {
  const mean = new Float64Array(channels), variance = new Float64Array(channels);
  channelMoments(x, channels, mean, variance);
  const inverse = new Float64Array(channels);
  for (let c = 0; c < channels; c++) inverse[c] = 1 / Math.sqrt(variance[c] + epsilon);
  const sumDy = new Float64Array(channels), sumDyXhat = new Float64Array(channels);
  const rows = x.length / channels;
  for (let r = 0; r < rows; r++) {
    const o = r * channels;
    for (let c = 0; c < channels; c++) {
      const d = dy[o + c];
      sumDy[c] += d;
      sumDyXhat[c] += d * (x[o + c] - mean[c]) * inverse[c];
    }
  }
  const meanDy = new Float64Array(channels), meanDyXhat = new Float64Array(channels), scale = new Float64Array(channels);
  for (let c = 0; c < channels; c++) {
    meanDy[c] = sumDy[c] / rows;
    meanDyXhat[c] = sumDyXhat[c] / rows;
    scale[c] = gamma[c] * inverse[c];
    dGamma[c] = sumDyXhat[c];
    dBeta[c] = sumDy[c];
  }
  for (let r = 0; r < rows; r++) {
    const o = r * channels;
    for (let c = 0; c < channels; c++) {
      const xhat = (x[o + c] - mean[c]) * inverse[c];
      dx[o + c] = scale[c] * (dy[o + c] - meanDy[c] - xhat * meanDyXhat[c]);
    }
  }
}
