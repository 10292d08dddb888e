// Motion capture without plates under every step: KinematicEvents (Zeni et al. 2008) on the heel, toe and
// pelvis markers. Marker labels are parameters (Plug-in-Gait's by default); a subject prefix (`A22:`) is found
// by itself; the pelvis is SACR (or SACRUM, VSAC) or else the mean of LPSI and RPSI.
import { ZENI_DEFAULTS, ZeniEvents, type MarkerTrack, type ZeniParams } from '../../signal/events/zeni';
import type { FootSide } from '../../signal/events/types';
import { defineParams } from '../params';
import { defineEventDetector } from './detector';
import { METRES_PER, resolveMarkers } from './marker-names';
import type { ChannelMeta, TrialChannel } from './trial-signals';

export interface KinematicEventsParams extends ZeniParams {
  leftHeel: string;
  rightHeel: string;
  leftToe: string;
  rightToe: string;
  /** The sacrum marker; 'auto': SACR, SACRUM or VSAC, else the mean of LPSI and RPSI. */
  pelvis: string;
}

const marker = (side: string, part: string, def: string) => ({
  type: 'text' as const, default: def, pattern: '[A-Za-z0-9_.-]{1,48}', patternText: 'a marker label (letters, digits, _ . -; no subject prefix)',
  description: `${side} ${part} marker (its _x/_y/_z channels; a subject prefix such as A22: is found by itself)`,
});
const z = ZENI_DEFAULTS;

export const kinematicEventsParams = defineParams<KinematicEventsParams>('KinematicEvents', {
  lowPassHz: { type: 'number', unit: 'Hz', default: z.lowPassHz, min: 0, max: 100, minExclusive: true, nullable: true, description: 'zero-phase Butterworth cutoff on the relative positions; null for none' },
  minProminenceM: { type: 'number', unit: 'm', default: z.minProminenceM, min: 0, max: 1, description: 'tolerance: a heel maximum or toe minimum counts when it stands out by this much' },
  minStrideS: { type: 'number', unit: 's', default: z.minStrideS, min: 0, max: 5, minExclusive: true, description: 'two events of one kind and foot are at least this far apart' },
  leftHeel: marker('left', 'heel', 'LHEE'),
  rightHeel: marker('right', 'heel', 'RHEE'),
  leftToe: marker('left', 'toe', 'LTOE'),
  rightToe: marker('right', 'toe', 'RTOE'),
  pelvis: { ...marker('pelvis', 'sacrum', 'auto'), description: "sacrum marker; auto: SACR, SACRUM or VSAC, else the mean of LPSI and RPSI" },
});

type Wanted = 'leftHeel' | 'rightHeel' | 'leftToe' | 'rightToe' | 'pelvis' | 'lpsi' | 'rpsi';

function wantedMarkers(p: KinematicEventsParams, withPsis: boolean): Partial<Record<Wanted, readonly string[]>> {
  const feet = { leftHeel: [p.leftHeel], rightHeel: [p.rightHeel], leftToe: [p.leftToe], rightToe: [p.rightToe] };
  if (p.pelvis !== 'auto') return { ...feet, pelvis: [p.pelvis] };
  return withPsis ? { ...feet, lpsi: ['LPSI'], rpsi: ['RPSI'] } : { ...feet, pelvis: ['SACR', 'SACRUM', 'VSAC'] };
}

/** The marker stems the parameters name in these channels, or the markers missing (in one phrase). */
export function kinematicMarkers(channels: readonly ChannelMeta[], p: KinematicEventsParams): { stems: Partial<Record<Wanted, string>>; missing: string[] } {
  const sacrum = resolveMarkers(channels, wantedMarkers(p, false) as Record<Wanted, readonly string[]>);
  if (p.pelvis !== 'auto' || sacrum.missing.length === 0) return sacrum;
  const psis = resolveMarkers(channels, wantedMarkers(p, true) as Record<Wanted, readonly string[]>);
  if (psis.missing.length === 0) return psis;
  // Name what is missing with the sacrum's alternatives spelled out.
  const feet = sacrum.missing.filter((m) => !m.startsWith('SACR'));
  return { stems: sacrum.stems, missing: [...feet, ...(sacrum.stems.pelvis ? [] : ['SACR or SACRUM or VSAC or (LPSI and RPSI)'])] };
}

function track(channels: ReadonlyMap<string, TrialChannel>, stem: string): MarkerTrack {
  const [x, y, z] = ['_x', '_y', '_z'].map((k) => {
    const c = channels.get(`${stem}${k}`)!;
    const f = METRES_PER[c.unit];
    return Float64Array.from(c.values, (v) => v * f);
  });
  return { x, y, z };
}

const mid = (a: MarkerTrack, b: MarkerTrack): MarkerTrack => {
  const m = (u: ArrayLike<number>, v: ArrayLike<number>) => Float64Array.from(u, (x, i) => (x + v[i]) / 2);
  return { x: m(a.x, b.x), y: m(a.y, b.y), z: m(a.z, b.z) };
};

export const kinematicEvents = defineEventDetector<KinematicEventsParams>({
  name: ZeniEvents.source,
  version: '1.0.0',
  description: 'foot strike at the heel\'s and foot off at the toe\'s extreme position relative to the sacrum along the direction of progression (Zeni et al. 2008)',
  needs: 'heel, toe and sacrum (or LPSI/RPSI) markers: LHEE/RHEE, LTOE/RTOE, SACR by default',
  params: kinematicEventsParams,
  // Never chosen by itself: plates and the file's events come first; extractCycles or the user runs it by name.
  matches: () => false,
  missing: (channels, p) => kinematicMarkers(channels, p).missing,
  curveChannels: () => ({}),
  detect({ channels }, p) {
    const { stems, missing } = kinematicMarkers([...channels.values()], p);
    if (missing.length) throw new RangeError(`KinematicEvents: the trial has no valid samples of marker ${missing.join(', ')}`);
    const get = (k: Wanted) => track(channels, stems[k]!);
    const pelvis = stems.pelvis ? get('pelvis') : mid(get('lpsi'), get('rpsi'));
    const rateHz = channels.get(`${stems.leftHeel}_x`)!.rateHz!;
    const side = (l: Wanted, r: Wanted) => ({ left: get(l), right: get(r) }) as Record<FootSide, MarkerTrack>;
    const { events, axes } = new ZeniEvents(p).run({ rateHz, pelvis, heel: side('leftHeel', 'rightHeel'), toe: side('leftToe', 'rightToe') });
    const markers = Object.fromEntries(Object.entries(stems));
    return events.map((e) => ({ ...e, params: { ...e.params, markers, verticalAxis: 'xyz'[axes.verticalAxis], direction: axes.direction.map((v) => Math.round(v * 1e4) / 1e4) } }));
  },
});
