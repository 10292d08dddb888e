// Foot-mounted IMUs (XSens on the dorsum, Voisard et al. 2023): FootImuEvents on Gyr_Y and the accelerometer, and
// the walk's turns (turn-events.ts) from the lower-back sensor where the trial has one, else from the feet.
// 1.1.0: the first, last and turning steps (small swings where a stride is missing), final contact on the
// push-off's rise, turn_start / turn_end events. 1.2.0: initial contact as the mean of the impact's jerk onset and
// the post-contact gyroscope minimum less its 30 ms latency (see foot-imu.ts), which keeps every annotated healthy
// trial's median |IC error| under 10 ms; a foot lifted without a push-off has its final contact on the swing's rise.
// 1.3.0: turning steps from the foot's 3D angular speed (gyro_x/gyro_z where the trial has them) and the feet's
// alternation, which drops a heel pivot in a turn (see foot-imu.ts). 1.4.0: a turning step set down without an impact
// has its IC from the rotation alone, shuffles from a foot at rest count as swings where a stride is missing,
// and a brief dip before a lobe is never its push-off (see foot-imu.ts).
import { FOOT_IMU_DEFAULTS, FootImuEvents, type FootImuParams } from '../../signal/events/foot-imu';
import type { FootSide } from '../../signal/events/types';
import { defineParams } from '../params';
import { defineEventDetector } from './detector';
import { rateOf } from './trial-signals';
import { detectTurnEvents, turnConstraint, turnParamSpecs, type TurnEventParams } from './turn-events';

const d = FOOT_IMU_DEFAULTS;
const AXES = ['gyro_y', 'acc_x', 'acc_y', 'acc_z'];

export type FootImuMethodParams = FootImuParams & TurnEventParams;

export const footImuEventsParams = defineParams<FootImuMethodParams>('FootImuEvents', {
  swingSign: { type: 'choice', values: [1, -1], default: d.swingSign, description: '+1 when swing is positive on Gyr_Y (sensor on the dorsum), −1 for the opposite mounting' },
  lowPassHz: { type: 'number', unit: 'Hz', default: d.lowPassHz, min: 0, max: 50, minExclusive: true, description: 'Butterworth cutoff used to find the swing lobes' },
  minSwingPeakDegS: { type: 'number', unit: 'deg/s', default: d.minSwingPeakDegS, min: 0, max: 2000, minExclusive: true, description: 'a lobe is a swing when its filtered peak exceeds this' },
  minStrideS: { type: 'number', unit: 's', default: d.minStrideS, min: 0, max: 5, minExclusive: true, description: 'two swings of one foot closer than this are one' },
  icSearchBeforeS: { type: 'number', unit: 's', default: d.icSearchBeforeS, min: 0, max: 1, description: 'initial-contact search starts this long before the end-of-swing zero crossing' },
  icSearchAfterS: { type: 'number', unit: 's', default: d.icSearchAfterS, min: 0, max: 1, description: '… and ends this long after it' },
  finalContactAt: { type: 'choice', values: ['gyro_minimum', 'zero_crossing'], default: d.finalContactAt, description: 'final contact on the push-off\'s rise from its gyroscope minimum to the swing lobe, or at the lobe\'s start (Rampp et al. 2015)' },
  fcSearchBeforeS: { type: 'number', unit: 's', default: d.fcSearchBeforeS, min: 0, max: 1, description: 'the minimum is searched this long before the lobe starts' },
  fcRiseFraction: { type: 'number', unit: '', default: d.fcRiseFraction, min: 0, max: 1, description: 'final contact where the rise from that minimum to zero has covered this fraction (0: at the minimum)' },
  fcNoPushOffFraction: { type: 'number', unit: '', default: d.fcNoPushOffFraction, min: 0, max: 1, description: 'a foot lifted without a push-off: final contact where the rise to the swing\'s peak passes this fraction of it (0: at the lobe\'s start, as in 1.1)' },
  minSmallSwingPeakDegS: { type: 'number', unit: 'deg/s', default: d.minSmallSwingPeakDegS, min: 0, max: 2000, minExclusive: true, description: 'where a stride is missing (walk start and end, turns), a lobe above this is a swing too (at or above minSwingPeakDegS: none)' },
  smallSwingReachStrides: { type: 'number', unit: 'strides', default: d.smallSwingReachStrides, min: 0, max: 10, description: 'small swings are looked for within this many median strides of a regular swing' },
  smallSwingImpactFraction: { type: 'number', unit: '', default: d.smallSwingImpactFraction, min: 0, max: 10, description: 'a small swing must end in an impact reaching this fraction of the regular swings\' median impact jerk' },
  turningSwingPeakDegS: { type: 'number', unit: 'deg/s', default: d.turningSwingPeakDegS, min: 0, max: 2000, description: '… or (a turning step, landing softly) the foot\'s 3D angular speed must peak above this during the lobe (0: no such rule, as in 1.0–1.2)' },
  minShuffleSwingPeakDegS: { type: 'number', unit: 'deg/s', default: d.minShuffleSwingPeakDegS, min: 0, max: 2000, minExclusive: true, description: 'where a stride is missing, a lobe above this (below minSmallSwingPeakDegS: a shuffle) is a swing when the foot rested just before it and it ends in an impact (at or above minSmallSwingPeakDegS: none, as in 1.0–1.3)' },
  shuffleRestDegS: { type: 'number', unit: 'deg/s', default: d.shuffleRestDegS, min: 0, max: 2000, minExclusive: true, description: 'the foot rests when its angular speed averages below this over shuffleRestS' },
  shuffleRestS: { type: 'number', unit: 's', default: d.shuffleRestS, min: 0, max: 2, minExclusive: true, description: '… that long before the shuffle\'s lobe starts' },
  alternateFeet: { type: 'boolean', default: d.alternateFeet, description: 'feet alternate: two swings of one foot less than half a stride apart with no swing of the other between are one, the faster-rotating kept (false: as in 1.0–1.2)' },
  impactJerkFraction: { type: 'number', unit: '', default: d.impactJerkFraction, min: 0, max: 1, minExclusive: true, description: 'impact onset: jerk first exceeds this fraction of its window maximum' },
  initialContactAt: { type: 'choice', values: ['impact_and_rotation', 'impact_onset'], default: d.initialContactAt, description: 'initial contact as the mean of the impact\'s jerk onset and the post-contact gyroscope minimum less its latency, or at the jerk onset alone (versions 1.0–1.1)' },
  softLandingIcFromRotation: { type: 'boolean', default: d.softLandingIcFromRotation, description: 'a turning step set down without an impact has its initial contact from the post-contact rotation alone (false: the jerk onset, as in 1.0–1.3)' },
  icRotationSearchS: { type: 'number', unit: 's', default: d.icRotationSearchS, min: 0, max: 1, minExclusive: true, description: 'the post-contact gyroscope minimum is searched this long after the end-of-swing zero crossing' },
  icRotationLatencyS: { type: 'number', unit: 's', default: d.icRotationLatencyS, min: 0, max: 0.2, description: 'the post-contact gyroscope minimum follows the contact by this' },
  ...turnParamSpecs,
}, [turnConstraint]);

export const footImuEvents = defineEventDetector<FootImuMethodParams>({
  name: FootImuEvents.source,
  version: '1.4.0',
  description: 'mid-swing, final and initial contact from a foot-mounted IMU (Rampp et al. 2015; initial contact from the impact jerk onset and the post-contact gyroscope minimum); turns from the lower back or feet (El-Gohary et al. 2014)',
  needs: '<side>_foot_gyro_y and <side>_foot_acc_x/y/z (deg/s, m/s²); <side>_foot_gyro_x/z used where present',
  params: footImuEventsParams,
  matches: (ch) => ['left', 'right'].some((s) => AXES.every((k) => ch.some((c) => c.name === `${s}_foot_${k}`))),
  curveChannels: () => ({ left: 'left_foot_gyro_y', right: 'right_foot_gyro_y' }),
  detect({ channels }, params) {
    const input: Parameters<FootImuEvents['run']>[0] = { rateHz: NaN };
    for (const side of ['left', 'right'] as FootSide[]) {
      const [g, x, y, z] = AXES.map((k) => channels.get(`${side}_foot_${k}`));
      if (!g || !x || !y || !z) continue;
      input.rateHz = rateOf(g);
      const [gx, gz] = ['gyro_x', 'gyro_z'].map((k) => channels.get(`${side}_foot_${k}`));
      const others = gx && gz && gx.values.length === g.values.length && gz.values.length === g.values.length ? [gx.values, gz.values] as const : undefined;
      input[side] = { gyrMlDegS: g.values, accXMs2: x.values, accYMs2: y.values, accZMs2: z.values, gyrOtherDegS: others };
    }
    if (!input.left && !input.right) return [];
    return [...new FootImuEvents(params).run(input), ...detectTurnEvents(channels, params, FootImuEvents.source)].sort((a, b) => a.timeS - b.timeS);
  },
});
