// The method contract, its registry with GaitLab's built-in methods registered, and the gait methods.
import { registerMethod } from './contract';
import { cycleSegmentation, plateStanceExtraction } from './gait/cycle-methods';
import { EVENT_DETECTORS } from './gait/detectors';

for (const detector of EVENT_DETECTORS) registerMethod(detector);
registerMethod(cycleSegmentation);
registerMethod(plateStanceExtraction);

export * from './contract';
export * from './params';
export * from './gait/trial-signals';
export * from './gait/detector';
export * from './gait/detectors';
export * from './gait/cycle-methods';
export { sideFromFileEvents, plateGeometryOf } from './gait/plate-events';
export { kinematicEvents, kinematicEventsParams, kinematicMarkers, type KinematicEventsParams } from './gait/kinematic-events';
export { METRES_PER } from './gait/marker-names';
