// GaitRec curve files through the whole import into a real SQLite file: the samples stored are the file's
// values (the reader hands them out as views of larger blocks; the store must keep each row's own).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { generateCurveFile } from '../../bench/gaitrec-curves';
import { gaitlab, tempDir } from '../helpers';

const FIXTURES = resolve(__dirname, '../fixtures/gaitrec');

/** Each row of a curve file by `<SESSION_ID>/trial-<TRIAL_ID>`: its values, padding dropped, as float32. */
function rowsByTrial(file: string): Map<string, number[]> {
  const lines = readFileSync(file, 'latin1').split('\n').map((l) => l.replace(/\r$/, '')).filter((l) => l !== '').slice(1);
  return new Map(lines.map((l) => {
    const f = l.split(',');
    return [`${f[1]}/trial-${f[2]}`, f.slice(3).filter((v) => v !== 'NaN' && v !== '').map((v) => Math.fround(Number(v)))];
  }));
}

function storedChannels(db: string, trialId: string): Map<string, number[]> {
  const signals = gaitlab(['signals', trialId, '--db', db, '--json']);
  assert.equal(signals.code, 0, signals.stderr);
  return new Map(signals.json.channels.map((c: any) => [c.name, (c.values as number[]).map(Math.fround)]));
}

test('gaitlab import of GRF_F_V_PRO_left/right.csv: every trial holds both channels with its rows\' values; a re-import adds nothing', () => {
  const db = join(tempDir(), 'g.db');
  const files = ['GRF_F_V_PRO_left.csv', 'GRF_F_V_PRO_right.csv'].map((f) => join(FIXTURES, f));
  const imported = gaitlab(['import', ...files, '--db', db, '--json']);
  assert.equal(imported.code, 0, imported.stderr);
  const [left, right] = files.map(rowsByTrial);
  const trials = gaitlab(['trials', '--db', db, '--json']).json.trials;
  assert.deepEqual(trials.map((t: any) => `${t.session}/${t.key}`).sort(), [...left.keys()].sort());
  for (const t of trials) {
    const channels = storedChannels(db, t.id);
    assert.deepEqual(channels.get('F_V_PRO_left'), left.get(`${t.session}/${t.key}`));
    assert.deepEqual(channels.get('F_V_PRO_right'), right.get(`${t.session}/${t.key}`));
  }
  const again = gaitlab(['import', ...files, '--db', db, '--json']);
  assert.equal(again.json.import.trialsAdded, 0);
});

test('a generated RAW file of 3000 rows imports with each row\'s own length and values, across the reader\'s sample blocks', () => {
  const dir = tempDir();
  const db = join(dir, 'g.db');
  const file = join(dir, 'GRF_F_V_RAW_left.csv');
  writeFileSync(file, generateCurveFile('RAW', 3000, { seed: 3, rawColumns: 60 }));
  const imported = gaitlab(['import', file, '--db', db, '--json']);
  assert.equal(imported.code, 0, imported.stderr);
  assert.equal(imported.json.import.trialsAdded, 3000);
  const rows = rowsByTrial(file);
  const trials = gaitlab(['trials', '--db', db, '--json']).json.trials;
  assert.equal(trials.length, 3000);
  // 3000 rows of 30–60 samples span two 65,536-sample blocks: check rows on both sides of the boundary and at the ends.
  for (const k of [0, 1, 1400, 1500, 1600, 2999]) {
    const t = trials[k];
    assert.deepEqual(storedChannels(db, t.id).get('F_V_RAW_left'), rows.get(`${t.session}/${t.key}`), `trial ${t.session}/${t.key}`);
  }
});
