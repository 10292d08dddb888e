// Conv2DBackpropInput for tfjs-backend-wasm, whose own is a scalar loop: dcols = dy · Wᵀ on XNNPACK, then
// col2im adds each patch's gradient back onto the input positions it came from.
import type { KernelBackend, KernelConfig, KernelFunc, TensorInfo, backend_util } from '@tensorflow/tfjs';
import { nhwcGeometry } from './conv-geometry';
import { fastMatMul } from './fast-matmul';
import { col2imAdd, patchCount, patchLength } from './im2col';
import { asWasm, dispose, heapF32, view } from './wasm-kernel-api';

interface BackpropInputAttrs {
  strides: [number, number] | number;
  pad: 'valid' | 'same' | number | backend_util.ExplicitPadding;
  dataFormat: 'NHWC' | 'NCHW';
  dimRoundingMode?: 'floor' | 'round' | 'ceil';
  inputShape: [number, number, number, number];
}

const conv2dBackpropInput: KernelFunc = ({ inputs, backend, attrs }) => {
  const wasm = asWasm(backend as KernelBackend);
  const { dy, filter } = inputs as { dy: TensorInfo; filter: TensorInfo };
  const { strides, pad, dataFormat, dimRoundingMode, inputShape } = attrs as unknown as BackpropInputAttrs;
  const g = nhwcGeometry(inputShape, filter.shape, strides, pad, dimRoundingMode, dataFormat, 'Conv2DBackpropInput');
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
