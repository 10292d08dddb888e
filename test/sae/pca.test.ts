import { test } from 'node:test';
import assert from 'node:assert/strict';
import { pca } from '../../src-shared/sae/pca';

// numpy.linalg.eigh of np.cov(x.T), computed once with /usr/bin/python3 (signs fixed: largest loading positive).
const x = [[0.319, 2.136, 1.11, -0.478], [-0.98, 1.754, -2.456, -0.367], [-2.216, 6.961, -0.447, -0.599], [-0.102, -2.344, -2.019, 0.332], [1.271, -2.524, -1.49, -0.93], [-4.935, 4.933, -1.702, 2.359], [0.935, -1.616, -0.264, 0.258], [-1.349, 4.116, -0.354, -0.79], [0.331, -0.799, -1.234, 0.066], [1.334, -1.809, -0.155, -0.085], [0.861, 1.917, 4.771, 0.013], [-2.751, 0.466, -1.826, 0.96]];
const ratio = [0.6586721572162881, 0.2698675593154122];
const comps = [[-0.45806332374906494, 0.8858075258707581, 0.019291986518471527, 0.0717693374837522], [0.4369701029363189, 0.22187677161968955, 0.8531277455077189, -0.17888789003273847]];

test('§5.2.9 PCA: explained-variance ratios and components equal numpy eigh to 1e-10, deterministic signs, scores are projections', () => {
  const r = pca(Float64Array.from(x.flat()), 12, 4, 2);
  r.explainedVarianceRatio.forEach((v, i) => assert.ok(Math.abs(v - ratio[i]) < 1e-10, `ratio ${i}: ${v}`));
  comps.forEach((c, i) => c.forEach((v, d) => assert.ok(Math.abs(r.components[i * 4 + d] - v) < 1e-10, `component ${i}[${d}]`)));
  // Scores have the variance of their eigenvalue and are uncorrelated.
  let s01 = 0;
  for (let n = 0; n < 12; n++) s01 += r.scores[n * 2] * r.scores[n * 2 + 1];
  assert.ok(Math.abs(s01) < 1e-9);
  assert.deepEqual(pca(Float64Array.from(x.flat()), 12, 4, 2), r);
});
