import { defineParams } from '../../../src-shared/methods/params';

export interface LogRegParams {
  epochs: number;
  learningRate: number;
  batchSize: number;
  l2: number;
  testFraction: number;
}

export const LOGREG_NAME = 'LogisticRegression';

export const logRegParams = defineParams<LogRegParams>(LOGREG_NAME, {
  epochs: { type: 'number', description: 'passes over the training set', unit: 'epochs', default: 100, min: 1, max: 100_000, integer: true },
  learningRate: { type: 'number', description: 'Adam step size', unit: '', default: 0.01, min: 0, minExclusive: true, max: 1 },
  batchSize: { type: 'number', description: 'trials per gradient step', unit: 'trials', default: 64, min: 1, max: 4096, integer: true },
  l2: { type: 'number', description: 'L2 penalty on the weights (λ/2 · ‖W‖²)', unit: '', default: 0.05, min: 0, max: 10 },
  testFraction: { type: 'number', description: 'subjects of each class held out for testing', unit: 'fraction', default: 0.2, min: 0.05, max: 0.5 },
});
