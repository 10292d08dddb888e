// Turns as event pairs (turn_start / turn_end, side null) for the IMU detectors: TurnDetection on the yaw rate of
// the lower-back sensor where the trial has one, else on the mean of the two feet's. Its parameters (prefixed
// `turn`) join the detector's own, so one run row says how both the contacts and the turns were found.
import { TurnDetection, TURN_DEFAULTS, verticalAngularVelocity } from '../../signal/turns';
import { clamp01 } from '../../signal/events/types';
import type { NumberParamSpec, ChoiceParamSpec } from '../params';
import type { DetectedEvent, TrialChannel } from './trial-signals';
import { rateOf } from './trial-signals';

export type TurnSensor = 'auto' | 'lower_back' | 'feet' | 'none';

export interface TurnEventParams {
  turnSensor: TurnSensor;
  turnLowPassHz: number;
  turnMinPeakRateDegS: number;
  turnEdgeRateDegS: number;
  turnMergeGapS: number;
  turnMinAngleDeg: number;
  turnEdgeAngleFraction: number;
}

const t = TURN_DEFAULTS;

export const turnParamSpecs: { turnSensor: ChoiceParamSpec } & { [K in Exclude<keyof TurnEventParams, 'turnSensor'>]: NumberParamSpec } = {
  turnSensor: { type: 'choice', values: ['auto', 'lower_back', 'feet', 'none'], default: 'auto', description: 'turns from the lower-back sensor\'s yaw rate, the feet\'s, the lower back where the trial has it (auto), or no turns' },
  turnLowPassHz: { type: 'number', unit: 'Hz', default: t.lowPassHz, min: 0, max: 10, minExclusive: true, description: 'Butterworth cutoff applied to the yaw rate (below the stride frequency)' },
  turnMinPeakRateDegS: { type: 'number', unit: 'deg/s', default: t.minPeakRateDegS, min: 0, max: 1000, minExclusive: true, description: 'a turn\'s filtered yaw rate peaks above this' },
  turnEdgeRateDegS: { type: 'number', unit: 'deg/s', default: t.edgeRateDegS, min: 0, max: 1000, description: 'a turn extends to where the filtered yaw rate falls below this' },
  turnMergeGapS: { type: 'number', unit: 's', default: t.mergeGapS, min: 0, max: 10, description: 'runs turning the same way less than this apart are one turn' },
  turnMinAngleDeg: { type: 'number', unit: 'deg', default: t.minAngleDeg, min: 0, max: 3600, minExclusive: true, description: 'a turn turns at least this far' },
  turnEdgeAngleFraction: { type: 'number', unit: '', default: t.edgeAngleFraction, min: 0, max: 0.5, maxExclusive: true, description: 'the turn starts when this fraction of its angle is covered and ends when 1 − this is' },
};

export const turnConstraint = {
  holds: (p: TurnEventParams) => p.turnEdgeRateDegS < p.turnMinPeakRateDegS,
  message: (p: TurnEventParams) => `parameter turnEdgeRateDegS = ${p.turnEdgeRateDegS} is out of range (0 ≤ turnEdgeRateDegS < turnMinPeakRateDegS = ${p.turnMinPeakRateDegS} deg/s)`,
};

const AXES = ['x', 'y', 'z'] as const;

/** The yaw rate of a sensor (`lower_back`, `left_foot`, …) from its gyro_x/y/z and acc_x/y/z, or null when it lacks one. */
function sensorYawRate(channels: ReadonlyMap<string, TrialChannel>, prefix: string): { rateHz: number; values: Float64Array } | null {
  const gyro = AXES.map((a) => channels.get(`${prefix}_gyro_${a}`));
  const acc = AXES.map((a) => channels.get(`${prefix}_acc_${a}`));
  if (gyro.some((c) => !c) || acc.some((c) => !c)) return null;
  const g = gyro as TrialChannel[], a = acc as TrialChannel[];
  const n = Math.min(...[...g, ...a].map((c) => c.values.length));
  const cut = (c: TrialChannel) => c.values.subarray(0, n);
  return { rateHz: rateOf(g[0]), values: verticalAngularVelocity([cut(g[0]), cut(g[1]), cut(g[2])], [cut(a[0]), cut(a[1]), cut(a[2])]) };
}

/** Where the turns are read from, by the parameter and the trial's sensors; null when it has none of them. */
export function turnSource(channels: ReadonlyMap<string, TrialChannel>, sensor: TurnSensor): { sensor: 'lower_back' | 'feet'; rateHz: number; values: Float64Array } | null {
  if (sensor === 'none') return null;
  if (sensor !== 'feet') {
    const back = sensorYawRate(channels, 'lower_back');
    if (back) return { sensor: 'lower_back', ...back };
    if (sensor === 'lower_back') return null;
  }
  const left = sensorYawRate(channels, 'left_foot'), right = sensorYawRate(channels, 'right_foot');
  if (left && right && left.rateHz === right.rateHz) {
    // Each foot turns mostly during its own swing; their mean follows the body's turn (the feet's rates add up).
    const n = Math.min(left.values.length, right.values.length);
    return { sensor: 'feet', rateHz: left.rateHz, values: Float64Array.from({ length: n }, (_, i) => (left.values[i] + right.values[i]) / 2) };
  }
  const one = left ?? right;
  return one ? { sensor: 'feet', ...one } : null;
}

/**
 * turn_start / turn_end events. Confidence: the angle's excess over turnMinAngleDeg relative to it, capped at 1 (full
 * from twice the minimum angle); the threshold is the minimum angle; params carry the angle turned and the sensor.
 */
export function detectTurnEvents(channels: ReadonlyMap<string, TrialChannel>, p: TurnEventParams, source: string): DetectedEvent[] {
  const from = turnSource(channels, p.turnSensor);
  if (!from) return [];
  const turns = new TurnDetection({
    lowPassHz: p.turnLowPassHz, minPeakRateDegS: p.turnMinPeakRateDegS, edgeRateDegS: p.turnEdgeRateDegS,
    mergeGapS: p.turnMergeGapS, minAngleDeg: p.turnMinAngleDeg, edgeAngleFraction: p.turnEdgeAngleFraction,
  }).run({ rateHz: from.rateHz, yawRateDegS: from.values });
  return turns.flatMap((turn) => {
    const base = {
      side: null, source, confidence: clamp01((Math.abs(turn.angleDeg) - p.turnMinAngleDeg) / p.turnMinAngleDeg),
      threshold: { value: p.turnMinAngleDeg, unit: 'deg' },
      params: { turnAngleDeg: Math.round(turn.angleDeg * 10) / 10, turnPeakRateDegS: Math.round(turn.peakRateDegS * 10) / 10, turnFrom: from.sensor },
    };
    return [{ ...base, label: 'turn_start' as const, timeS: turn.startS }, { ...base, label: 'turn_end' as const, timeS: turn.endS }];
  });
}
