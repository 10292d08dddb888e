// Conv2DBackpropFilter for tfjs-backend-wasm, which has none in 4.22 (so no conv layer could train on wasm):
// dW = im2col(x)ᵀ · dy. For a conv1d (filter height 1) the patches are overlapping windows of the zero-padded
// input, so the SIMD kernel reads them in place and no patch matrix is built; otherwise im2col in JS and the
// product on XNNPACK.
import type { KernelBackend, KernelConfig, KernelFunc, TensorInfo, backend_util } from '@tensorflow/tfjs';
import { nhwcGeometry } from './conv-geometry';
import { fastMatMul } from './fast-matmul';
import { im2colTransposed, patchCount, patchLength } from './im2col';
import { nativeConv1dApplies, nativeConv1dFilterGradient } from './native-conv1d';
import { activeNativeBlas, asWasm, dispose, heapF32, offsetOf, simdGemmFor, view, type BackendWasm } from './wasm-kernel-api';
import type { ConvGeometry } from './im2col';

interface BackpropFilterAttrs {
  strides: [number, number] | number;
  pad: 'valid' | 'same' | number | backend_util.ExplicitPadding;
  dataFormat: 'NHWC' | 'NCHW';
  dimRoundingMode?: 'floor' | 'round' | 'ceil';
  filterShape: [number, number, number, number];
}

const conv2dBackpropFilter: KernelFunc = ({ inputs, backend, attrs }) => {
  const wasm = asWasm(backend as KernelBackend);
  const { x, dy } = inputs as { x: TensorInfo; dy: TensorInfo };
  const { strides, pad, dataFormat, dimRoundingMode, filterShape } = attrs as unknown as BackpropFilterAttrs;
  const g = nhwcGeometry(x.shape, filterShape, strides, pad, dimRoundingMode, dataFormat, 'Conv2DBackpropFilter');
  const windowed = conv1dFilterGradient(wasm, x, dy, g, filterShape);
  if (windowed) return windowed;
  const P = patchCount(g);
  const K = patchLength(g);
  const colsT = wasm.makeOutput([K, P], 'float32');
  // Views are taken after the allocation: a heap that grows detaches the earlier ones.
  im2colTransposed(heapF32(wasm, x), g, heapF32(wasm, colsT));
  const dW = fastMatMul(wasm, colsT, view(dy, [P, filterShape[3]]), false, false);
  dispose(wasm, colsT);
  dW.shape = [...filterShape];
  return dW;
};

/**
 * The conv1d case (filter height 1, no vertical stride or padding): each row of the input (batch × height of them)
 * is copied once into a zero-padded buffer, and dW += windowsᵀ · dy row by row on the SIMD kernel, the windows being
 * read in place with a stride of strideWidth × channels. Null where it does not apply.
 */
export function conv1dFilterGradient(backend: BackendWasm, x: TensorInfo, dy: TensorInfo, g: ConvGeometry, filterShape: number[]): TensorInfo | null {
  if (g.filterHeight !== 1 || g.strideHeight !== 1 || g.padTop !== 0 || g.dilationWidth !== 1 || g.outHeight !== g.inHeight) return null;
  const blas = activeNativeBlas();
  if (blas && nativeConv1dApplies(g)) {
    // The native tier: one OpenBLAS product per tap over the whole batch (native-conv1d.ts).
    const dW = nativeConv1dFilterGradient(blas, backend, x, dy, g, filterShape[3]);
    dW.shape = [...filterShape];
    return dW;
  }
  const gemm = simdGemmFor(backend);
  if (!gemm) return null;
  const rows = g.batch * g.inHeight;
  const C = g.inChannels;
  const outC = filterShape[3];
  const paddedWidth = Math.max(g.padLeft + g.inWidth, (g.outWidth - 1) * g.strideWidth + g.filterWidth);
  const padded = backend.makeOutput([rows, paddedWidth, C], 'float32');
  const dW = backend.makeOutput([...filterShape], 'float32');
  const xValues = heapF32(backend, x);
  const paddedValues = heapF32(backend, padded);
  paddedValues.fill(0);
  for (let r = 0; r < rows; r++) {
    paddedValues.set(xValues.subarray(r * g.inWidth * C, (r + 1) * g.inWidth * C), (r * paddedWidth + g.padLeft) * C);
  }
  const paddedAt = offsetOf(backend, padded);
  const dyAt = offsetOf(backend, dy);
  const dWAt = offsetOf(backend, dW);
  for (let r = 0; r < rows; r++) {
    gemm.runTN(
      { offset: paddedAt + 4 * r * paddedWidth * C, stride: g.strideWidth * C },
      { offset: dyAt + 4 * r * g.outWidth * outC, stride: outC },
      { offset: dWAt, stride: outC },
      g.filterWidth * C,
      g.outWidth,
      outC,
      r > 0,
    );
  }
  dispose(backend, padded);
  return dW;
}

export const conv2dBackpropFilterConfig: KernelConfig = {
  kernelName: 'Conv2DBackpropFilter',
  backendName: 'wasm',
  kernelFunc: conv2dBackpropFilter,
};
