/**
 * Fills undefined samples (NaN: dropped packets, invalid markers) so that filters and detectors see a
 * continuous signal: interior runs are linearly interpolated between their finite neighbours, leading and
 * trailing runs hold the nearest finite value. Returns the input itself when it has no gap, and null when
 * it has no finite sample at all.
 */
export function fillGaps(values: Float32Array): { values: Float32Array; filled: number } | null {
  let first = -1;
  let gaps = 0;
  for (let i = 0; i < values.length; i++) {
    if (Number.isNaN(values[i])) gaps++;
    else if (first < 0) first = i;
  }
  if (gaps === 0) return { values, filled: 0 };
  if (first < 0) return null;
  const out = Float32Array.from(values);
  for (let i = 0; i < first; i++) out[i] = out[first];
  let last = first;
  for (let i = first + 1; i < out.length; i++) {
    if (Number.isNaN(out[i])) continue;
    if (i - last > 1) {
      const a = out[last], b = out[i];
      for (let k = last + 1; k < i; k++) out[k] = a + ((b - a) * (k - last)) / (i - last);
    }
    last = i;
  }
  for (let i = last + 1; i < out.length; i++) out[i] = out[last];
  return { values: out, filled: gaps };
}
