// SincPD's front-end ops (folded sinc windows, LayerNorm, LeakyReLU, pair max-pool, last-axis concatenation) with
// their gradients. On wasm each is one GaitLab kernel that runs the loops of
// src-shared/methods/sincpd/front-end-numerics.ts on the tensors' own memory (the wasm heap): one pass instead of
// a tfjs op per arithmetic step, and no JS arrays to allocate or collect. On any other backend (or when a test
// asks for it) each op is the standard tfjs composition it replaces, so one model code runs everywhere and the
// tests hold the kernels to the compositions.
import * as tf from '@tensorflow/tfjs';
import type { KernelBackend, KernelFunc, TensorInfo } from '@tensorflow/tfjs';
import { asWasm, heapF32 } from '../../compute/tfjs/kernels/wasm-kernel-api';
import {
  concatLastAxisInto, foldedWindowsInto, layerNormGradientInto, layerNormInto, leakyReluGradientInto, leakyReluInto, pairMaxPoolGradientInto,
  pairMaxPoolInto, samePadding, splitLastAxisInto, LAYER_NORM_EPSILON, LAYER_NORM_ROW_STATISTICS, LAYER_NORM_VARIANCE_FLOOR,
} from '../../../src-shared/methods/sincpd/front-end-numerics';

const FOLDED_WINDOWS = 'SincPdFoldedWindows';
const LAYER_NORM = 'SincPdLayerNorm';
const LAYER_NORM_GRAD = 'SincPdLayerNormGrad';
const LEAKY_RELU = 'SincPdLeakyRelu';
const LEAKY_RELU_GRAD = 'SincPdLeakyReluGrad';
const PAIR_MAX_POOL = 'SincPdPairMaxPool';
const PAIR_MAX_POOL_GRAD = 'SincPdPairMaxPoolGrad';
const CONCAT = 'SincPdConcat';
const SPLIT = 'SincPdSplitLastAxis';

let kernelsAllowed = true;
/** Tests: false runs the standard tfjs compositions even where the kernels are registered. */
export function useFrontEndKernels(allowed: boolean): void {
  kernelsAllowed = allowed;
}
function kernelHere(name: string): boolean {
  return kernelsAllowed && tf.getKernel(name, tf.getBackend()) != null;
}

type Attrs = Record<string, unknown>;
const last = (t: TensorInfo) => t.shape[t.shape.length - 1];

// ---- wasm kernels: outputs are allocated first, then the heap views are taken (allocation may grow the heap).

const wasmKernels: Record<string, KernelFunc> = {
  [FOLDED_WINDOWS]: ({ inputs, backend, attrs }) => {
    const wasm = asWasm(backend as KernelBackend);
    const { x } = inputs as { x: TensorInfo };
    const { sensor, stride, window } = attrs as unknown as { sensor: number; stride: number; window: number[] };
    const [batch, sensors, length] = x.shape;
    const { out } = samePadding(length, window.length, stride);
    const f = wasm.makeOutput([batch * out, (window.length + 1) / 2], 'float32');
    foldedWindowsInto(heapF32(wasm, f), heapF32(wasm, x), batch, sensors * length, sensor * length, length, window, stride);
    return f;
  },
  [LAYER_NORM]: ({ inputs, backend }) => {
    const wasm = asWasm(backend as KernelBackend);
    const { x, gamma, beta } = inputs as { x: TensorInfo; gamma: TensorInfo; beta: TensorInfo };
    const y = wasm.makeOutput(x.shape, 'float32');
    const stats = wasm.makeOutput([x.shape.reduce((a, b) => a * b, 1) / last(x), LAYER_NORM_ROW_STATISTICS], 'float32');
    layerNormInto(heapF32(wasm, y), heapF32(wasm, stats), heapF32(wasm, x), last(x), heapF32(wasm, gamma), heapF32(wasm, beta));
    return [y, stats];
  },
  [LAYER_NORM_GRAD]: ({ inputs, backend }) => {
    const wasm = asWasm(backend as KernelBackend);
    const { dy, x, gamma, stats } = inputs as { dy: TensorInfo; x: TensorInfo; gamma: TensorInfo; stats: TensorInfo };
    const dx = wasm.makeOutput(x.shape, 'float32');
    const dGamma = wasm.makeOutput(gamma.shape, 'float32');
    const dBeta = wasm.makeOutput(gamma.shape, 'float32');
    layerNormGradientInto(heapF32(wasm, dx), heapF32(wasm, dGamma), heapF32(wasm, dBeta), heapF32(wasm, dy), heapF32(wasm, x), heapF32(wasm, stats), last(x),
      heapF32(wasm, gamma));
    return [dx, dGamma, dBeta];
  },
  [LEAKY_RELU]: ({ inputs, backend, attrs }) => {
    // Forward is the wasm backend's own (SIMD) LeakyRelu; this kernel exists for its gradient.
    const own = tf.getKernel('LeakyRelu', 'wasm');
    if (own) return own.kernelFunc({ inputs, backend, attrs });
    const wasm = asWasm(backend as KernelBackend);
    const { x } = inputs as { x: TensorInfo };
    const y = wasm.makeOutput(x.shape, 'float32');
    leakyReluInto(heapF32(wasm, y), heapF32(wasm, x), (attrs as { alpha: number }).alpha);
    return y;
  },
  [LEAKY_RELU_GRAD]: ({ inputs, backend, attrs }) => {
    const wasm = asWasm(backend as KernelBackend);
    const { x, dy } = inputs as { x: TensorInfo; dy: TensorInfo };
    const dx = wasm.makeOutput(x.shape, 'float32');
    leakyReluGradientInto(heapF32(wasm, dx), heapF32(wasm, x), heapF32(wasm, dy), (attrs as { alpha: number }).alpha);
    return dx;
  },
  [PAIR_MAX_POOL]: ({ inputs, backend }) => {
    const wasm = asWasm(backend as KernelBackend);
    const { x } = inputs as { x: TensorInfo };
    const [batch, length, channels] = x.shape;
    const y = wasm.makeOutput([batch, Math.floor(length / 2), channels], 'float32');
    pairMaxPoolInto(heapF32(wasm, y), heapF32(wasm, x), batch, length, channels);
    return y;
  },
  [PAIR_MAX_POOL_GRAD]: ({ inputs, backend }) => {
    const wasm = asWasm(backend as KernelBackend);
    const { x, dy } = inputs as { x: TensorInfo; dy: TensorInfo };
    const [batch, length, channels] = x.shape;
    const dx = wasm.makeOutput(x.shape, 'float32');
    pairMaxPoolGradientInto(heapF32(wasm, dx), heapF32(wasm, x), heapF32(wasm, dy), batch, length, channels);
    return dx;
  },
  [CONCAT]: ({ inputs, backend }) => {
    const wasm = asWasm(backend as KernelBackend);
    const parts = Object.keys(inputs).sort((a, b) => Number(a) - Number(b)).map((k) => inputs[k] as TensorInfo);
    const widths = parts.map(last);
    const y = wasm.makeOutput([...parts[0].shape.slice(0, -1), widths.reduce((a, b) => a + b, 0)], 'float32');
    concatLastAxisInto(heapF32(wasm, y), parts.map((p) => heapF32(wasm, p)), widths);
    return y;
  },
  [SPLIT]: ({ inputs, backend, attrs }) => {
    const wasm = asWasm(backend as KernelBackend);
    const { dy } = inputs as { dy: TensorInfo };
    const { widths } = attrs as unknown as { widths: number[] };
    const parts = widths.map((w) => wasm.makeOutput([...dy.shape.slice(0, -1), w], 'float32'));
    splitLastAxisInto(parts.map((p) => heapF32(wasm, p)), heapF32(wasm, dy), widths);
    return parts;
  },
};

for (const [kernelName, kernelFunc] of Object.entries(wasmKernels)) {
  if (!tf.getKernel(kernelName, 'wasm')) tf.registerKernel({ kernelName, backendName: 'wasm', kernelFunc });
}

const run = (name: string, inputs: Record<string, tf.Tensor>, attrs: Attrs = {}) => tf.engine().runKernel(name, inputs, attrs as tf.NamedAttrMap);

if (!tf.getGradient(LAYER_NORM)) {
  tf.registerGradient({
    kernelName: LAYER_NORM, inputsToSave: ['x', 'gamma'], outputsToSave: [false, true],
    gradFunc: (dys, saved) => {
      // Output 2 (the row statistics) never reaches the loss: dys[0] alone.
      const dy = (Array.isArray(dys) ? dys[0] : dys) as tf.Tensor;
      const [x, gamma, stats] = saved;
      const [dx, dGamma, dBeta] = run(LAYER_NORM_GRAD, { dy, x, gamma, stats }) as tf.Tensor[];
      return { x: () => dx, gamma: () => dGamma, beta: () => dBeta };
    },
  });
  tf.registerGradient({
    kernelName: LEAKY_RELU, inputsToSave: ['x'],
    gradFunc: (dy, saved, attrs) => ({ x: () => run(LEAKY_RELU_GRAD, { x: saved[0], dy: dy as tf.Tensor }, attrs as Attrs) as tf.Tensor }),
  });
  tf.registerGradient({
    kernelName: PAIR_MAX_POOL, inputsToSave: ['x'],
    gradFunc: (dy, saved) => ({ x: () => run(PAIR_MAX_POOL_GRAD, { x: saved[0], dy: dy as tf.Tensor }) as tf.Tensor }),
  });
  tf.registerGradient({
    kernelName: CONCAT,
    gradFunc: (dy, _saved, attrs) => {
      const parts = run(SPLIT, { dy: dy as tf.Tensor }, attrs as Attrs) as tf.Tensor[];
      return Object.fromEntries(parts.map((p, k) => [String(k), () => p]));
    },
  });
}

// ---- the ops

/**
 * The windows of one sensor of a [B, sensors, T] batch for the sinc layer's folded product (foldedWindowsInto),
 * [B·T', M + 1]. Data, not a function of weights: no gradient.
 */
export function sincFoldedWindows(x: tf.Tensor3D, sensor: number, window: Float32Array, stride: number): tf.Tensor2D {
  if (kernelHere(FOLDED_WINDOWS)) return run(FOLDED_WINDOWS, { x }, { sensor, stride, window: Array.from(window) }) as tf.Tensor2D;
  const [batch, sensors, length] = x.shape;
  const { out } = samePadding(length, window.length, stride);
  const f = new Float32Array(batch * out * ((window.length + 1) / 2));
  foldedWindowsInto(f, x.dataSync() as Float32Array, batch, sensors * length, sensor * length, length, window, stride);
  return tf.tensor2d(f, [batch * out, (window.length + 1) / 2]);
}

/** sincnet-tensorflow's LayerNorm over the last axis: γ (x − mean)/(population std + 1e-6) + β. */
export function sincLayerNorm(x: tf.Tensor, gamma: tf.Tensor, beta: tf.Tensor): tf.Tensor {
  if (kernelHere(LAYER_NORM)) {
    const [y, stats] = run(LAYER_NORM, { x, gamma, beta }) as tf.Tensor[];
    stats.dispose(); // the gradient keeps its own saved copy
    return y;
  }
  return tf.tidy(() => {
    const mean = tf.mean(x, -1, true);
    const centred = tf.sub(x, mean);
    // √ of a variance floored at 1e-12: with one filter (or identical filters) the variance is exactly 0 and
    // d√v/dv would be infinite, turning the gradient into NaN; 1e-6 (the std) is far below any real spread.
    const std = tf.sqrt(tf.maximum(tf.mean(tf.square(centred), -1, true), LAYER_NORM_VARIANCE_FLOOR));
    return tf.add(tf.mul(gamma, tf.div(centred, tf.add(std, LAYER_NORM_EPSILON))), beta);
  });
}

/** LeakyReLU (tf.leakyRelu's values and gradient). */
export function sincLeakyRelu(x: tf.Tensor, alpha: number): tf.Tensor {
  if (kernelHere(LEAKY_RELU)) return run(LEAKY_RELU, { x }, { alpha }) as tf.Tensor;
  return tf.leakyRelu(x, alpha);
}

/**
 * Max-pool 2/2 VALID over [B, T, C] (an odd last step dropped), the gradient to the first of equal maxima. The
 * composition is max(even, odd) of the pairs, not tf.maxPool: tfjs-backend-wasm 4.22's MaxPoolGrad is wrong.
 */
export function sincPairMaxPool(x: tf.Tensor3D): tf.Tensor3D {
  if (kernelHere(PAIR_MAX_POOL)) return run(PAIR_MAX_POOL, { x }) as tf.Tensor3D;
  return tf.tidy(() => {
    const [batch, length, channels] = x.shape;
    const half = Math.floor(length / 2);
    const even = length === 2 * half ? x : tf.slice(x, [0, 0, 0], [batch, 2 * half, channels]);
    const [a, b] = tf.split(tf.reshape(even, [batch, half, 2, channels]), 2, 2);
    return tf.reshape(tf.maximum(a, b), [batch, half, channels]) as tf.Tensor3D;
  });
}

/** Concatenation along the last axis (tf.concat's values and gradients). */
export function sincConcatLastAxis(parts: tf.Tensor[]): tf.Tensor {
  if (parts.length < 2 || !kernelHere(CONCAT)) return tf.concat(parts, -1);
  const inputs = Object.fromEntries(parts.map((p, k) => [String(k), p]));
  return run(CONCAT, inputs, { widths: parts.map((p) => p.shape[p.shape.length - 1]) }) as tf.Tensor;
}
