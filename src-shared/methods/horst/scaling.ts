// Input scaling of spec §5.1.2: per channel min–max to [−1, 1], fitted on the training trials of each run only
// (all their samples); validation and test use the same constants unclipped; a constant channel maps to 0.
export interface ChannelScaling { min: Float64Array; max: Float64Array }

/** Constants over the given rows of x (rows × channels·points, channel-major). */
export function fitChannelScaling(x: ArrayLike<number>, rows: readonly number[], channels: number, points: number): ChannelScaling {
  const min = new Float64Array(channels).fill(Infinity);
  const max = new Float64Array(channels).fill(-Infinity);
  const width = channels * points;
  for (const r of rows) {
    for (let c = 0; c < channels; c++) {
      const base = r * width + c * points;
      for (let t = 0; t < points; t++) {
        const v = x[base + t];
        if (v < min[c]) min[c] = v;
        if (v > max[c]) max[c] = v;
      }
    }
  }
  return { min, max };
}

/** x' = 2(x − m_c)/(M_c − m_c) − 1 for the given rows, as float32 rows (in the order given). */
export function applyChannelScaling(x: ArrayLike<number>, rows: readonly number[], channels: number, points: number, s: ChannelScaling): Float32Array {
  const width = channels * points;
  const out = new Float32Array(rows.length * width);
  rows.forEach((r, k) => {
    for (let c = 0; c < channels; c++) {
      const range = s.max[c] - s.min[c];
      const base = r * width + c * points;
      const outBase = k * width + c * points;
      for (let t = 0; t < points; t++) out[outBase + t] = range > 0 ? (2 * (x[base + t] - s.min[c])) / range - 1 : 0;
    }
  });
  return out;
}
