import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { DAPHNET_RATE_HZ, daphnet, readDaphnet } from '../../../src-main/formats/daphnet';
import { readHead, readSourceFile } from '../../../src-main/formats/source-file';
import type { ImportedTrial } from '../../../src-shared/domain/import-batch';
import { assertInputError, assertValidBatch, data, fuzz, mean, sourceOf } from './wearable-helpers';

const file = (name: string) => data('daphnet-fog', name);
const MG = 9.80665 / 1000;

async function trialOf(name: string) {
  const batch = readDaphnet(await readSourceFile(file(name)));
  return { batch, trial: batch.sessions[0].trials[0] };
}
const channel = (t: ImportedTrial, name: string) => t.channels.find((c) => c.name === name)!;
const textOf = (name: string) => gunzipSync(readFileSync(file(name))).toString('latin1');

test('detects Daphnet recordings by content (11 integers per line, label last), with or without the usual name', () => {
  assert.equal(daphnet.detect('S01R02.txt', readHead(file('S01R02.txt.gz'))), 1);
  assert.equal(daphnet.detect('fog.txt', readHead(file('S02R01.txt.gz'))), 0.6);
  for (const other of [data('gaitpdb', 'GaCo01_01.txt.gz'), data('hugadb', 'HuGaDB_v1_walking_10_03.txt'), data('voisard2023-ipol-imu-healthy', 'healthy', '1-1_lb.txt')]) {
    assert.equal(daphnet.detect('S01R02.txt', readHead(other)), 0, other);
  }
});

const REFERENCE = [
  { name: 'S01R02.txt.gz', rows: 52095, lastMs: 813984, episodes: 5, freezeRows: 1547, first: [30609, 30864, 478.281, 482.265], ankleMeanMg: 817.018 },
  { name: 'S02R01.txt.gz', rows: 72561, lastMs: 1133765, episodes: 9, freezeRows: 3537, first: [54488, 54927, 851.39, 858.25], ankleMeanMg: 676.788 },
  { name: 'S03R02.txt.gz', rows: 38774, lastMs: 605843, episodes: 6, freezeRows: 2306, first: [20732, 21357, 323.953, 333.718], ankleMeanMg: 741.144 },
];

for (const ref of REFERENCE) {
  test(`${ref.name}: ${ref.rows} samples at 64 Hz on the ms clock, ${ref.episodes} freeze episodes, README means`, async () => {
    const { batch, trial } = await trialOf(ref.name);
    assertValidBatch(batch);
    assert.deepEqual(batch.warnings, []);
    const stem = ref.name.slice(0, 6);
    assert.deepEqual([batch.subjects[0].key, batch.subjects[0].cohort, batch.subjects[0].group], [stem.slice(0, 3), 'daphnet', 'PD']);
    assert.deepEqual([batch.sessions[0].key, trial.key], ['lab', stem]);
    assert.deepEqual(trial.channels.map((c) => c.name), [
      'shank_acc_forward', 'shank_acc_vertical', 'shank_acc_lateral', 'thigh_acc_forward', 'thigh_acc_vertical', 'thigh_acc_lateral',
      'trunk_acc_forward', 'trunk_acc_vertical', 'trunk_acc_lateral', 'fog_annotation']);
    for (const c of trial.channels) {
      assert.equal(c.samples.length, ref.rows);
      assert.equal(c.rateHz, DAPHNET_RATE_HZ);
      assert.equal(c.side, null); // the leg is not documented
    }
    assert.deepEqual([channel(trial, 'shank_acc_vertical').unit, channel(trial, 'shank_acc_vertical').device], ['m/s²', 'ankle (shank) accelerometer']);
    assert.equal(channel(trial, 'fog_annotation').unit, '');
    const clock = trial.deviceTimeS!;
    assert.equal(clock[0], 0.015); // the time column starts at 15 ms
    assert.equal(clock[ref.rows - 1], ref.lastMs / 1000);
    assert.ok(Math.abs((ref.rows - 1) / (clock[ref.rows - 1] - clock[0]) - 64) < 0.001);
    assert.equal(trial.attributes!.rate_from_timestamps.value, 64);
    assert.equal(trial.attributes!.fog_episodes.value, ref.episodes);
    assert.equal(trial.attributes!.fog_samples.value, ref.freezeRows);
    assert.equal(channel(trial, 'fog_annotation').samples.filter((a) => a === 2).length, ref.freezeRows);
    assert.ok(Math.abs(mean(channel(trial, 'shank_acc_vertical').samples) - ref.ankleMeanMg * MG) < 1e-4);
    const starts = trial.events!.filter((e) => e.label === 'fog_start');
    const ends = trial.events!.filter((e) => e.label === 'fog_end');
    assert.equal(starts.length, ref.episodes);
    assert.equal(ends.length, ref.episodes);
    const [firstRow, lastRow, startS, endS] = ref.first;
    assert.deepEqual([starts[0].timeS, ends[0].timeS], [startS, endS]);
    assert.deepEqual(starts[0].params, { episode: 1, firstSample: firstRow, lastSample: lastRow, samples: lastRow - firstRow + 1 });
    assert.equal(starts[0].source, 'annotation');
    // Episode lengths add up to the label-2 rows.
    assert.equal(starts.reduce((s, e) => s + (e.params as { samples: number }).samples, 0), ref.freezeRows);
  });
}

test('S01R02: 15 and 16 ms steps (19535 and 32559), the label-0 zeros of thigh and trunk, gravity on the ankle when upright', async () => {
  const { trial } = await trialOf('S01R02.txt.gz');
  const clock = trial.deviceTimeS!;
  const steps = new Map<number, number>();
  for (let i = 1; i < clock.length; i++) {
    const ms = Math.round((clock[i] - clock[i - 1]) * 1000);
    steps.set(ms, (steps.get(ms) ?? 0) + 1);
  }
  assert.deepEqual([...steps].sort(), [[15, 19535], [16, 32559]]);
  const thigh = channel(trial, 'thigh_acc_vertical').samples;
  const trunk = channel(trial, 'trunk_acc_vertical').samples;
  assert.ok(thigh.subarray(0, 247).every((v) => v === 0) && thigh[247] !== 0);
  assert.ok(trunk.subarray(0, 403).every((v) => v === 0));
  const label = channel(trial, 'fog_annotation').samples;
  const ankle = channel(trial, 'shank_acc_vertical').samples.filter((_, k) => label[k] > 0);
  assert.ok(Math.abs(mean(ankle) - 1016.7 * MG) < 0.01); // ≈ 1 g: 9.97 m/s²
});

// ---- bad input ----

test('bad input is an InputError naming file, line and field', async () => {
  const lines = textOf('S03R02.txt.gz').split('\n').slice(0, 400);
  const f = '/in/S03R02.txt';
  const read = (ls: string[]) => () => readDaphnet(sourceOf(Buffer.from(ls.join('\n') + '\n', 'latin1'), 'S03R02.txt'));
  const edit = (lineNo: number, col: number, value: string) => lines.map((l, i) => (i === lineNo - 1 ? l.split(' ').map((v, c) => (c === col ? value : v)).join(' ') : l));
  await assertInputError(() => readDaphnet(sourceOf(Buffer.from(lines.join('\n').slice(0, -7), 'latin1'), 'S03R02.txt')), { file: f, line: 400, reason: /expected 11 columns, found/ });
  await assertInputError(read(lines.map((l, i) => (i === 9 ? l.split(' ').slice(0, 10).join(' ') : l))), { file: f, line: 10, reason: /expected 11 columns, found 10/ });
  await assertInputError(read(edit(20, 2, 'x12')), { file: f, line: 20, field: 'shank_acc_vertical', reason: /not a finite number/ });
  await assertInputError(read(edit(21, 5, 'NaN')), { file: f, line: 21, field: 'thigh_acc_vertical' });
  await assertInputError(read(edit(22, 8, '-Inf')), { file: f, line: 22, field: 'trunk_acc_vertical' });
  await assertInputError(read(edit(23, 10, '3')), { file: f, line: 23, field: 'annotation', reason: /not 0 .*1 .*or 2/ });
  await assertInputError(read(edit(24, 1, '1.5')), { file: f, line: 24, field: 'shank_acc_forward', reason: /expected an integer/ });
  await assertInputError(read(edit(30, 0, '15')), { file: f, line: 30, field: 'time', reason: /time goes from/ });
  await assertInputError(() => readDaphnet(sourceOf(Buffer.from(lines.join('\n')), 'fog.txt')), { file: '/in/fog.txt', field: 'file name' });
});

test('fuzz: damaged copies of Daphnet files give an InputError or a valid batch, never another error', { timeout: 120_000 }, async () => {
  const corpus = ['S01R02.txt.gz', 'S03R02.txt.gz'].map((name) => ({
    name: name.replace(/\.gz$/, ''),
    // The start (label 0, zero channels) and a stretch with a freeze.
    bytes: Buffer.from(textOf(name).split('\n').slice(name.startsWith('S01') ? 30500 : 0, name.startsWith('S01') ? 31000 : 500).join('\n') + '\n', 'latin1'),
  }));
  const r = await fuzz(readDaphnet, corpus, 1500, 64);
  assert.ok(r.ok >= 20 && r.inputErrors >= 500, JSON.stringify(r));
});
