// The wasm kernels behind ops/conv1d-bias-activation.ts, on rank-3 tensors directly (no reshape dispatches):
// forward is the wasm backend's own FusedConv2D (XNNPACK, bias and relu fused) on a [batch, 1, width, channels]
// view; the filter gradient is the windowed SIMD product of conv2d-backprop-filter.ts. On the native tier a
// stride-1 conv1d goes to OpenBLAS instead (native-conv1d.ts), both ways.
import type { KernelBackend, KernelConfig, KernelFunc, TensorInfo } from '@tensorflow/tfjs';
import { GAITLAB_CONV1D, GAITLAB_CONV1D_BACKPROP_FILTER, type Conv1DAttrs } from '../ops/kernel-names';
import { nhwcGeometry } from './conv-geometry';
import { conv1dFilterGradient, conv2dBackpropFilterConfig } from './conv2d-backprop-filter';
import { nativeConv1d, nativeConv1dApplies } from './native-conv1d';
import { activeNativeBlas, asWasm, runOriginal, view } from './wasm-kernel-api';

const conv1d: KernelFunc = ({ inputs, backend, attrs }) => {
  const wasm = asWasm(backend as KernelBackend);
  const { x, filter, bias } = inputs as { x: TensorInfo; filter: TensorInfo; bias: TensorInfo };
  const { stride, pad, activation } = attrs as unknown as Conv1DAttrs;
  const [batch, width, inC] = x.shape;
  const [fw, , outC] = filter.shape;
  const blas = activeNativeBlas();
  if (blas) {
    const g = nhwcGeometry([batch, 1, width, inC], [1, fw, inC, outC], [1, stride], pad, undefined, 'NHWC', GAITLAB_CONV1D);
    if (nativeConv1dApplies(g)) return nativeConv1d(blas, wasm, x, filter, bias, g, activation === 'relu');
  }
  const out = runOriginal('FusedConv2D', wasm, { x: view(x, [batch, 1, width, inC]), filter: view(filter, [1, fw, inC, outC]), bias }, {
    strides: [1, stride],
    pad,
    dilations: [1, 1],
    dataFormat: 'NHWC',
    activation,
    leakyreluAlpha: 0,
  });
  out.shape = [batch, out.shape[2], outC];
  return out;
};

const conv1dBackpropFilter: KernelFunc = ({ inputs, backend, attrs }) => {
  const wasm = asWasm(backend as KernelBackend);
  const { x, dy } = inputs as { x: TensorInfo; dy: TensorInfo };
  const { stride, pad, filterShape } = attrs as unknown as Conv1DAttrs & { filterShape: [number, number, number] };
  const [batch, width, inC] = x.shape;
  const [fw, , outC] = filterShape;
  const filter4 = [1, fw, inC, outC];
  const g = nhwcGeometry([batch, 1, width, inC], filter4, [1, stride], pad, undefined, 'NHWC', GAITLAB_CONV1D_BACKPROP_FILTER);
  const dW = conv1dFilterGradient(wasm, view(x, [batch, 1, width, inC]), view(dy, [batch, 1, dy.shape[1], outC]), g, filter4);
  if (!dW) {
    // No SIMD here: GaitLab's im2col kernel, called directly.
    const inputs = { x: view(x, [batch, 1, width, inC]), dy: view(dy, [batch, 1, dy.shape[1], outC]) };
    const im2col = conv2dBackpropFilterConfig.kernelFunc({ inputs, backend, attrs: { strides: [1, stride], pad, dataFormat: 'NHWC', filterShape: filter4 } }) as TensorInfo;
    im2col.shape = [...filterShape];
    return im2col;
  }
  dW.shape = [...filterShape];
  return dW;
};

export const gaitlabConv1dConfig: KernelConfig = { kernelName: GAITLAB_CONV1D, backendName: 'wasm', kernelFunc: conv1d };
export const gaitlabConv1dBackpropFilterConfig: KernelConfig = { kernelName: GAITLAB_CONV1D_BACKPROP_FILTER, backendName: 'wasm', kernelFunc: conv1dBackpropFilter };
