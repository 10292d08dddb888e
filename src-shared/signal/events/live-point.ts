// Which points of a live stream a running gait estimate takes, one rule for every live estimator: a point needs a
// value and a device time after the last point it took, and a hole longer than maxGapS (lost samples, a dropped
// link) means what happened meanwhile is unknown, so the estimator restarts rather than joining the two sides.

/**
 * `skip`: no finite value or time, or not after the last point taken (a repeat, a late one): ignore it.
 * `after-gap`: more than maxGapS after the last point taken: restart, then take it. `next`: take it.
 */
export type LivePointOrder = 'skip' | 'after-gap' | 'next';

/** How a stream's next point at `timeS` stands to the last one taken at `lastS` (NaN before the first). */
export function livePointOrder(lastS: number, timeS: number, value: number, maxGapS: number): LivePointOrder {
  if (!Number.isFinite(value) || !Number.isFinite(timeS)) return 'skip';
  if (Number.isNaN(lastS)) return 'next';
  if (!(timeS > lastS)) return 'skip';
  return timeS - lastS > maxGapS ? 'after-gap' : 'next';
}
