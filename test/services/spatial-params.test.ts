// Spatial parameters from markers (issue 22) against a hand computation: test/fixtures/spatial/spatial-params.py
// computes them with numpy from gait-pig.c3d's markers exported to CSV (export-markers.ts) and its EVENT group.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { closeServiceContext, openServiceContext, type ServiceContext } from '../../src-main/services/context';
import { createDispatcher, type Dispatch } from '../../src-main/services/dispatch';
import { importPaths } from '../../src-main/services/import-service';
import type { MarkerTrack } from '../../src-shared/signal/events/zeni';
import { spatialStrides, type SpatialSignals } from '../../src-shared/signal/spatial-parameters';
import { checkedDispatch } from '../api-contract';
import { fixture, sharedData, tempDir } from '../helpers';
import { trialFromFiles } from '../methods/trial-from-files';

const expected = JSON.parse(readFileSync(fixture('spatial', 'spatial-params.expected.json'), 'utf8')) as {
  strides: Array<Record<string, number | string>>;
  summary: Record<string, { mean: number; sd: number | null; n: number }>;
};
let ctx: ServiceContext;
let call: Dispatch;

before(async () => {
  ctx = openServiceContext({ dbPath: join(tempDir(), 'spatial.db'), mode: 'cli' });
  call = checkedDispatch(createDispatcher(ctx));
  await importPaths(ctx, [sharedData('horst2019-gait-c3d', 'gait-pig.c3d'), sharedData('gaitpdb', 'GaCo01_01.txt.gz')]);
});
after(() => closeServiceContext(ctx));

const UNITS: Record<string, string> = { walking_speed: 'm/s', stride_length: 'm', step_length: 'm', step_width: 'm', foot_progression_angle: 'deg' };

test("getParams on gait-pig.c3d: walking speed, stride and step length, step width and foot progression angle per side equal numpy's from the same markers", async () => {
  const t = ((await call('listTrials', { offset: 0, limit: 10 })) as any).trials.find((x: any) => x.key === 'gait-pig').id;
  const p = (await call('getParams', { trialId: t })) as any;
  // Strides from the file's events (two left, one right), not the plates' single contacts.
  assert.deepEqual(p.strides, { left: 2, right: 1, flagged: 0 });
  for (const [key, want] of Object.entries(expected.summary)) {
    const [name, side] = key.split(':');
    const got = p.parameters.find((x: any) => x.name === name && x.side === (side === 'both' ? null : side));
    assert.ok(got, key);
    assert.equal(got.mean.unit, UNITS[name]);
    assert.equal(got.n, want.n, key);
    assert.ok(Math.abs(got.mean.value - want.mean) < 1e-6 * Math.max(1, Math.abs(want.mean)), `${key}: ${got.mean.value} vs ${want.mean}`);
    if (want.sd === null) assert.equal(got.sd.value, null, key);
    else assert.ok(Math.abs(got.sd.value - want.sd) < 1e-6, `${key} SD: ${got.sd.value} vs ${want.sd}`);
  }
  // Plausible for a healthy adult (and the ankle marker standing in for the heel widens the step a little).
  const mean = (name: string) => p.parameters.find((x: any) => x.name === name && x.side === null).mean.value;
  assert.ok(mean('walking_speed') > 1.1 && mean('walking_speed') < 1.5);
  assert.ok(mean('stride_length') > 1.1 && mean('stride_length') < 1.5);
  // Steps are a little short of half a stride: at the strike the other foot's heel is already rising and rolling forward.
  assert.ok(mean('step_length') > 0.5 && mean('step_length') < mean('stride_length') / 2);
  const sym = p.symmetry.find((x: any) => x.name === 'stride_length');
  assert.equal(sym.symmetryIndex.unit, '%');
  assert.ok(Math.abs(sym.symmetryIndex.value) < 5);
});

test('a trial without markers (an insole walk) has no spatial parameters', async () => {
  const t = ((await call('listTrials', { offset: 0, limit: 10 })) as any).trials.find((x: any) => x.key !== 'gait-pig').id;
  await call('detectEvents', { trialId: t });
  const p = (await call('getParams', { trialId: t })) as any;
  assert.ok(p.strides.left > 50);
  assert.deepEqual(p.parameters.filter((x: any) => UNITS[x.name]), []);
});

test('walking the other way, or along the other lab axis, gives the same spatial parameters', async () => {
  const trial = await trialFromFiles([sharedData('horst2019-gait-c3d', 'gait-pig.c3d')]);
  const track = (name: string, f: (x: number, y: number, z: number) => [number, number, number]): MarkerTrack => {
    const [x, y, z] = ['_x', '_y', '_z'].map((k) => trial.channels.get(`A22:${name}${k}`)!.values);
    const out = [new Float64Array(x.length), new Float64Array(x.length), new Float64Array(x.length)];
    for (let i = 0; i < x.length; i++) f(x[i] / 1000, y[i] / 1000, z[i] / 1000).forEach((v, k) => (out[k][i] = v));
    return { x: out[0], y: out[1], z: out[2] };
  };
  const signals = (f: (x: number, y: number, z: number) => [number, number, number]): SpatialSignals => ({
    rateHz: 50, pelvis: track('SACR', f), heel: { left: track('LANK', f), right: track('RANK', f) }, toe: { left: track('LTOE', f), right: track('RTOE', f) },
  });
  const strides = expected.strides.map((s) => ({ side: s.side as 'left' | 'right', strikeS: s.strikeS as number, nextStrikeS: NaN, footOffS: null as number | null }));
  // The strides' events, from the file: each strike to the side's next, with its foot off.
  const ev = trial.fileEvents!;
  for (const s of strides) {
    s.nextStrikeS = Math.min(...ev.filter((e) => e.side === s.side && e.label === 'initial_contact' && e.timeS > s.strikeS).map((e) => e.timeS));
    s.footOffS = ev.find((e) => e.side === s.side && e.label === 'final_contact' && e.timeS > s.strikeS && e.timeS < s.nextStrikeS)!.timeS;
  }
  const round = (xs: ReturnType<typeof spatialStrides>) => xs.map((x) => Object.values(x).map((v) => (typeof v === 'number' ? +v.toFixed(9) : v)));
  const base = spatialStrides(signals((x, y, z) => [x, y, z]), strides);
  expected.strides.forEach((want, i) => assert.ok(Math.abs((base[i].footProgressionDeg as number) - (want.footProgressionDeg as number)) < 1e-6));
  assert.deepEqual(round(spatialStrides(signals((x, y, z) => [-x, -y, z]), strides)), round(base));
  assert.deepEqual(round(spatialStrides(signals((x, y, z) => [-y, x, z]), strides)), round(base));
  assert.deepEqual(round(spatialStrides(signals((x, y, z) => [x, z, -y]), strides)), round(base));
});
