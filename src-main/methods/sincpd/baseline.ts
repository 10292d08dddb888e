// A quick, real baseline for the SincPD evaluation runner: the engine's LogisticRegression on fixed per-sensor
// band energies (band-energy.ts). It trains in seconds, so the protocols are exercised end to end on gaitpdb
// before the SincPD networks are merged; its figures are labelled "baseline", never SincPD's.
import { fitLogisticRegression } from '../logreg/fit';
import { predictProbabilities } from '../logreg/predict';
import { bandEnergyFeatures } from '../../../src-shared/methods/sincpd/band-energy';
import type { FitPredict } from '../../../src-shared/methods/sincpd/evaluate-protocol';

export const BASELINE_LABEL = 'baseline: logistic regression on per-sensor band energies (not SincPD)';

export interface BaselineOptions { epochs: number; seed: number }

export function bandEnergyLogisticBaseline(o: BaselineOptions): FitPredict {
  return async (input) => {
    const train = bandEnergyFeatures(input.trainX);
    const rows = input.trainY.length;
    // Class names sort as strings: pad so that class 10 never sorts before 2 (classes are 0..3 here anyway).
    const labels = Array.from(input.trainY, (c) => String(c).padStart(2, '0'));
    const fit = await fitLogisticRegression(
      { x: train.features, rows, features: train.perRow, labels, subjects: input.trainSubjects, channels: ['band-energy'], points: train.perRow },
      { epochs: o.epochs, learningRate: 0.01, batchSize: 64, l2: 0.01, testFraction: 0.05 }, o.seed + input.fold,
      { signal: input.signal, onProgress: (p) => input.onProgress?.(p.fraction, p.stage) },
    );
    const test = bandEnergyFeatures(input.testX);
    const nTest = test.features.length / test.perRow;
    const p = predictProbabilities(fit.state, test.features, nTest);
    // Map the fitted class order (present classes only) back onto 0..classes−1.
    const out = new Float64Array(nTest * input.classes);
    const classOf = fit.state.classNames.map(Number);
    for (let r = 0; r < nTest; r++) classOf.forEach((c, j) => { out[r * input.classes + c] = p[r * classOf.length + j]; });
    return out;
  };
}
