import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { type ImportBatch, type ImportedTrial } from '../../src-shared/domain/import-batch';
import { InputError } from '../../src-shared/domain/errors';
import type { SourceFile } from '../../src-main/formats/format';
import { cohortOf, horstMat, shortChannelNames } from '../../src-main/formats/horst-mat';

const DATA = path.resolve(__dirname, '../../../shared/data/slijepcevic2021-clinical-grf-mat');
const FIXTURES = path.resolve(__dirname, '../fixtures/mat');
const SHEARZERO = '2021_acm_small_dataset_v3_aff-unaff-nonorm_1-2-3-4_shearzero_.mat';
const PAIR_12 = '2021_acm_small_dataset_v3_aff-unaff-nonorm_1-2_.mat';
const TRIPLE_234 = '2021_acm_small_dataset_v3_aff-unaff-nonorm_2-3-4_.mat';
const CHANNELS = ['affected_fore_aft', 'affected_medial_lateral', 'affected_vertical', 'unaffected_fore_aft', 'unaffected_medial_lateral', 'unaffected_vertical'];

const golden = JSON.parse(readFileSync(path.join(FIXTURES, 'slijepcevic2021-golden.json'), 'utf8')) as Record<string, {
  feature: Array<{ index: number[]; value: number }>;
  subjectColumnOfFirstRow: number;
  subjectColumnOfLastRow: number;
}>;

function source(dir: string, name: string, as = name): SourceFile {
  const bytes = readFileSync(path.join(dir, name));
  return { path: path.join(dir, as), name: as, bytes, sha256: createHash('sha256').update(bytes).digest('hex') };
}

const batches = new Map<string, { batch: ImportBatch; ms: number }>();
/** Reads each real file once (timed) and shares the batch between tests. */
function real(name: string): ImportBatch {
  let entry = batches.get(name);
  if (!entry) {
    const file = source(DATA, name);
    const t0 = performance.now();
    const batch = horstMat.read(file) as ImportBatch;
    entry = { batch, ms: performance.now() - t0 };
    batches.set(name, entry);
  }
  return entry.batch;
}

/** Every trial with its subject and session, in batch order. */
function trialsOf(batch: ImportBatch): Array<{ subject: string; group: string | null | undefined; session: string; trial: ImportedTrial }> {
  const groups = new Map(batch.subjects.map((s) => [s.key, s.group]));
  return batch.sessions.flatMap((s) => s.trials.map((trial) => ({ subject: s.subjectKey, group: groups.get(s.subjectKey), session: s.key, trial })));
}

function countBy<T>(items: T[], key: (t: T) => string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const it of items) out[key(it)] = (out[key(it)] ?? 0) + 1;
  return out;
}

function assertInputError(fn: () => unknown, pattern: RegExp): void {
  assert.throws(fn, (e: unknown) => {
    assert.ok(e instanceof InputError, `expected InputError, got ${(e as Error)?.name}: ${(e as Error)?.message}`);
    assert.match(e.message, pattern);
    return true;
  });
}

describe('horst-mat: detection', () => {
  test('a MAT-file whose first variable is Feature is detected from its first 64 KiB', () => {
    const head = readFileSync(path.join(DATA, PAIR_12)).subarray(0, 64 * 1024);
    assert.equal(horstMat.detect(PAIR_12, head), 0.9);
  });

  test('any other Level 5 MAT-file named .mat is a candidate; other content is not', () => {
    const generic = readFileSync(path.join(FIXTURES, 'types-v5.mat'));
    assert.equal(horstMat.detect('types-v5.mat', generic), 0.5);
    assert.equal(horstMat.detect('types-v5.bin', generic), 0.3);
    assert.equal(horstMat.detect('GaCo01_01.txt', Buffer.from('0.000\t12.3\t45.6\n'.repeat(100))), 0);
    assert.equal(horstMat.detect('short.mat', Buffer.from('MATLAB 5.0 MAT-file')), 0);
  });
});

describe('horst-mat: the Slijepcevic 2021 files', () => {
  const expected = [
    { name: SHEARZERO, trials: 970, subjects: 194, groups: { HC: 310, 'class-2': 215, 'class-3': 260, 'class-4': 185 }, session: 'shearzero' },
    { name: PAIR_12, trials: 525, subjects: 105, groups: { HC: 310, 'class-2': 215 }, session: 'full' },
    { name: TRIPLE_234, trials: 660, subjects: 132, groups: { 'class-2': 215, 'class-3': 260, 'class-4': 185 }, session: 'full' },
  ];
  for (const e of expected) {
    test(`${e.name}: ${e.trials} trials of ${e.subjects} subjects, 5 each, classes ${JSON.stringify(e.groups)}`, (t) => {
      const batch = real(e.name);
      t.diagnostic(`read in ${batches.get(e.name)!.ms.toFixed(1)} ms`);
      assert.ok(batches.get(e.name)!.ms < 1000);
      assert.equal(batch.format, 'horst-mat');
      assert.deepEqual(batch.warnings, []);
      assert.equal(batch.subjects.length, e.subjects);
      assert.ok(batch.subjects.every((s) => s.cohort === 'slijepcevic2021' && /^S\d{3}$/.test(s.key)));
      const trials = trialsOf(batch);
      assert.equal(trials.length, e.trials);
      assert.deepEqual(countBy(trials, (x) => String(x.group)), e.groups);
      const subjectsPerGroup = countBy(batch.subjects, (s) => String(s.group));
      for (const [g, n] of Object.entries(e.groups)) assert.equal(subjectsPerGroup[g], n / 5);
      for (const s of batch.subjects) {
        const index = s.attributes?.injury_class_index?.value;
        assert.equal(s.group, index === 0 ? 'HC' : `class-${Number(index) + 1}`);
      }
      assert.equal(batch.sessions.length, e.subjects);
      for (const s of batch.sessions) {
        assert.equal(s.key, e.session);
        assert.equal(s.label, `GRF stance curves (${e.session})`);
        assert.deepEqual(s.trials.map((x) => x.key), ['t1', 't2', 't3', 't4', 't5']);
      }
      const rows = trials.map((x) => Number(/^Feature row (\d+)$/.exec(x.trial.sourceLocation ?? '')![1])).sort((a, b) => a - b);
      assert.deepEqual(rows, Array.from({ length: e.trials }, (_, k) => k));
      for (const { trial } of trials) {
        assert.deepEqual(trial.channels.map((c) => c.name), CHANNELS);
        for (const c of trial.channels) {
          assert.equal(c.unit, '×BW');
          assert.equal(c.domain, 'stance');
          assert.equal(c.rateHz, 1.01);
          assert.equal(c.side, null);
          assert.equal(c.samples.length, 101);
        }
      }
    });

    test(`${e.name}: samples are the file's values rounded to float32, hashed as stored`, () => {
      const batch = real(e.name);
      const g = golden[e.name];
      const trials = trialsOf(batch);
      const byRow = new Map(trials.map((x) => [x.trial.sourceLocation, x]));
      const first = byRow.get('Feature row 0')!;
      assert.equal(first.subject, `S${String(g.subjectColumnOfFirstRow).padStart(3, '0')}`);
      assert.equal(first.trial.key, 't1');
      assert.equal(byRow.get(`Feature row ${e.trials - 1}`)!.subject, `S${String(g.subjectColumnOfLastRow).padStart(3, '0')}`);
      assert.equal(byRow.get(`Feature row ${e.trials - 1}`)!.trial.key, 't5');
      for (const { index: [row, channel, point], value } of g.feature) {
        assert.equal(byRow.get(`Feature row ${row}`)!.trial.channels[channel].samples[point], Math.fround(value));
      }
      const hash = createHash('sha256');
      for (const c of first.trial.channels) hash.update(Buffer.from(c.samples.buffer, c.samples.byteOffset, c.samples.byteLength));
      assert.equal(first.trial.contentSha256, hash.digest('hex'));
    });
  }

  test('the shearzero file has all-zero shear channels and the README\'s vertical force figures', () => {
    const trials = trialsOf(real(SHEARZERO));
    const peaks: number[][] = [[], []];
    let min = Infinity, max = -Infinity;
    for (const { trial } of trials) {
      for (const c of [0, 1, 3, 4]) assert.ok(trial.channels[c].samples.every((v) => v === 0), `${trial.sourceLocation} channel ${c}`);
      [2, 5].forEach((c, k) => {
        const s = trial.channels[c].samples;
        peaks[k].push(Math.max(...s));
        min = Math.min(min, ...s);
        max = Math.max(max, ...s);
      });
    }
    const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
    assert.ok(Math.abs(mean(peaks[0]) - 1.08) < 0.005, `affected ${mean(peaks[0])}`);
    assert.ok(Math.abs(mean(peaks[1]) - 1.11) < 0.005, `unaffected ${mean(peaks[1])}`);
    assert.ok(Math.abs(mean([...peaks[0], ...peaks[1]]) - 1.10) < 0.005);
    assert.ok(Math.abs(min - 0.006) < 0.0005 && Math.abs(max - 1.441) < 0.0005, `range ${min}–${max}`);
  });

  test('the class-2 trials of the 1-2 and 2-3-4 files have the same keys and content hashes (all 215)', (t) => {
    const key = (x: { subject: string; session: string; trial: ImportedTrial }) => `${x.subject}/${x.session}/${x.trial.key}`;
    const a = new Map(trialsOf(real(PAIR_12)).filter((x) => x.group === 'class-2').map((x) => [key(x), x.trial.contentSha256]));
    const b = new Map(trialsOf(real(TRIPLE_234)).filter((x) => x.group === 'class-2').map((x) => [key(x), x.trial.contentSha256]));
    assert.equal(a.size, 215);
    assert.deepEqual([...b.keys()].sort(), [...a.keys()].sort());
    const equal = [...a].filter(([k, h]) => b.get(k) === h).length;
    t.diagnostic(`${equal} of 215 class-2 hashes equal`);
    assert.equal(equal, 215);
  });

  test('1-2 plus the class-3/4 trials of 2-3-4 give the shearzero file\'s trials with the same vertical curves', (t) => {
    const full = [...trialsOf(real(PAIR_12)), ...trialsOf(real(TRIPLE_234)).filter((x) => x.group !== 'class-2')];
    const zero = new Map(trialsOf(real(SHEARZERO)).map((x) => [`${x.subject}/${x.trial.key}`, x]));
    assert.equal(full.length, 970);
    assert.equal(zero.size, 970);
    let worst = 0, differing = 0;
    for (const x of full) {
      const z = zero.get(`${x.subject}/${x.trial.key}`);
      assert.ok(z, `${x.subject}/${x.trial.key} in the shearzero file`);
      assert.equal(z.group, x.group);
      for (const c of [2, 5]) {
        x.trial.channels[c].samples.forEach((v, k) => {
          const d = Math.abs(v - z.trial.channels[c].samples[k]);
          if (d > 0) differing++;
          worst = Math.max(worst, d);
        });
      }
    }
    t.diagnostic(`${differing} of ${970 * 2 * 101} float32 vertical samples differ, by at most ${worst}`);
    assert.equal(differing, 0, `largest vertical difference ${worst}`);
  });
});

describe('horst-mat: layouts and names', () => {
  test('an N × 101 × C Feature (Horst 2019 layout) is recognised by its label count', () => {
    const batch = horstMat.read(source(FIXTURES, 'horst-time-first.mat')) as ImportBatch;
    assert.deepEqual(batch.warnings, []);
    assert.deepEqual(batch.subjects, [
      { key: 'S000', cohort: 'horst-time-first', group: 'HC', attributes: { injury_class_index: { value: 0 } } },
      { key: 'S002', cohort: 'horst-time-first', group: 'class-2', attributes: { injury_class_index: { value: 1 } } },
    ]);
    const rows = new Map(trialsOf(batch).map((x) => [x.trial.sourceLocation, x]));
    assert.deepEqual([0, 1, 2, 3].map((r) => `${rows.get(`Feature row ${r}`)!.subject} ${rows.get(`Feature row ${r}`)!.trial.key}`), ['S002 t1', 'S002 t2', 'S000 t1', 'S000 t2']);
    for (let r = 0; r < 4; r++) {
      const channels = rows.get(`Feature row ${r}`)!.trial.channels;
      assert.deepEqual(channels.map((c) => c.name), ['left_vertical', 'right_vertical']);
      // make-fixtures.py: Feature[n, t, c] = (n + 1) + c / 4 + t / 128.
      for (let c = 0; c < 2; c++) for (let t = 0; t < 101; t++) assert.equal(channels[c].samples[t], r + 1 + c / 4 + t / 128);
    }
  });

  test('the session is "shearzero" when the file name says so; the cohort comes from the name', () => {
    const batch = horstMat.read(source(FIXTURES, 'horst-time-first.mat', 'Gait_GRF_shearzero.mat')) as ImportBatch;
    assert.ok(batch.sessions.every((s) => s.key === 'shearzero' && s.label === 'GRF stance curves (shearzero)'));
    assert.equal(batch.subjects[0].cohort, 'gait-grf-shearzero');
    assert.equal(cohortOf('2021_acm_anything.mat'), 'slijepcevic2021');
    assert.equal(cohortOf('Gait GRF (v2).MAT'), 'gait-grf-v2');
  });

  test('channel labels shorten to side and component, falling back to the full label', () => {
    assert.deepEqual(shortChannelNames(['ground reaction force - affected foot - fore-aft shear force', 'ground reaction force - unaffected foot - vertical force']), ['affected_fore_aft', 'unaffected_vertical']);
    // 'GRF force' and 'GRF shear' would both shorten to 'grf'.
    assert.deepEqual(shortChannelNames(['GRF force', 'GRF shear']), ['grf_force', 'grf_shear']);
    assert.deepEqual(shortChannelNames(['force', 'shear force']), ['force', 'shear_force']);
  });
});

describe('horst-mat: bad input', () => {
  const read = (name: string) => () => horstMat.read(source(FIXTURES, name));
  test('a NaN in Feature names the variable, row, channel and point', () => {
    assertInputError(read('horst-nan.mat'), /horst-nan\.mat field Feature: row 1, channel 1 \(right_vertical\), point 40: value is NaN$/);
  });
  test('a subject whose trials span two classes is refused', () => {
    assertInputError(read('horst-mixed-class.mat'), /field Target_Injury: subject column 0 \(S000\) has trials in class column 0 \(row 0\) and class column 1 \(row 1\); a subject belongs to one class$/);
  });
  test('missing Feature or Target_Subject is refused by name', () => {
    assertInputError(read('horst-no-subject.mat'), /field Target_Subject: missing: a Horst-style MAT-file needs the variables Feature and Target_Subject$/);
    assertInputError(read('types-v5.mat'), /types-v5\.mat field Feature: missing/);
  });
  test('a Feature of neither layout is refused with its dimensions', () => {
    assertInputError(read('horst-bad-shape.mat'), /field Feature: is 2×2×100; expected N × C × 101 or N × 101 × C with 101 points and 2 channels/);
  });
  test('a one-hot row with two ones is refused', () => {
    assertInputError(read('horst-bad-onehot.mat'), /field Target_Subject: row 1 has a 1 in columns 0 and 1; expected exactly one$/);
  });
  test('a damaged MAT-file is an InputError from the reader', () => {
    const file = source(FIXTURES, 'horst-time-first.mat');
    const bad = Buffer.from(file.bytes);
    bad[200] ^= 0xff;
    assertInputError(() => horstMat.read({ ...file, bytes: bad }), /compressed variable at byte 128: bad zlib stream/);
    assertInputError(() => horstMat.read({ ...file, bytes: file.bytes.subarray(0, 700) }), /truncated or corrupt file/);
  });
});
