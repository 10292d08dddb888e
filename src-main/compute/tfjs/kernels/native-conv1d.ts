// A stride-1 conv1d and its filter gradient on the native tier's OpenBLAS (AVX2/FMA), in place on the wasm heap.
// XNNPACK and GaitLab's SIMD kernel reach about 40 GFLOP/s on one core with WebAssembly's 128-bit lanes; OpenBLAS
// reaches about 95 on SincPD conv_1's product (3 200 × 800 · 800 × 384, measured in one process), and conv_1's
// forward and filter gradient are a third of a SincPD training step. The whole batch goes through one product per
// filter tap: the input rows (zero-padded per batch row where the padding asks) are one matrix [B·Wp, C], and tap
// k's product reads it k rows further on. Rows of a window that straddle two batch rows land on output positions
// t ≥ outWidth, which are dropped (forward) or meet a zero output gradient (filter gradient).
import type { TensorInfo } from '@tensorflow/tfjs';
import type { NativeBlas } from '../native-blas';
import type { ConvGeometry } from './im2col';
import { dispose, heapBuffer, heapF32, offsetOf, type BackendWasm } from './wasm-kernel-api';

/** Whether the geometry is one these products cover: conv1d (height 1), stride 1, no dilation. */
export function nativeConv1dApplies(g: ConvGeometry): boolean {
  return g.inHeight === 1 && g.filterHeight === 1 && g.strideHeight === 1 && g.strideWidth === 1 && g.dilationWidth === 1 && g.padTop === 0;
}

/** Width of a batch row once padded: the left padding, the input, and enough zeros on the right for the last window. */
function paddedWidth(g: ConvGeometry): number {
  return Math.max(g.padLeft + g.inWidth, g.outWidth - 1 + g.filterWidth);
}

/**
 * x [B, W, C] as [B·Wp, C] with each batch row's zeros around it, or x itself where no padding is needed (VALID).
 * The caller disposes the result when `copied`.
 */
function paddedRows(wasm: BackendWasm, x: TensorInfo, g: ConvGeometry): { rows: TensorInfo; copied: boolean } {
  const Wp = paddedWidth(g);
  if (g.padLeft === 0 && Wp === g.inWidth) return { rows: x, copied: false };
  const C = g.inChannels;
  const rows = wasm.makeOutput([g.batch * Wp, C], 'float32');
  const to = heapF32(wasm, rows), from = heapF32(wasm, x);
  to.fill(0);
  for (let b = 0; b < g.batch; b++) to.set(from.subarray(b * g.inWidth * C, (b + 1) * g.inWidth * C), (b * Wp + g.padLeft) * C);
  return { rows, copied: true };
}

/**
 * y[b, t] = act(Σ_k xp[b, t + k]·W[k] + bias) for filter [FW, C, OC]: FW products [B·Wp − FW + 1, C]·[C, OC]
 * accumulated into a [B·Wp, OC] buffer, then the outWidth valid rows of each batch row with bias and activation.
 */
export function nativeConv1d(blas: NativeBlas, wasm: BackendWasm, x: TensorInfo, filter: TensorInfo, bias: TensorInfo, g: ConvGeometry, relu: boolean): TensorInfo {
  const { batch: B, inChannels: C, outWidth: OW, filterWidth: FW } = g;
  const OC = filter.shape[filter.shape.length - 1];
  const Wp = paddedWidth(g);
  const R = B * Wp - (FW - 1);
  const { rows, copied } = paddedRows(wasm, x, g);
  const full = wasm.makeOutput([B * Wp, OC], 'float32');
  const y = wasm.makeOutput([B, OW, OC], 'float32');
  const memory = heapBuffer(wasm);
  const xAt = offsetOf(wasm, rows), wAt = offsetOf(wasm, filter), fullAt = offsetOf(wasm, full);
  for (let k = 0; k < FW; k++) blas.sgemm(memory, false, false, R, OC, C, xAt + 4 * k * C, C, wAt + 4 * k * C * OC, OC, fullAt, OC, k === 0 ? 0 : 1);
  const fullValues = heapF32(wasm, full), yValues = heapF32(wasm, y), biasValues = heapF32(wasm, bias);
  for (let b = 0; b < B; b++) {
    for (let t = 0; t < OW; t++) {
      const from = (b * Wp + t) * OC, to = (b * OW + t) * OC;
      for (let o = 0; o < OC; o++) {
        // The bias added to the float32 sum, as XNNPACK's fused bias does; max(0, ·) for relu.
        const v = Math.fround(fullValues[from + o] + biasValues[o]);
        yValues[to + o] = relu && !(v > 0) ? 0 : v;
      }
    }
  }
  dispose(wasm, full);
  if (copied) dispose(wasm, rows);
  return y;
}

/**
 * dW[k] = Σ_{b,t} xp[b, t + k]ᵀ·dy[b, t]: FW products [C, R]·[R, OC] (the first transposed as it lies) over the
 * whole batch, dy laid out as [B·Wp, OC] with zero rows for t ≥ outWidth. Returns dW [FW, C, OC] (shaped by the caller).
 */
export function nativeConv1dFilterGradient(blas: NativeBlas, wasm: BackendWasm, x: TensorInfo, dy: TensorInfo, g: ConvGeometry, outChannels: number): TensorInfo {
  const { batch: B, inChannels: C, outWidth: OW, filterWidth: FW } = g;
  const OC = outChannels;
  const Wp = paddedWidth(g);
  const R = B * Wp - (FW - 1);
  const { rows, copied } = paddedRows(wasm, x, g);
  const dyRows = wasm.makeOutput([B * Wp, OC], 'float32');
  const dW = wasm.makeOutput([FW, C, OC], 'float32');
  const to = heapF32(wasm, dyRows), from = heapF32(wasm, dy);
  for (let b = 0; b < B; b++) {
    to.set(from.subarray(b * OW * OC, (b + 1) * OW * OC), b * Wp * OC);
    to.fill(0, (b * Wp + OW) * OC, (b + 1) * Wp * OC);
  }
  const memory = heapBuffer(wasm);
  const xAt = offsetOf(wasm, rows), dyAt = offsetOf(wasm, dyRows), dWAt = offsetOf(wasm, dW);
  for (let k = 0; k < FW; k++) blas.sgemm(memory, true, false, C, OC, R, xAt + 4 * k * C, C, dyAt, OC, dWAt + 4 * k * C * OC, OC, 0);
  dispose(wasm, dyRows);
  if (copied) dispose(wasm, rows);
  return dW;
}
