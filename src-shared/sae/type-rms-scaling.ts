// `type-rms` scaling of wavelet coefficients (methods-spec §5.2.3): per channel, centre by the mean coefficient
// vector μ_c and divide by one RMS s_c over all of that channel's coefficients, so forces (BW) and COP (m) enter
// the model on the same footing while the shape of each block is kept. Never unit-norm scaling (the SVAE collapses).

export interface ChannelScaling {
  /** Mean coefficient vector of the channel (length = coefficients per block). */
  mean: number[];
  /** One RMS per channel; 1 when the channel is constant (s < 1e-12). */
  scale: number;
}

export type ScalingKind = 'type-rms' | 'none';

/**
 * Fit the scaling on training rows only. Rows are row-major `rows × (blocks·blockSize)`; channel c of a row is
 * the block [c·blockSize, (c+1)·blockSize). For the per-curve layout pass `blockOf` to say which channel a row is.
 */
export function fitScaling(values: Float64Array, rows: number, dim: number, blockSize: number, kind: ScalingKind,
  blockOf?: (row: number) => number, channels = dim / blockSize): ChannelScaling[] {
  const blocksPerRow = dim / blockSize;
  if (!Number.isInteger(blocksPerRow)) throw new RangeError(`dim ${dim} is not a multiple of ${blockSize}`);
  const out: ChannelScaling[] = Array.from({ length: channels }, () => ({ mean: new Array<number>(blockSize).fill(0), scale: 1 }));
  if (kind === 'none') return out;
  const counts = new Array<number>(channels).fill(0);
  const channelOf = (r: number, b: number) => (blockOf ? blockOf(r) : b);
  for (let r = 0; r < rows; r++) {
    for (let b = 0; b < blocksPerRow; b++) {
      const c = channelOf(r, b);
      counts[c]++;
      const m = out[c].mean;
      const off = r * dim + b * blockSize;
      for (let p = 0; p < blockSize; p++) m[p] += values[off + p];
    }
  }
  out.forEach((o, c) => { if (counts[c] > 0) for (let p = 0; p < blockSize; p++) o.mean[p] /= counts[c]; });
  const sumSq = new Array<number>(channels).fill(0);
  for (let r = 0; r < rows; r++) {
    for (let b = 0; b < blocksPerRow; b++) {
      const c = channelOf(r, b);
      const m = out[c].mean;
      const off = r * dim + b * blockSize;
      for (let p = 0; p < blockSize; p++) { const d = values[off + p] - m[p]; sumSq[c] += d * d; }
    }
  }
  out.forEach((o, c) => {
    const s = counts[c] > 0 ? Math.sqrt(sumSq[c] / (counts[c] * blockSize)) : 0;
    o.scale = s < 1e-12 ? 1 : s;
  });
  return out;
}

/** x̃ = (x − μ_c)/s_c, block by block; returns a new float64 array. */
export function applyScaling(values: Float64Array, dim: number, blockSize: number, scaling: readonly ChannelScaling[],
  blockOf?: (row: number) => number): Float64Array {
  return mapBlocks(values, dim, blockSize, scaling, blockOf, (v, m, s) => (v - m) / s);
}

/** x = μ_c + s_c x̃, the inverse of applyScaling. */
export function invertScaling(values: Float64Array, dim: number, blockSize: number, scaling: readonly ChannelScaling[],
  blockOf?: (row: number) => number): Float64Array {
  return mapBlocks(values, dim, blockSize, scaling, blockOf, (v, m, s) => m + s * v);
}

function mapBlocks(values: Float64Array, dim: number, blockSize: number, scaling: readonly ChannelScaling[],
  blockOf: ((row: number) => number) | undefined, f: (v: number, mean: number, scale: number) => number): Float64Array {
  const out = new Float64Array(values.length);
  const rows = values.length / dim;
  const blocksPerRow = dim / blockSize;
  for (let r = 0; r < rows; r++) {
    for (let b = 0; b < blocksPerRow; b++) {
      const sc = scaling[blockOf ? blockOf(r) : b];
      const off = r * dim + b * blockSize;
      for (let p = 0; p < blockSize; p++) out[off + p] = f(values[off + p], sc.mean[p], sc.scale);
    }
  }
  return out;
}
