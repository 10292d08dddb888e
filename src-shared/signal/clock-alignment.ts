// Clock alignment of a streaming device: host_ms = offsetMs + slope · device_ms, fitted on the lower envelope of
// (device time, host receive time). A sample's receive time is its true time plus a delay that is never negative
// and often large (USB/Bluetooth batching, a busy host), so the fastest-delivered samples trace the clock line
// while the rest lie above it; fitting through per-segment minima (Paxson's "minimum filter", as in NTP and
// Veitch et al. 2004, "Robust synchronization of software clocks across the internet") ignores the delays
// instead of averaging them in. slope − 1 is the device clock's drift relative to the host (× 1e6 for ppm).

export interface ClockFit {
  offsetMs: number;
  slope: number;
  /** Segments whose minima the line was fitted through. */
  segments: number;
  /** Largest distance of a kept envelope point from the line (ms): how well the envelope is a line. */
  envelopeSpreadMs: number;
}

function leastSquares(x: readonly number[], y: readonly number[]): { a: number; b: number } {
  const n = x.length;
  let mx = 0;
  let my = 0;
  for (let i = 0; i < n; i++) { mx += x[i]; my += y[i]; }
  mx /= n; my /= n;
  let sxy = 0;
  let sxx = 0;
  for (let i = 0; i < n; i++) { sxy += (x[i] - mx) * (y[i] - my); sxx += (x[i] - mx) ** 2; }
  const b = sxx > 0 ? sxy / sxx : 1;
  return { a: my - b * mx, b };
}

/**
 * Fits host = offset + slope · device over samples ordered by device time. `segments`: how many minima to fit
 * through (each segment should hold many samples so that its fastest delivery is close to the true line).
 */
export function fitClockLowerEnvelope(deviceMs: Float64Array, hostMs: Float64Array, segments = 64): ClockFit {
  const n = Math.min(deviceMs.length, hostMs.length);
  if (n === 0) return { offsetMs: 0, slope: 1, segments: 0, envelopeSpreadMs: 0 };
  if (n === 1) return { offsetMs: hostMs[0] - deviceMs[0], slope: 1, segments: 1, envelopeSpreadMs: 0 };
  const k = Math.max(2, Math.min(segments, Math.floor(n / 4) || 2));
  // Start from the slope between the first and last tenth's minima, then let the envelope refine it.
  let slope = (hostMs[n - 1] - hostMs[0]) / (deviceMs[n - 1] - deviceMs[0] || 1);
  let offset = hostMs[0] - slope * deviceMs[0];
  let kept: { x: number; y: number }[] = [];
  for (let iter = 0; iter < 3; iter++) {
    const pts: { x: number; y: number }[] = [];
    for (let s = 0; s < k; s++) {
      const lo = Math.floor((s * n) / k);
      const hi = Math.floor(((s + 1) * n) / k);
      let best = -1;
      let bestR = Infinity;
      for (let i = lo; i < hi; i++) {
        const r = hostMs[i] - slope * deviceMs[i];
        if (r < bestR) { bestR = r; best = i; }
      }
      if (best >= 0) pts.push({ x: deviceMs[best], y: hostMs[best] });
    }
    // A segment whose every sample came late (the host stalled throughout) lies above the line: drop the
    // minima more than 3 robust deviations above the median residual, then refit.
    let fit = leastSquares(pts.map((p) => p.x), pts.map((p) => p.y));
    const res = pts.map((p) => p.y - (fit.a + fit.b * p.x));
    const med = median(res);
    const mad = median(res.map((r) => Math.abs(r - med))) * 1.4826;
    kept = pts.filter((_, i) => res[i] - med <= Math.max(3 * mad, 1e-6));
    if (kept.length >= 2 && kept.length < pts.length) fit = leastSquares(kept.map((p) => p.x), kept.map((p) => p.y));
    slope = fit.b;
    offset = fit.a;
  }
  const spread = kept.reduce((m, p) => Math.max(m, Math.abs(p.y - (offset + slope * p.x))), 0);
  return { offsetMs: offset, slope, segments: kept.length, envelopeSpreadMs: spread };
}

function median(v: readonly number[]): number {
  const s = [...v].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}
