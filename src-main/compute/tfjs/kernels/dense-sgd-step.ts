// The wasm kernel behind ops/dense-sgd-step.ts: a whole SGD step of a dense stack on the tfjs heap, in place on
// tensors the kernel owns. Forward: x·W on the SIMD kernel (W is new every step, so XNNPACK would repack it), bias
// and relu in one pass that also writes the transposed copy the next product and the update read. The loss's
// gradient in float64. Backward: per layer one sweep over W (simd-dense-backward.ts) that writes W′ and dA together;
// the weight gradient is never materialised. The bias step and the relu mask are small JS loops.
import type { KernelBackend, KernelConfig, KernelFunc, TensorInfo } from '@tensorflow/tfjs';
import { GAITLAB_DENSE_SGD_STEP, type DenseSgdStepAttrs } from '../ops/kernel-names';
import { MAX_SWEEP_ROWS, simdDenseBackwardOn, type SimdDenseBackward } from './simd-dense-backward';
import type { WasmMemory } from './simd-gemm';
import { asWasm, dispose, offsetOf, simdGemmFor, type BackendWasm } from './wasm-kernel-api';

/** The sweep kernel on the backend's heap, or null where the heap or WebAssembly SIMD is not reachable. */
export function simdDenseBackwardFor(backend: BackendWasm): SimdDenseBackward | null {
  const memory = (backend.wasm as unknown as { asm?: { memory?: WasmMemory } }).asm?.memory;
  if (!memory || memory.buffer !== backend.wasm.HEAPF32.buffer) return null;
  try {
    return simdDenseBackwardOn(memory);
  } catch {
    return null;
  }
}

/** Gradient of the batch-summed loss w.r.t. the logits z, rows of `width`, written over `dz` (float64 inside). */
function lossGradient(loss: DenseSgdStepAttrs['loss'], z: Float32Array, y: Float32Array, dz: Float32Array, rows: number, width: number): void {
  for (let b = 0; b < rows; b++) {
    const o = b * width;
    if (loss === 'halfSquaredError') {
      for (let k = 0; k < width; k++) dz[o + k] = z[o + k] - y[o + k];
      continue;
    }
    // ∂/∂z of −Σₖ yₖ·log softmax(z)ₖ = softmax(z)·Σₖ yₖ − y
    let max = -Infinity;
    for (let k = 0; k < width; k++) max = Math.max(max, z[o + k]);
    let sum = 0;
    let ySum = 0;
    for (let k = 0; k < width; k++) { sum += Math.exp(z[o + k] - max); ySum += y[o + k]; }
    for (let k = 0; k < width; k++) dz[o + k] = (Math.exp(z[o + k] - max) / sum) * ySum - y[o + k];
  }
}

let phaseDone: ((phase: string) => void) | null = null;

/** Opt-in: `onPhase` is called at the end of each phase of every step (bench/horst-step-profile.ts); null stops it. */
export function onDenseStepPhase(onPhase: ((phase: string) => void) | null): void {
  phaseDone = onPhase;
}

const denseSgdStep: KernelFunc = ({ inputs, backend, attrs }) => {
  const wasm = asWasm(backend as KernelBackend);
  const { activations, loss, weightSteps, biasSteps } = attrs as unknown as DenseSgdStepAttrs;
  const L = activations.length;
  const x = inputs.x as TensorInfo;
  const target = inputs.target as TensorInfo;
  const weights = Array.from({ length: L }, (_, l) => inputs[`w${l}`] as TensorInfo);
  const biases = Array.from({ length: L }, (_, l) => inputs[`b${l}`] as TensorInfo);
  for (const t of [x, target, ...weights, ...biases]) if (t.dtype !== 'float32') throw new Error(`${GAITLAB_DENSE_SGD_STEP}: float32 tensors only, got ${t.dtype}`);
  const gemm = simdGemmFor(wasm);
  const sweep = simdDenseBackwardFor(wasm);
  if (!gemm || !sweep) throw new Error(`${GAITLAB_DENSE_SGD_STEP}: WebAssembly SIMD is not reachable on this heap (the kernel is registered only where it is)`);
  const B = x.shape[0];
  const widths = [x.shape[1], ...weights.map((w) => w.shape[1])];
  // Every allocation before the first heap view: an allocation may grow the heap and detach views.
  const newWeights = weights.map((w) => wasm.makeOutput([...w.shape], 'float32'));
  const newBiases = biases.map((b) => wasm.makeOutput([...b.shape], 'float32'));
  const inputsT = widths.slice(0, L).map((k) => wasm.makeOutput([k, B], 'float32'));
  const outputs = widths.slice(1).map((n) => wasm.makeOutput([B, n], 'float32'));
  const grads = widths.slice(1).map((n) => wasm.makeOutput([B, n], 'float32'));
  const maxWidth = Math.max(...widths);
  const packed = wasm.makeOutput([MAX_SWEEP_ROWS * 4 * Math.ceil(maxWidth / 4)], 'float32');
  const coefficients = wasm.makeOutput([maxWidth * MAX_SWEEP_ROWS], 'float32');
  const temps = [...inputsT, ...outputs, ...grads, packed, coefficients];
  const heap = wasm.wasm.HEAPF32;
  const at = (t: TensorInfo) => offsetOf(wasm, t);
  const f32 = (t: TensorInfo, n: number) => heap.subarray(at(t) >>> 2, (at(t) >>> 2) + n);

  phaseDone?.('allocate');
  const x0 = f32(x, B * widths[0]);
  const xT = f32(inputsT[0], B * widths[0]);
  for (let b = 0; b < B; b++) for (let k = 0; k < widths[0]; k++) xT[k * B + b] = x0[b * widths[0] + k];
  for (let l = 0; l < L; l++) {
    const [K, N] = [widths[l], widths[l + 1]];
    gemm.runTN({ offset: at(inputsT[l]), stride: B }, { offset: at(weights[l]), stride: N }, { offset: at(outputs[l]), stride: N }, B, K, N, false);
    phaseDone?.(`forward product ${l}`);
    const y = f32(outputs[l], B * N);
    const bias = f32(biases[l], N);
    const relu = activations[l] === 'relu';
    const nextT = l + 1 < L ? f32(inputsT[l + 1], N * B) : null;
    for (let b = 0; b < B; b++) {
      for (let n = 0; n < N; n++) {
        let v = Math.fround(y[b * N + n] + bias[n]);
        if (relu && v < 0) v = 0;
        y[b * N + n] = v;
        if (nextT) nextT[n * B + b] = v;
      }
    }
    phaseDone?.('JS loops (transposes, bias, relu, loss, coefficients, masks)');
  }
  lossGradient(loss, f32(outputs[L - 1], B * widths[L]), f32(target, B * widths[L]), f32(grads[L - 1], B * widths[L]), B, widths[L]);
  phaseDone?.('JS loops (transposes, bias, relu, loss, coefficients, masks)');

  for (let l = L - 1; l >= 0; l--) {
    const [K, N] = [widths[l], widths[l + 1]];
    const dz = f32(grads[l], B * N);
    const bias = f32(biases[l], N);
    const newBias = f32(newBiases[l], N);
    for (let n = 0; n < N; n++) {
      let g = 0;
      for (let b = 0; b < B; b++) g += dz[b * N + n];
      newBias[n] = bias[n] - Math.fround(g) * Math.fround(biasSteps[l]);
    }
    const aT = f32(inputsT[l], K * B);
    const u = f32(coefficients, K * MAX_SWEEP_ROWS);
    for (let b0 = 0; b0 < B; b0 += MAX_SWEEP_ROWS) {
      const R = Math.min(MAX_SWEEP_ROWS, B - b0);
      for (let i = 0; i < K; i++) for (let r = 0; r < R; r++) u[i * R + r] = -weightSteps[l] * aT[i * B + b0 + r];
      phaseDone?.('JS loops (transposes, bias, relu, loss, coefficients, masks)');
      sweep.sweep({
        w: at(weights[l]),
        // Later batch rows continue from what the first ones wrote; dA always reads the weight before the step.
        wSrc: b0 === 0 ? at(weights[l]) : at(newWeights[l]),
        wDst: at(newWeights[l]),
        M: K, N, R,
        dz: at(grads[l]) + 4 * b0 * N,
        packed: at(packed),
        u: at(coefficients),
        dA: l > 0 ? at(grads[l - 1]) + 4 * b0 * K : null,
        ldA: K,
      });
      phaseDone?.(`backward sweep ${l}`);
    }
    if (l > 0 && activations[l - 1] === 'relu') {
      const dA = f32(grads[l - 1], B * K);
      const below = f32(outputs[l - 1], B * K);
      for (let i = 0; i < B * K; i++) if (!(below[i] > 0)) dA[i] = 0;
    }
  }
  phaseDone?.('JS loops (transposes, bias, relu, loss, coefficients, masks)');
  dispose(wasm, ...temps);
  phaseDone?.('free');
  return newWeights.flatMap((w, l) => [w, newBiases[l]]);
};

export const denseSgdStepConfig: KernelConfig = { kernelName: GAITLAB_DENSE_SGD_STEP, backendName: 'wasm', kernelFunc: denseSgdStep };
