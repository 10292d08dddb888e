// Seeded random models and inputs for the LRP tests: plans of §1.3 with N(0, 1/fan-in) weights and non-zero
// biases (so that bias shares and both αβ sides are exercised), inputs uniform in [−1, 1] like scaled curves.
import { seededNormal, seededRandom } from '../../src-shared/random';
import type { LrpModel } from '../../src-shared/lrp/layers';
import { initialWeights, lrpModel, modelPlan, type HorstModelKind } from '../../src-shared/methods/horst/architectures';

export function randomHorstModel(kind: HorstModelKind, channels: number, classes: number, seed: number, biasScale = 0.1): LrpModel {
  const plan = modelPlan(kind, channels, classes);
  const normal = seededNormal(seed);
  const weights = initialWeights(plan, normal);
  for (const w of weights) for (let j = 0; j < w.bias.length; j++) w.bias[j] = biasScale * normal();
  return lrpModel(plan, weights);
}

export function randomInput(size: number, seed: number): Float64Array {
  const uniform = seededRandom(seed);
  return Float64Array.from({ length: size }, () => 2 * uniform() - 1);
}

export function randomArray(size: number, seed: number, scale = 1): Float64Array {
  const normal = seededNormal(seed);
  return Float64Array.from({ length: size }, () => scale * normal());
}

export function maxAbs(values: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < values.length; i++) m = Math.max(m, Math.abs(values[i]));
  return m;
}
