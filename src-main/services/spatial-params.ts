// Spatial parameters of a trial's strides where its markers allow: heel (or, where the heel is never seen, the
// lateral malleolus), toe and sacrum (or LPSI/RPSI) markers found as KinematicEvents finds them, in metres.
import { kinematicEventsParams, kinematicMarkers, METRES_PER, type TrialChannel } from '../../src-shared/methods';
import { countsInSummaries, type GaitCycle } from '../../src-shared/signal/cycles';
import type { MarkerTrack } from '../../src-shared/signal/events/zeni';
import { spatialStrides, type SpatialStride } from '../../src-shared/signal/spatial-parameters';

export interface TrialSpatial { strides: SpatialStride[]; markers: Record<string, string> }

function track(channels: ReadonlyMap<string, TrialChannel>, stem: string): MarkerTrack {
  const [x, y, z] = ['_x', '_y', '_z'].map((k) => {
    const c = channels.get(`${stem}${k}`)!;
    return Float64Array.from(c.values, (v) => v * METRES_PER[c.unit]);
  });
  return { x, y, z };
}

/** Per-stride spatial parameters of the cycles that count in summaries; null where the trial lacks the markers. */
export function trialSpatial(channels: ReadonlyMap<string, TrialChannel>, cycles: GaitCycle[], excludeTurns: boolean): TrialSpatial | null {
  const list = [...channels.values()];
  const defaults = kinematicEventsParams.defaults();
  let found = kinematicMarkers(list, defaults);
  if (found.missing.length) found = kinematicMarkers(list, { ...defaults, leftHeel: 'LANK', rightHeel: 'RANK' });
  if (found.missing.length) return null;
  const stems = found.stems as Record<string, string>;
  const pelvisTrack = stems.pelvis ? track(channels, stems.pelvis) : midpoint(track(channels, stems.lpsi), track(channels, stems.rpsi));
  const rateHz = channels.get(`${stems.leftHeel}_x`)!.rateHz!;
  const strides = cycles
    .filter((c) => c.durationS !== null && countsInSummaries(c.flags, { excludeTurns }))
    .map((c) => ({ side: c.side, strikeS: c.interval.startS, nextStrikeS: c.interval.endS, footOffS: c.finalContactS }));
  if (strides.length === 0) return null;
  const signals = {
    rateHz, pelvis: pelvisTrack,
    heel: { left: track(channels, stems.leftHeel), right: track(channels, stems.rightHeel) },
    toe: { left: track(channels, stems.leftToe), right: track(channels, stems.rightToe) },
  };
  return { strides: spatialStrides(signals, strides), markers: stems };
}

function midpoint(a: MarkerTrack, b: MarkerTrack): MarkerTrack {
  const m = (u: ArrayLike<number>, v: ArrayLike<number>) => Float64Array.from(u, (x, i) => (x + v[i]) / 2);
  return { x: m(a.x, b.x), y: m(a.y, b.y), z: m(a.z, b.z) };
}
