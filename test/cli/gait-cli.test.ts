import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { dbFingerprint, gaitlab, sharedData, tempDir } from '../helpers';

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
  assert.equal(ev.json.detector.version, '1.0.0');
  assert.equal(ev.json.pendingDetector, null);
  assert.ok(ev.json.events.length > 50);
  // Detected once, on first use: a second call reads the same run, and leaves the database as it was.
  const stored = dbFingerprint(db);
  const again = gaitlab(['events', trial, '--db', db, '--json']);
  assert.equal(again.json.detector.runId, ev.json.detector.runId);
  assert.equal(dbFingerprint(db), stored);
  const cy = gaitlab(['cycles', trial, '--kind', 'gait_cycle', '--db', db, '--json']);
  assert.equal(cy.code, 0, cy.stderr);
  assert.ok(cy.json.cycles.length > 50 && cy.json.cycles.every((c: any) => c.kind === 'gait_cycle' && c.curve.length === 101));
  assert.deepEqual(cy.json.unextracted, []);
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

test('gaitlab cycles --param extracts again with the segmentation setting; a bad one is one line, exit 1, nothing changed', () => {
  const flaggedBy = (minCycleS: number) => {
    const r = gaitlab(['cycles', trial, '--kind', 'gait_cycle', '--param', `minCycleS=${minCycleS}`, '--db', db, '--json']);
    assert.equal(r.code, 0, r.stderr);
    return r.json.cycles.filter((c: any) => c.flags.includes('duration_out_of_range')).length;
  };
  const loose = flaggedBy(0.4), strict = flaggedBy(2);
  assert.ok(strict > loose + 50, `${loose} → ${strict} flagged`);
  const stored = dbFingerprint(db);
  const bad = gaitlab(['cycles', trial, '--param', 'minCycleS=-1', '--db', db]);
  assert.equal(bad.code, 1);
  assert.equal(bad.stderr, 'gaitlab: GaitCycleSegmentation: parameter minCycleS = -1 is out of range (0 < minCycleS ≤ 10 s)\n');
  const unknown = gaitlab(['events', trial, '--detect', '--param', 'onN=20', '--db', db]);
  assert.equal(unknown.code, 1);
  assert.equal(unknown.stderr, 'gaitlab: InsoleEvents: unknown parameter "onN" (known: onFraction, offFraction, baselineWindowS, loadedFraction, minContactS, minGapS)\n');
  assert.equal(dbFingerprint(db), stored);
});
