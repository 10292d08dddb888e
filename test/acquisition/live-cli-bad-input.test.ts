// gaitlab record / simulate refuse bad input with one line and leave the database as it was.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { dbFingerprint, gaitlab, sharedData, tempDir } from '../helpers';

test('record: an unknown device kind is bad usage (exit 2); a port that does not exist is one line naming it (exit 1); nothing stored changes', () => {
  const dir = tempDir();
  const db = join(dir, 'live.db');
  assert.equal(gaitlab(['--db', db, 'import', sharedData('gaitpdb', 'GaCo01_01.txt.gz')]).code, 0);
  const before = dbFingerprint(db);
  const kind = gaitlab(['--db', db, '--json', 'record', '--port', join(dir, 'nope'), '--device', 'toaster', '--subject', 'GaCo01']);
  assert.equal(kind.code, 2);
  assert.match(kind.stderr, /--device <kind>' argument 'toaster' is invalid\. expected insole, imu, shimmer3 or movella-dot, found "toaster"/);
  const port = gaitlab(['--db', db, '--json', 'record', '--port', join(dir, 'nope'), '--device', 'insole', '--subject', 'GaCo01']);
  assert.equal(port.code, 1);
  assert.equal(port.stdout, '');
  assert.equal(port.stderr, `gaitlab: ${join(dir, 'nope')}: cannot open the serial port: Error: No such file or directory, cannot open ${join(dir, 'nope')}\n`);
  const subject = gaitlab(['--db', db, '--json', 'record', '--port', join(dir, 'nope'), '--device', 'insole', '--subject', 'NoSuch01']);
  assert.equal(subject.code, 1);
  assert.equal(subject.stderr, 'gaitlab: no subject NoSuch01\n');
  assert.equal(dbFingerprint(db), before);
  const listed = gaitlab(['--db', db, '--json', 'trials']);
  assert.equal(listed.json.trials.length, 1);
});

test('simulate: a recording of the wrong shape is refused naming its file and line', () => {
  const dir = tempDir();
  const bad = join(dir, 'GaCo99_01.txt');
  writeFileSync(bad, '0\t1\t2\n');
  const r = gaitlab(['--json', 'simulate', '--device', 'insole', '--from', bad, '--port', join(dir, 'port')]);
  assert.equal(r.code, 1);
  assert.equal(r.stderr, `gaitlab: ${bad} line 1: expected 19 tab-separated columns, found 3\n`);
});

test('simulate --device shimmer: a file that is no Shimmer3 SD log is refused naming file and field; options that would change its clock are refused', () => {
  const dir = tempDir();
  const bad = join(dir, 'not-a-log.bin');
  writeFileSync(bad, '0\t1\t2\n');
  const r = gaitlab(['--json', 'simulate', '--device', 'shimmer', '--from', bad, '--port', join(dir, 'port')]);
  assert.equal(r.code, 1);
  assert.equal(r.stderr, `gaitlab: ${bad} field byte 6 (header): the file ends after 6 bytes; a Shimmer3 SD log has a 256-byte header\n`);
  const drift = gaitlab(['--json', 'simulate', '--device', 'shimmer', '--from', sharedData('shimmer3', 'triaxcal_sample.bin'), '--port', join(dir, 'port'), '--drift-ppm', '3']);
  assert.equal(drift.code, 1);
  assert.equal(drift.stderr, 'gaitlab: --drift-ppm: a Shimmer3 replay keeps the device clock its SD file recorded\n');
  const legacy = gaitlab(['--json', 'record', '--port', join(dir, 'port'), '--device', 'shimmer3', '--legacy', '--rate', '100', '--subject', 'X', '--db', join(dir, 'x.db')]);
  assert.equal(legacy.code, 1);
  assert.equal(legacy.stderr, 'gaitlab: --legacy is for insole or imu devices sending plain lines\n');
});
