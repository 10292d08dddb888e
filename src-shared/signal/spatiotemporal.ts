// Temporal gait parameters per stride and per trial (definitions as Perry & Burnfield, Gait Analysis, 2nd ed.,
// ch. 1; variability as the coefficient of variation, Hausdorff 2005 J NeuroEng Rehabil 2:19). Each stride of a
// side runs from its initial contact (IC) to the next; in it the other foot's final contact (FC) ends the initial
// double support and the other foot's IC starts the terminal double support, which ends at this foot's FC.
import { countsInSummaries, type CycleParams, type GaitCycle } from './cycles';
import { mean, standardDeviation } from './stats';
import { FOOT_SIDES, type FootSide, type GaitEvent } from './events/types';

export interface Quantity<U extends string = string> {
  value: number | null;
  unit: U;
}

export interface StrideParameters {
  side: FootSide;
  /** The cycle's index among its side's cycles. */
  cycleIndex: number;
  startS: number;
  strideTime: Quantity<'s'>;
  stanceTime: Quantity<'s'>;
  swingTime: Quantity<'s'>;
  stance: Quantity<'%'>;
  swing: Quantity<'%'>;
  /** Other foot's IC → this foot's next IC (the step that ends this stride). */
  stepTime: Quantity<'s'>;
  /** Initial + terminal double support, % of the stride. */
  doubleSupport: Quantity<'%'>;
  /** The cycle's flags: flagged strides are listed but left out of the summaries (in_turn ones only while excludeTurns is on). */
  flags: string[];
}

export interface SummaryStatistic<U extends string = string> {
  mean: Quantity<U>;
  sd: Quantity<U>;
  /** Coefficient of variation, SD / mean × 100. */
  cv: Quantity<'%'>;
  n: number;
}

export interface SpatiotemporalSummary {
  strideTime: SummaryStatistic<'s'>;
  stepTime: SummaryStatistic<'s'>;
  stanceTime: SummaryStatistic<'s'>;
  swingTime: SummaryStatistic<'s'>;
  stance: SummaryStatistic<'%'>;
  swing: SummaryStatistic<'%'>;
  doubleSupport: SummaryStatistic<'%'>;
  /** Steps per minute: 120 / mean stride time (two steps per stride). */
  cadence: Quantity<'steps/min'>;
  stridesIncluded: number;
  stridesExcluded: number;
}

export interface SpatiotemporalResult {
  strides: StrideParameters[];
  /** Over the unflagged strides of both sides, and of each side alone. */
  summary: SpatiotemporalSummary;
  perSide: Record<FootSide, SpatiotemporalSummary>;
}

const q = <U extends string>(value: number | null, unit: U): Quantity<U> => ({ value, unit });

/** The first time in `times` (sorted) inside (from, to), or null. */
function firstBetween(times: number[], from: number, to: number): number | null {
  for (const t of times) if (t > from && t < to) return t;
  return null;
}

/** Per-stride temporal parameters of complete cycles; `events` supplies the other foot's contacts. */
export function strideParameters(cycles: GaitCycle[], events: GaitEvent[]): StrideParameters[] {
  const times = (side: FootSide, label: GaitEvent['label']) =>
    events.filter((e) => e.side === side && e.label === label).map((e) => e.timeS).sort((a, b) => a - b);
  const contra = {
    left: { ic: times('right', 'initial_contact'), fc: times('right', 'final_contact') },
    right: { ic: times('left', 'initial_contact'), fc: times('left', 'final_contact') },
  };
  const out: StrideParameters[] = [];
  for (const c of cycles) {
    if (c.durationS === null) continue;
    const start = c.interval.startS, end = c.interval.endS, stride = c.durationS;
    const fc = c.finalContactS;
    const stanceS = fc === null ? null : fc - start;
    const other = contra[c.side];
    const otherFc = fc === null ? null : firstBetween(other.fc, start, fc);
    const otherIc = otherFc === null ? null : firstBetween(other.ic, otherFc, end);
    // Walking order inside a stride: IC, other FC, other IC, own FC, next IC. Anything else (a flight phase,
    // a missed event) leaves double support undefined rather than wrong.
    const ordered = fc !== null && otherFc !== null && otherIc !== null && otherIc <= fc;
    const stepS = otherIc === null ? firstBetween(other.ic, start, end) : otherIc;
    out.push({
      side: c.side,
      cycleIndex: c.index,
      startS: start,
      strideTime: q(stride, 's'),
      stanceTime: q(stanceS, 's'),
      swingTime: q(stanceS === null ? null : stride - stanceS, 's'),
      stance: q(stanceS === null ? null : (100 * stanceS) / stride, '%'),
      swing: q(stanceS === null ? null : (100 * (stride - stanceS)) / stride, '%'),
      stepTime: q(stepS === null ? null : end - stepS, 's'),
      doubleSupport: q(ordered ? (100 * ((otherFc as number) - start + (fc as number) - (otherIc as number))) / stride : null, '%'),
      flags: [...c.flags],
    });
  }
  return out;
}

function statistic<U extends string>(values: number[], unit: U): SummaryStatistic<U> {
  const m = values.length ? mean(values) : null;
  const sd = values.length > 1 ? standardDeviation(values) : null;
  return { mean: q(m, unit), sd: q(sd, unit), cv: q(m && sd !== null ? (100 * sd) / m : null, '%'), n: values.length };
}

/** Which strides the summaries count: unflagged ones, and those flagged only in_turn when excludeTurns is off. */
export type SummaryOptions = Pick<CycleParams, 'excludeTurns'>;

export function summarise(strides: StrideParameters[], options: SummaryOptions = { excludeTurns: true }): SpatiotemporalSummary {
  const clean = strides.filter((s) => countsInSummaries(s.flags, options));
  const pick = (f: (s: StrideParameters) => Quantity) => clean.map(f).map((x) => x.value).filter((v): v is number => v !== null);
  const strideTime = statistic(pick((s) => s.strideTime), 's');
  return {
    strideTime,
    stepTime: statistic(pick((s) => s.stepTime), 's'),
    stanceTime: statistic(pick((s) => s.stanceTime), 's'),
    swingTime: statistic(pick((s) => s.swingTime), 's'),
    stance: statistic(pick((s) => s.stance), '%'),
    swing: statistic(pick((s) => s.swing), '%'),
    doubleSupport: statistic(pick((s) => s.doubleSupport), '%'),
    cadence: q(strideTime.mean.value ? 120 / strideTime.mean.value : null, 'steps/min'),
    stridesIncluded: clean.length,
    stridesExcluded: strides.length - clean.length,
  };
}

/** Per-stride parameters and their summaries (both sides and each side), flagged strides excluded from the summaries (see SummaryOptions). */
export function spatiotemporal(cycles: GaitCycle[], events: GaitEvent[], options: SummaryOptions = { excludeTurns: true }): SpatiotemporalResult {
  const strides = strideParameters(cycles, events);
  const perSide = Object.fromEntries(FOOT_SIDES.map((side) => [side, summarise(strides.filter((s) => s.side === side), options)])) as Record<FootSide, SpatiotemporalSummary>;
  return { strides, summary: summarise(strides, options), perSide };
}
