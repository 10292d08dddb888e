// The activation histogram of one feature (methods-spec §2.5(2), §5.2.6): how its values spread over the samples,
// which tells bimodal, unimodal and silent features apart. A ReLU code is exactly 0 wherever the feature is silent,
// so those samples are counted apart (`atZero`) and the bins cover the positive values only; SVAE means are signed
// and binned whole.

export interface ActivationHistogram { low: number; high: number; counts: number[]; atZero: number }

export function activationHistogram(codes: ArrayLike<number>, rows: number, k: number, feature: number, kind: 'relu' | 'signed', bins = 20): ActivationHistogram {
  let low = Infinity, high = -Infinity, atZero = 0;
  for (let n = 0; n < rows; n++) {
    const v = codes[n * k + feature];
    if (kind === 'relu' && v === 0) { atZero++; continue; }
    if (v < low) low = v;
    if (v > high) high = v;
  }
  const counts = new Array<number>(bins).fill(0);
  if (low > high) return { low: 0, high: 0, counts, atZero };
  const width = (high - low) / bins;
  for (let n = 0; n < rows; n++) {
    const v = codes[n * k + feature];
    if (kind === 'relu' && v === 0) continue;
    // The maximum falls in the last bin, as numpy.histogram closes it.
    counts[width > 0 ? Math.min(bins - 1, Math.floor((v - low) / width)) : 0]++;
  }
  return { low, high, counts, atZero };
}
