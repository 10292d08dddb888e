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

/** y = W·x (no bias) with weight array `w` laid out like the layer's own weight. */
export function affineForward(layer: AffineLayer, x: Float64Array, w: Float64Array): Float64Array {
  if (layer.kind === 'dense') {
    const { inputs, units } = layer;
    const y = new Float64Array(units);
    for (let i = 0; i < inputs; i++) {
      const xi = x[i];
      if (xi === 0) continue;
      const row = i * units;
      for (let j = 0; j < units; j++) y[j] += xi * w[row + j];
    }
    return y;
  }
  const [, width, depth] = layer.input;
  const [kh, kw] = layer.kernel;
  const [sh, sw] = layer.stride;
  const [ho, wo, f] = convOutputShape(layer);
  const y = new Float64Array(ho * wo * f);
  for (let oy = 0; oy < ho; oy++) {
    for (let ox = 0; ox < wo; ox++) {
      const out = (oy * wo + ox) * f;
      for (let ky = 0; ky < kh; ky++) {
        for (let kx = 0; kx < kw; kx++) {
          const inBase = ((oy * sh + ky) * width + (ox * sw + kx)) * depth;
          const wBase = (ky * kw + kx) * depth * f;
          for (let d = 0; d < depth; d++) {
            const xi = x[inBase + d];
            if (xi === 0) continue;
            const wRow = wBase + d * f;
            for (let k = 0; k < f; k++) y[out + k] += xi * w[wRow + k];
          }
        }
      }
    }
  }
  return y;
}

/** g = Wᵀ·s: the transposed map, which spreads each output's value over its inputs (overlapping windows add). */
export function affineTranspose(layer: AffineLayer, s: Float64Array, w: Float64Array): Float64Array {
  if (layer.kind === 'dense') {
    const { inputs, units } = layer;
    const g = new Float64Array(inputs);
    // LRP's top relevance is one-hot and dead ReLUs carry none: visit only the outputs that hold some.
    const live: number[] = [];
    for (let j = 0; j < units; j++) if (s[j] !== 0) live.push(j);
    if (live.length * 2 < units) {
      for (let i = 0; i < inputs; i++) {
        const row = i * units;
        let acc = 0;
        for (const j of live) acc += w[row + j] * s[j];
        g[i] = acc;
      }
      return g;
    }
    for (let i = 0; i < inputs; i++) {
      const row = i * units;
      let acc = 0;
      for (let j = 0; j < units; j++) acc += w[row + j] * s[j];
      g[i] = acc;
    }
    return g;
  }
  const [h, width, depth] = layer.input;
  const [kh, kw] = layer.kernel;
  const [sh, sw] = layer.stride;
  const [ho, wo, f] = convOutputShape(layer);
  const g = new Float64Array(h * width * depth);
  for (let oy = 0; oy < ho; oy++) {
    for (let ox = 0; ox < wo; ox++) {
      const out = (oy * wo + ox) * f;
      let any = false;
      for (let k = 0; k < f && !any; k++) any = s[out + k] !== 0;
      if (!any) continue;
      for (let ky = 0; ky < kh; ky++) {
        for (let kx = 0; kx < kw; kx++) {
          const inBase = ((oy * sh + ky) * width + (ox * sw + kx)) * depth;
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
  return g;
}

/** z = W·x + b: the layer's pre-activation. */
export function affineOutput(layer: AffineLayer, x: Float64Array): Float64Array {
  const z = affineForward(layer, x, layer.weight);
  const per = layer.bias.length;
  for (let j = 0; j < z.length; j++) z[j] += layer.bias[j % per];
  return z;
}

/** Channel-major [C][T] → time-major [T][C]. */
export function channelsToTime(x: Float64Array, channels: number, samples: number): Float64Array {
  const y = new Float64Array(x.length);
  for (let c = 0; c < channels; c++) for (let t = 0; t < samples; t++) y[t * channels + c] = x[c * samples + t];
  return y;
}

/** Time-major [T][C] → channel-major [C][T] (the inverse of channelsToTime). */
export function timeToChannels(y: Float64Array, channels: number, samples: number): Float64Array {
  const x = new Float64Array(y.length);
  for (let c = 0; c < channels; c++) for (let t = 0; t < samples; t++) x[c * samples + t] = y[t * channels + c];
  return x;
}

/** Runs the model; returns the input of every layer followed by the final output (the logits). */
export function forwardActivations(model: LrpModel, input: Float64Array): Float64Array[] {
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
