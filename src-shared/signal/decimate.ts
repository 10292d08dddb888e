/**
 * Min–max decimation for display: each of ⌊maxPoints / 2⌋ buckets keeps its smallest and largest
 * sample in time order, so peaks (heel strikes, force maxima) survive however far a trace is reduced.
 * Returns the kept sample indices.
 */
export function minMaxDecimationIndices(values: ArrayLike<number>, maxPoints: number): Uint32Array {
  const n = values.length;
  if (n <= maxPoints) return Uint32Array.from({ length: n }, (_, i) => i);
  const buckets = Math.max(1, Math.floor(maxPoints / 2));
  const out = new Uint32Array(buckets * 2);
  let k = 0;
  for (let b = 0; b < buckets; b++) {
    const start = Math.floor((b * n) / buckets);
    const end = Math.floor(((b + 1) * n) / buckets);
    let lo = start, hi = start;
    for (let i = start + 1; i < end; i++) {
      if (values[i] < values[lo]) lo = i;
      if (values[i] > values[hi]) hi = i;
    }
    if (lo === hi) out[k++] = lo;
    else if (lo < hi) { out[k++] = lo; out[k++] = hi; }
    else { out[k++] = hi; out[k++] = lo; }
  }
  return out.subarray(0, k);
}
