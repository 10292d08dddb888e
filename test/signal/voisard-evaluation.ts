// FootImuEvents against the Voisard et al. 2023 annotations (manually checked [TO, HS] pairs per foot, walk and
// U-turn boundaries), trial by trial: shared by test/signal/voisard-foot-imu.test.ts and bench/voisard-events.ts.
// The trial is read through GaitLab's own format modules and the detector runs as the registered method.
import type { DetectedEvent, FileEvent } from '../../src-shared/methods';
import { footImuEvents } from '../../src-shared/methods/gait/foot-imu-events';
import { matchEvents } from '../../src-shared/signal/events';
import { median } from '../../src-shared/signal/stats';
import { trialFromFiles } from '../methods/trial-from-files';
import { sharedData } from '../helpers';

export const VOISARD_HEALTHY_TRIALS = ['1-1', '1-2', '2-1', '5-1', '10-1', '19-1'];
/** A detection within this of an annotation matches it (the criterion). */
export const MATCH_TOLERANCE_S = 0.1;

export interface FootEvaluation {
  annotated: number;
  icErrorsS: number[];
  fcErrorsS: number[];
  /** Detected contacts no annotation claims, inside the annotated walk (± the tolerance) and over the whole recording. */
  falseInWalk: number;
  falseTotal: number;
}

export interface TrialEvaluation {
  code: string;
  feet: Record<'left' | 'right', FootEvaluation>;
  /** Annotated and detected U-turn, s; detected null when none was found. */
  turn: { annotated: [number, number] | null; detected: Array<[number, number]> };
}

const SIDES = ['left', 'right'] as const;

export async function loadVoisardTrial(code: string, sensors: string[] = ['lb', 'lf', 'rf']) {
  const dir = (f: string) => sharedData('voisard2023-ipol-imu-healthy', 'healthy', f);
  return trialFromFiles([dir(`${code}.json`), ...sensors.map((s) => dir(`${code}_${s}.txt`))], code);
}

const times = (events: readonly (FileEvent | DetectedEvent)[], label: string, side?: string | null) =>
  events.filter((e) => e.label === label && (side === undefined || e.side === side)).map((e) => e.timeS).sort((a, b) => a - b);

export function turnIntervals(events: readonly (FileEvent | DetectedEvent)[], startLabel: string, endLabel: string): Array<[number, number]> {
  const starts = times(events, startLabel), ends = times(events, endLabel);
  return starts.map((s, k) => [s, ends[k] ?? NaN] as [number, number]);
}

export async function evaluateVoisardTrial(code: string, params: Record<string, unknown> = {}): Promise<TrialEvaluation> {
  const trial = await loadVoisardTrial(code);
  const annotations = trial.fileEvents ?? [];
  const detected = footImuEvents.run({ channels: trial.channels }, params).output.events;
  const [walkStart] = times(annotations, 'gait_start'), [walkEnd] = times(annotations, 'gait_end');
  const feet = {} as TrialEvaluation['feet'];
  for (const side of SIDES) {
    const ic = matchEvents(times(annotations, 'initial_contact', side), times(detected, 'initial_contact', side), MATCH_TOLERANCE_S);
    const fc = matchEvents(times(annotations, 'final_contact', side), times(detected, 'final_contact', side), MATCH_TOLERANCE_S);
    const unmatched = [...ic.unmatchedS, ...fc.unmatchedS];
    feet[side] = {
      annotated: times(annotations, 'initial_contact', side).length,
      icErrorsS: ic.errorsS, fcErrorsS: fc.errorsS,
      falseInWalk: unmatched.filter((t) => t > walkStart - MATCH_TOLERANCE_S && t < walkEnd + MATCH_TOLERANCE_S).length,
      falseTotal: unmatched.length,
    };
  }
  const [annotatedTurn] = turnIntervals(annotations, 'uturn_start', 'uturn_end');
  return { code, feet, turn: { annotated: annotatedTurn ?? null, detected: turnIntervals(detected, 'turn_start', 'turn_end') } };
}

export interface Totals { annotated: number; icMatched: number; fcMatched: number; icMedianAbsMs: number; fcMedianMs: number; falseInWalk: number; falseTotal: number }

export function totals(feet: FootEvaluation[]): Totals {
  const ic = feet.flatMap((f) => f.icErrorsS), fc = feet.flatMap((f) => f.fcErrorsS);
  const sum = (k: 'annotated' | 'falseInWalk' | 'falseTotal') => feet.reduce((a, f) => a + f[k], 0);
  return {
    annotated: sum('annotated'), icMatched: ic.length, fcMatched: fc.length,
    icMedianAbsMs: 1000 * median(ic.map(Math.abs)), fcMedianMs: 1000 * median(fc),
    falseInWalk: sum('falseInWalk'), falseTotal: sum('falseTotal'),
  };
}
