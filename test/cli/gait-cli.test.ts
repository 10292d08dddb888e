import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { gaitlab, sharedData, tempDir } from '../helpers';

const db = join(tempDir(), 'g.db');
let trial: string;

before(() => {
  assert.equal(gaitlab(['import', sharedData('gaitpdb', 'JuCo01_01.txt.gz'), '--db', db, '--json']).code, 0);
  trial = gaitlab(['trials', '--db', db, '--json']).json.trials[0].id;
});

test('gaitlab events / cycles / params --json print one document each', () => {
  const ev = gaitlab(['events', trial, '--db', db, '--json']);
  assert.equal(ev.code, 0, ev.stderr);
  assert.equal(ev.json.detector.name, 'InsoleEvents');
  assert.ok(ev.json.events.length > 50);
  const cy = gaitlab(['cycles', trial, '--kind', 'gait_cycle', '--db', db, '--json']);
  assert.equal(cy.code, 0, cy.stderr);
  assert.ok(cy.json.cycles.every((c: any) => c.kind === 'gait_cycle' && c.curve.length === 101));
  const pa = gaitlab(['params', trial, '--db', db, '--json']);
  assert.equal(pa.code, 0, pa.stderr);
  assert.ok(pa.json.parameters.some((p: any) => p.name === 'cadence' && p.mean.unit === 'steps/min'));
  const bySubject = gaitlab(['params', 'JuCo01', '--db', db, '--json']);
  assert.deepEqual(bySubject.json.trials, [trial]);
});

test('gaitlab event correct / add / delete change one event, audited', () => {
  const ev = gaitlab(['events', trial, '--db', db, '--json']).json.events[3];
  const fixed = gaitlab(['event', 'correct', ev.id, '--time', String(ev.timeS + 0.02), '--db', db, '--json']);
  assert.equal(fixed.code, 0, fixed.stderr);
  assert.equal(fixed.json.event.manual, true);
  const added = gaitlab(['event', 'add', trial, '--label', 'initial_contact', '--side', 'left', '--time', '3.5', '--db', db, '--json']);
  assert.equal(added.code, 0, added.stderr);
  assert.equal(gaitlab(['event', 'delete', added.json.event.id, '--db', db, '--json']).code, 0);
  assert.equal(gaitlab(['event', 'correct', ev.id, '--time', 'soon', '--db', db]).code, 2);
  const missing = gaitlab(['event', 'delete', '999999', '--db', db]);
  assert.equal(missing.code, 1);
  assert.equal(missing.stderr, 'gaitlab: no event 999999\n');
  assert.equal(gaitlab(['audit', 'verify', '--db', db, '--json']).json.audit.ok, true);
});
