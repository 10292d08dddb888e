// Methods that run in main or in workers (tfjs, native code): registered on the shared registry beside the
// built-in gait methods. Import this module (not src-shared/methods alone) where models are trained.
import { registerMethod } from '../../src-shared/methods';
import { logisticRegression } from './logreg';
import { sparseAutoencoder } from './sae';

registerMethod(logisticRegression);
registerMethod(sparseAutoencoder);

export * from '../../src-shared/methods';
export { logisticRegression, sparseAutoencoder };
export type { CurveDataset, LogRegState, LogRegParams } from './logreg';
export type { SaeState, SaeMethodParams } from './sae';
