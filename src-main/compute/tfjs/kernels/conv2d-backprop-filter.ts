// Conv2DBackpropFilter for tfjs-backend-wasm, which has none in 4.22 (so no conv layer could train on wasm):
// dW = im2col(x)ᵀ · dy, the patch matrix built in JS and the product run on XNNPACK.
import type { KernelBackend, KernelConfig, KernelFunc, TensorInfo, backend_util } from '@tensorflow/tfjs';
import { nhwcGeometry } from './conv-geometry';
import { fastMatMul } from './fast-matmul';
import { im2colTransposed, patchCount, patchLength } from './im2col';
import { asWasm, dispose, heapF32, view } from './wasm-kernel-api';

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

export const conv2dBackpropFilterConfig: KernelConfig = {
  kernelName: 'Conv2DBackpropFilter',
  backendName: 'wasm',
  kernelFunc: conv2dBackpropFilter,
};
