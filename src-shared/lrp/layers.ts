// The layers LRP walks through, in float64, copied from a trained model's weights (spec §5.1.6: LRP is GaitLab's
// own, a pure function of (layers, input, target), independent of tfjs). Tensors are flat Float64Arrays in
// row-major order; a convolution's input and output are [height, width, depth] (NHWC without N), and its weight
// is [kh, kw, depth, filters] (tfjs/TensorFlow HWIO), so weights copy straight out of a tfjs model.
import { activeHeap, type RowFiller } from './gemm';

export interface DenseLayer {
  readonly kind: 'dense';
  readonly inputs: number;
  readonly units: number;
  /** [inputs][units]: w[i * units + j]. */
  readonly weight: Float64Array;
  readonly bias: Float64Array;
}

export interface Conv2dLayer {
  readonly kind: 'conv2d';
  /** [height, width, depth] of the input. */
  readonly input: readonly [number, number, number];
  /** [kh, kw]. */
  readonly kernel: readonly [number, number];
  readonly stride: readonly [number, number];
  readonly filters: number;
  /** [kh][kw][depth][filters]. */
  readonly weight: Float64Array;
  readonly bias: Float64Array;
}

export interface ReluLayer { readonly kind: 'relu' }
/** A reshape: the flat array is unchanged, so relevance passes through as is. */
export interface FlattenLayer { readonly kind: 'flatten' }
/**
 * Channel-major trial vector (i = c·T + t, how GaitLab stores a trial, §5.1.2) to the time-major [T, C, 1] image
 * a CNN takes. Relevance goes back through the inverse permutation, so maps are always channel-major.
 */
export interface ChannelsToTimeLayer { readonly kind: 'channelsToTime'; readonly channels: number; readonly samples: number }

export type Layer = DenseLayer | Conv2dLayer | ReluLayer | FlattenLayer | ChannelsToTimeLayer;
export type AffineLayer = DenseLayer | Conv2dLayer;

export interface LrpModel {
  readonly inputSize: number;
  readonly layers: readonly Layer[];
}

export function isAffine(layer: Layer): layer is AffineLayer {
  return layer.kind === 'dense' || layer.kind === 'conv2d';
}

/** Output [height, width, filters] of a valid (unpadded) convolution: (L − k)/s + 1 per axis, rounded down. */
export function convOutputShape(layer: Conv2dLayer): [number, number, number] {
  const [h, w] = layer.input;
  const [kh, kw] = layer.kernel;
  const [sh, sw] = layer.stride;
  return [Math.floor((h - kh) / sh) + 1, Math.floor((w - kw) / sw) + 1, layer.filters];
}

export function layerInputSize(layer: AffineLayer): number {
  return layer.kind === 'dense' ? layer.inputs : layer.input[0] * layer.input[1] * layer.input[2];
}

export function layerOutputSize(layer: AffineLayer): number {
  if (layer.kind === 'dense') return layer.units;
  const [ho, wo, f] = convOutputShape(layer);
  return ho * wo * f;
}

export function parameterCount(layer: Layer): number {
  return isAffine(layer) ? layer.weight.length + layer.bias.length : 0;
}

/** Checks that each layer takes what the one before gives; returns the size of every layer's output. */
export function checkModel(model: LrpModel): number[] {
  const sizes: number[] = [];
  let size = model.inputSize;
  model.layers.forEach((layer, index) => {
    const where = `layer ${index} (${layer.kind})`;
    if (layer.kind === 'dense' || layer.kind === 'conv2d') {
      const inSize = layerInputSize(layer);
      if (inSize !== size) throw new RangeError(`${where}: takes ${inSize} values, the layer before gives ${size}`);
      const wantWeight = layer.kind === 'dense'
        ? layer.inputs * layer.units
        : layer.kernel[0] * layer.kernel[1] * layer.input[2] * layer.filters;
      const wantBias = layer.kind === 'dense' ? layer.units : layer.filters;
      if (layer.weight.length !== wantWeight) throw new RangeError(`${where}: weight has ${layer.weight.length} values, expected ${wantWeight}`);
      if (layer.bias.length !== wantBias) throw new RangeError(`${where}: bias has ${layer.bias.length} values, expected ${wantBias}`);
      if (layer.kind === 'conv2d') {
        const [ho, wo] = convOutputShape(layer);
        if (ho < 1 || wo < 1) throw new RangeError(`${where}: kernel ${layer.kernel.join('×')} larger than input ${layer.input.join('×')}`);
      }
      size = layerOutputSize(layer);
    } else if (layer.kind === 'channelsToTime') {
      if (layer.channels * layer.samples !== size) throw new RangeError(`${where}: ${layer.channels}×${layer.samples} ≠ ${size} values`);
    }
    sizes.push(size);
  });
  return sizes;
}

/** How many samples a flat block holds for a layer that takes `inputSize` values each (a whole number). */
export function batchOf(length: number, inputSize: number, what: string): number {
  const batch = length / inputSize;
  if (!Number.isInteger(batch)) throw new RangeError(`${what}: ${length} values are not whole samples of ${inputSize}`);
  return batch;
}

// Both products are matrix products on the float64 GEMM of gemm.ts: a dense layer's batch is A ([B][inputs]),
// a convolution's is its im2col matrix (one row per output position, the window's kh·kw·depth values in weight
// order), so a convolution's weight [kh][kw][depth][filters] is B as it lies.

/** Row m of a row-major [rows][width] matrix starts at m·width: A as a one-run "window" per row. */
function rowStarts(rows: number, width: number): Int32Array {
  const starts = new Int32Array(rows);
  for (let m = 0; m < rows; m++) starts[m] = m * width;
  return starts;
}

/** Where each output position's window starts in x (or g), for a batch: one row of A each. */
function windowStarts(layer: Conv2dLayer, batch: number): Int32Array {
  const [, width, depth] = layer.input;
  const [sh, sw] = layer.stride;
  const [ho, wo] = convOutputShape(layer);
  const inSize = layerInputSize(layer);
  const starts = new Int32Array(batch * ho * wo);
  let m = 0;
  for (let b = 0; b < batch; b++) for (let oy = 0; oy < ho; oy++) for (let ox = 0; ox < wo; ox++) starts[m++] = b * inSize + (oy * sh * width + ox * sw) * depth;
  return starts;
}

/** Rows of A: batch × output positions (1 for dense). */
function positions(layer: AffineLayer): number {
  if (layer.kind === 'dense') return 1;
  const [ho, wo] = convOutputShape(layer);
  return ho * wo;
}

/** Length of one row of A: the window size (dense: all inputs). */
function windowSize(layer: AffineLayer): number {
  return layer.kind === 'dense' ? layer.inputs : layer.kernel[0] * layer.kernel[1] * layer.input[2];
}

/** Output width per position: units or filters. */
function outputWidth(layer: AffineLayer): number {
  return layer.kind === 'dense' ? layer.units : layer.filters;
}

/** Values a block of this many doubles per pass keeps (about 4 MB: the L2 and L3 share of one core). */
const BLOCK_VALUES = 1 << 19;

/**
 * How many samples to run through the model at a time: enough that every product has many rows, few enough
 * that the largest per-layer array (a convolution's im2col matrix, doubled for αβ's inputs of both signs) stays
 * in cache instead of passing through memory layer after layer.
 */
export function samplesPerBlock(model: LrpModel): number {
  let largest = model.inputSize;
  for (const layer of model.layers) {
    if (isAffine(layer)) largest = Math.max(largest, 2 * positions(layer) * windowSize(layer), 2 * layerOutputSize(layer));
  }
  return Math.max(1, Math.floor(BLOCK_VALUES / largest));
}

/**
 * y = W·x (no bias) with weight array `w` laid out like the layer's own weight. `x` may hold a batch of B
 * samples back to back ([B][inputs]); y is then [B][outputs].
 */
export function affineForward(layer: AffineLayer, x: Float64Array, w: Float64Array): Float64Array {
  const batch = batchOf(x.length, layerInputSize(layer), 'affine layer');
  const K = windowSize(layer);
  const N = outputWidth(layer);
  const heap = activeHeap();
  const b = heap.residentB(w, 'w', K, N, (k, n) => w[k * N + n]);
  if (layer.kind === 'conv2d') {
    const [, width, depth] = layer.input;
    return heap.multiplyWindows(x, windowStarts(layer, batch), layer.kernel[0], layer.kernel[1] * depth, width * depth, K, N, b);
  }
  return heap.multiplyWindows(x, rowStarts(batch, K), 1, K, 0, K, N, b);
}

const transposedCache = new WeakMap<Float64Array, Float64Array>();

/** Wᵀ ([N][K]) of a weight [K][N], made once per weight array: the sparse rows read it along k. */
function transposed(w: Float64Array, K: number, N: number): Float64Array {
  let t = transposedCache.get(w);
  if (!t) {
    t = new Float64Array(w.length);
    for (let k = 0; k < K; k++) for (let n = 0; n < N; n++) t[n * K + k] = w[k * N + n];
    transposedCache.set(w, t);
  }
  return t;
}

/** Rows with at most this share of non-zero values go by their non-zeros alone (the one-hot top relevance). */
const SPARSE_ROW_SHARE = 1 / 16;

/**
 * g = Wᵀ·s: the transposed map, which spreads each output's value over its inputs (overlapping windows add).
 * `s` may hold a batch ([B][outputs]); g is then [B][inputs].
 */
export function affineTranspose(layer: AffineLayer, s: Float64Array, w: Float64Array): Float64Array {
  const outSize = layerOutputSize(layer);
  const batch = batchOf(s.length, outSize, 'affine layer (transpose)');
  const K = windowSize(layer);
  const N = outputWidth(layer);
  const rows = batch * positions(layer);
  if (rows === 0) return new Float64Array(0);
  const heap = activeHeap();
  const bT = heap.residentB(w, 'wT', N, K, (n, k) => w[k * N + n]);
  const fromS: RowFiller = (m, h, index, stride) => { const o = m * N; for (let n = 0; n < N; n++) h[index + n * stride] = s[o + n]; };
  if (layer.kind === 'conv2d') {
    // cols[m][k] = Σ_n s[m][n] w[k][n], each window's share, added back over the windows (col2im) on the heap.
    const { offset, ldc } = heap.windowsOnHeap(s, rowStarts(rows, N), 1, N, 0, N, K, bT);
    const [, width, depth] = layer.input;
    return heap.scatterWindows(offset, ldc, windowStarts(layer, batch), layer.kernel[0], layer.kernel[1] * depth, width * depth, batch * layerInputSize(layer));
  }
  // Rows with few non-zeros (the one-hot top relevance) go by their non-zeros alone: the same sum in the same
  // order, the zero terms left out (they change no bit of it), so the choice is free to depend on the batch.
  const most = SPARSE_ROW_SHARE * N;
  const sparse: number[] = [];
  const dense: number[] = [];
  for (let m = 0; m < rows; m++) {
    let nonZero = 0;
    for (let n = m * N; n < (m + 1) * N && nonZero <= most; n++) if (s[n] !== 0) nonZero++;
    (nonZero <= most ? sparse : dense).push(m);
  }
  if (sparse.length * 4 < rows) return heap.multiplyWindows(s, rowStarts(rows, N), 1, N, 0, N, K, bT);
  const g = new Float64Array(rows * K);
  const wT = transposed(w, K, N);
  for (const m of sparse) {
    for (let n = 0; n < N; n++) {
      const v = s[m * N + n];
      if (v === 0) continue;
      for (let k = 0; k < K; k++) g[m * K + k] += v * wT[n * K + k];
    }
  }
  if (dense.length > 0) {
    const got = heap.multiply(dense.length, N, K, bT, (i, h, index, stride) => fromS(dense[i], h, index, stride));
    dense.forEach((m, i) => g.set(got.subarray(i * K, (i + 1) * K), m * K));
  }
  return g;
}

/** z = W·x + b: the layer's pre-activation. */
export function affineOutput(layer: AffineLayer, x: Float64Array): Float64Array {
  const z = affineForward(layer, x, layer.weight);
  const bias = layer.bias;
  const per = bias.length;
  for (let o = 0; o < z.length; o += per) for (let j = 0; j < per; j++) z[o + j] += bias[j];
  return z;
}

/** Channel-major [C][T] → time-major [T][C], for each sample of a batch ([B][C·T]). */
export function channelsToTime(x: Float64Array, channels: number, samples: number): Float64Array {
  const y = new Float64Array(x.length);
  const size = channels * samples;
  for (let o = 0; o < x.length; o += size) {
    for (let c = 0; c < channels; c++) for (let t = 0; t < samples; t++) y[o + t * channels + c] = x[o + c * samples + t];
  }
  return y;
}

/** Time-major [T][C] → channel-major [C][T] (the inverse of channelsToTime), for each sample of a batch. */
export function timeToChannels(y: Float64Array, channels: number, samples: number): Float64Array {
  const x = new Float64Array(y.length);
  const size = channels * samples;
  for (let o = 0; o < y.length; o += size) {
    for (let c = 0; c < channels; c++) for (let t = 0; t < samples; t++) x[o + c * samples + t] = y[o + t * channels + c];
  }
  return x;
}

/** A layer without weights on a batch: ReLU, flatten (a reshape: the same array), the channel transpose. */
export function applyLayer(layer: ReluLayer | FlattenLayer | ChannelsToTimeLayer, x: Float64Array): Float64Array {
  switch (layer.kind) {
    case 'relu': return relu(x);
    case 'flatten': return x;
    case 'channelsToTime': return channelsToTime(x, layer.channels, layer.samples);
  }
}

function relu(x: Float64Array): Float64Array {
  const y = new Float64Array(x.length);
  // A 0/1 mask instead of a branch: half the signs are random, and a mispredicted branch costs more than the
  // multiply (+ 0 turns the −0 of a negative input into the +0 a ReLU gives).
  for (let i = 0; i < x.length; i++) { const v = x[i]; y[i] = v * +(v > 0) + 0; }
  return y;
}

/**
 * Runs the model on one input or a batch of them back to back ([B][inputSize]); returns the input of every
 * layer followed by the final output (the logits, [B][K]).
 */
export function forwardActivations(model: LrpModel, input: Float64Array): Float64Array[] {
  batchOf(input.length, model.inputSize, 'model input');
  const activations: Float64Array[] = [input];
  let x = input;
  for (const layer of model.layers) {
    x = isAffine(layer) ? affineOutput(layer, x) : applyLayer(layer, x);
    activations.push(x);
  }
  return activations;
}
