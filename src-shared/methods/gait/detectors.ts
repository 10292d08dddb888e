// The gait-event detectors, and which one fits a trial's channels. Order matters where a trial fits several:
// HuGaDB has foot and shank IMUs, and its README recommends the shanks (FootImuEvents is tuned to XSens
// sensors on the dorsum). A lower-back IMU comes after the feet: Voisard et al.'s healthy trials have both, and the
// feet give the more precise contacts.
import type { EventDetectorMethod } from './detector';
import { footImuEvents } from './foot-imu-events';
import { insoleEvents } from './insole-events';
import { kinematicEvents } from './kinematic-events';
import { lowerBackImuEvents } from './lower-back-imu-events';
import { plateEvents } from './plate-events';
import { shankGyroEvents } from './shank-gyro-events';
import type { ChannelMeta } from './trial-signals';

/* eslint-disable-next-line @typescript-eslint/no-explicit-any -- detectors differ in their parameter types */
export type AnyEventDetector = EventDetectorMethod<any>;

export const EVENT_DETECTORS: readonly AnyEventDetector[] = [insoleEvents, plateEvents, shankGyroEvents, footImuEvents, lowerBackImuEvents, kinematicEvents];

/** The detector named, or the first whose channels the trial has; null when none fits (or the name is unknown). */
export function chooseDetector(channels: readonly ChannelMeta[], name?: string): AnyEventDetector | null {
  if (name) return EVENT_DETECTORS.find((d) => d.name === name) ?? null;
  return EVENT_DETECTORS.find((d) => d.matches(channels)) ?? null;
}

export const isDetectorName = (name: string): boolean => EVENT_DETECTORS.some((d) => d.name === name);
