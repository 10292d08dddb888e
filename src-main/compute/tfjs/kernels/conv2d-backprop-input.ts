// Conv2DBackpropInput for tfjs-backend-wasm, whose own is a scalar loop: dcols = dy · Wᵀ on XNNPACK, then
// col2im adds each patch's gradient back onto the input positions it came from. A conv1d with stride 1 (one row,
// no dilation) instead takes one product dx = dyS · Ws, dyS the output gradient shifted once per tap: the same
// multiply-adds without the [patches, taps × inChannels] intermediate and its col2im pass (SincPD's conv_1,
// 3 × 800 → 128 at batch 32: a 30 MB intermediate, col2im alone about 18 ms a step).
import type { KernelBackend, KernelConfig, KernelFunc, TensorInfo, backend_util } from '@tensorflow/tfjs';
import { nhwcGeometry } from './conv-geometry';
import { fastMatMul } from './fast-matmul';
import { col2imAdd, patchCount, patchLength, type ConvGeometry } from './im2col';
import { asWasm, dispose, heapF32, view, type BackendWasm } from './wasm-kernel-api';

interface BackpropInputAttrs {
  strides: [number, number] | number;
  pad: 'valid' | 'same' | number | backend_util.ExplicitPadding;
  dataFormat: 'NHWC' | 'NCHW';
  dimRoundingMode?: 'floor' | 'round' | 'ceil';
  inputShape: [number, number, number, number];
}

/**
 * dx of a stride-1 conv1d (filter [1, FW, Cin, Cout]) as one product: dx[b, x] = Σ_k dy[b, x + padLeft − k]·W[k]ᵀ,
 * i.e. [B·W, FW·Cout] · [FW·Cout, Cin] with dyS[b, x, k·Cout + c] = dy[b, x + padLeft − k, c] (0 outside) and
 * Ws[k·Cout + c, i] = W[k, i, c].
 */
function conv1dStride1BackpropInput(wasm: BackendWasm, dy: TensorInfo, filter: TensorInfo, g: ConvGeometry, inputShape: number[]): TensorInfo {
  const { batch: B, inWidth: W, inChannels: Cin, outWidth: OW, filterWidth: FW, padLeft } = g;
  const Cout = filter.shape[3];
  const dyS = wasm.makeOutput([B * W, FW * Cout], 'float32');
  const ws = wasm.makeOutput([FW * Cout, Cin], 'float32');
  const dyShifted = heapF32(wasm, dyS), dyValues = heapF32(wasm, dy);
  const wsValues = heapF32(wasm, ws), wValues = heapF32(wasm, filter);
  for (let b = 0; b < B; b++) {
    for (let x = 0; x < W; x++) {
      const row = (b * W + x) * FW * Cout;
      for (let k = 0; k < FW; k++) {
        const t = x + padLeft - k;
        const to = row + k * Cout;
        if (t < 0 || t >= OW) dyShifted.fill(0, to, to + Cout);
        else dyShifted.set(dyValues.subarray((b * OW + t) * Cout, (b * OW + t + 1) * Cout), to);
      }
    }
  }
  for (let k = 0; k < FW; k++) {
    for (let i = 0; i < Cin; i++) {
      const from = (k * Cin + i) * Cout;
      for (let c = 0; c < Cout; c++) wsValues[(k * Cout + c) * Cin + i] = wValues[from + c];
    }
  }
  const dx = fastMatMul(wasm, dyS, ws, false, false);
  dispose(wasm, dyS, ws);
  dx.shape = [...inputShape];
  return dx;
}

const conv2dBackpropInput: KernelFunc = ({ inputs, backend, attrs }) => {
  const wasm = asWasm(backend as KernelBackend);
  const { dy, filter } = inputs as { dy: TensorInfo; filter: TensorInfo };
  const { strides, pad, dataFormat, dimRoundingMode, inputShape } = attrs as unknown as BackpropInputAttrs;
  const g = nhwcGeometry(inputShape, filter.shape, strides, pad, dimRoundingMode, dataFormat, 'Conv2DBackpropInput');
  if (g.inHeight === 1 && g.filterHeight === 1 && g.strideWidth === 1 && g.dilationWidth === 1) return conv1dStride1BackpropInput(wasm, dy, filter, g, inputShape);
  const P = patchCount(g);
  const K = patchLength(g);
  const outChannels = filter.shape[3];
  const dcols = fastMatMul(wasm, view(dy, [P, outChannels]), view(filter, [K, outChannels]), false, true);
  const dx = wasm.makeOutput([...inputShape], 'float32');
  const dxValues = heapF32(wasm, dx);
  dxValues.fill(0);
  col2imAdd(heapF32(wasm, dcols), g, dxValues);
  dispose(wasm, dcols);
  return dx;
};

export const conv2dBackpropInputConfig: KernelConfig = {
  kernelName: 'Conv2DBackpropInput',
  backendName: 'wasm',
  kernelFunc: conv2dBackpropInput,
};
