// How far a trial's markers move over the floor: a walk carries them metres along the walkway, a static
// (calibration) trial keeps them within a few centimetres of where they stand. Pure, on typed arrays.

/** One marker's horizontal coordinates (x, y) in millimetres; NaN where the marker was not seen. */
export interface MarkerTrack { x: Float32Array | Float64Array; y: Float32Array | Float64Array }

/** The larger of the x and y ranges of one marker, ignoring NaN; null when it was never seen. */
export function horizontalRangeMm(t: MarkerTrack): number | null {
  let minX = Infinity, maxX = -Infinity, minY = Infinity, maxY = -Infinity;
  for (let i = 0; i < t.x.length; i++) {
    const x = t.x[i], y = t.y[i];
    if (Number.isNaN(x) || Number.isNaN(y)) continue;
    if (x < minX) minX = x;
    if (x > maxX) maxX = x;
    if (y < minY) minY = y;
    if (y > maxY) maxY = y;
  }
  return maxX >= minX ? Math.max(maxX - minX, maxY - minY) : null;
}

/**
 * The median over markers of each marker's horizontal range (mm): one marker waved about, or a few
 * mislabelled ones, do not decide. Null when no marker was seen.
 */
export function medianMarkerTravelMm(tracks: MarkerTrack[]): number | null {
  const ranges = tracks.map(horizontalRangeMm).filter((r): r is number => r !== null).sort((a, b) => a - b);
  if (ranges.length === 0) return null;
  const m = ranges.length >> 1;
  return ranges.length % 2 ? ranges[m] : (ranges[m - 1] + ranges[m]) / 2;
}

/** Below this median travel a trial is a standing (static) one: sway is centimetres, a walk metres. */
export const STATIC_TRAVEL_MM = 150;
