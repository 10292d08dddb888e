// Bad input through the real command: a clear one-line error naming file, line and field, a non-zero
// exit code, and a database file that is byte-for-byte what it was.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, copyFileSync, readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import Database from 'better-sqlite3';
import { dbFingerprint, gaitlab, sharedData, tempDir } from '../helpers';

const dir = tempDir();
const db = join(dir, 'lab.db');
const walk = gunzipSync(readFileSync(sharedData('gaitpdb', 'GaCo01_01.txt.gz'))).toString('latin1');
const lines = walk.split('\r\n');

function badFile(name: string, content: string | Buffer): string {
  const folder = join(dir, `case-${Math.random().toString(36).slice(2)}`);
  mkdirSync(folder);
  const p = join(folder, name);
  writeFileSync(p, content);
  return p;
}

before(() => {
  const r = gaitlab(['import', sharedData('gaitpdb', 'GaCo01_01.txt.gz'), sharedData('gaitpdb', 'GaPt03_01.txt.gz'), '--db', db, '--json']);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.json.import.trialsAdded, 2);
});

function expectRefused(paths: string[], message: RegExp): void {
  const before = dbFingerprint(db);
  const r = gaitlab(['import', ...paths, '--db', db, '--json']);
  assert.equal(r.code, 1, `exit code, stderr: ${r.stderr}`);
  const errors = r.stderr.trim().split('\n');
  assert.equal(errors.length, 1, r.stderr);
  assert.match(errors[0], message);
  assert.equal(r.json.import.errors.length, 1);
  assert.equal(r.json.import.trialsAdded, 0);
  assert.equal(dbFingerprint(db), before, 'database changed');
}

test('a walk cut in the middle of a line', () => {
  const cut = lines.slice(0, 500).join('\r\n') + '\r\n' + lines[500].slice(0, 25);
  expectRefused([badFile('GaCo02_01.txt', cut)], /GaCo02_01\.txt line 501: expected 19 columns, found \d+$/);
});

test('a truncated .gz file', () => {
  const gz = readFileSync(sharedData('gaitpdb', 'GaCo02_01.txt.gz'));
  expectRefused([badFile('GaCo02_01.txt.gz', gz.subarray(0, gz.length >> 1))], /GaCo02_01\.txt\.gz: damaged gzip data \(unexpected end of file\)$/);
});

test('a row with a missing column', () => {
  const bad = lines.map((l, i) => (i === 1200 ? l.split('\t').slice(0, 18).join('\t') : l)).join('\r\n');
  expectRefused([badFile('GaCo02_01.txt', bad)], /GaCo02_01\.txt line 1201: expected 19 columns, found 18$/);
});

test('a row with an extra column', () => {
  const bad = lines.map((l, i) => (i === 7 ? l + '\t12.5' : l)).join('\r\n');
  expectRefused([badFile('GaCo02_01.txt', bad)], /GaCo02_01\.txt line 8: expected 19 columns, found 20$/);
});

test('NaN and Inf values', () => {
  const nan = lines.map((l, i) => (i === 42 ? l.split('\t').map((v, k) => (k === 5 ? 'NaN' : v)).join('\t') : l)).join('\r\n');
  expectRefused([badFile('GaCo02_01.txt', nan)], /GaCo02_01\.txt line 43 field L5: not a finite number: "NaN"$/);
  const inf = lines.map((l, i) => (i === 9 ? l.split('\t').map((v, k) => (k === 18 ? 'Inf' : v)).join('\t') : l)).join('\r\n');
  expectRefused([badFile('GaCo02_01.txt', inf)], /GaCo02_01\.txt line 10 field R_total: not a finite number: "Inf"$/);
});

test('a file with the name of a stored walk but other values conflicts and is refused', () => {
  const changed = lines.map((l, i) => (i === 3000 ? l.replace(/\t[\d.]+\t/, '\t1.5\t') : l)).join('\r\n');
  expectRefused([badFile('GaCo01_01.txt', changed)], /GaCo01_01\.txt: lines 1–12119: trial GaCo01_01 of subject GaCo01 is already stored with other values in 18 of its channels; nothing was imported from this file$/);
});

test('a file of no known format named on the command line is an error; inside a folder it is skipped by name', () => {
  const before = dbFingerprint(db);
  const p = badFile('notes.txt', 'Patient walked well today.\n');
  const q = badFile('blob.bin', Buffer.from([0, 1, 2, 3, 255, 254]));
  const r = gaitlab(['import', p, q, '--db', db, '--json']);
  assert.equal(r.code, 1, r.stderr);
  assert.equal(r.stderr, `error: ${p}: not a recognised format\nerror: ${q}: not a recognised format\n`);
  assert.deepEqual(r.json.import.skipped, []);
  const folder = join(p, '..');
  const f = gaitlab(['import', folder, '--db', db, '--json']);
  assert.equal(f.code, 0, f.stderr);
  assert.deepEqual(f.json.import.skipped, [{ file: p, reason: 'not a recognised format' }]);
  assert.equal(dbFingerprint(db), before);
});

test('importing a stored file again adds nothing and says "already present"', () => {
  const before = dbFingerprint(db);
  const copy = join(dir, 'GaCo01_01.txt');
  writeFileSync(copy, walk); // the plain text of the stored .gz: the same content
  const r = gaitlab(['import', copy, '--db', db, '--json']);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.json.import.trialsAdded, 0);
  assert.match(r.json.import.skipped[0].reason, /^already present \(imported from .*GaCo01_01\.txt\.gz\)$/);
  assert.equal(dbFingerprint(db), before);
});

test('a missing path is an error naming it', () => {
  expectRefused([join(dir, 'no-such-folder')], /no-such-folder: no such file or folder$/);
});

test('a read-only database is refused with a clear error and not touched', () => {
  const ro = join(dir, 'readonly.db');
  copyFileSync(db, ro);
  chmodSync(ro, 0o444);
  const before = dbFingerprint(ro);
  const r = gaitlab(['import', sharedData('gaitpdb', 'GaCo02_01.txt.gz'), '--db', ro, '--json']);
  assert.equal(r.code, 1);
  assert.equal(r.stdout, '');
  assert.equal(r.stderr, `gaitlab: ${ro}: database is read-only (no write permission); nothing was changed\n`);
  assert.equal(dbFingerprint(ro), before);
});

test('bad usage exits with 2', () => {
  const r = gaitlab(['subjects', '--limit', 'ten', '--db', db]);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /expected a whole number, found "ten"/);
  assert.equal(gaitlab(['frobnicate']).code, 2);
});

test('a signal blob damaged behind GaitLab\'s back: `signals` fails in one line naming the database, trial and channel, and changes nothing', () => {
  const damaged = join(dir, 'damaged.db');
  copyFileSync(db, damaged);
  const trials = gaitlab(['trials', '--db', damaged, '--json']);
  assert.equal(trials.code, 0, trials.stderr);
  const trialId = trials.json.trials[0].id as string;
  const w = new Database(damaged);
  w.prepare("UPDATE signals SET data = X'00ff' WHERE trial_id = ? AND channel = 'L3'").run(trialId);
  w.close();
  const before = dbFingerprint(damaged);
  const r = gaitlab(['signals', trialId, '--db', damaged, '--json']);
  assert.equal(r.code, 1, r.stderr);
  assert.equal(r.stdout, '');
  assert.equal(r.stderr.split('\n').filter(Boolean).length, 1, r.stderr);
  assert.equal(r.stderr.startsWith(`gaitlab: ${damaged}: trial ${trialId} channel L3: the stored samples are damaged (`), true, r.stderr);
  assert.equal(dbFingerprint(damaged), before);
  // The metadata alone does not decode the samples, so it still answers.
  assert.equal(gaitlab(['signals', trialId, '--no-values', '--db', damaged, '--json']).code, 0);
});
