// The gait-event detectors and their shared types.
export * from './types';
export { ForceThresholdEvents, FORCE_THRESHOLD_DEFAULTS, type ForceThresholdParams } from './force-threshold';
export { InsoleEvents, INSOLE_DEFAULTS, insoleLevels, type InsoleParams, type InsoleLevels } from './insole';
export { ShankGyroEvents, SHANK_GYRO_DEFAULTS, type ShankGyroParams } from './shank-gyro';
export { FootImuEvents, FOOT_IMU_DEFAULTS, type FootImuParams, type FootImuSignals } from './foot-imu';
export { LowerBackImuEvents, LOWER_BACK_IMU_DEFAULTS, type LowerBackImuParams, type LowerBackImuSignals } from './lower-back-imu';
export { matchEvents, type EventMatch } from './match';
