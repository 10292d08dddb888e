// Methods that run in main or in workers (tfjs, native code): registered on the shared registry beside the
// built-in gait methods. Import this module (not src-shared/methods alone) where models are trained.
import { registerMethod } from '../../src-shared/methods';
import { logisticRegression } from './logreg';

registerMethod(logisticRegression);

export * from '../../src-shared/methods';
export { logisticRegression };
export type { CurveDataset, LogRegState, LogRegParams } from './logreg';
