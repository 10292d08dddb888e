import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { col2imAdd, im2colTransposed, patchCount, patchLength, type ConvGeometry } from '../../src-main/compute/tfjs/kernels/im2col';
import { seededRandom } from '../helpers';

function geometry(over: Partial<ConvGeometry>): ConvGeometry {
  const g: ConvGeometry = {
    batch: 2, inHeight: 1, inWidth: 11, inChannels: 3, outHeight: 1, outWidth: 11, filterHeight: 1, filterWidth: 5,
    strideHeight: 1, strideWidth: 1, dilationHeight: 1, dilationWidth: 1, padTop: 0, padLeft: 2, ...over,
  };
  return g;
}

function randomArray(n: number, rnd: () => number): Float32Array {
  return Float32Array.from({ length: n }, () => rnd() * 2 - 1);
}

/** The convolution by its definition: y[b, r, c, o] = Σ x[b, r·sh − top + i·dh, c·sw − left + j·dw, k] · w[i, j, k, o]. */
function directConv(x: Float32Array, w: Float32Array, g: ConvGeometry, outC: number): Float64Array {
  const y = new Float64Array(g.batch * g.outHeight * g.outWidth * outC);
  for (let b = 0; b < g.batch; b++)
    for (let r = 0; r < g.outHeight; r++)
      for (let c = 0; c < g.outWidth; c++)
        for (let o = 0; o < outC; o++) {
          let s = 0;
          for (let i = 0; i < g.filterHeight; i++)
            for (let j = 0; j < g.filterWidth; j++) {
              const xr = r * g.strideHeight - g.padTop + i * g.dilationHeight;
              const xc = c * g.strideWidth - g.padLeft + j * g.dilationWidth;
              if (xr < 0 || xr >= g.inHeight || xc < 0 || xc >= g.inWidth) continue;
              for (let k = 0; k < g.inChannels; k++) {
                s += x[((b * g.inHeight + xr) * g.inWidth + xc) * g.inChannels + k] * w[((i * g.filterWidth + j) * g.inChannels + k) * outC + o];
              }
            }
          y[((b * g.outHeight + r) * g.outWidth + c) * outC + o] = s;
        }
  return y;
}

const GEOMETRIES: [string, ConvGeometry][] = [
  ['conv1d same (width 5, pad 2)', geometry({})],
  ['conv1d valid, stride 2', geometry({ outWidth: 4, padLeft: 0, strideWidth: 2 })],
  ['conv2d 3×3 pad 1, stride 2 × 1', geometry({ inHeight: 5, outHeight: 3, filterHeight: 3, padTop: 1, strideHeight: 2, filterWidth: 3, padLeft: 1 })],
  ['conv1d dilation 2', geometry({ filterWidth: 3, dilationWidth: 2, padLeft: 2 })],
];

describe('im2col / col2im (NHWC)', () => {
  for (const [name, g] of GEOMETRIES) {
    test(`${name}: the patch matrix times the filter is the convolution by its definition`, () => {
      const rnd = seededRandom(7);
      const outC = 4;
      const x = randomArray(g.batch * g.inHeight * g.inWidth * g.inChannels, rnd);
      const w = randomArray(patchLength(g) * outC, rnd);
      const P = patchCount(g);
      const K = patchLength(g);
      const colsT = new Float32Array(K * P).fill(NaN); // every element must be written, padding included
      im2colTransposed(x, g, colsT);
      const expected = directConv(x, w, g, outC);
      for (let p = 0; p < P; p++)
        for (let o = 0; o < outC; o++) {
          let s = 0;
          for (let k = 0; k < K; k++) s += colsT[k * P + p] * w[k * outC + o];
          assert.ok(Math.abs(s - expected[p * outC + o]) < 1e-5, `${name}: position ${p}, channel ${o}: ${s} vs ${expected[p * outC + o]}`);
        }
    });

    test(`${name}: col2im is the adjoint of im2col (⟨im2col x, c⟩ = ⟨x, col2im c⟩)`, () => {
      const rnd = seededRandom(11);
      const P = patchCount(g);
      const K = patchLength(g);
      const x = randomArray(g.batch * g.inHeight * g.inWidth * g.inChannels, rnd);
      const c = randomArray(P * K, rnd);
      const colsT = new Float32Array(K * P);
      im2colTransposed(x, g, colsT);
      let lhs = 0;
      for (let p = 0; p < P; p++) for (let k = 0; k < K; k++) lhs += colsT[k * P + p] * c[p * K + k];
      const dx = new Float32Array(x.length);
      col2imAdd(c, g, dx);
      let rhs = 0;
      for (let i = 0; i < x.length; i++) rhs += x[i] * dx[i];
      assert.ok(Math.abs(lhs - rhs) < 1e-4 * Math.max(1, Math.abs(lhs)), `${lhs} vs ${rhs}`);
    });
  }
});
