// The gait graph and the GPS on a real Plug-in-Gait trial (gait-pig.c3d), all on the real path: the cycles service
// cuts every angle, moment and power channel on the file's own foot strikes, then reference sets, GPS and the gait
// graph, through the dispatcher with checked responses.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { writeFileSync } from 'node:fs';
import { closeServiceContext, openServiceContext, type ServiceContext } from '../../src-main/services/context';
import { createDispatcher, type Dispatch } from '../../src-main/services/dispatch';
import { importPaths } from '../../src-main/services/import-service';
import { checkedDispatch } from '../api-contract';
import { sharedData, tempDir } from '../helpers';
import type { ApiResponse } from '../../src-shared/api/schema';

const dir = tempDir();
let ctx: ServiceContext;
let call: Dispatch;
let trialId: string;
let subjectId: string;

// The file's EVENT group (README of horst2019-gait-c3d): strikes L 0.57, 1.52, 2.48; R 1.03625, 2.0; offs L 1.1525, 2.12; R 1.61125.
const FILE = { left: { strikes: [0.57, 1.52, 2.48], offs: [1.1525, 2.12] }, right: { strikes: [1.03625, 2.0], offs: [1.61125] } };

before(async () => {
  ctx = openServiceContext({ dbPath: join(dir, 'pig.db'), mode: 'cli' });
  call = checkedDispatch(createDispatcher(ctx));
  await importPaths(ctx, [sharedData('horst2019-gait-c3d', 'gait-pig.c3d')]);
  const trial = ((await call('listTrials', {})) as ApiResponse<'listTrials'>).trials[0];
  trialId = trial.id;
  subjectId = trial.subjectId;
  await call('detectEvents', { trialId, onlyIfPending: true }); // plates: a second set of events beside the file's
  await call('extractCycles', { trialId });
});
after(() => closeServiceContext(ctx));

test('gait graph: left 2 and right 1 cycles per PiG panel, the mean of the stored cycles, foot-off from the file’s events', async () => {
  const graph = (await call('gaitGraph', { trialId })) as ApiResponse<'gaitGraph'>;
  const kin = graph.sheets.find((s) => s.key === 'kinematics')!;
  assert.equal(kin.panels.filter((p) => p.left && p.right).length, 13, 'every kinematic panel has both sides');
  const knee = kin.panels.find((p) => p.row === 'knee' && p.column === 'sagittal')!;
  assert.equal(knee.left!.channel, 'A22:LKneeAngles_x');
  assert.deepEqual([knee.left!.n, knee.right!.n], [2, 1]);
  const stored = ((await call('getCycles', { trialId, channel: 'A22:LKneeAngles_x', kind: 'gait_cycle' })) as ApiResponse<'getCycles'>).cycles;
  for (const k of [0, 30, 60, 100]) assert.ok(Math.abs(knee.left!.mean[k] - (stored[0].curve[k] + stored[1].curve[k]) / 2) < 1e-3, `mean at ${k} %`);
  assert.ok(Math.max(...knee.left!.mean) > 40, 'knee flexion peaks in swing');
  // Foot-off from the file's events (the plates' final contacts fall 10 ms later and are another set).
  const pct = (side: 'left' | 'right') => FILE[side].offs.map((off, i) => (100 * (off - FILE[side].strikes[i])) / (FILE[side].strikes[i + 1] - FILE[side].strikes[i]));
  assert.ok(Math.abs(knee.left!.footOffPct! - (pct('left')[0] + pct('left')[1]) / 2) < 1e-3, `left foot-off ${knee.left!.footOffPct}`);
  assert.ok(Math.abs(knee.right!.footOffPct! - pct('right')[0]) < 1e-3, `right foot-off ${knee.right!.footOffPct}`);
  assert.equal(knee.unit, 'deg');
  // Individual cycles on request.
  const withCycles = (await call('gaitGraph', { trialId, individualCycles: true })) as ApiResponse<'gaitGraph'>;
  assert.equal(withCycles.sheets[0].panels.find((p) => p.row === 'knee' && p.column === 'sagittal')!.left!.cycles!.length, 2);
});

test('a reference built while the body mass is unknown leaves out the kinetics, and says whose', async () => {
  const r = (await call('createReference', { name: 'no-mass', subjectIds: [subjectId] })) as ApiResponse<'createReference'>;
  assert.deepEqual(r.params.kineticsLeftOutNoBodyMass, [subjectId]);
  const set = (await call('getReference', { id: r.id })) as ApiResponse<'getReference'>;
  assert.ok(set.curves.some((c) => c.channel === 'LKneeAngles_x'));
  assert.ok(!set.curves.some((c) => /Moment|Power/.test(c.channel)));
});

test('kinetics per kg: N·mm divided by 1000 and the subject’s body mass once it is known', async () => {
  const moment = async () => ((await call('gaitGraph', { trialId })) as ApiResponse<'gaitGraph'>).sheets.find((s) => s.key === 'kinetics')!.panels.find((p) => p.row === 'knee_moment' && p.column === 'sagittal')!;
  const before = await moment();
  assert.equal(before.unit, 'N·m');
  assert.match(before.unitNote!, /body mass unknown/);
  await call('editSubject', { id: subjectId, attributes: { body_mass: { value: 72.5, unit: 'kg' } } });
  const after = await moment();
  assert.equal(after.unit, 'N·m/kg');
  assert.equal(after.unitNote, 'divided by body mass 72.5 kg');
  for (const k of [10, 50]) assert.ok(Math.abs(after.left!.mean[k] - before.left!.mean[k] / 72.5) < 1e-3, `at ${k} %`);
});

test('GPS against a reference built from the same trial is 0; shifting the reference’s left knee by 3° gives GVS 3, GPS left 1', async () => {
  const self = (await call('createReference', { name: 'self', subjectIds: [subjectId], pooling: 'cycles' })) as ApiResponse<'createReference'>;
  const zero = (await call('gaitProfileScore', { trialId, reference: { id: self.id } })) as ApiResponse<'gaitProfileScore'>;
  assert.deepEqual(zero.missing, [], 'all 9 variables of both sides found under their A22: names');
  assert.equal(zero.map.length, 18);
  for (const e of zero.map) assert.ok(Math.abs(e.gvs) < 1e-4, `${e.side} ${e.variable} ${e.gvs}`);
  const exported = ((await call('exportReference', { id: self.id, format: 'json' })) as ApiResponse<'exportReference'>).content;
  const shifted = exported.split('\n').map((line) => {
    if (!line.startsWith('{"channel":"LKneeAngles_x"')) return line;
    const c = JSON.parse(line.replace(/,$/, '')) as { mean: number[] };
    return JSON.stringify({ ...c, mean: c.mean.map((v) => v + 3) }) + (line.endsWith(',') ? ',' : '');
  }).join('\n');
  writeFileSync(join(dir, 'shifted.json'), shifted);
  const ref = (await call('importReference', { path: join(dir, 'shifted.json'), name: 'shifted' })) as ApiResponse<'importReference'>;
  const r = (await call('gaitProfileScore', { subjectId, reference: { id: ref.id } })) as ApiResponse<'gaitProfileScore'>;
  for (const e of r.map) assert.ok(Math.abs(e.gvs - (e.side === 'left' && e.variable === 'knee_flexion' ? 3 : 0)) < 2e-4, `${e.side} ${e.variable} ${e.gvs}`);
  assert.ok(Math.abs(r.gps.left! - 1) < 2e-4);
  assert.ok(Math.abs(r.gps.right!) < 2e-4);
  assert.ok(Math.abs(r.overall! - Math.sqrt(9 / 15)) < 2e-4);
  // Kinetics in the reference are per kg (body mass 72.5 kg was set above), so their band is drawn on the kinetics sheet.
  const selfSet = (await call('getReference', { id: self.id })) as ApiResponse<'getReference'>;
  assert.equal(selfSet.curves.find((c) => c.channel === 'LKneeMoment_x')!.unit, 'N·m/kg');
  const kinetics = ((await call('gaitGraph', { trialId, reference: { id: self.id } })) as ApiResponse<'gaitGraph'>).sheets[1];
  const moment = kinetics.panels.find((p) => p.row === 'knee_moment' && p.column === 'sagittal')!;
  assert.equal(moment.reference.left!.unit, 'N·m/kg');
  assert.ok(Math.abs(moment.reference.left!.mean[20] - moment.left!.mean[20]) < 1e-3, 'the trial against itself');
  // The gait graph carries the same MAP and the band of the chosen reference.
  const graph = (await call('gaitGraph', { subjectId, reference: { name: 'shifted' } })) as ApiResponse<'gaitGraph'>;
  assert.deepEqual(graph.gps!.gps, r.gps);
  const knee = graph.sheets[0].panels.find((p) => p.row === 'knee' && p.column === 'sagittal')!;
  assert.ok(Math.abs(knee.reference.left!.mean[40] - knee.left!.mean[40] - 3) < 1e-3);
});

test('a session narrows its subject’s trials; a session without its subject is refused', async () => {
  const subject = (await call('getSubject', { id: subjectId })) as ApiResponse<'getSubject'>;
  const sessionId = subject.sessions[0].id;
  const g = (await call('gaitGraph', { subjectId, sessionId })) as ApiResponse<'gaitGraph'>;
  assert.deepEqual(g.trials, [trialId]);
  await assert.rejects(call('gaitGraph', { sessionId }), /a session is asked for with its subject/);
});
