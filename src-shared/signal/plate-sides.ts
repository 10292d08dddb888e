// Which foot stood on a force plate. The force data cannot tell; gait labs decide from the foot markers: the
// foot whose heel/toe markers lie over the plate (inside its corners) and nearest the centre of pressure during
// the contact (Vicon Nexus's and Visual3D's automatic force-plate assignment work this way). Pure functions on
// channels already decoded; lab frame with Z up, lengths in mm.
import type { FootSide, PerSide } from './events/types';

/** How a plate contact got its side, stored with its events and stances ('manual': a technician's correction). */
export const PLATE_SIDE_RULES = ['mapping', 'markers', 'file_events', 'none', 'manual'] as const;
export type PlateSideRule = (typeof PLATE_SIDE_RULES)[number];

/** One foot's markers over time: x and y per marker (lab, mm), at one rate. */
export interface FootMarkers {
  names: string[];
  x: ArrayLike<number>[];
  y: ArrayLike<number>[];
  rateHz: number;
}

/** A channel as the marker rule reads it. */
export interface MarkerChannel {
  name: string;
  unit: string;
  rateHz: number | null;
  values: ArrayLike<number>;
}

/**
 * Foot marker names: a side letter or word, then heel, toe, ankle or metatarsal head, with an optional subject
 * prefix (`A22:LHEE`): LHEE/RHEE, LTOE/RTOE, LANK/RANK (Plug-in Gait), L_HEEL, R_MT_1, R_MT_5 (Qualisys,
 * c3d.org sample26), LEFT_HEEL, LMT5, …
 */
const FOOT_MARKER = /^(?:[^:]*:)?(L|R|LEFT|RIGHT)[_. -]?(HEE|HEEL|TOE|ANK|ANKLE|MTH?_?[1-5]|MET_?[1-5])_x$/i;
const MM_PER: Record<string, number> = { mm: 1, cm: 10, m: 1000 };

/** Each side's foot markers among the channels (`<marker>_x` / `_y` point channels in a length unit). */
export function footMarkers(channels: Iterable<MarkerChannel>): PerSide<FootMarkers> {
  const byName = new Map<string, MarkerChannel>();
  for (const c of channels) byName.set(c.name, c);
  const out: PerSide<FootMarkers> = {};
  for (const c of [...byName.values()].sort((a, b) => a.name.localeCompare(b.name))) {
    const m = FOOT_MARKER.exec(c.name);
    const scale = MM_PER[c.unit];
    if (!m || !scale || !c.rateHz) continue;
    const yChannel = byName.get(`${c.name.slice(0, -2)}_y`);
    if (!yChannel || yChannel.rateHz !== c.rateHz || yChannel.unit !== c.unit) continue;
    const side: FootSide = m[1].toUpperCase().startsWith('L') ? 'left' : 'right';
    const foot = (out[side] ??= { names: [], x: [], y: [], rateHz: c.rateHz });
    if (foot.rateHz !== c.rateHz) continue;
    foot.names.push(c.name.slice(0, -2));
    foot.x.push(scale === 1 ? c.values : Float64Array.from(c.values, (v) => v * scale));
    foot.y.push(scale === 1 ? yChannel.values : Float64Array.from(yChannel.values, (v) => v * scale));
  }
  return out;
}

/** Whether (x, y) lies inside the convex quadrilateral of the plate's four corners (lab mm, corner k at [3k, 3k+1]). */
export function insidePlate(x: number, y: number, cornersMm: ArrayLike<number>): boolean {
  let sign = 0;
  for (let k = 0; k < 4; k++) {
    const ax = cornersMm[3 * k], ay = cornersMm[3 * k + 1];
    const bx = cornersMm[3 * ((k + 1) % 4)], by = cornersMm[3 * ((k + 1) % 4) + 1];
    const cross = (bx - ax) * (y - ay) - (by - ay) * (x - ax);
    if (cross === 0) continue;
    if (sign === 0) sign = Math.sign(cross);
    else if (Math.sign(cross) !== sign) return false;
  }
  return true;
}

export interface MarkerSideEvidence {
  side: FootSide;
  /** Mean distance from the centre of pressure to the foot's marker centroid over the contact, mm. */
  copDistanceMm: number;
  /** The other foot's mean distance, mm; null where it has no markers or was not over the plate. */
  otherCopDistanceMm: number | null;
}

export interface PlateContactSignals {
  startS: number;
  endS: number;
  /** Centre of pressure, lab mm, at `copRateHz` from 0 s; NaN where undefined. */
  copX: ArrayLike<number>;
  copY: ArrayLike<number>;
  copRateHz: number;
  /** The plate's working-surface corners (lab mm, 12 values), or null where unknown (then every foot counts as over it). */
  cornersMm: ArrayLike<number> | null;
}

/** A foot is over the plate when at least this share of the contact's marker frames has a marker inside the corners. */
const OVER_PLATE_SHARE = 0.5;

/**
 * The foot over the plate nearest the centre of pressure during a contact, or null where no foot's markers
 * are over the plate (or none are visible). Each marker frame inside [startS, endS] counts where the COP and at
 * least one of the foot's markers are defined; the foot's position is its markers' centroid.
 */
export function sideFromMarkers(contact: PlateContactSignals, feet: PerSide<FootMarkers>): MarkerSideEvidence | null {
  const scores: { side: FootSide; distance: number }[] = [];
  for (const side of ['left', 'right'] as FootSide[]) {
    const foot = feet[side];
    if (!foot || foot.x.length === 0) continue;
    let frames = 0, over = 0, distanceSum = 0;
    const first = Math.max(0, Math.ceil(contact.startS * foot.rateHz));
    const last = Math.min(foot.x[0].length - 1, Math.floor(contact.endS * foot.rateHz));
    for (let f = first; f <= last; f++) {
      const c = Math.round((f / foot.rateHz) * contact.copRateHz);
      const cx = contact.copX[c], cy = contact.copY[c];
      if (!(Number.isFinite(cx) && Number.isFinite(cy))) continue;
      let sx = 0, sy = 0, n = 0, inside = contact.cornersMm === null;
      for (let m = 0; m < foot.x.length; m++) {
        const x = foot.x[m][f], y = foot.y[m][f];
        if (!(Number.isFinite(x) && Number.isFinite(y))) continue;
        sx += x; sy += y; n++;
        if (!inside && insidePlate(x, y, contact.cornersMm!)) inside = true;
      }
      if (n === 0) continue;
      frames++;
      if (inside) over++;
      distanceSum += Math.hypot(sx / n - cx, sy / n - cy);
    }
    if (frames > 0 && over >= OVER_PLATE_SHARE * frames) scores.push({ side, distance: distanceSum / frames });
  }
  if (scores.length === 0) return null;
  scores.sort((a, b) => a.distance - b.distance);
  return { side: scores[0].side, copDistanceMm: scores[0].distance, otherCopDistanceMm: scores[1]?.distance ?? null };
}
