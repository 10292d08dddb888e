// Cycle extraction as methods: gait cycles and stances from events (GaitCycleSegmentation) and force-plate
// stances per plate contact (PlateStances). Their plausibility ranges and curve length are parameters, stored
// with every extraction.
import { CYCLE_DEFAULTS, GaitCycleSegmentation, type CycleInput, type CycleParams, type CycleResult } from '../../signal/cycles';
import { PLATE_STANCE_DEFAULTS, plateStances, type PlateContactEvent, type PlateStance, type PlateStanceParams } from '../../signal/plate-stances';
import { defineTransform } from '../contract';
import { defineParams } from '../params';

const c = CYCLE_DEFAULTS;

export const cycleSegmentationParams = defineParams<CycleParams>('GaitCycleSegmentation', {
  minCycleS: { type: 'number', unit: 's', default: c.minCycleS, min: 0, max: 10, minExclusive: true, description: 'shortest plausible gait cycle' },
  maxCycleS: { type: 'number', unit: 's', default: c.maxCycleS, min: 0, max: 20, minExclusive: true, description: 'longest plausible gait cycle' },
  outlierMads: { type: 'number', unit: '', default: c.outlierMads, min: 0, max: 20, minExclusive: true, description: 'duration outlier beyond median ± this × 1.4826·MAD (Leys et al. 2013)' },
  outlierFloorS: { type: 'number', unit: 's', default: c.outlierFloorS, min: 0, max: 1, description: 'floor of 1.4826·MAD' },
  outlierMinCycles: { type: 'number', unit: 'cycles', default: c.outlierMinCycles, min: 2, max: 1000, integer: true, description: 'the outlier rule needs this many complete cycles on the side' },
  minStancePercent: { type: 'number', unit: '%', default: c.minStancePercent, min: 0, max: 100, description: 'shortest plausible stance, % of the cycle' },
  maxStancePercent: { type: 'number', unit: '%', default: c.maxStancePercent, min: 0, max: 100, description: 'longest plausible stance, % of the cycle' },
  points: { type: 'number', unit: 'points', default: c.points, min: 2, max: 1001, integer: true, description: 'points per normalised curve (101: 0, 1, …, 100 %)' },
  excludeTurns: { type: 'boolean', default: c.excludeTurns, description: 'cycles overlapping a turn (flagged in_turn) are left out of the summaries: straight-walking parameters' },
}, [
  { holds: (p) => p.minCycleS < p.maxCycleS, message: (p) => `parameter minCycleS = ${p.minCycleS} is out of range (0 < minCycleS < maxCycleS = ${p.maxCycleS} s)` },
  { holds: (p) => p.minStancePercent < p.maxStancePercent, message: (p) => `parameter minStancePercent = ${p.minStancePercent} is out of range (0 ≤ minStancePercent < maxStancePercent = ${p.maxStancePercent} %)` },
]);

export const cycleSegmentation = defineTransform<CycleParams, CycleInput, CycleResult>({
  name: 'GaitCycleSegmentation',
  // 1.1.0: cycles and stances overlapping a turn are flagged in_turn; excludeTurns.
  version: '1.1.0',
  role: 'cycles',
  description: 'gait cycles (IC → next IC) and stances (IC → FC) per side, time-normalised, flagged not dropped',
  params: cycleSegmentationParams,
  apply(input, params) {
    const result = new GaitCycleSegmentation(params).run(input);
    const flagged = (xs: { flags: unknown[] }[]) => xs.filter((x) => x.flags.length).length;
    return {
      output: result,
      summary: {
        cycles: result.cycles.length, stances: result.stances.length, flaggedCycles: flagged(result.cycles), flaggedStances: flagged(result.stances),
        turns: input.turns?.length ?? 0, cyclesInTurns: result.cycles.filter((x) => x.flags.includes('in_turn')).length,
      },
    };
  },
});

const s = PLATE_STANCE_DEFAULTS;

export const plateStancesParams = defineParams<PlateStanceParams>('PlateStances', {
  minStanceS: { type: 'number', unit: 's', default: s.minStanceS, min: 0, max: 10, minExclusive: true, description: 'shortest plausible stance on a plate (fast walking)' },
  maxStanceS: { type: 'number', unit: 's', default: s.maxStanceS, min: 0, max: 20, minExclusive: true, description: 'longest plausible stance on a plate (very slow gait)' },
  points: { type: 'number', unit: 'points', default: s.points, min: 2, max: 1001, integer: true, description: 'points per normalised curve' },
}, [{ holds: (p) => p.minStanceS < p.maxStanceS, message: (p) => `parameter minStanceS = ${p.minStanceS} is out of range (0 < minStanceS < maxStanceS = ${p.maxStanceS} s)` }]);

export interface PlateStanceInput {
  events: PlateContactEvent[];
  /** Per plate, the force components to normalise with their rate (samples start at 0 s). */
  components: Record<string, { name: string; values: ArrayLike<number>; rateHz: number }[]>;
}

export const plateStanceExtraction = defineTransform<PlateStanceParams, PlateStanceInput, PlateStance[]>({
  name: 'PlateStances',
  version: '1.0.0',
  role: 'cycles',
  description: 'one stance per force-plate contact, each force component time-normalised over 0–100 % of stance',
  params: plateStancesParams,
  apply(input, params) {
    const stances = plateStances(input.events, input.components, params);
    return { output: stances, summary: { stances: stances.length, flagged: stances.filter((x) => x.flags.length).length } };
  },
});
