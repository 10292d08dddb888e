import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { HUGADB_RATE_HZ, hugadb, readHugadb } from '../../../src-main/formats/hugadb';
import { readHead, readSourceFile } from '../../../src-main/formats/source-file';
import type { ImportedTrial } from '../../../src-shared/domain/import-batch';
import { assertInputError, assertValidBatch, data, fuzz, mean, median, sourceOf } from './wearable-helpers';

const file = (name: string) => data('hugadb', name);
const G = 9.80665;
const ACC = G / 16384; // m/s² per count
const GYRO = 1 / 16.384; // deg/s per count

async function trialOf(name: string): Promise<{ trial: ImportedTrial; batch: ReturnType<typeof readHugadb> }> {
  const batch = readHugadb(await readSourceFile(file(name)));
  return { trial: batch.sessions[0].trials[0], batch };
}
const channel = (t: ImportedTrial, name: string) => {
  const c = t.channels.find((ch) => ch.name === name);
  assert.ok(c, `no channel ${name}`);
  return c;
};
const textOf = (name: string) => {
  const raw = readFileSync(file(name));
  return (name.endsWith('.gz') ? gunzipSync(raw) : raw).toString('latin1');
};

test('detects HuGaDB files by their four header lines, with or without the usual name', () => {
  assert.equal(hugadb.detect('HuGaDB_v1_walking_01_00.txt', readHead(file('HuGaDB_v1_walking_01_00.txt.gz'))), 1);
  assert.equal(hugadb.detect('copy.txt', readHead(file('HuGaDB_v1_various_08_00.txt'))), 0.9);
  for (const other of [data('gaitpdb', 'GaCo01_01.txt.gz'), data('daphnet-fog', 'S01R02.txt.gz'), data('voisard2023-ipol-imu-healthy', 'healthy', '1-1_lf.txt'), file('docs/ReadMe.txt')]) {
    assert.equal(hugadb.detect('x.txt', readHead(other)), 0, other);
  }
});

test('#Date dates the session only where it states the year (the published files give month-day-hour-minute)', () => {
  const text = textOf('HuGaDB_v1_walking_01_00.txt.gz');
  assert.match(text.split('\n')[2], /^#Date 10-20-15-35\s*$/);
  const plain = readHugadb(sourceOf(Buffer.from(text, 'latin1'), 'HuGaDB_v1_walking_01_00.txt'));
  assert.deepEqual([plain.sessions[0].key, plain.sessions[0].date], ['10-20', null]);
  const withYear = readHugadb(sourceOf(Buffer.from(text.replace('#Date 10-20-15-35', '#Date 2017-10-20-15-35'), 'latin1'), 'HuGaDB_v1_walking_01_00.txt'));
  assert.deepEqual([withYear.sessions[0].key, withYear.sessions[0].date], ['2017-10-20', '2017-10-20']);
});

test('walking_01_00: 5989 samples of 39 channels at the nominal 58.8 Hz, counts converted with the README factors', async () => {
  const { trial, batch } = await trialOf('HuGaDB_v1_walking_01_00.txt.gz');
  assertValidBatch(batch);
  assert.deepEqual(batch.subjects[0], {
    key: '01', cohort: 'hugadb', group: 'healthy', sex: 'male',
    attributes: { weight: { value: 75, unit: 'kg' }, height: { value: 1.77, unit: 'm' }, age: { value: 24, unit: 'years' } },
  });
  assert.equal(batch.sessions[0].key, '10-20');
  assert.equal(trial.key, 'walking_00');
  assert.equal(trial.attributes!.recorded_at.value, '10-20 15:35');
  assert.equal(trial.channels.length, 39);
  for (const c of trial.channels) {
    assert.equal(c.samples.length, 5989);
    assert.equal(c.rateHz, HUGADB_RATE_HZ);
  }
  assert.equal(trial.deviceTimeS, undefined); // no time column in HuGaDB
  assert.ok(Math.abs(5988 / HUGADB_RATE_HZ - 101.84) < 0.01); // duration, s
  const shank = channel(trial, 'right_shank_gyro_x');
  assert.deepEqual([shank.unit, shank.side, shank.device], ['deg/s', 'right', 'right shank IMU']);
  assert.deepEqual([channel(trial, 'left_thigh_acc_z').unit, channel(trial, 'left_thigh_acc_z').side], ['m/s²', 'left']);
  assert.deepEqual([channel(trial, 'right_vastus_lateralis_emg').unit, channel(trial, 'activity').unit, channel(trial, 'activity').side], ['a.u.', '', null]);
  // First row: -32768 -780 23984 -2983 10095 4931 (README).
  const first = ['acc_x', 'acc_y', 'acc_z', 'gyro_x', 'gyro_y', 'gyro_z'].map((s) => channel(trial, `right_foot_${s}`).samples[0]);
  assert.deepEqual(first, [-32768 * ACC, -780 * ACC, 23984 * ACC, -2983 * GYRO, 10095 * GYRO, 4931 * GYRO].map(Math.fround));
  assert.equal(first[0], Math.fround(-2 * G)); // clipped at −2 g
  // README means, in counts: acc_rs_x −17310.1740, gyro_rs_y −96.2132.
  assert.ok(Math.abs(mean(channel(trial, 'right_shank_acc_x').samples) - -17310.174 * ACC) < 1e-4);
  assert.ok(Math.abs(mean(channel(trial, 'right_shank_gyro_y').samples) - -96.2132 * GYRO) < 1e-4);
  assert.equal(trial.attributes!.clipped_cells.value, 9736);
  assert.deepEqual(trial.attributes!.gyroscope_scale, { value: 0.06103515625, unit: 'deg/s per count' });
  assert.deepEqual(trial.attributes!.accelerometer_scale, { value: G / 16384, unit: 'm/s² per count' });
  assert.ok(channel(trial, 'activity').samples.every((a) => a === 1));
  assert.deepEqual(trial.events!.map((e) => [e.label, e.timeS, (e.params as { activity: string }).activity]), [['activity_start', 0, 'walking'], ['activity_end', 5988 / 58.8, 'walking']]);
});

test('walking_10_03: gyro_rs_y mean −82.4608, min −6411 (−391.3 deg/s), max 4416 counts; EMG_r mean 122.6109', async () => {
  const { trial } = await trialOf('HuGaDB_v1_walking_10_03.txt');
  const g = channel(trial, 'right_shank_gyro_y').samples;
  assert.equal(g.length, 4816);
  assert.ok(Math.abs(mean(g) - -82.4608 * GYRO) < 1e-4);
  assert.equal(Math.min(...g), Math.fround(-6411 * GYRO));
  assert.ok(Math.abs(Math.min(...g) - -391.3) < 0.05);
  assert.equal(Math.max(...g), Math.fround(4416 * GYRO));
  assert.ok(Math.abs(mean(channel(trial, 'right_vastus_lateralis_emg').samples) - 122.6109) < 1e-4);
});

test('mixed files: the act column becomes a channel and one start/end event pair per segment, as listed on line 2', async () => {
  const { trial: stairs } = await trialOf('HuGaDB_v1_various_10_05.txt');
  assert.equal(stairs.channels[0].samples.length, 3242);
  const starts = stairs.events!.filter((e) => e.label === 'activity_start');
  assert.deepEqual(starts.map((e) => (e.params as { activityId: number }).activityId), [8, 4, 1, 4, 1, 4, 1, 4, 1, 4, 1, 4, 8]);
  const counts = new Map<number, number>();
  for (const a of channel(stairs, 'activity').samples) counts.set(a, (counts.get(a) ?? 0) + 1);
  assert.deepEqual([...counts].sort((a, b) => a[0] - b[0]), [[1, 1160], [4, 1777], [8, 305]]);
  assert.equal(stairs.attributes!.activity_segments.value, 13);

  const { trial: sitStand, batch } = await trialOf('HuGaDB_v1_various_08_00.txt');
  assert.deepEqual(batch.warnings, []);
  assert.equal(sitStand.channels[0].samples.length, 2506);
  const seq = sitStand.events!.filter((e) => e.label === 'activity_start').map((e) => (e.params as { activity: string }).activity);
  assert.equal(seq.length, 17);
  assert.deepEqual(seq.slice(0, 5), ['sitting', 'standing_up', 'standing', 'sitting_down', 'sitting']);
  const c = new Map<number, number>();
  for (const a of channel(sitStand, 'activity').samples) c.set(a, (c.get(a) ?? 0) + 1);
  assert.deepEqual([...c].sort((a, b) => a[0] - b[0]), [[5, 864], [6, 365], [7, 493], [8, 784]]);
  // Each segment's end event is its last sample, the next segment starts one sample later.
  const ev = sitStand.events!;
  for (let k = 1; k + 1 < ev.length; k += 2) assert.ok(Math.abs(ev[k + 1].timeS - ev[k].timeS - 1 / 58.8) < 1e-9);
});

test('at rest (sitting) every accelerometer reads gravity and every gyroscope nearly zero: the scale factors are right', async () => {
  for (const name of ['HuGaDB_v1_sitting_06_01.txt', 'HuGaDB_v1_sitting_10_01.txt']) {
    const { trial } = await trialOf(name);
    for (const seg of ['right_foot', 'right_shank', 'right_thigh', 'left_foot', 'left_shank', 'left_thigh']) {
      const n = trial.channels[0].samples.length;
      const norm = (kind: string) => Array.from({ length: n }, (_, k) => Math.hypot(...['x', 'y', 'z'].map((a) => channel(trial, `${seg}_${kind}_${a}`).samples[k])));
      const acc = median(norm('acc'));
      assert.ok(Math.abs(acc - 9.81) < 0.5, `${name} ${seg}: |acc| ${acc}`);
      assert.ok(median(norm('gyro')) < 3, `${name} ${seg}: |gyro| at rest`);
    }
  }
});

test('walking_06_03: the −27682432 cell is NaN with a warning naming line 41, gyro_rt_y; duplicates hash the same', async () => {
  const { trial, batch } = await trialOf('HuGaDB_v1_walking_06_03.txt');
  const g = channel(trial, 'right_thigh_gyro_y').samples;
  assert.ok(Number.isNaN(g[36]));
  assert.equal(g.filter((v) => Number.isNaN(v)).length, 1);
  assert.equal(trial.attributes!.invalid_cells.value, 1);
  assert.equal(trial.attributes!.corrupted_gyroscope.value, 'right thigh');
  assert.ok(batch.warnings.some((w) => /line 41 field gyro_rt_y: -27682432 is outside the int16 range/.test(w)), batch.warnings.join('\n'));
  const twin = (await readSourceFile(file('HuGaDB_v1_walking_06_05.txt')));
  assert.equal(trial.contentSha256, twin.sha256);
  assert.equal((await readSourceFile(file('HuGaDB_v1_walking_06_04.txt.gz'))).sha256, (await readSourceFile(file('HuGaDB_v1_walking_06_06.txt.gz'))).sha256);
});

test('every file of the subset reads, with the README row counts', async () => {
  const rows: Record<string, number> = {
    walking_01_00: 5989, walking_01_01: 7025, walking_01_02: 3158, walking_01_03: 3331, walking_06_00: 6916, walking_06_01: 8396,
    walking_06_02: 2777, walking_06_03: 279, walking_06_04: 13758, walking_06_05: 279, walking_06_06: 13758, walking_08_00: 595,
    walking_08_01: 1393, walking_08_02: 7322, walking_10_00: 5141, walking_10_01: 5254, walking_10_02: 4939, walking_10_03: 4816,
    various_01_05: 5507, various_10_05: 3242, various_08_00: 2506, sitting_06_01: 2058, sitting_10_01: 2518,
  };
  for (const [stem, n] of Object.entries(rows)) {
    const name = `HuGaDB_v1_${stem}.txt${[5989, 7025, 6916, 8396, 13758, 7322, 5141, 5254, 4939, 5507].includes(n) ? '.gz' : ''}`;
    const { trial, batch } = await trialOf(name);
    assertValidBatch(batch);
    assert.equal(trial.channels[0].samples.length, n, stem);
    assert.equal(batch.subjects[0].key, stem.slice(-5, -3));
  }
});

// ---- bad input ----

const SMALL = 'HuGaDB_v1_walking_08_00.txt';
function editLine(text: string, lineNo: number, edit: (fields: string[]) => string[]): Buffer {
  const lines = text.split('\n');
  lines[lineNo - 1] = edit(lines[lineNo - 1].replace(/\r$/, '').split('\t')).join('\t') + '\r';
  return Buffer.from(lines.join('\n'), 'latin1');
}

test('bad input is an InputError naming file, line and field', async () => {
  const text = textOf(SMALL);
  const read = (bytes: Buffer) => () => readHugadb(sourceOf(bytes, SMALL, `/in/${SMALL}`));
  const f = `/in/${SMALL}`;
  // Truncated in the middle of the last line.
  await assertInputError(read(Buffer.from(text.slice(0, text.length - 60), 'latin1')), { file: f, line: 599, reason: /expected 39 columns, found \d+/ });
  // A missing and an extra column.
  await assertInputError(read(editLine(text, 10, (x) => x.slice(0, 38))), { file: f, line: 10, reason: /expected 39 columns, found 38/ });
  await assertInputError(read(editLine(text, 10, (x) => [...x, '7'])), { file: f, line: 10, reason: /expected 39 columns, found 40/ });
  // Non-numeric, NaN, Inf, fractions.
  await assertInputError(read(editLine(text, 12, (x) => x.map((v, i) => (i === 10 ? 'abc' : v)))), { file: f, line: 12, field: 'gyro_rs_y', reason: /not a finite number: "abc"/ });
  await assertInputError(read(editLine(text, 13, (x) => x.map((v, i) => (i === 0 ? 'NaN' : v)))), { file: f, line: 13, field: 'acc_rf_x', reason: /not a finite number/ });
  await assertInputError(read(editLine(text, 14, (x) => x.map((v, i) => (i === 36 ? 'Inf' : v)))), { file: f, line: 14, field: 'EMG_r' });
  await assertInputError(read(editLine(text, 15, (x) => x.map((v, i) => (i === 5 ? '12.5' : v)))), { file: f, line: 15, field: 'gyro_rf_z', reason: /expected an integer count/ });
  await assertInputError(read(editLine(text, 16, (x) => x.map((v, i) => (i === 38 ? '0' : v)))), { file: f, line: 16, field: 'act' });
  // Header damage.
  await assertInputError(read(editLine(text, 4, (x) => x.map((v, i) => (i === 7 ? 'acc_rs_q' : v)))), { file: f, line: 4, field: 'column 8' });
  await assertInputError(read(Buffer.from(text.replace('#Date 09-07-16-13', '#Date yesterday'), 'latin1')), { file: f, line: 3, field: '#Date' });
  await assertInputError(read(Buffer.from(text.split('\n').slice(0, 5).join('\n'), 'latin1')), { file: f, line: 5, reason: /at least 2 samples/ });
  await assertInputError(() => readHugadb(sourceOf(Buffer.from(text, 'latin1'), 'walk.txt')), { file: '/in/walk.txt', field: 'file name' });
});

test('fuzz: damaged copies of HuGaDB files give an InputError or a valid batch, never another error', { timeout: 120_000 }, async () => {
  const corpus = [SMALL, 'HuGaDB_v1_walking_06_03.txt'].map((name) => ({ name, bytes: Buffer.from(textOf(name), 'latin1') }));
  // A short mixed-activity file too (LF line ends).
  corpus.push({ name: 'HuGaDB_v1_various_08_00.txt', bytes: Buffer.from(textOf('HuGaDB_v1_various_08_00.txt').split('\n').slice(0, 300).join('\n') + '\n', 'latin1') });
  // And a short one, so that the four header lines take many of the hits.
  corpus.push({ name: 'HuGaDB_v1_walking_01_02.txt', bytes: Buffer.from(textOf('HuGaDB_v1_walking_01_02.txt').split('\n').slice(0, 7).join('\n') + '\n', 'latin1') });
  const r = await fuzz(readHugadb, corpus, 2000, 20240305);
  assert.ok(r.ok >= 20 && r.inputErrors >= 500, JSON.stringify(r)); // both outcomes are exercised
});
