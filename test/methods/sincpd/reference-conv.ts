// The published SincPD convolution written out in float64 (SAME padding, cross-correlation), the reference the
// sinc layer's tests compare tfjs against.
import { samePadding } from '../../../src-main/methods/sincpd/sinc-layer';

export function referenceConv(x: Float64Array, taps: Float64Array, stride: number): Float64Array {
  const L = taps.length;
  const { out, left } = samePadding(x.length, L, stride);
  const y = new Float64Array(out);
  for (let t = 0; t < out; t++) {
    let s = 0;
    for (let j = 0; j < L; j++) {
      const i = t * stride + j - left;
      if (i >= 0 && i < x.length) s += taps[j] * x[i];
    }
    y[t] = s;
  }
  return y;
}
