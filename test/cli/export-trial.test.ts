// gaitlab export-trial through the real command: a trial imported from a real C3D file is written back as
// C3D, imported again by the same command, and its channels and events are the original's; bad requests are
// one line and leave the database as it was; `gaitlab formats` lists the registry.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { formats } from '../../src-main/formats/registry';
import { dbFingerprint, gaitlab, sharedData, tempDir } from '../helpers';

const dir = tempDir();
const db = join(dir, 'lab.db');
const ids: Record<string, string> = {};

interface Channel { name: string; unit: string; rateHz: number; values: number[] }

before(() => {
  const r = gaitlab(['import', sharedData('horst2019-gait-c3d', 'gait-pig.c3d'), sharedData('gaitpdb', 'GaCo01_01.txt.gz'), '--db', db, '--json']);
  assert.equal(r.code, 0, r.stderr);
  const trials = gaitlab(['trials', '--db', db, '--json']).json.trials as { id: string; key: string }[];
  for (const t of trials) ids[t.key] = t.id;
});

function signals(trialId: string): Channel[] {
  const r = gaitlab(['signals', trialId, '--db', db, '--json']);
  assert.equal(r.code, 0, r.stderr);
  return r.json.channels as Channel[];
}

test('a C3D trial exported and imported again has the same channels, values and file events', () => {
  const out = join(dir, 'gait-pig-again.c3d');
  const r = gaitlab(['export-trial', ids['gait-pig'], '--format', 'c3d', '--out', out, '--db', db, '--json']);
  assert.equal(r.code, 0, r.stderr);
  const e = r.json.export;
  assert.deepEqual([e.format, e.file, e.plates, e.leftOut], ['c3d', out, 2, []]);
  assert.ok(e.points > 0 && e.analogs > 0 && e.events > 0 && existsSync(out));

  const again = gaitlab(['import', out, '--db', db, '--json']);
  assert.equal(again.code, 0, again.stderr);
  assert.equal(again.json.import.trialsAdded, 1);
  const trials = gaitlab(['trials', '--db', db, '--json']).json.trials as { id: string; key: string }[];
  const copy = trials.find((t) => t.key === 'gait-pig-again')!.id;

  const a = signals(ids['gait-pig']);
  const b = signals(copy);
  assert.deepEqual(b.map((c) => [c.name, c.unit, c.rateHz]), a.map((c) => [c.name, c.unit, c.rateHz]));
  for (const [k, c] of a.entries()) {
    const derived = /^FP\d_(Fx|Fy|Fz|COPx|COPy|Tz)$/.test(c.name);
    const scale = Math.max(1, ...c.values.filter((v) => v !== null).map(Math.abs));
    c.values.forEach((v, i) => {
      const w = b[k].values[i];
      if (v === null || w === null || !derived) assert.equal(w, v, `${c.name}[${i}]`);
      else assert.ok(Math.abs(w - v) <= 1e-6 * scale, `${c.name}[${i}]: ${w} vs ${v}`);
    });
  }
  const fileEvents = (id: string) => (gaitlab(['events', id, '--db', db, '--json']).json.events as { label: string; side: string; timeS: number; source: string }[])
    .filter((x) => x.source === 'c3d:EVENT').map((x) => [x.label, x.side, x.timeS.toFixed(5)]);
  assert.deepEqual(fileEvents(copy), fileEvents(ids['gait-pig']));
  assert.ok(fileEvents(copy).length > 0);
});

test('an insole walk (gaitpdb) becomes a C3D of 18 analog channels at its rate (float32 in the file)', () => {
  const out = join(dir, 'walk.c3d');
  const r = gaitlab(['export-trial', ids['GaCo01_01'], '--out', out, '--db', db, '--json']);
  assert.equal(r.code, 0, r.stderr);
  assert.deepEqual([r.json.export.points, r.json.export.analogs, r.json.export.plates], [0, 18, 0]);
  assert.deepEqual(r.json.export.leftOut, ['device clock: C3D frames are evenly spaced at the frame rate; the trial\'s own time stamps are not written']);
  const again = gaitlab(['import', out, '--db', db, '--json']);
  assert.equal(again.code, 0, again.stderr);
  const trials = gaitlab(['trials', '--db', db, '--json']).json.trials as { id: string; key: string }[];
  const a = signals(ids['GaCo01_01']);
  const b = signals(trials.find((t) => t.key === 'walk')!.id);
  assert.deepEqual(b.map((c) => [c.name, c.unit, c.values.length]), a.map((c) => [c.name, c.unit, c.values.length]));
  for (const [k, c] of a.entries()) {
    assert.deepEqual(b[k].values, c.values, c.name);
    // gaitpdb's rate comes from its time stamps (100.007 Hz); C3D stores rates as float32.
    assert.equal(b[k].rateHz, Math.fround(c.rateHz));
  }
});

test('an unknown trial, an unwritable destination, the database itself: one line, exit 1, database unchanged, no file', () => {
  const before = dbFingerprint(db);
  const missing = gaitlab(['export-trial', 'T-nonexistent', '--out', join(dir, 'x.c3d'), '--db', db]);
  assert.equal(missing.code, 1);
  assert.deepEqual(missing.stderr.trim().split('\n'), ['gaitlab: no trial T-nonexistent']);
  const nowhere = join(dir, 'no-such-folder', 'x.c3d');
  const bad = gaitlab(['export-trial', ids['gait-pig'], '--out', nowhere, '--db', db]);
  assert.equal(bad.code, 1);
  assert.deepEqual(bad.stderr.trim().split('\n'), [`gaitlab: ${nowhere}: cannot write (ENOENT)`]);
  assert.equal(existsSync(join(dir, 'x.c3d')), false);
  const onDb = gaitlab(['export-trial', ids['gait-pig'], '--out', db, '--db', db]);
  assert.equal(onDb.code, 1);
  assert.deepEqual(onDb.stderr.trim().split('\n'), [`gaitlab: ${db}: that is the database GaitLab is using; choose another file`]);
  assert.equal(dbFingerprint(db), before);
});

test('an export format GaitLab does not write is bad usage (exit 2)', () => {
  const r = gaitlab(['export-trial', ids['gait-pig'], '--format', 'trc', '--out', join(dir, 'x.trc'), '--db', db]);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /Allowed choices are c3d/);
});

test('gaitlab formats lists every format of the registry', () => {
  const r = gaitlab(['formats', '--db', db, '--json']);
  assert.equal(r.code, 0, r.stderr);
  assert.deepEqual((r.json.formats as { id: string }[]).map((f) => f.id).sort(), formats.map((f) => f.id).sort());
});
