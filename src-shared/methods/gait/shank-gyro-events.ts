// Shank gyroscopes (HuGaDB): ShankGyroEvents on each shank's sagittal angular velocity. In HuGaDB that is
// gyro y (its README: the dominant flexion/extension axis); the sign is not documented, so by default both are
// tried and the one whose strides have a plausible stance is kept.
import { SHANK_GYRO_DEFAULTS, ShankGyroEvents, type ShankGyroParams } from '../../signal/events/shank-gyro';
import type { FootSide, GaitEvent } from '../../signal/events/types';
import { defineParams } from '../params';
import { byName, defineEventDetector } from './detector';
import { pickSides, rateOf } from './trial-signals';

export interface ShankGyroEventsParams extends Omit<ShankGyroParams, 'swingSign'> {
  /** 1 or −1 as for ShankGyroEvents; 'auto' runs both and keeps the one with more plausible stances. */
  swingSign: 1 | -1 | 'auto';
}

const SIDES = { left: 'left_shank_gyro_y', right: 'right_shank_gyro_y' };
const d = SHANK_GYRO_DEFAULTS;

export const shankGyroEventsParams = defineParams<ShankGyroEventsParams>('ShankGyroEvents', {
  swingSign: { type: 'choice', values: ['auto', 1, -1], default: 'auto', description: '+1 if forward shank rotation is positive, −1 to flip, auto to choose by plausible stance' },
  lowPassHz: { type: 'number', unit: 'Hz', default: d.lowPassHz, min: 0, max: 100, minExclusive: true, nullable: true, description: 'zero-phase Butterworth cutoff; null for no filtering' },
  msMinDegS: { type: 'number', unit: 'deg/s', default: d.msMinDegS, min: 0, max: 1000, description: 'a mid-swing peak exceeds this (Salarian et al. 2004: 50 deg/s)' },
  minStrideS: { type: 'number', unit: 's', default: d.minStrideS, min: 0, max: 5, minExclusive: true, description: 'two mid-swing peaks of one leg are at least this far apart' },
  searchWindowS: { type: 'number', unit: 's', default: d.searchWindowS, min: 0, max: 5, minExclusive: true, description: 'IC and FC are searched within this time after / before mid-swing' },
  icMaxDegS: { type: 'number', unit: 'deg/s', default: d.icMaxDegS, min: -500, max: 500, description: 'initial contact is a minimum below this' },
  fcMaxDegS: { type: 'number', unit: 'deg/s', default: d.fcMaxDegS, min: -500, max: 500, description: 'final contact is a minimum below this' },
});

/** Share of strides (initial contact → next one, per side) with a final contact strictly inside at 40–80 %. */
export function plausibleStanceFraction(events: readonly GaitEvent[]): number {
  let strides = 0, plausible = 0;
  for (const side of ['left', 'right'] as FootSide[]) {
    const ic = events.filter((e) => e.side === side && e.label === 'initial_contact').map((e) => e.timeS);
    const fc = events.filter((e) => e.side === side && e.label === 'final_contact').map((e) => e.timeS);
    for (let k = 0; k + 1 < ic.length; k++) {
      strides++;
      const off = fc.find((t) => t > ic[k] && t < ic[k + 1]);
      if (off === undefined) continue;
      const stance = (100 * (off - ic[k])) / (ic[k + 1] - ic[k]);
      if (stance >= 40 && stance <= 80) plausible++;
    }
  }
  return strides ? plausible / strides : 0;
}

export const shankGyroEvents = defineEventDetector<ShankGyroEventsParams>({
  name: ShankGyroEvents.source,
  version: '1.0.0',
  description: 'mid-swing, initial and final contact from sagittal shank angular velocity (Aminian et al. 2002; Salarian et al. 2004)',
  needs: '<side>_shank_gyro_y (sagittal shank angular velocity, deg/s)',
  params: shankGyroEventsParams,
  matches: (ch) => Object.values(SIDES).some((name) => byName(ch, name)?.unit === 'deg/s'),
  curveChannels: () => SIDES,
  detect({ channels }, params) {
    const sides = pickSides(channels, SIDES);
    const first = sides.left ?? sides.right;
    if (!first) return [];
    const input = { rateHz: rateOf(first), left: sides.left?.values, right: sides.right?.values };
    const { swingSign, ...rest } = params;
    if (swingSign !== 'auto') return new ShankGyroEvents({ ...rest, swingSign }).run(input);
    const runs = ([1, -1] as const).map((sign) => {
      const events = new ShankGyroEvents({ ...rest, swingSign: sign }).run(input);
      return { events: events.map((e) => ({ ...e, params: { ...e.params, swingSignChosen: sign, swingSignChosenBy: 'plausible stance (40–80 % of the stride)' } })), score: plausibleStanceFraction(events) };
    });
    return (runs[0].score >= runs[1].score ? runs[0] : runs[1]).events;
  },
});
