// gaitpdb pressure insoles: InsoleEvents on each foot's total vertical force (L_total, R_total).
import { INSOLE_DEFAULTS, InsoleEvents, type InsoleParams } from '../../signal/events/insole';
import { defineParams } from '../params';
import { byName, defineEventDetector } from './detector';
import { pickSides, rateOf } from './trial-signals';

const SIDES = { left: 'L_total', right: 'R_total' };
const d = INSOLE_DEFAULTS;

export const insoleEventsParams = defineParams<InsoleParams>('InsoleEvents', {
  onFraction: { type: 'number', unit: '', default: d.onFraction, min: 0, max: 1, minExclusive: true, description: 'contact starts at baseline + this × the median stance force' },
  offFraction: { type: 'number', unit: '', default: d.offFraction, min: 0, max: 1, minExclusive: true, description: 'contact ends at baseline + this × the median stance force' },
  baselineWindowS: { type: 'number', unit: 's', default: d.baselineWindowS, min: 0, max: 60, minExclusive: true, description: 'running-minimum window that tracks the insole offset' },
  loadedFraction: { type: 'number', unit: '', default: d.loadedFraction, min: 0, max: 1, minExclusive: true, maxExclusive: true, description: 'loaded samples are above this × P95 of the load' },
  minContactS: { type: 'number', unit: 's', default: d.minContactS, min: 0, max: 2, description: 'shorter contacts are dropped' },
  minGapS: { type: 'number', unit: 's', default: d.minGapS, min: 0, max: 1, description: 'shorter unloadings inside a contact are ignored' },
}, [{
  holds: (p) => p.offFraction <= p.onFraction,
  message: (p) => `parameter offFraction = ${p.offFraction} is out of range (0 < offFraction ≤ onFraction = ${p.onFraction}: the hysteresis needs on ≥ off)`,
}]);

export const insoleEvents = defineEventDetector<InsoleParams>({
  name: InsoleEvents.source,
  version: '1.0.0',
  description: 'initial and final contacts from pressure-insole total force, thresholds relative to each foot’s load (Hausdorff et al. 1995)',
  needs: 'L_total and R_total (insole total force, N)',
  params: insoleEventsParams,
  matches: (ch) => byName(ch, 'L_total')?.unit === 'N' && byName(ch, 'R_total')?.unit === 'N',
  curveChannels: () => SIDES,
  detect({ channels }, params) {
    const sides = pickSides(channels, SIDES);
    if (!sides.left || !sides.right) return [];
    return new InsoleEvents(params).run({ rateHz: rateOf(sides.left), left: sides.left.values, right: sides.right.values });
  },
});
