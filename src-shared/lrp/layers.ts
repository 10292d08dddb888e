// The layers LRP walks through, in float64, copied from a trained model's weights (spec §5.1.6: LRP is GaitLab's
// own, a pure function of (layers, input, target), independent of tfjs). Tensors are flat Float64Arrays in
// row-major order; a convolution's input and output are [height, width, depth] (NHWC without N), and its weight
// is [kh, kw, depth, filters] (tfjs/TensorFlow HWIO), so weights copy straight out of a tfjs model.

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

// Dense products run over a block of rows of W for every sample of the batch before moving on, so a block of W
// stays in cache while the whole batch uses it (W of mlp3-1024 is 8 MB: one sample at a time streams it all).
// Within one output the sum still runs over i in ascending order, so a batch gives the same bits as one sample.
function denseRowBlock(units: number): number {
  return Math.max(4, Math.floor(16384 / units));
}

/**
 * y = W·x (no bias) with weight array `w` laid out like the layer's own weight. `x` may hold a batch of B
 * samples back to back ([B][inputs]); y is then [B][outputs].
 */
export function affineForward(layer: AffineLayer, x: Float64Array, w: Float64Array): Float64Array {
  const inSize = layerInputSize(layer);
  const batch = batchOf(x.length, inSize, 'affine layer');
  const outSize = layerOutputSize(layer);
  const y = new Float64Array(batch * outSize);
  if (layer.kind === 'dense') {
    const { inputs, units } = layer;
    const block = denseRowBlock(units);
    for (let i0 = 0; i0 < inputs; i0 += block) {
      const i1 = Math.min(inputs, i0 + block);
      for (let b = 0; b < batch; b++) {
        const xo = b * inputs;
        const yo = b * units;
        let i = i0;
        // Four rows of W per sweep over y: a quarter of the loads and stores of y.
        for (; i + 4 <= i1; i += 4) {
          const x0 = x[xo + i], x1 = x[xo + i + 1], x2 = x[xo + i + 2], x3 = x[xo + i + 3];
          if (x0 === 0 && x1 === 0 && x2 === 0 && x3 === 0) continue;
          const r0 = i * units, r1 = r0 + units, r2 = r1 + units, r3 = r2 + units;
          for (let j = 0; j < units; j++) y[yo + j] += x0 * w[r0 + j] + x1 * w[r1 + j] + x2 * w[r2 + j] + x3 * w[r3 + j];
        }
        for (; i < i1; i++) {
          const xi = x[xo + i];
          if (xi === 0) continue;
          const row = i * units;
          for (let j = 0; j < units; j++) y[yo + j] += xi * w[row + j];
        }
      }
    }
    return y;
  }
  const [, width, depth] = layer.input;
  const [kh, kw] = layer.kernel;
  const [sh, sw] = layer.stride;
  const [ho, wo, f] = convOutputShape(layer);
  for (let b = 0; b < batch; b++) {
    const xo = b * inSize;
    const yo = b * outSize;
    for (let oy = 0; oy < ho; oy++) {
      for (let ox = 0; ox < wo; ox++) {
        const out = yo + (oy * wo + ox) * f;
        for (let ky = 0; ky < kh; ky++) {
          for (let kx = 0; kx < kw; kx++) {
            const inBase = xo + ((oy * sh + ky) * width + (ox * sw + kx)) * depth;
            const wBase = (ky * kw + kx) * depth * f;
            let d = 0;
            for (; d + 4 <= depth; d += 4) {
              const x0 = x[inBase + d], x1 = x[inBase + d + 1], x2 = x[inBase + d + 2], x3 = x[inBase + d + 3];
              if (x0 === 0 && x1 === 0 && x2 === 0 && x3 === 0) continue;
              const w0 = wBase + d * f, w1 = w0 + f, w2 = w1 + f, w3 = w2 + f;
              for (let k = 0; k < f; k++) y[out + k] += x0 * w[w0 + k] + x1 * w[w1 + k] + x2 * w[w2 + k] + x3 * w[w3 + k];
            }
            for (; d < depth; d++) {
              const xi = x[inBase + d];
              if (xi === 0) continue;
              const wRow = wBase + d * f;
              for (let k = 0; k < f; k++) y[out + k] += xi * w[wRow + k];
            }
          }
        }
      }
    }
  }
  return y;
}

/**
 * g = Wᵀ·s: the transposed map, which spreads each output's value over its inputs (overlapping windows add).
 * `s` may hold a batch ([B][outputs]); g is then [B][inputs].
 */
export function affineTranspose(layer: AffineLayer, s: Float64Array, w: Float64Array): Float64Array {
  const outSize = layerOutputSize(layer);
  const batch = batchOf(s.length, outSize, 'affine layer (transpose)');
  const inSize = layerInputSize(layer);
  const g = new Float64Array(batch * inSize);
  if (layer.kind === 'dense') {
    // With Wᵀ stored row by row, g = Wᵀ·s is the forward product's pattern: each non-zero s_j adds a row of Wᵀ,
    // so the one-hot top relevance costs one row and dead ReLUs (s_j = 0, about half) cost nothing.
    return affineForward(denseTransposed(layer, w), s, transposedWeight(w, layer.inputs, layer.units));
  }
  const [, width, depth] = layer.input;
  const [kh, kw] = layer.kernel;
  const [sh, sw] = layer.stride;
  const [ho, wo, f] = convOutputShape(layer);
  for (let b = 0; b < batch; b++) {
    const go = b * inSize;
    const so = b * outSize;
    for (let oy = 0; oy < ho; oy++) {
      for (let ox = 0; ox < wo; ox++) {
        const out = so + (oy * wo + ox) * f;
        let any = false;
        for (let k = 0; k < f && !any; k++) any = s[out + k] !== 0;
        if (!any) continue;
        for (let ky = 0; ky < kh; ky++) {
          for (let kx = 0; kx < kw; kx++) {
            const inBase = go + ((oy * sh + ky) * width + (ox * sw + kx)) * depth;
            const wBase = (ky * kw + kx) * depth * f;
            for (let d = 0; d < depth; d++) {
              const wRow = wBase + d * f;
              let acc = 0;
              for (let k = 0; k < f; k++) acc += w[wRow + k] * s[out + k];
              g[inBase + d] += acc;
            }
          }
        }
      }
    }
  }
  return g;
}

const transposedCache = new WeakMap<Float64Array, Float64Array>();

/** Wᵀ ([units][inputs]) of a dense weight ([inputs][units]), computed once per weight array. */
function transposedWeight(w: Float64Array, inputs: number, units: number): Float64Array {
  let t = transposedCache.get(w);
  if (!t) {
    t = new Float64Array(w.length);
    for (let i = 0; i < inputs; i++) for (let j = 0; j < units; j++) t[j * inputs + i] = w[i * units + j];
    transposedCache.set(w, t);
  }
  return t;
}

/** The dense layer that Wᵀ is the weight of: units → inputs. */
function denseTransposed(layer: DenseLayer, w: Float64Array): DenseLayer {
  return { kind: 'dense', inputs: layer.units, units: layer.inputs, weight: w, bias: layer.bias };
}

/** z = W·x + b: the layer's pre-activation. */
export function affineOutput(layer: AffineLayer, x: Float64Array): Float64Array {
  const z = affineForward(layer, x, layer.weight);
  const per = layer.bias.length;
  for (let j = 0; j < z.length; j++) z[j] += layer.bias[j % per];
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

/**
 * Runs the model on one input or a batch of them back to back ([B][inputSize]); returns the input of every
 * layer followed by the final output (the logits, [B][K]).
 */
export function forwardActivations(model: LrpModel, input: Float64Array): Float64Array[] {
  batchOf(input.length, model.inputSize, 'model input');
  const activations: Float64Array[] = [input];
  let x = input;
  for (const layer of model.layers) {
    switch (layer.kind) {
      case 'dense':
      case 'conv2d': x = affineOutput(layer, x); break;
      case 'relu': x = x.map((v) => (v > 0 ? v : 0)); break;
      case 'flatten': break;
      case 'channelsToTime': x = channelsToTime(x, layer.channels, layer.samples); break;
    }
    activations.push(x);
  }
  return activations;
}
