// SincPD's SincConv1D in tfjs (methods-spec §3.3, §5.3.2): a learnable low cut-off and band per filter.
//
// SincConv1D builds its filter bank once per call from the two weight vectors with tf ops (so the gradients reach
// the band parameters), and applies it to the whole batch as one matrix product over the strided windows of the
// input (built in JS since the segments are data). Every filter is u[n]·w[n], u even in n (u[−n] = u[n], the
// difference of two sincs) and w the fixed window: so the window goes into the data, and the two halves of each
// window are added before the product, y = F · U with F [B·T', M + 1] the folded windows and U [M + 1, N] the half
// bank (centre and side taps). Half the multiply-adds of the [B·T', L] · [L, N] product, forward and for the
// gradient Fᵀ · dy alike; on wasm both run on GaitLab's matrix-product kernels.
import * as tf from '@tensorflow/tfjs';
import { samePadding } from '../../../src-shared/methods/sincpd/front-end-numerics';
import { DEFAULT_GEOMETRY, gaitConstants, initialWeights, PAPER_MIN_BAND_HZ, PAPER_MIN_LOW_HZ, type SincGeometry, type SincProfile } from '../../../src-shared/methods/sincpd/sinc-filters';

import { sincFoldedWindows } from './front-end-ops';

export { samePadding };

type LayerArgs = NonNullable<ConstructorParameters<typeof tf.layers.Layer>[0]>;

/** The window of a profile (§3.3.2): periodic Hamming for sincpd-2024 (as published), symmetric for sincnet-gait. */
export function sincWindow(profile: SincProfile, L: number): Float32Array {
  const period = profile === 'sincpd-2024' ? L : L - 1;
  return Float32Array.from({ length: L }, (_, j) => 0.54 - 0.46 * Math.cos((2 * Math.PI * j) / period));
}

/**
 * The unwindowed taps of each filter, u[0] (centre) and u[n] = u[−n] for n = 1..M, as a [N, M + 1] tensor from
 * weights w1, w2 of shape [N, 1]: the formulas of src-shared/methods/sincpd/sinc-filters.ts (sincTaps) in tf ops.
 */
function sincHalfTaps(profile: SincProfile, w1: tf.Tensor, w2: tf.Tensor, g: SincGeometry): tf.Tensor2D {
  const M = (g.kernelLength - 1) / 2;
  const k = tf.tensor2d(Float32Array.from({ length: M + 1 }, (_, i) => i), [1, M + 1]); // 0..M
  // 1/(π n) for n ≥ 1 and 0 at n = 0, and the indicator of n = 0: no division by zero anywhere (no NaN can leak
  // into a gradient), and no concatenation of centre and sides (whose gradient, a SplitV, is slow on wasm).
  const inversePiK = tf.tensor2d(Float32Array.from({ length: M + 1 }, (_, i) => (i === 0 ? 0 : 1 / (Math.PI * i))), [1, M + 1]);
  const atCentre = tf.tensor2d(Float32Array.from({ length: M + 1 }, (_, i) => (i === 0 ? 1 : 0)), [1, M + 1]);
  let f1: tf.Tensor, f2: tf.Tensor; // normalised by fs, [N, 1]
  if (profile === 'sincpd-2024') {
    f1 = tf.add(tf.abs(w1), PAPER_MIN_LOW_HZ / g.fs);
    f2 = tf.add(tf.add(f1, tf.abs(w2)), PAPER_MIN_BAND_HZ / g.fs);
  } else {
    const { margin, bMin, fTop } = gaitConstants(g);
    const hz1 = tf.add(margin, tf.mul(fTop - margin - bMin, tf.sigmoid(w1)));
    const hz2 = tf.add(tf.add(hz1, bMin), tf.mul(tf.sub(fTop - bMin, hz1), tf.sigmoid(w2)));
    f1 = tf.div(hz1, g.fs);
    f2 = tf.div(hz2, g.fs);
  }
  // Side taps n = 1..M: [sin(2π f2 n) − sin(2π f1 n)] / (π n); centre 2(f2 − f1).
  const twoPiK = tf.mul(k, 2 * Math.PI);
  const side = tf.mul(tf.sub(tf.sin(tf.mul(f2, twoPiK)), tf.sin(tf.mul(f1, twoPiK))), inversePiK); // [N, M + 1], 0 at n = 0
  const u = tf.add(side, tf.mul(tf.mul(tf.sub(f2, f1), 2), atCentre)) as tf.Tensor2D; // [N, M + 1]
  // sincpd-2024 divides by the largest tap, not the largest magnitude, as published (the side taps appear twice
  // in the full filter, which changes neither the maximum nor its gradient: |side| ≤ 2(f2 − f1) = the centre).
  return profile === 'sincpd-2024' ? tf.div(u, tf.max(u, 1, true)) : u;
}

/**
 * The filter bank as a [L, N] tensor (column i = taps of filter i, j = 0..L−1), from weights w1, w2 of shape
 * [N, 1]. The same formulas as src-shared/methods/sincpd/sinc-filters.ts (sincTaps), written with tf ops.
 */
export function sincKernel(profile: SincProfile, w1: tf.Tensor, w2: tf.Tensor, g: SincGeometry = DEFAULT_GEOMETRY): tf.Tensor2D {
  return tf.tidy(() => {
    const L = g.kernelLength;
    const M = (L - 1) / 2;
    const u = sincHalfTaps(profile, w1, w2, g);
    const [centre, side] = tf.split(u, [1, M], 1);
    const full = tf.concat([tf.reverse(side, 1), centre, side], 1); // [N, L], index j = n + M
    return tf.transpose(tf.mul(full, tf.tensor2d(sincWindow(profile, L), [1, L]))) as tf.Tensor2D;
  });
}

/**
 * The half bank [M + 1, N] that multiplies folded windows (sincFoldedWindows): row 0 the centre taps u[0], row n the
 * side taps u[n] = u[−n], all unwindowed (the window is in the folded data).
 */
export function sincHalfKernel(profile: SincProfile, w1: tf.Tensor, w2: tf.Tensor, g: SincGeometry = DEFAULT_GEOMETRY): tf.Tensor2D {
  return tf.tidy(() => tf.transpose(sincHalfTaps(profile, w1, w2, g)) as tf.Tensor2D);
}

/**
 * The strided windows of rows of a signal, [rows·out, L] row-major, zero outside (SAME padding): window t of row r
 * holds x[r, t·stride − left + j], j = 0..L−1. Plain JS on the input's values: the segments are data, so the
 * windows need no gradient and are built off the tape, once per batch.
 */
export function stridedWindows(x: ArrayLike<number>, rows: number, rowStride: number, rowOffset: number, length: number, L: number, stride: number): Float32Array {
  const { out, left } = samePadding(length, L, stride);
  const w = new Float32Array(rows * out * L);
  for (let r = 0; r < rows; r++) {
    const base = r * rowStride + rowOffset;
    for (let t = 0; t < out; t++) {
      const start = t * stride - left;
      const j0 = Math.max(0, -start), j1 = Math.min(L, length - start);
      const o = (r * out + t) * L;
      for (let j = j0; j < j1; j++) w[o + j] = x[base + start + j];
    }
  }
  return w;
}

/**
 * y[b, t, i] = Σ_j kernel[j, i] · x[b, t·stride + j − left] (cross-correlation, SAME), as one matrix product
 * [B·T', L] · [L, N] whose gradient w.r.t. the filter bank is windowsᵀ · dy (GaitLab's product kernels on wasm).
 * The reference formulation: the layer itself multiplies folded windows by the half bank (sincFoldedWindows,
 * sincHalfKernel), the same sums with half the multiply-adds.
 * No gradient flows to x. (Measured on wasm, batch 32, 8 × 100 filters: im2col by tf.gather cost 0.85 s of a step,
 * tf.conv1d with one input channel and its filter gradient about 1.4 s; see bench:sincpd.)
 */
export function sincConvolve(x: tf.Tensor2D, kernel: tf.Tensor2D, stride: number): tf.Tensor3D {
  const [batch, length] = x.shape;
  return sincConvolveWindows(stridedWindows(x.dataSync(), batch, length, 0, length, kernel.shape[0], stride), batch, kernel);
}

/** The product of precomputed windows (stridedWindows) with the [L, N] filter bank: [B, T', N]. */
export function sincConvolveWindows(windows: Float32Array, batch: number, kernel: tf.Tensor2D): tf.Tensor3D {
  return tf.tidy(() => {
    const [L, n] = kernel.shape;
    const out = windows.length / (batch * L);
    return tf.reshape(tf.matMul(tf.tensor2d(windows, [batch * out, L]), kernel), [batch, out, n]) as tf.Tensor3D;
  });
}

export interface SincConv1DArgs extends LayerArgs {
  /** Which sensor row (0-based) of the [B, sensors, T] input this layer filters: one layer per sensor. */
  sensor: number;
  filters: number;
  profile: SincProfile;
  fs?: number;
  kernelLength?: number;
  stride?: number;
  /** Initial weights (length = filters); default the profile's initialisation. Pruned layers start at centroids. */
  initialW1?: number[];
  initialW2?: number[];
}

/** The weight names of each profile: the published layer's, and ours. */
export function sincWeightNames(profile: SincProfile): [string, string] {
  return profile === 'sincpd-2024' ? ['filt_b1', 'filt_band'] : ['theta_lo', 'theta_bw'];
}

export class SincConv1D extends tf.layers.Layer {
  static readonly className = 'SincConv1D';
  readonly sensor: number;
  readonly filters: number;
  readonly profile: SincProfile;
  readonly geometry: SincGeometry;
  readonly stride: number;
  private readonly window: Float32Array;
  private readonly initialW1: number[];
  private readonly initialW2: number[];
  private w1: tf.LayerVariable | null = null;
  private w2: tf.LayerVariable | null = null;

  constructor(args: SincConv1DArgs) {
    super(args);
    const { sensor, filters, profile, fs = DEFAULT_GEOMETRY.fs, kernelLength = DEFAULT_GEOMETRY.kernelLength, stride = 5 } = args;
    if (!Number.isInteger(filters) || filters < 1) throw new Error(`SincConv1D: filters must be a positive integer, got ${filters}`);
    if (!Number.isInteger(kernelLength) || kernelLength < 3 || kernelLength % 2 === 0) throw new Error(`SincConv1D: kernelLength must be odd and ≥ 3, got ${kernelLength}`);
    if (profile !== 'sincpd-2024' && profile !== 'sincnet-gait') throw new Error(`SincConv1D: unknown profile "${String(profile)}"`);
    this.sensor = sensor;
    this.filters = filters;
    this.profile = profile;
    this.geometry = { fs, kernelLength };
    this.stride = stride;
    this.window = sincWindow(profile, kernelLength);
    const init = initialWeights(profile, filters, this.geometry);
    this.initialW1 = args.initialW1 ?? Array.from(init.w1);
    this.initialW2 = args.initialW2 ?? Array.from(init.w2);
    if (this.initialW1.length !== filters || this.initialW2.length !== filters) {
      throw new Error(`SincConv1D: ${filters} filters but ${this.initialW1.length}/${this.initialW2.length} initial weights`);
    }
  }

  override build(): void {
    const [n1, n2] = sincWeightNames(this.profile);
    const constant = (v: number[]) => ({ apply: () => tf.tensor2d(Float32Array.from(v), [this.filters, 1]) }) as unknown as ReturnType<typeof tf.initializers.zeros>;
    this.w1 = this.addWeight(n1, [this.filters, 1], 'float32', constant(this.initialW1));
    this.w2 = this.addWeight(n2, [this.filters, 1], 'float32', constant(this.initialW2));
    this.built = true;
  }

  override computeOutputShape(inputShape: tf.Shape | tf.Shape[]): tf.Shape {
    const shape = (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as tf.Shape;
    const length = shape[2];
    return [shape[0], length == null ? null : samePadding(length, this.geometry.kernelLength, this.stride).out, this.filters];
  }

  /** The current filter bank [L, N] (a new tensor; the caller disposes it). */
  kernel(): tf.Tensor2D {
    return sincKernel(this.profile, this.w1!.read(), this.w2!.read(), this.geometry);
  }

  /** The current weights as plain arrays. */
  weightsNow(): { w1: Float32Array; w2: Float32Array } {
    return { w1: this.w1!.read().dataSync() as Float32Array, w2: this.w2!.read().dataSync() as Float32Array };
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    return tf.tidy(() => {
      // Sensor-major input [B, sensors, T] (the layout of the segments, §3.2.7): one row per sensor, no transpose.
      // The input is data (segments): its windows are built in JS, off the tape, so no gradient reaches it.
      const x = (Array.isArray(inputs) ? inputs[0] : inputs) as tf.Tensor3D;
      const [batch, channels] = x.shape;
      if (this.sensor >= channels) throw new Error(`SincConv1D: sensor ${this.sensor} but the input has ${channels} sensors`);
      const folded = sincFoldedWindows(x, this.sensor, this.window, this.stride);
      const half = sincHalfKernel(this.profile, this.w1!.read(), this.w2!.read(), this.geometry);
      return tf.reshape(tf.matMul(folded, half), [batch, folded.shape[0] / batch, this.filters]);
    });
  }

  override getConfig(): tf.serialization.ConfigDict {
    return {
      ...super.getConfig(), sensor: this.sensor, filters: this.filters, profile: this.profile, fs: this.geometry.fs,
      kernelLength: this.geometry.kernelLength, stride: this.stride, initialW1: this.initialW1, initialW2: this.initialW2,
    };
  }
}
tf.serialization.registerClass(SincConv1D);
