// One set of contract tests over the whole method registry (scikit-learn's check_estimator): declarations,
// parameters through JSON, one-line refusals, determinism for a fixed seed, parameters carried by every result.
// Then the same checks on deliberately broken methods, to show they fail where they should.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  defineModel, defineParams, defineTransform, getMethod, listMethods, registerMethod, requireMethod, MethodParamError,
} from '../../src-shared/methods';
import { checkDeclaration, checkModel, checkParamsRoundTrip, checkRefusals, checkTransform } from './contract-checks';
import { contractFixtures } from './contract-fixtures';

test('the registry lists the six event detectors, cycle segmentation and plate stances', () => {
  assert.deepEqual(listMethods().map((m) => m.name), ['InsoleEvents', 'ForceThresholdEvents', 'ShankGyroEvents', 'FootImuEvents', 'LowerBackImuEvents', 'KinematicEvents', 'GaitCycleSegmentation', 'PlateStances']);
  assert.deepEqual(listMethods('gait-events').map((m) => m.name), ['InsoleEvents', 'ForceThresholdEvents', 'ShankGyroEvents', 'FootImuEvents', 'LowerBackImuEvents', 'KinematicEvents']);
  assert.equal(getMethod('Nope'), undefined);
  assert.throws(() => requireMethod('Nope'), /^RangeError: unknown method "Nope" \(known: InsoleEvents, ForceThresholdEvents, ShankGyroEvents, FootImuEvents, LowerBackImuEvents, KinematicEvents, GaitCycleSegmentation, PlateStances\)$/);
  // Registering the same object again is harmless; another method under a taken name is refused.
  registerMethod(getMethod('InsoleEvents')!);
  const impostor = defineTransform({ name: 'InsoleEvents', version: '9.0.0', role: 'x', description: 'an impostor of the insole detector', params: defineParams<{ k: number }>('InsoleEvents', { k: { type: 'number', unit: '', default: 1, description: 'a number' } }), apply: () => ({ output: null }) });
  assert.throws(() => registerMethod(impostor), /a method named InsoleEvents is already registered \(version 1\.0\.0\)/);
});

for (const m of listMethods()) {
  test(`${m.name}: the method keeps the contract`, async () => {
    checkDeclaration(m);
    checkParamsRoundTrip(m);
    checkRefusals(m);
    const fixture = contractFixtures[m.name];
    assert.ok(fixture, `no contract fixture for ${m.name}: add one to test/methods/contract-fixtures.ts`);
    if (m.kind === 'transform') checkTransform(m, await fixture());
    else await checkModel(m, (await fixture()) as { data: unknown; input: unknown });
  });
}

test('the documented messages, word for word', () => {
  const plates = requireMethod('ForceThresholdEvents');
  assert.throws(() => plates.params.parse({ onN: -3 }), { message: 'ForceThresholdEvents: parameter onN = -3 is out of range (0 < onN ≤ 5000 N)' });
  assert.throws(() => plates.params.parse({ foo: 1 }), { message: 'ForceThresholdEvents: unknown parameter "foo" (known: onN, offN, minContactS, minGapS, sideToleranceS, fp1Side, fp2Side, fp3Side, fp4Side)' });
  assert.throws(() => plates.params.parse({ onN: 20, offN: 30 }), { message: 'ForceThresholdEvents: parameter offN = 30 is out of range (0 < offN ≤ onN = 20 N: the hysteresis needs on ≥ off)' });
  assert.throws(() => requireMethod('GaitCycleSegmentation').params.parse({ minCycleS: 3 }), { message: 'GaitCycleSegmentation: parameter minCycleS = 3 is out of range (0 < minCycleS < maxCycleS = 2.5 s)' });
  assert.throws(() => requireMethod('ShankGyroEvents').params.parse({ lowPassHz: 0 }), { message: 'ShankGyroEvents: parameter lowPassHz = 0 is out of range (0 < lowPassHz ≤ 100 Hz, or null)' });
  assert.deepEqual(requireMethod('ShankGyroEvents').params.parse({ lowPassHz: null }).lowPassHz, null);
  assert.throws(() => plates.params.parse([1]), { message: 'ForceThresholdEvents: parameters must be an object of name: value, got [1]' });
});

// ---------------------------------------------------------------------------------------------------------------
// The checks themselves can fail.

const oneParam = (name: string) => defineParams<{ gainDb: number }>(name, { gainDb: { type: 'number', unit: 'dB', default: 1, min: 0, max: 10, description: 'a gain in decibels' } });

test('a transform whose output depends on more than input, parameters and seed fails the determinism check', () => {
  const noisy = defineTransform<{ gainDb: number }, number[], number[]>({
    name: 'Noisy', version: '1.0.0', role: 'test', description: 'adds unseeded noise', params: oneParam('Noisy'),
    apply: (x, p) => ({ output: x.map((v) => v * p.gainDb + Math.random()), summary: { n: x.length } }),
  });
  assert.throws(() => checkTransform(noisy, [1, 2, 3]), /Noisy: two runs with seed 7 differ/);
});

test('a transform whose output items carry other parameters than the run fails the parameter check', () => {
  const forgetful = defineTransform<{ gainDb: number }, number[], { items: { params: Record<string, unknown> }[] }>({
    name: 'Forgetful', version: '1.0.0', role: 'test', description: 'labels its items with the default gain', params: oneParam('Forgetful'),
    apply: (x) => ({ output: { items: x.map(() => ({ params: { gainDb: 1 } })) }, summary: { n: x.length } }),
  });
  assert.throws(() => checkTransform(forgetful, [1, 2]), /Forgetful: an output item's params\.gainDb differs from the run's/);
});

test('a fixture that gives an empty result fails: the checks would prove nothing', () => {
  const empty = defineTransform<{ gainDb: number }, number[], number[]>({
    name: 'Empty', version: '1.0.0', role: 'test', description: 'returns nothing at all', params: oneParam('Empty'), apply: () => ({ output: [], summary: { n: 0 } }),
  });
  assert.throws(() => checkTransform(empty, []), /Empty: the fixture gives an empty result/);
});

// A small real model: nearest class centroid, with a seeded hold-out split for its accuracy (mulberry32 PRNG).
function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
interface Labelled { x: number[][]; y: string[] }
type Centroids = Record<string, number[]>;
const nearest = (c: Centroids, x: number[]) => Object.keys(c).sort().reduce((best, k) => (dist(c[k], x) < dist(c[best], x) ? k : best), Object.keys(c).sort()[0]);
const dist = (a: number[], b: number[]) => Math.hypot(...a.map((v, i) => v - b[i]));
function centroidModel(name: string, seeded: boolean) {
  return defineModel<{ holdOutFraction: number }, Labelled, number[][], string[], Centroids, number[][]>({
    name, version: '1.0.0', role: 'classifier', description: 'nearest class centroid (test model)',
    params: defineParams<{ holdOutFraction: number }>(name, { holdOutFraction: { type: 'number', unit: '', default: 0.25, min: 0, max: 1, minExclusive: true, maxExclusive: true, description: 'share of rows held out for the accuracy' } }),
    async fit(data, p, { seed }) {
      const random = seeded ? mulberry32(seed) : Math.random;
      const order = data.y.map((_, i) => i).sort(() => random() - 0.5);
      const held = new Set(order.slice(0, Math.round(p.holdOutFraction * order.length)));
      const state: Centroids = {};
      for (const label of new Set(data.y)) {
        const rows = data.x.filter((_, i) => data.y[i] === label && !held.has(i));
        state[label] = rows[0].map((_, j) => rows.reduce((s, r) => s + r[j], 0) / rows.length);
      }
      const correct = [...held].filter((i) => nearest(state, data.x[i]) === data.y[i]).length;
      return { state, metrics: { accuracy: held.size ? correct / held.size : 1, heldOut: held.size } };
    },
    predict: async (fitted, x) => ({ output: x.map((r) => nearest(fitted.state, r)), summary: { n: x.length } }),
    explain: async (fitted, x) => ({ output: x.map((r) => r.map((v, j) => Math.abs(v - fitted.state[nearest(fitted.state, r)][j]))) }),
  });
}
const labelled: Labelled = {
  x: Array.from({ length: 40 }, (_, i) => [i % 2 ? 1 + (i % 7) / 10 : -1 - (i % 5) / 10, (i % 3) / 10]),
  y: Array.from({ length: 40 }, (_, i) => (i % 2 ? 'injured' : 'healthy')),
};

test('a seeded model keeps the model contract: same fit for the same seed, predictions from the stored state', async () => {
  await checkModel(centroidModel('CentroidSeeded', true), { data: labelled, input: [[1.2, 0], [-1.3, 0.1]] });
  const m = centroidModel('CentroidSeeded', true);
  checkDeclaration(m);
  checkRefusals(m);
  const fitted = await m.fit(labelled, { holdOutFraction: 0.5 }, { seed: 3 });
  assert.deepEqual(fitted.params, { holdOutFraction: 0.5 });
  assert.equal(fitted.summary.heldOut, 20);
  assert.deepEqual((await m.predict(fitted, [[2, 0], [-2, 0]])).output, ['injured', 'healthy']);
  await assert.rejects(m.predict({ ...fitted, version: '0.9.0' }, [[0, 0]]), (e: unknown) => e instanceof MethodParamError && /fitted by version 0\.9\.0; this is version 1\.0\.0/.test(e.message));
});

test('a model that ignores its seed fails the model check', async () => {
  await assert.rejects(checkModel(centroidModel('CentroidUnseeded', false), { data: labelled, input: [[1, 0]] }), /CentroidUnseeded: two fits with seed 7 differ/);
});
