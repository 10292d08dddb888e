import { evaluateBound } from '../../src-shared/gp/bound';
import { smallSet } from './small-set';
const set = smallSet('hetero', 'near-fit');
const { theta, model, statsData, jitter } = set;
const b = (x: Float64Array) => evaluateBound(model, x, statsData, jitter, false).bound;
console.log('bound', b(theta));
const g = evaluateBound(model, theta, statsData, jitter, true).gradient!;
for (const i of [173, 238, 293, 301, 5, 12]) {
  const row = [i, g[i]];
  for (const h of [1e-3, 1e-4, 1e-5, 1e-6]) { const k = theta[i]; theta[i] = k + h; const u = b(theta); theta[i] = k - h; const d = b(theta); theta[i] = k; row.push((u - d) / (2 * h)); }
  console.log(row.join(' '));
}
