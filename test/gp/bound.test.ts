import { test } from 'node:test';
import assert from 'node:assert/strict';
import { evaluateBound } from '../../src-shared/gp/bound';
import { caviState, caviUpdateNode } from '../../src-shared/gp/cavi';
import { addObservation, emptyCellStats } from '../../src-shared/gp/cell-stats';
import { smallSet } from './small-set';

test('HG-9 Welford cell statistics equal the two-pass mean and centred sum of squares, skipping NaN', () => {
  const ys = [1e6 + 0.1, 1e6 + 0.4, NaN, 1e6 - 0.3, 1e6 + 0.2];
  const s = emptyCellStats(1);
  for (const y of ys) addObservation(s, 0, y);
  const kept = ys.filter((y) => !Number.isNaN(y));
  const mean = kept.reduce((a, b) => a + b, 0) / kept.length;
  const c = kept.reduce((a, y) => a + (y - mean) ** 2, 0);
  assert.equal(s.n[0], 4);
  assert.ok(Math.abs(s.mean[0] - mean) < 1e-9);
  assert.ok(Math.abs(s.c[0] - c) < 1e-9 * c, `${s.c[0]} vs ${c}`);
});

for (const [noise, tieLevels] of [['hetero', false], ['homo', false], ['hetero', true]] as const) {
  test(`HG-11 (${noise}${tieLevels ? ', tieLevels' : ''}) the bound and every gradient component from raw points and from cell statistics agree to 1e-8`, () => {
    const set = smallSet(noise, 'wide', tieLevels);
    const fromPoints = evaluateBound(set.model, set.theta, set.points, set.jitter, true);
    const fromStats = evaluateBound(set.model, set.theta, set.statsData, set.jitter, true);
    assert.ok(Number.isFinite(fromStats.bound));
    assert.ok(Math.abs(fromPoints.bound - fromStats.bound) <= 1e-8 * Math.abs(fromPoints.bound), `${fromPoints.bound} vs ${fromStats.bound}`);
    const gp = fromPoints.gradient!, gs = fromStats.gradient!;
    let worst = 0;
    for (let i = 0; i < gp.length; i++) worst = Math.max(worst, Math.abs(gp[i] - gs[i]) / Math.max(Math.abs(gp[i]), 1e-12));
    assert.ok(worst <= 1e-8, `worst relative gradient difference ${worst}`);
  });

  test(`HG-12 (${noise}${tieLevels ? ', tieLevels' : ''}) every gradient component matches central differences (step 1e-6·max(1, |θ|))`, () => {
    const set = smallSet(noise, 'near-fit', tieLevels);
    const { theta, model, statsData, jitter } = set;
    const g = evaluateBound(model, theta, statsData, jitter, true).gradient!;
    let worst = 0, failures = 0;
    const bad: string[] = [];
    for (let i = 0; i < theta.length; i++) {
      const h = 1e-6 * Math.max(1, Math.abs(theta[i]));
      const keep = theta[i];
      theta[i] = keep + h; const up = evaluateBound(model, theta, statsData, jitter, false).bound;
      theta[i] = keep - h; const down = evaluateBound(model, theta, statsData, jitter, false).bound;
      theta[i] = keep;
      const fd = (up - down) / (2 * h);
      const err = Math.abs(fd - g[i]);
      if (Math.abs(fd) + Math.abs(g[i]) > 1e-3) worst = Math.max(worst, err / (Math.abs(fd) + Math.abs(g[i])));
      if (err > 1e-5 * (Math.abs(fd) + Math.abs(g[i])) + 1e-7) { failures++; if (bad.length < 5) bad.push(`θ[${i}] fd ${fd} vs ${g[i]}`); }
    }
    assert.equal(failures, 0, bad.join('; '));
    assert.ok(theta.length > 1000);
    console.log(`HG-12 ${tieLevels ? 'tied ' : ''}bound ${evaluateBound(model, theta, statsData, jitter, false).bound.toFixed(3)};  ${noise}: ${theta.length} components, worst relative error ${worst.toExponential(2)} (over |g| > 1e-3)`);
  });
}

test('HG-13c on the small set with random q(u), each single-node CAVI update raises (R9) and zeroes that node\'s gradient (< 1e-8)', () => {
  const { model, theta, statsData, stats, jitter } = smallSet('hetero', 'wide');
  const { layout } = model;
  let worst = 0;
  for (let v = 0; v < model.structure.parent.length; v++) {
    const before = evaluateBound(model, theta, statsData, jitter, false).bound;
    caviUpdateNode(model, theta, stats, caviState(model, theta, jitter), v);
    const after = evaluateBound(model, theta, statsData, jitter, true);
    assert.ok(after.bound > before, `node ${model.structure.nodeIds[v]}: ${before} → ${after.bound}`);
    const block = layout.fVariational + v * layout.blockSize;
    for (let i = block; i < block + layout.blockSize; i++) worst = Math.max(worst, Math.abs(after.gradient![i]));
  }
  assert.ok(worst < 1e-8, `largest gradient component after its node's update: ${worst}`);
  console.log(`HG-13c: largest |∂L/∂(m̃, L̃)| after the update ${worst.toExponential(2)}`);
});

test('without the f-nodes\' own variational gradient (cavi-adam), every other component is unchanged and those are 0', () => {
  const { model, theta, statsData, jitter } = smallSet('hetero', 'wide');
  const full = evaluateBound(model, theta, statsData, jitter, true).gradient!;
  const lean = evaluateBound(model, theta, statsData, jitter, true, undefined, undefined, false).gradient!;
  const { fVariational, noiseVariational } = model.layout;
  for (let i = 0; i < full.length; i++) {
    if (i >= fVariational && i < noiseVariational) assert.equal(lean[i], 0);
    else assert.equal(lean[i], full[i], `θ[${i}]`);
  }
});
