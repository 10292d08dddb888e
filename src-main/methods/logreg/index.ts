// Multinomial logistic regression on time-normalised GRF curves: a small, fast, fully traceable classifier
// (impairment class from the six GRF channels), the first model trained as a job.
import { defineModel, type JsonValue } from '../../../src-shared/methods/contract';
import { fitLogisticRegression } from './fit';
import { classificationMetrics } from './metrics';
import { LOGREG_NAME, logRegParams, type LogRegParams } from './params';
import { argmaxRows, predictProbabilities } from './predict';
import type { CurveDataset, LogRegState } from './state';

export type { CurveDataset, LogRegState, LogRegParams };
export { LOGREG_NAME };

export interface LogRegPrediction { classIndex: Int32Array; probabilities: Float64Array }

export const logisticRegression = defineModel<LogRegParams, CurveDataset, CurveDataset, LogRegPrediction, LogRegState>({
  name: LOGREG_NAME,
  version: '1.0.0',
  role: 'classifier',
  description: 'multinomial logistic regression on standardised curves (Adam, L2), subject-grouped seeded split',
  params: logRegParams,
  async fit(data, params, { seed, options }) {
    const { state, metrics } = await fitLogisticRegression(data, params, seed, { signal: options.signal, onProgress: options.onProgress });
    const summary: { [key: string]: JsonValue } = { classes: state.classNames, confusion: state.confusion, counts: state.counts, backend: state.backend };
    return { state, metrics, summary };
  },
  async predict(fitted, input) {
    const probabilities = predictProbabilities(fitted.state, input.x, input.rows);
    const classIndex = argmaxRows(probabilities, fitted.state.classes);
    const known = new Set(fitted.state.classNames);
    const summary: { [key: string]: JsonValue } = {};
    if (input.labels.length === input.rows && input.labels.every((l) => known.has(l))) {
      const truth = Int32Array.from(input.labels, (l) => fitted.state.classNames.indexOf(l));
      const m = classificationMetrics(truth, classIndex, fitted.state.classes);
      summary.accuracy = m.accuracy;
      summary.confusion = m.confusion;
    }
    return { output: { classIndex, probabilities }, summary };
  },
});
