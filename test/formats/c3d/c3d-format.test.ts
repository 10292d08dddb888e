// The c3d FormatModule: detection, and the ImportBatch it makes from the raw model.
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import path from 'node:path';
import { type ImportBatch, type ImportedTrial } from '../../../src-shared/domain/import-batch';
import { InputError } from '../../../src-shared/domain/errors';
import { c3dFormat, normaliseEventLabel } from '../../../src-main/formats/c3d-format';
import { readSourceFile } from '../../../src-main/formats/source-file';
import type { SourceFile } from '../../../src-main/formats/format';
import { buildC3d } from './c3d-builder';
import { assertInputError, BROKEN, CORPUS, corpusBytes, SAMPLES } from './helpers';

function source(rel: string): SourceFile {
  const bytes = corpusBytes(rel);
  const name = path.basename(rel.replace(/^horst:/, '')).replace(/\.gz$/, '');
  return { path: rel, name, bytes, sha256: createHash('sha256').update(bytes).digest('hex') };
}

function read(rel: string): { batch: ImportBatch; trial: ImportedTrial } {
  const batch = c3dFormat.read(source(rel)) as ImportBatch;
  return { batch, trial: batch.sessions[0].trials[0] };
}

const channel = (t: ImportedTrial, name: string) => {
  const c = t.channels.find((x) => x.name === name);
  assert.ok(c, `channel ${name}`);
  return c;
};

describe('detect', () => {
  test('C3D content is recognised with or without the extension; the extension raises confidence', () => {
    const head = corpusBytes('horst:gait-pig.c3d').subarray(0, 65536);
    assert.equal(c3dFormat.detect('gait-pig.c3d', head), 1);
    assert.equal(c3dFormat.detect('gait-pig.dat', head), 0.8);
    assert.equal(c3dFormat.detect('128analogchannels.c3d', corpusBytes('sample17/128analogchannels.c3d.gz').subarray(0, 65536)), 1);
  });

  test('other content is not C3D, whatever its name', () => {
    assert.equal(c3dFormat.detect('notes.c3d', Buffer.from('0.00\t1.2\t3.4\n')), 0);
    assert.equal(c3dFormat.detect('empty.c3d', Buffer.alloc(0)), 0);
    const fake = Buffer.alloc(2048);
    fake[0] = 2; fake[1] = 0x50; fake[512 + 3] = 0x41; // key byte right, processor byte wrong
    assert.equal(c3dFormat.detect('fake.c3d', fake), 0);
    // Text whose second character is 'P' and whose bytes happen to hold 'U' where a processor byte would be.
    const text = Buffer.from('APPLE'.padEnd(40000, ' sample text, more text '));
    text[64 * 512 + 3] = 0x55;
    assert.ok(c3dFormat.detect('notes.txt', text) < 0.5);
  });

  test('id c3d, order 40', () => {
    assert.deepEqual([c3dFormat.id, c3dFormat.order], ['c3d', 40]);
  });
});

describe('gait-pig.c3d (Vicon, Plug-in Gait output) as an ImportBatch', () => {
  const { batch, trial } = read('horst:gait-pig.c3d');

  test('subject from SUBJECTS:NAMES, cohort c3d, one session and one trial named by the file stem', () => {
    assert.equal(batch.format, 'c3d');
    assert.deepEqual(batch.subjects.map((s) => [s.key, s.cohort]), [['A22', 'c3d']]);
    assert.deepEqual(batch.sessions.map((s) => [s.subjectKey, s.key, s.trials.length]), [['A22', 'gait-pig', 1]]);
    assert.equal(trial.key, 'gait-pig');
    assert.equal(trial.contentSha256, source('horst:gait-pig.c3d').sha256);
    assert.equal(trial.sourceLocation, 'frames 1–142');
  });

  test('analog channels: label, unit from ANALOG:UNITS, analog rate; plate channels carry their plate as device', () => {
    assert.deepEqual([channel(trial, 'EMG1').unit, channel(trial, 'EMG1').rateHz, channel(trial, 'EMG1').device], ['V', 800, null]);
    assert.deepEqual([channel(trial, 'FZ1').unit, channel(trial, 'FZ1').device, channel(trial, 'MX2').unit, channel(trial, 'MX2').device], ['N', 'FP1', 'N·m', 'FP2']);
    assert.equal(channel(trial, 'FZ1').samples.length, 142 * 16);
  });

  test('points as <label>_x/_y/_z at the point rate, unit by kind, NaN where the sample is invalid', () => {
    const x = channel(trial, 'A22:RKNE_x');
    assert.deepEqual([x.unit, x.rateHz, x.samples.length], ['mm', 50, 142]);
    assert.ok(Math.abs(channel(trial, 'A22:RKNE_x').samples[0] - -208.4996) < 1e-3);
    assert.equal(channel(trial, 'A22:LHipAngles_y').unit, 'deg');
    assert.equal(channel(trial, 'A22:LAnkleForce_z').unit, 'N');
    assert.equal(channel(trial, 'A22:RKneeMoment_x').unit, 'N·mm');
    assert.equal(channel(trial, 'A22:RAnklePower_z').unit, 'W');
    const last = channel(trial, 'A22:RKNE_x').samples;
    assert.ok(Number.isNaN(last[141]), 'the last frame of RKNE is invalid in the file');
    assert.equal(trial.channels.length, 30 + 77 * 3 + 2 * 6);
  });

  test('per plate FPn_Fx/Fy/Fz (N), COPx/COPy (mm), Tz (N·mm) with device FPn at the analog rate', () => {
    for (const d of ['FP1', 'FP2']) {
      const units = ['Fx', 'Fy', 'Fz', 'COPx', 'COPy', 'Tz'].map((s) => channel(trial, `${d}_${s}`)).map((c) => `${c.unit}/${c.device}/${c.rateHz}`);
      assert.deepEqual(units, ['N', 'N', 'N', 'mm', 'mm', 'N·mm'].map((u) => `${u}/${d}/800`));
    }
    assert.ok(Math.max(...channel(trial, 'FP1_Fz').samples) > 700);
  });

  test('EVENT group → 9 events: Foot Strike/Off → initial/final_contact, side from the context, source c3d:EVENT', () => {
    assert.deepEqual(trial.events!.map((e) => `${e.label} ${e.side} ${e.timeS}`), [
      'initial_contact left 0.57', 'final_contact left 1.1525', 'initial_contact right 1.03625', 'final_contact right 1.61125',
      'initial_contact left 1.52', 'initial_contact left 2.48', 'final_contact left 2.12', 'initial_contact right 2', 'final_contact right 2.6',
    ]);
    assert.ok(trial.events!.every((e) => e.source === 'c3d:EVENT'));
    assert.deepEqual(trial.events![0].params, {
      label: 'Foot Strike', context: 'Left', fileTimeS: 0.57, subject: 'A22', iconId: 1,
      description: 'The moment any part of the foot first contacts the floor during a gait cycle.',
    });
  });

  test('provenance attributes: processor, storage, rates, plates and their calibration', () => {
    const a = trial.attributes!;
    assert.deepEqual([a.c3d_processor.value, a.c3d_storage.value, a.c3d_point_rate.value, a.c3d_analog_rate.value], ['DEC (85)', 'int16', 50, 800]);
    assert.deepEqual([a.fp_types.value, a.fp_pre_scaled.value, a.fp1_channels.value], ['2,2', 'yes,yes', '17,19,21,18,20,22']);
    assert.match(String(a.fp1_baseline.value), /frames 1–10/);
    assert.match(String(a.fp_force_sense.value), /ground reaction force on the subject/);
  });
});

describe('other files', () => {
  test('Walking_Hybrid (Qualisys, no subject): subject = file stem, with a warning; manufacturer absent', () => {
    const { batch, trial } = read('horst:Walking_Hybrid_1_1.c3d');
    assert.equal(batch.subjects[0].key, 'Walking_Hybrid_1_1');
    assert.match(batch.warnings.join('\n'), /names no subject \(SUBJECTS:NAMES\); the trial is filed under subject "Walking_Hybrid_1_1"/);
    assert.deepEqual([trial.attributes!.fp_types.value, trial.attributes!.c3d_first_frame.value], ['3,3', 290]);
    assert.deepEqual(channel(trial, 'A000').device, 'FP1');
    assert.deepEqual(channel(trial, 'A015').device, 'FP2');
  });

  test('btk-Gait: manufacturer and software as provenance; repeated labels get numbered channel names', () => {
    const { batch, trial } = read('horst:btk-Gait.c3d');
    assert.deepEqual([trial.attributes!.manufacturer.value, trial.attributes!.software.value], ['Motion Analysis Corp.', 'EVa RealTime 5.0.0']);
    const names = trial.channels.map((c) => c.name);
    assert.equal(new Set(names).size, names.length);
    assert.ok(names.includes('RKNE_x') && names.includes('RKNE_x#2'));
    assert.match(batch.warnings.join('\n'), /channel names repeat and were numbered \(RKNE_x → RKNE_x#2/);
  });

  test('bigparlove: body mass from PROCESSING:$BODYMASS as a subject attribute, subject "Patient 1"', () => {
    const { batch } = read('sample33/bigparlove.c3d');
    assert.deepEqual(batch.subjects[0], { key: 'Patient 1', cohort: 'c3d', attributes: { body_mass: { value: 74, unit: 'kg' } } });
  });

  test('without an EVENT group the header events are used (sample02): RHS → initial_contact right, source c3d:header', () => {
    const { trial } = read('sample02/pc_real.c3d');
    assert.deepEqual(trial.events!.slice(0, 5).map((e) => `${e.label}/${e.side}@${e.timeS}/${e.source}`), [
      'initial_contact/right@0.38/c3d:header', 'STRT/null@0.68/c3d:header', 'RMS/null@0.72/c3d:header', 'initial_contact/left@0.84/c3d:header', 'final_contact/right@0.92/c3d:header',
    ]);
  });

  test('event times are seconds from the first frame in the file: a file starting at frame 101 shifts them by 1 s', () => {
    const frames = 3;
    const bytes = buildC3d({
      processor: 'intel', storage: 'float32', scale: 1, pointRateHz: 100, firstFrame: 101, frames, labels: ['P'], coords: [[[0, 0, 0], [1, 1, 1], [2, 2, 2]]],
      groups: [{ name: 'EVENT', id: 4 }],
      params: [
        { group: 'EVENT', name: 'USED', type: 'int16', values: [1] },
        { group: 'EVENT', name: 'LABELS', type: 'char', strings: ['Foot Off'] },
        { group: 'EVENT', name: 'CONTEXTS', type: 'char', strings: ['Right'] },
        { group: 'EVENT', name: 'TIMES', type: 'float32', dims: [2, 1], values: [0, 1.02] },
      ],
    });
    const batch = c3dFormat.read({ path: 'late.c3d', name: 'late.c3d', bytes: Buffer.from(bytes), sha256: 'x' }) as ImportBatch;
    const [e] = batch.sessions[0].trials[0].events!;
    assert.equal(e.label, 'final_contact');
    assert.ok(Math.abs(e.timeS - 0.02) < 1e-9, `${e.timeS}`);
    assert.equal(e.params!.fileTimeS, 1.02);
    assert.match(String(batch.sessions[0].trials[0].attributes!.event_time_origin.value), /frame 101/);
  });

  test('the session date is TRIAL:DATE or PROCESSING:DATE where the file states a real day (text year first, or numbers); else none', () => {
    const dated = (params: Parameters<typeof buildC3d>[0]['params'], groups = [{ name: 'TRIAL', id: 4 }, { name: 'PROCESSING', id: 5 }]) => {
      const bytes = buildC3d({ processor: 'intel', storage: 'float32', scale: 1, pointRateHz: 100, frames: 2, labels: ['P'], coords: [[[0, 0, 0], [1, 1, 1]]], groups, params });
      return (c3dFormat.read({ path: 'd.c3d', name: 'd.c3d', bytes: Buffer.from(bytes), sha256: 'x' }) as ImportBatch).sessions[0].date;
    };
    assert.equal(dated([{ group: 'TRIAL', name: 'DATE', type: 'char', strings: ['2019/07/15 10:31'] }]), '2019-07-15');
    assert.equal(dated([{ group: 'TRIAL', name: 'DATE', type: 'int16', dims: [3], values: [2019, 7, 15] }]), '2019-07-15');
    assert.equal(dated([{ group: 'PROCESSING', name: 'DATE', type: 'char', strings: ['2021.02.03'] }]), '2021-02-03');
    // A day that does not exist, a date written day first (ambiguous), and an unset clock: no date from the file.
    assert.equal(dated([{ group: 'TRIAL', name: 'DATE', type: 'char', strings: ['2019-02-30'] }]), null);
    assert.equal(dated([{ group: 'TRIAL', name: 'DATE', type: 'char', strings: ['15/07/2019'] }]), null);
    assert.equal(dated([{ group: 'TRIAL', name: 'DATE', type: 'int16', dims: [3], values: [0, 0, 0] }]), null);
    assert.equal(dated([], []), null);
  });

  test('a .gz C3D through readSourceFile: content hash of the decompressed bytes is the trial hash', async () => {
    const file = await readSourceFile(path.join(SAMPLES, 'sample17/128analogchannels.c3d.gz'));
    const batch = c3dFormat.read(file) as ImportBatch;
    assert.equal(batch.sessions[0].trials[0].contentSha256, file.sha256);
    assert.equal(batch.subjects[0].key, 'Subject3');
    assert.equal(batch.sessions[0].key, '128analogchannels');
  });

  test('an unsupported plate type refuses the file with that message', () => {
    const bytes = buildC3d({
      processor: 'intel', storage: 'float32', scale: 1, pointRateHz: 100, frames: 2, labels: [], coords: [],
      analogLabels: ['A', 'B', 'C', 'D', 'E', 'F'], analogRaw: Array(6).fill([0, 0]),
      groups: [{ name: 'FORCE_PLATFORM', id: 3 }],
      params: [
        { group: 'FORCE_PLATFORM', name: 'USED', type: 'int16', values: [1] },
        { group: 'FORCE_PLATFORM', name: 'TYPE', type: 'int16', dims: [1], values: [7] },
      ],
    });
    assertInputError(() => c3dFormat.read({ path: 'fp7.c3d', name: 'fp7.c3d', bytes: Buffer.from(bytes), sha256: 'x' }), /^fp7\.c3d field FORCE_PLATFORM:TYPE: unsupported force plate type 7 \(plate 1\)/);
  });

  test('normaliseEventLabel', () => {
    assert.deepEqual(['Foot Strike', 'foot  off', 'Foot Contact', 'General', ' Toe Off '].map(normaliseEventLabel), ['initial_contact', 'final_contact', 'initial_contact', 'General', 'Toe Off']);
  });
});

describe('the whole corpus', () => {
  test('every file gives a batch with unique channel names and no ±Infinity, or a one-line InputError', () => {
    let read = 0, refused = 0;
    for (const rel of CORPUS) {
      let batch: ImportBatch;
      try {
        batch = c3dFormat.read(source(rel)) as ImportBatch;
      } catch (e) {
        assert.ok(e instanceof InputError, `${rel}: ${(e as Error).message}`);
        assert.ok(BROKEN[rel], `${rel} refused: ${e.message}`);
        assert.match(e.message, BROKEN[rel]);
        refused++;
        continue;
      }
      read++;
      const t = batch.sessions[0].trials[0];
      assert.equal(new Set(t.channels.map((c) => c.name)).size, t.channels.length, rel);
      for (const c of t.channels) {
        assert.ok(c.rateHz! > 0, `${rel} ${c.name} rate`);
        assert.ok(!c.samples.some((v) => v === Infinity || v === -Infinity), `${rel} ${c.name}`);
        const nanAllowed = /_(x|y|z|COPx|COPy|Tz)$/.test(c.name.replace(/#\d+$/, ''));
        if (!nanAllowed) assert.ok(!c.samples.some(Number.isNaN), `${rel} ${c.name} has NaN`);
      }
      for (const e of t.events ?? []) assert.ok(Number.isFinite(e.timeS), rel);
    }
    assert.deepEqual([read, refused], [CORPUS.length - Object.keys(BROKEN).length, Object.keys(BROKEN).length]);
  });
});
