// gaitlab cycles / events on a motion-capture trial: every channel has its cycles, and KinematicEvents runs by name.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { dbFingerprint, gaitlab, sharedData, tempDir } from '../helpers';

const db = join(tempDir(), 'mocap-cli.db');
const trials: Record<string, string> = {};

before(() => {
  const im = gaitlab(['import', sharedData('horst2019-gait-c3d', 'gait-pig.c3d'), sharedData('horst2019-gait-c3d', 'Walking_Hybrid_1_1.c3d'), '--db', db, '--json']);
  assert.equal(im.code, 0, im.stderr);
  for (const t of gaitlab(['trials', '--db', db, '--json']).json.trials) trials[t.key] = t.id;
});

test('gaitlab cycles <trial> gives every channel of gait-pig.c3d its gait cycles, and --channel any one of them', () => {
  const all = gaitlab(['cycles', trials['gait-pig'], '--kind', 'gait_cycle', '--db', db, '--json']);
  assert.equal(all.code, 0, all.stderr);
  const signals = gaitlab(['signals', trials['gait-pig'], '--max-points', '2', '--db', db, '--json']);
  assert.equal(signals.code, 0, signals.stderr);
  const timed = (signals.json.channels as any[]).filter((c) => c.rateHz);
  assert.ok(timed.length > 250, String(timed.length));
  const channels = new Set(all.json.cycles.map((c: any) => c.channel));
  assert.equal(channels.size, timed.length);
  for (const c of timed) assert.ok(channels.has(c.name), c.name);
  // A model output (50 Hz), an analog and a plate channel (800 Hz), one call each (the service test covers the rest).
  for (const name of ['A22:RHipMoment_x', 'EMG1', 'FP2_Fz']) {
    const one = gaitlab(['cycles', trials['gait-pig'], '--channel', name, '--kind', 'gait_cycle', '--db', db, '--json']);
    assert.equal(one.code, 0, one.stderr);
    assert.deepEqual(one.json.cycles.map((c: any) => [c.channel, c.side, c.startS, c.endS, c.eventSource]),
      [[name, 'left', 0.57, 1.52, 'file'], [name, 'left', 1.52, 2.48, 'file'], [name, 'right', 1.03625, 2, 'file']], name);
  }
  const table = gaitlab(['cycles', trials['gait-pig'], '--channel', 'A22:LKneeAngles_y', '--kind', 'gait_cycle', '--db', db]);
  assert.match(table.stdout, /frontal/);
});

test('gaitlab events --detector KinematicEvents: marker labels as --param; missing markers refused in one line, nothing stored', () => {
  const t = trials['Walking_Hybrid_1_1'];
  const before = dbFingerprint(db);
  const bad = gaitlab(['events', t, '--detector', 'KinematicEvents', '--db', db]);
  assert.equal(bad.code, 1);
  assert.equal(bad.stderr, `gaitlab: KinematicEvents: trial ${t} has no marker LHEE, RHEE, LTOE, RTOE\n`);
  assert.equal(dbFingerprint(db), before);
  const ok = gaitlab(['events', t, '--detector', 'KinematicEvents', '--param', 'leftHeel=L_HEEL', '--param', 'rightHeel=R_HEEL', '--param', 'leftToe=L_MT_1', '--param', 'rightToe=R_MT_1', '--db', db, '--json']);
  assert.equal(ok.code, 0, ok.stderr);
  assert.equal(ok.json.detector.name, 'KinematicEvents');
  assert.ok(ok.json.events.filter((e: any) => e.source === 'KinematicEvents' && e.label === 'initial_contact').length >= 5);
  const cy = gaitlab(['cycles', t, '--channel', 'SACRUM_x', '--kind', 'gait_cycle', '--db', db, '--json']);
  assert.equal(cy.code, 0, cy.stderr);
  assert.ok(cy.json.cycles.length >= 3 && cy.json.cycles.every((c: any) => c.eventSource === 'kinematic'));
});
