// One IMU on the lower back (L5), as in Voisard et al.'s clinical recordings of patients: LowerBackImuEvents
// (McCamley et al. 2012; see lower-back-imu.ts) on the sensor's acceleration and angular velocity, and the walk's
// turns (turn-events.ts) from the same sensor. Chosen for a trial only where no foot, shank, insole or plate
// detector fits (a trial with foot IMUs keeps FootImuEvents, which is more precise).
// 1.1.0: initial contact at the earlier of the vertical rise and the forward acceleration's braking (Zijlstra & Hof
// 2003), so a foot set down before it takes the load is not 250 ms late (see lower-back-imu.ts). 1.2.0: the other
// foot's final contact after the loading's first fall from the step's steepest rise, not its steepest fall, which
// was one bump late where the trunk's acceleration falls twice (see lower-back-imu.ts).
import { LOWER_BACK_IMU_DEFAULTS, LowerBackImuEvents, type LowerBackImuParams } from '../../signal/events/lower-back-imu';
import { defineParams } from '../params';
import { defineEventDetector } from './detector';
import { rateOf } from './trial-signals';
import { detectTurnEvents, turnConstraint, turnParamSpecs, type TurnEventParams } from './turn-events';

const d = LOWER_BACK_IMU_DEFAULTS;
const CHANNELS = ['acc_x', 'acc_y', 'acc_z', 'gyro_x', 'gyro_y', 'gyro_z'].map((k) => `lower_back_${k}`);

export type LowerBackImuMethodParams = LowerBackImuParams & TurnEventParams;

export const lowerBackImuEventsParams = defineParams<LowerBackImuMethodParams>('LowerBackImuEvents', {
  stepSmoothingS: { type: 'number', unit: 's', default: d.stepSmoothingS, min: 0.005, max: 0.5, description: 'standard deviation of the Gaussian that finds each step\'s loading peak in the vertical acceleration' },
  edgeSmoothingS: { type: 'number', unit: 's', default: d.edgeSmoothingS, min: 0.005, max: 0.2, description: 'standard deviation of the Gaussian derivative (McCamley\'s wavelet scale) that places the contacts' },
  minPeakMs2: { type: 'number', unit: 'm/s²', default: d.minPeakMs2, min: 0, max: 50, description: 'a loading peak (vertical acceleration less gravity) is a step above this' },
  peakFraction: { type: 'number', unit: '', default: d.peakFraction, min: 0, max: 1, description: '… and above this fraction of the walk\'s strong peaks (their 90th percentile)' },
  minStepS: { type: 'number', unit: 's', default: d.minStepS, min: 0.05, max: 2, description: 'two loading peaks closer than this are one step' },
  icSearchS: { type: 'number', unit: 's', default: d.icSearchS, min: 0.01, max: 1, description: 'initial contact (the steepest rise) is searched this long before the loading peak' },
  fcSearchS: { type: 'number', unit: 's', default: d.fcSearchS, min: 0.01, max: 2, description: 'the other foot\'s final contact is searched this long after the loading peak' },
  sideWindowS: { type: 'number', unit: 's', default: d.sideWindowS, min: 0.02, max: 2, description: 'the pelvis\'s yaw rate over this long before a contact tells its side' },
  sideHighPassHz: { type: 'number', unit: 'Hz', default: d.sideHighPassHz, min: 0.05, max: 5, description: 'the yaw rate less its low-pass below this (the walk\'s turns)' },
  maxStepS: { type: 'number', unit: 's', default: d.maxStepS, min: 0.2, max: 20, description: 'contacts further apart than this start a new bout (sides alternate within a bout)' },
  maxStepRatio: { type: 'number', unit: 'steps', default: d.maxStepRatio, min: 1, max: 10, description: 'contacts further apart than this many median steps start a new bout (a step missed between them)' },
  icAt: { type: 'choice', values: ['first_landmark', 'vertical_rise'], default: d.icAt, description: 'initial contact at the earlier of the vertical acceleration\'s steepest rise and the forward acceleration\'s peak before the braking (Zijlstra & Hof 2003), or at the rise alone (version 1.0.0)' },
  forwardSearchS: { type: 'number', unit: 's', default: d.forwardSearchS, min: 0.05, max: 2, description: 'the forward acceleration\'s braking is searched this long before the loading peak (never before midway from the previous step\'s)' },
  forwardAfterS: { type: 'number', unit: 's', default: d.forwardAfterS, min: 0, max: 1, description: '… and this long after it' },
  fcAfter: { type: 'choice', values: ['first_fall', 'steepest_fall'], default: d.fcAfter, description: 'the other foot\'s final contact at the slope\'s first maximum after its first fall below zero from the step\'s steepest rise, or after its steepest fall within fcSearchS of the loading peak (versions 1.0–1.1)' },
  ...turnParamSpecs,
}, [
  turnConstraint,
  { holds: (p: LowerBackImuMethodParams) => p.minStepS < p.maxStepS, message: (p: LowerBackImuMethodParams) => `parameter minStepS = ${p.minStepS} is out of range (0.05 ≤ minStepS < maxStepS = ${p.maxStepS} s)` },
]);

export const lowerBackImuEvents = defineEventDetector<LowerBackImuMethodParams>({
  name: LowerBackImuEvents.source,
  version: '1.2.0',
  description: 'initial and final contacts of both feet from a lower-back IMU (McCamley et al. 2012: vertical acceleration through Gaussian wavelets, and the forward acceleration\'s braking (Zijlstra & Hof 2003); side from the pelvis\'s yaw rate, alternating); turns from the same sensor (El-Gohary et al. 2014)',
  needs: 'lower_back_acc_x/y/z and lower_back_gyro_x/y/z (m/s², deg/s)',
  params: lowerBackImuEventsParams,
  matches: (ch) => CHANNELS.every((name) => ch.some((c) => c.name === name)),
  // The trunk's acceleration on the sensor's first axis (vertical for Xsens units at L5) over each foot's cycles.
  curveChannels: () => ({ left: 'lower_back_acc_x', right: 'lower_back_acc_x' }),
  detect({ channels }, params) {
    const [ax, ay, az, gx, gy, gz] = CHANNELS.map((name) => channels.get(name));
    if (!ax || !ay || !az || !gx || !gy || !gz) return [];
    const n = Math.min(...[ax, ay, az, gx, gy, gz].map((c) => c.values.length));
    const cut = (c: typeof ax) => c.values.subarray(0, n);
    const events = new LowerBackImuEvents(params).run({ rateHz: rateOf(ax), accMs2: [cut(ax), cut(ay), cut(az)], gyroDegS: [cut(gx), cut(gy), cut(gz)] });
    return [...events, ...detectTurnEvents(channels, params, LowerBackImuEvents.source)].sort((a, b) => a.timeS - b.timeS);
  },
});
