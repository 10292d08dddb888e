// im2col / col2im for NHWC convolutions: they turn a convolution's backward pass into one matrix product
// (Chellapilla, Puri & Simard 2006, "High performance convolutional neural networks for document processing").
// Pure functions on Float32Array so they are tested without any tfjs backend.

/** The geometry of one NHWC conv2d (a conv1d is one with inHeight = filterHeight = 1). */
export interface ConvGeometry {
  batch: number;
  inHeight: number;
  inWidth: number;
  inChannels: number;
  outHeight: number;
  outWidth: number;
  filterHeight: number;
  filterWidth: number;
  strideHeight: number;
  strideWidth: number;
  dilationHeight: number;
  dilationWidth: number;
  /** Padding before the first row / column, as tfjs's padInfo.top / padInfo.left. */
  padTop: number;
  padLeft: number;
}

/** Rows of the patch matrix: one per output position (batch × outHeight × outWidth). */
export function patchCount(g: ConvGeometry): number {
  return g.batch * g.outHeight * g.outWidth;
}

/** Columns of the patch matrix: one per filter tap and input channel, in the filter's [h, w, in] order. */
export function patchLength(g: ConvGeometry): number {
  return g.filterHeight * g.filterWidth * g.inChannels;
}

/**
 * Writes the transposed patch matrix colsT[k][p] = x[b, yR·sh − top + wR·dh, yC·sw − left + wC·dw, c]
 * (zero in the padding), k = (wR·fw + wC)·inC + c, p = (b·outH + yR)·outW + yC. Transposed because the
 * filter gradient is colsT · dy, a product whose left factor the fast matrix product wants untransposed.
 */
export function im2colTransposed(x: Float32Array, g: ConvGeometry, colsT: Float32Array): void {
  const P = patchCount(g);
  const { inHeight: H, inWidth: W, inChannels: C, outHeight: OH, outWidth: OW } = g;
  for (let wR = 0; wR < g.filterHeight; wR++) {
    for (let wC = 0; wC < g.filterWidth; wC++) {
      for (let c = 0; c < C; c++) {
        const row = ((wR * g.filterWidth + wC) * C + c) * P;
        let p = 0;
        for (let b = 0; b < g.batch; b++) {
          const xBatch = b * H * W * C;
          for (let yR = 0; yR < OH; yR++) {
            const xR = yR * g.strideHeight - g.padTop + wR * g.dilationHeight;
            if (xR < 0 || xR >= H) {
              colsT.fill(0, row + p, row + p + OW);
              p += OW;
              continue;
            }
            const xRow = xBatch + xR * W * C + c;
            for (let yC = 0; yC < OW; yC++, p++) {
              const xC = yC * g.strideWidth - g.padLeft + wC * g.dilationWidth;
              colsT[row + p] = xC >= 0 && xC < W ? x[xRow + xC * C] : 0;
            }
          }
        }
      }
    }
  }
}

/**
 * Adds the patch-matrix gradient dcols[p][k] back onto the input gradient dx (the adjoint of im2col):
 * every input element collects the gradient of each patch it appeared in. dx must be zeroed by the caller.
 */
export function col2imAdd(dcols: Float32Array, g: ConvGeometry, dx: Float32Array): void {
  const K = patchLength(g);
  const { inHeight: H, inWidth: W, inChannels: C, outHeight: OH, outWidth: OW } = g;
  let p = 0;
  for (let b = 0; b < g.batch; b++) {
    const xBatch = b * H * W * C;
    for (let yR = 0; yR < OH; yR++) {
      for (let yC = 0; yC < OW; yC++, p++) {
        const rowStart = p * K;
        for (let wR = 0; wR < g.filterHeight; wR++) {
          const xR = yR * g.strideHeight - g.padTop + wR * g.dilationHeight;
          if (xR < 0 || xR >= H) continue;
          for (let wC = 0; wC < g.filterWidth; wC++) {
            const xC = yC * g.strideWidth - g.padLeft + wC * g.dilationWidth;
            if (xC < 0 || xC >= W) continue;
            const src = rowStart + (wR * g.filterWidth + wC) * C;
            const dst = xBatch + (xR * W + xC) * C;
            for (let c = 0; c < C; c++) dx[dst + c] += dcols[src + c];
          }
        }
      }
    }
  }
}
