// gaitlab reference … and gaitlab gps as a user runs them: real child processes on a real database of gaitpdb walks.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { readFileSync, writeFileSync } from 'node:fs';
import { gaitlab, sharedData, tempDir } from '../helpers';

test('reference create (twice: version 2), export CSV, import it, list, gps --json, and a bad file refused with exit 1', () => {
  const dir = tempDir();
  const db = ['--db', join(dir, 'x.db')];
  const imp = gaitlab(['import', sharedData('gaitpdb', 'demographics.txt'), sharedData('gaitpdb', 'GaCo01_01.txt.gz'), sharedData('gaitpdb', 'GaCo02_01.txt.gz'), sharedData('gaitpdb', 'GaPt03_01.txt.gz'), ...db, '--json']);
  assert.equal(imp.code, 0, imp.stderr);

  const v1 = gaitlab(['reference', 'create', '--name', 'Controls', '--group', 'control', ...db, '--json']);
  assert.equal(v1.code, 0, v1.stderr);
  assert.equal(v1.json.version, 1);
  assert.equal(v1.json.nSubjects, 2);
  const v2 = gaitlab(['reference', 'create', '--name', 'Controls', '--group', 'control', '--pooling', 'cycles', ...db, '--json']);
  assert.equal(v2.json.version, 2);

  const out = join(dir, 'controls.csv');
  const exp = gaitlab(['reference', 'export', 'Controls@1', '--out', out, ...db, '--json']);
  assert.equal(exp.code, 0, exp.stderr);
  assert.match(readFileSync(out, 'utf8'), /^#format,gaitlab-reference 1\n/);
  const back = gaitlab(['reference', 'import', out, '--name', 'Shared controls', ...db, '--json']);
  assert.equal(back.code, 0, back.stderr);
  assert.equal(back.json.name, 'Shared controls');
  assert.equal(back.json.version, 1);
  assert.equal(back.json.channels, v1.json.channels);

  const list = gaitlab(['reference', 'list', ...db, '--json']);
  assert.deepEqual(list.json.references.map((r: { name: string; version: number }) => `${r.name} v${r.version}`), ['Controls v2', 'Controls v1', 'Shared controls v1']);

  const gps = gaitlab(['gps', 'GaPt03', '--reference', 'Controls', ...db, '--json']);
  assert.equal(gps.code, 0, gps.stderr);
  assert.equal(gps.json.reference.version, 2);
  assert.equal(gps.json.missing.length, 18, 'insole walks have no Plug-in-Gait angles');
  assert.deepEqual(gps.json.unextracted, [], 'the command extracted the walk first, as gaitlab cycles does');
  const text = gaitlab(['gps', 'GaPt03', '--reference', 'Controls', ...db]);
  assert.match(text.stdout, /GPS left —, right —, overall —/);

  const bad = join(dir, 'bad.csv');
  writeFileSync(bad, readFileSync(out, 'utf8').replace(/,mean,(\d+),/, ',mean,0,'));
  const refused = gaitlab(['reference', 'import', bad, ...db]);
  assert.equal(refused.code, 1);
  assert.match(refused.stderr.trim(), /^gaitlab: bad\.csv line \d+ field n_cycles: expected a whole number ≥ 1, found 0$/);
  assert.equal(gaitlab(['reference', 'list', ...db, '--json']).json.references.length, 3, 'nothing stored');
});
