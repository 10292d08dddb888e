// FootImuEvents and LowerBackImuEvents against the Voisard et al. annotations (healthy: manually checked [TO, HS]
// pairs per foot, walk and U-turn boundaries; impaired: MP-DTW's), trial by trial: shared by
// test/signal/voisard-foot-imu.test.ts, test/signal/voisard-lower-back.test.ts and bench/voisard-events.ts.
// The trial is read through GaitLab's own format modules and the detector runs as the registered method.
import type { DetectedEvent, FileEvent } from '../../src-shared/methods';
import { footImuEvents, footImuEventsParams } from '../../src-shared/methods/gait/foot-imu-events';
import { lowerBackImuEvents } from '../../src-shared/methods/gait/lower-back-imu-events';
import { detectTurnEvents, type TurnSensor } from '../../src-shared/methods/gait/turn-events';
import { matchEvents } from '../../src-shared/signal/events';
import { median } from '../../src-shared/signal/stats';
import { trialFromFiles } from '../methods/trial-from-files';
import { sharedData } from '../helpers';

export const VOISARD_HEALTHY_TRIALS = ['1-1', '1-2', '2-1', '5-1', '10-1', '19-1'];
/** The impaired examples: lower-back sensor only, events (and U-turn) from the MP-DTW algorithm. */
export const VOISARD_IMPAIRED_TRIALS: Record<string, string> = { M0_edss_6: 'multiple_sclerosis', M0_pre_chir: 'equino_varus_foot' };
/** A detection within this of an annotation matches it (the criterion). */
export const MATCH_TOLERANCE_S = 0.1;

export interface FootEvaluation {
  /** Annotated initial contacts (and final contacts: the same in pairs, not always inside the walk's bounds). */
  annotated: number;
  annotatedFc: number;
  icErrorsS: number[];
  fcErrorsS: number[];
  /** Annotated contacts no detection matched, s. */
  icMissedS: number[];
  fcMissedS: number[];
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
  const [annotatedTurn] = turnIntervals(annotations, 'uturn_start', 'uturn_end');
  return { code, feet: evaluateFeet(annotations, detected), turn: { annotated: annotatedTurn ?? null, detected: turnIntervals(detected, 'turn_start', 'turn_end') } };
}

/**
 * LowerBackImuEvents on a trial's lower-back sensor alone, healthy or impaired, against its annotations. The impaired
 * examples' events are MP-DTW's on foot sensors that were not published (not manually checked; M0_pre_chir's are
 * asymmetric, 37 left and 56 right, as stored): only contacts inside the annotated walk (gait start..end, ± the
 * tolerance) count, detected or annotated.
 */
export async function evaluateVoisardLowerBack(code: string, params: Record<string, unknown> = {}): Promise<TrialEvaluation> {
  const { annotations, detected } = await voisardLowerBackEvents(code, params);
  const [annotatedTurn] = turnIntervals(annotations, 'uturn_start', 'uturn_end');
  return { code, feet: evaluateFeet(annotations, detected), turn: { annotated: annotatedTurn ?? null, detected: turnIntervals(detected, 'turn_start', 'turn_end') } };
}

/** A trial's annotations (contacts inside the annotated walk, ± the tolerance) and LowerBackImuEvents' detections there. */
export async function voisardLowerBackEvents(code: string, params: Record<string, unknown> = {}): Promise<{ annotations: FileEvent[]; detected: DetectedEvent[] }> {
  const folder = VOISARD_IMPAIRED_TRIALS[code];
  const path = (f: string) => folder ? sharedData('voisard2023-ipol-imu-healthy', 'impaired', folder, f) : sharedData('voisard2023-ipol-imu-healthy', 'healthy', f);
  const trial = await trialFromFiles(folder ? [path(`${code}_ge.json`), path(`${code}_lb.txt.gz`)] : [path(`${code}.json`), path(`${code}_lb.txt`)], code);
  const all = trial.fileEvents ?? [];
  const [walkStart] = times(all, 'gait_start'), [walkEnd] = times(all, 'gait_end');
  const inWalk = (e: { timeS: number }) => e.timeS > walkStart - MATCH_TOLERANCE_S && e.timeS < walkEnd + MATCH_TOLERANCE_S;
  const isContact = (e: { label: string }) => e.label === 'initial_contact' || e.label === 'final_contact';
  return {
    annotations: all.filter((e) => !isContact(e) || inWalk(e)),
    detected: lowerBackImuEvents.run({ channels: trial.channels }, params).output.events.filter(inWalk),
  };
}

/** Per foot, detected contacts against annotated ones (each matched at most once, within the tolerance). */
function evaluateFeet(annotations: readonly FileEvent[], detected: readonly DetectedEvent[]): TrialEvaluation['feet'] {
  const [walkStart] = times(annotations, 'gait_start'), [walkEnd] = times(annotations, 'gait_end');
  const feet = {} as TrialEvaluation['feet'];
  for (const side of SIDES) {
    const ic = matchEvents(times(annotations, 'initial_contact', side), times(detected, 'initial_contact', side), MATCH_TOLERANCE_S);
    const fc = matchEvents(times(annotations, 'final_contact', side), times(detected, 'final_contact', side), MATCH_TOLERANCE_S);
    const unmatched = [...ic.unmatchedS, ...fc.unmatchedS];
    feet[side] = {
      annotated: times(annotations, 'initial_contact', side).length,
      annotatedFc: times(annotations, 'final_contact', side).length,
      icErrorsS: ic.errorsS, fcErrorsS: fc.errorsS, icMissedS: ic.missedS, fcMissedS: fc.missedS,
      falseInWalk: unmatched.filter((t) => t > walkStart - MATCH_TOLERANCE_S && t < walkEnd + MATCH_TOLERANCE_S).length,
      falseTotal: unmatched.length,
    };
  }
  return feet;
}

export interface Totals { annotated: number; annotatedFc: number; icMatched: number; fcMatched: number; icMedianAbsMs: number; fcMedianAbsMs: number; fcMedianMs: number; falseInWalk: number; falseTotal: number }

export function totals(feet: FootEvaluation[]): Totals {
  const ic = feet.flatMap((f) => f.icErrorsS), fc = feet.flatMap((f) => f.fcErrorsS);
  const sum = (k: 'annotated' | 'annotatedFc' | 'falseInWalk' | 'falseTotal') => feet.reduce((a, f) => a + f[k], 0);
  return {
    annotated: sum('annotated'), annotatedFc: sum('annotatedFc'), icMatched: ic.length, fcMatched: fc.length,
    icMedianAbsMs: 1000 * median(ic.map(Math.abs)), fcMedianAbsMs: 1000 * median(fc.map(Math.abs)), fcMedianMs: 1000 * median(fc),
    falseInWalk: sum('falseInWalk'), falseTotal: sum('falseTotal'),
  };
}

export interface TurnEvaluation {
  code: string;
  sensor: TurnSensor;
  annotated: [number, number];
  /** The detected turn that overlaps the annotated one most, with its angle; null when none overlaps it. */
  detected: { startS: number; endS: number; angleDeg: number } | null;
  /** Detected turns that do not overlap the annotated U-turn. */
  others: Array<[number, number]>;
}

/** The turns of a trial (healthy or impaired) from one sensor choice, against the annotated U-turn. */
export async function evaluateVoisardTurn(code: string, sensor: TurnSensor): Promise<TurnEvaluation> {
  const folder = VOISARD_IMPAIRED_TRIALS[code];
  const path = (f: string) => folder ? sharedData('voisard2023-ipol-imu-healthy', 'impaired', folder, f) : sharedData('voisard2023-ipol-imu-healthy', 'healthy', f);
  const files = folder ? [path(`${code}_ge.json`), path(`${code}_lb.txt.gz`)] : [`${code}.json`, `${code}_lb.txt`, `${code}_lf.txt`, `${code}_rf.txt`].map(path);
  const trial = await trialFromFiles(files, code);
  const [annotated] = turnIntervals(trial.fileEvents ?? [], 'uturn_start', 'uturn_end');
  const events = detectTurnEvents(trial.channels, footImuEventsParams.parse({ turnSensor: sensor }), 'FootImuEvents');
  const turns = turnIntervals(events, 'turn_start', 'turn_end').map(([s, e]) => ({ startS: s, endS: e, angleDeg: Number(events.find((x) => x.timeS === s)!.params.turnAngleDeg) }));
  const overlap = (t: { startS: number; endS: number }) => Math.min(t.endS, annotated[1]) - Math.max(t.startS, annotated[0]);
  const best = turns.filter((t) => overlap(t) > 0).sort((a, b) => overlap(b) - overlap(a))[0] ?? null;
  return { code, sensor, annotated, detected: best, others: turns.filter((t) => t !== best).map((t) => [t.startS, t.endS]) };
}
