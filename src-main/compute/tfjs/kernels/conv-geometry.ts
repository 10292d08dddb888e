import { backend_util } from '@tensorflow/tfjs';
import type { ConvGeometry } from './im2col';

/**
 * The geometry of an NHWC conv2d from tfjs's own shape arithmetic, so padding ('same', 'valid', explicit) and
 * rounding follow the forward kernel exactly. Gradients of dilated convolutions are refused by tfjs-core itself.
 */
export function nhwcGeometry(
  inShape: number[],
  filterShape: number[],
  strides: number | [number, number],
  pad: 'same' | 'valid' | number | backend_util.ExplicitPadding,
  dimRoundingMode: 'floor' | 'round' | 'ceil' | undefined,
  dataFormat: string,
  kernelName: string,
): ConvGeometry {
  if (dataFormat !== 'NHWC') throw new Error(`${kernelName}: GaitLab's wasm kernel supports NHWC only, got ${dataFormat}`);
  const info = backend_util.computeConv2DInfo(
    inShape as [number, number, number, number],
    filterShape as [number, number, number, number],
    strides,
    1,
    pad,
    dimRoundingMode,
    false,
    'channelsLast',
  );
  return {
    batch: info.batchSize,
    inHeight: info.inHeight,
    inWidth: info.inWidth,
    inChannels: info.inChannels,
    outHeight: info.outHeight,
    outWidth: info.outWidth,
    filterHeight: info.filterHeight,
    filterWidth: info.filterWidth,
    strideHeight: info.strideHeight,
    strideWidth: info.strideWidth,
    dilationHeight: info.dilationHeight,
    dilationWidth: info.dilationWidth,
    padTop: info.padInfo.top,
    padLeft: info.padInfo.left,
  };
}
