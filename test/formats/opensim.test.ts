// OpenSim marker (.trc) and motion/storage (.mot, .sto) files: detection by content, units from the header,
// exact values from the fixtures in test/fixtures/opensim (made in the documented layouts), one-line errors
// naming file, line and field, fuzzing, and the import through the real command.
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { detectFormat } from '../../src-main/formats/registry';
import { opensimTrc, readTrc } from '../../src-main/formats/opensim-trc';
import { opensimStorage, readStorage } from '../../src-main/formats/opensim-storage';
import { readHead } from '../../src-main/formats/source-file';
import type { ImportBatch, ImportedTrial } from '../../src-shared/domain/import-batch';
import { assertInputError, assertValidBatch, data, fuzz, sourceOf } from './wearables/wearable-helpers';
import { gaitlab, tempDir } from '../helpers';
import { readC3d } from '../../src-main/formats/c3d';

const read3d = () => readC3d(readFileSync(data('horst2019-gait-c3d', 'btk-Gait.c3d')), 'btk-Gait.c3d');

const FIXTURES = path.resolve(__dirname, '../fixtures/opensim');
const bytesOf = (name: string) => readFileSync(path.join(FIXTURES, name));
const textOf = (name: string) => bytesOf(name).toString('latin1');
const f32 = (v: number) => Math.fround(v);

function read(name: string, text?: string): { batch: ImportBatch; trial: ImportedTrial } {
  const bytes = text === undefined ? bytesOf(name) : Buffer.from(text, 'latin1');
  const file = sourceOf(bytes, name);
  const batch = (/\.trc$/.test(name) ? readTrc(file) : readStorage(file)) as ImportBatch;
  assertValidBatch(batch);
  return { batch, trial: batch.sessions[0].trials[0] };
}
const channel = (t: ImportedTrial, name: string) => {
  const c = t.channels.find((x) => x.name === name);
  assert.ok(c, name);
  return c;
};

describe('detection', () => {
  test('each fixture is detected as its format by content; the extension only raises confidence', () => {
    const expected: Record<string, string> = { 'walk.trc': 'trc', 'walk_grf.mot': 'opensim-storage', 'walk_ik.mot': 'opensim-storage', 'walk_Kinematics_q.sto': 'opensim-storage', 'legacy.mot': 'opensim-storage' };
    assert.deepEqual(readdirSync(FIXTURES).sort(), Object.keys(expected).sort());
    for (const [name, id] of Object.entries(expected)) {
      assert.equal(detectFormat(name, bytesOf(name))?.id, id, name);
      assert.equal(detectFormat('renamed.txt', bytesOf(name))?.id, id, `${name} renamed`);
    }
    assert.equal(opensimTrc.detect('walk.trc', bytesOf('walk.trc')), 1);
    assert.equal(opensimStorage.detect('x.dat', bytesOf('walk_grf.mot')), 0.9);
  });

  test('other text formats are neither', () => {
    for (const other of [data('gaitpdb', 'GaCo01_01.txt.gz'), data('hugadb', 'HuGaDB_v1_walking_10_03.txt'), data('voisard2023-ipol-imu-healthy', 'healthy', '1-1_lb.txt'), data('daphnet-fog', 'S01R02.txt.gz')]) {
      const head = readHead(other);
      assert.equal(opensimTrc.detect('a.trc', head), 0, other);
      assert.equal(opensimStorage.detect('a.mot', head), 0, other);
    }
  });
});

describe('walk.trc', () => {
  const { batch, trial } = read('walk.trc');

  test('three markers as x/y/z in mm at DataRate 100 Hz; the file stem names subject, session and trial', () => {
    assert.equal(batch.format, 'trc');
    assert.deepEqual(batch.subjects, [{ key: 'walk', cohort: 'opensim' }]);
    assert.deepEqual([batch.sessions[0].key, trial.key], ['walk', 'walk']);
    assert.deepEqual(trial.channels.map((c) => [c.name, c.unit, c.rateHz]), ['RHEE', 'LHEE', 'RTOE'].flatMap((m) => ['x', 'y', 'z'].map((a) => [`${m}_${a}`, 'mm', 100])));
    assert.ok(trial.channels.every((c) => c.samples.length === 12));
  });

  test('values as written; an empty field and a row that stops early are NaN', () => {
    assert.deepEqual(Array.from(channel(trial, 'RHEE_x').samples.slice(0, 4)), [0, 10.5, 21, 31.5]);
    assert.equal(channel(trial, 'LHEE_y').samples[1], f32(247.75));
    assert.equal(channel(trial, 'RTOE_z').samples[0], f32(68.18595));
    for (const a of ['x', 'y', 'z']) assert.ok(Number.isNaN(channel(trial, `LHEE_${a}`).samples[4]), `LHEE_${a} frame 5`);
    assert.equal(channel(trial, 'LHEE_x').samples[5], f32(152.5));
    assert.ok(Number.isNaN(channel(trial, 'RTOE_x').samples[11]));
    assert.equal(channel(trial, 'LHEE_x').samples[11], f32(215.5));
    assert.deepEqual(batch.warnings, ['/in/walk.trc: 1 rows end before the last markers; those markers are missing there']);
    assert.deepEqual(trial.attributes?.trc_units, { value: 'mm' });
  });
});

describe('Gait.trc (Motion Analysis Cortex, BTKData) read in place', () => {
  const real = data('forceplate-file-formats', 'motion-analysis-anc-cal', 'Gait.trc');
  const batch = readTrc(sourceOf(readFileSync(real), 'Gait.trc', real));
  const trial = batch.sessions[0].trials[0];

  test('NumMarkers 66 of which 33 are named, 487 frames at 100 Hz; what is odd is said, not hidden', () => {
    assertValidBatch(batch);
    assert.equal(trial.channels.length, 198);
    assert.deepEqual([trial.channels[0].name, trial.channels[98].name, trial.channels[99].name], ['R.Shoulder_x', 'PX_z', 'M34_x']);
    assert.ok(trial.channels.every((c) => c.samples.length === 487 && c.rateHz === 100 && c.unit === 'mm'));
    assert.deepEqual(batch.warnings, [
      `${real}: NumMarkers is 66 but the names line names 33; the others are named by their number (M34, M35, M36, …)`,
      `${real}: 269 rows end before the last markers; those markers are missing there`,
      `${real}: 217 rows hold coordinates beyond the 66 markers of NumMarkers (unidentified trajectories); they are not imported`,
    ]);
    // Frame 200 as written: R.Shoulder 1302.68530 112.58995 1362.39783; frame 1 has no coordinates at all.
    assert.deepEqual(['x', 'y', 'z'].map((a) => channel(trial, `R.Shoulder_${a}`).samples[199]), [f32(1302.6853), f32(112.58995), f32(1362.39783)]);
    assert.ok(trial.channels.every((c) => Number.isNaN(c.samples[0])));
  });

  test('its 33 named markers agree with BTK\'s Gait.c3d of the same walk (markers in the same order, both mm)', () => {
    const c3d = read3d();
    const diffs: number[] = [];
    for (let p = 0; p < 33; p++) {
      for (let f = 0; f < 487; f++) {
        if (c3d.points.residuals[p * 487 + f] < 0 || Number.isNaN(trial.channels[3 * p].samples[f])) continue;
        for (let a = 0; a < 3; a++) diffs.push(Math.abs(c3d.points.coordinates[(p * 487 + f) * 3 + a] - trial.channels[3 * p + a].samples[f]));
      }
    }
    diffs.sort((a, b) => a - b);
    // Not the same reconstruction (the C3D was processed again), so not equal: 16 545 coordinates, median 0.31 mm.
    assert.equal(diffs.length, 16545);
    assert.ok(diffs[diffs.length >> 1] < 0.5, `median ${diffs[diffs.length >> 1]} mm`);
  });

  test('Truncated.trc (stops after the second header line) is refused, naming the line and field', async () => {
    const cut = data('forceplate-file-formats', 'motion-analysis-anc-cal', 'Truncated.trc');
    await assertInputError(() => readTrc(sourceOf(readFileSync(cut), 'Truncated.trc', cut)), { file: cut, line: 3, field: 'DataRate', reason: /^missing from the header$/ });
  });
});

describe('.mot and .sto', () => {
  test('walk_grf.mot: forces in N, COP in m, torques in N·m, side and plate from the column names, the time column as clock', () => {
    const { batch, trial } = read('walk_grf.mot');
    assert.deepEqual(batch.warnings, []);
    assert.equal(trial.channels.length, 18);
    assert.deepEqual([channel(trial, 'ground_force_r_vy').unit, channel(trial, 'ground_force_r_px').unit, channel(trial, 'ground_torque_l_z').unit], ['N', 'm', 'N·m']);
    assert.deepEqual([channel(trial, 'ground_force_r_vy').side, channel(trial, 'ground_force_l_px').side], ['right', 'left']);
    assert.deepEqual([channel(trial, 'ground_force_r_vy').device, channel(trial, 'ground_torque_r_y').device, channel(trial, 'ground_force_l_pz').device], ['ground_r', 'ground_r', 'ground_l']);
    assert.equal(channel(trial, 'ground_force_r_vy').rateHz, 1000);
    assert.equal(channel(trial, 'ground_force_r_vy').samples[1], f32(115.216213));
    assert.equal(channel(trial, 'ground_torque_r_y').samples[19], f32(23.75));
    assert.equal(trial.deviceTimeS?.length, 20);
    assert.equal(trial.deviceTimeS?.[19], 0.019);
    assert.deepEqual(trial.attributes?.opensim_kind, { value: 'forces' });
  });

  test('walk_ik.mot: joint angles in deg (inDegrees=yes), pelvis translations in m', () => {
    const { trial } = read('walk_ik.mot');
    assert.deepEqual(trial.channels.map((c) => [c.name, c.unit, c.side ?? null]), [
      ['pelvis_tilt', 'deg', null], ['pelvis_tx', 'm', null], ['pelvis_ty', 'm', null],
      ['hip_flexion_r', 'deg', 'right'], ['knee_angle_r', 'deg', 'right'], ['hip_flexion_l', 'deg', 'left'], ['knee_angle_l', 'deg', 'left'],
    ]);
    assert.equal(channel(trial, 'knee_angle_l').samples[9], 15);
    assert.equal(channel(trial, 'knee_angle_l').rateHz, 100);
  });

  test('walk_Kinematics_q.sto (OpenSim 4): angles in rad (inDegrees=no); the clock keeps the start at 0.5 s', () => {
    const { trial } = read('walk_Kinematics_q.sto');
    assert.deepEqual(trial.channels.map((c) => [c.name, c.unit]), [['pelvis_tilt', 'rad'], ['pelvis_tx', 'm'], ['knee_angle_r', 'rad']]);
    assert.equal(channel(trial, 'pelvis_tilt').rateHz, 50);
    assert.equal(trial.deviceTimeS?.[0], 0.5);
    assert.deepEqual(trial.attributes?.opensim_first_time, { value: 0.5, unit: 's' });
  });

  test('legacy.mot (datacolumns/datarows, spaces): no unit is stated, so none is guessed', () => {
    const { batch, trial } = read('legacy.mot');
    assert.deepEqual(trial.channels.map((c) => [c.name, c.unit]), [['knee_angle_r', 'a.u.'], ['knee_angle_l', 'a.u.']]);
    assert.deepEqual(Array.from(channel(trial, 'knee_angle_l').samples), [-0, -2.5, -5, -7.5, -10]);
    assert.deepEqual(batch.warnings, ['/in/legacy.mot: 2 columns have no stated unit (knee_angle_r, knee_angle_l): OpenSim headers state no unit for them; stored as a.u.']);
  });
});

describe('bad input: one error naming file, line and field', () => {
  const trc = textOf('walk.trc');
  const lines = trc.split('\r\n');
  const withLine = (k: number, text: string) => lines.map((l, i) => (i === k ? text : l)).join('\r\n');
  const cases: [string, string, { line: number | null; field: string | null; reason: RegExp }][] = [
    ['walk.trc', trc.replace('\tmm\t', '\tinch\t'), { line: 3, field: 'Units', reason: /^"inch" is not a length unit GaitLab knows \(mm, cm, m\)$/ }],
    ['walk.trc', withLine(9, lines[9].split('\t').slice(0, 7).join('\t')), { line: 10, field: null, reason: /^expected 11 columns, found 7$/ }],
    ['walk.trc', withLine(8, lines[8].replace(/\t251\.250\t/, '\t25I.250\t')), { line: 9, field: 'RHEE Y', reason: /^expected a number, found "25I.250"$/ }],
    ['walk.trc', lines.slice(0, 15).join('\r\n'), { line: 3, field: 'NumFrames', reason: /^the header says 12 frames but the file holds 9 \(truncated file\?\)$/ }],
    ['walk_grf.mot', textOf('walk_grf.mot').replace('nRows=20', 'nRows=21'), { line: 3, field: 'nRows', reason: /^says 21 rows but the file holds 20 \(truncated file\?\)$/ }],
    ['walk_grf.mot', textOf('walk_grf.mot').replace('\t115.216213\t', '\t115.2x6213\t'), { line: 9, field: 'ground_force_r_vy', reason: /^not a finite number: "115.2x6213"$/ }],
    ['walk_ik.mot', textOf('walk_ik.mot').replace('0.03000000\t', '0.01000000\t'), { line: 15, field: 'time', reason: /^0.01 s does not follow 0.02 s; time must increase$/ }],
    ['legacy.mot', textOf('legacy.mot').replace('endheader\n', ''), { line: null, field: 'endheader', reason: /^no endheader line within the first 200 lines$/ }],
    ['walk_Kinematics_q.sto', textOf('walk_Kinematics_q.sto').replace('nColumns=4', 'nColumns=5'), { line: 4, field: 'nColumns', reason: /^says 5 columns but the labels line names 4$/ }],
  ];
  for (const [name, text, expected] of cases) {
    test(`${name}: ${expected.field ?? `line ${expected.line}`} — ${expected.reason.source.slice(1, 50)}`, async () => {
      const e = await assertInputError(() => read(name, text), { file: `/in/${name}`, ...expected });
      assert.doesNotMatch(e.message, /\n/);
    });
  }
});

test('fuzz: damaged fixtures give an InputError naming the file or a valid batch, never another error', async () => {
  const trc = await fuzz(readTrc, [{ name: 'walk.trc', bytes: bytesOf('walk.trc') }], 400, 2026);
  const cortex = await fuzz(readTrc, [{ name: 'Gait.trc', bytes: readFileSync(data('forceplate-file-formats', 'motion-analysis-anc-cal', 'Gait.trc')) }], 60, 7, { mutateWithin: 4096 });
  assert.ok(cortex.inputErrors + cortex.ok === 60);
  const sto = await fuzz(readStorage, ['walk_grf.mot', 'walk_ik.mot', 'walk_Kinematics_q.sto', 'legacy.mot'].map((name) => ({ name, bytes: bytesOf(name) })), 800, 1220);
  assert.ok(trc.inputErrors > 0 && trc.ok > 0, JSON.stringify(trc));
  assert.ok(sto.inputErrors > 0 && sto.ok > 0, JSON.stringify(sto));
});

test('gaitlab import reads the folder: five trials, one visit of the folder (the files name no subject); a second import adds nothing', () => {
  const db = path.join(tempDir(), 'opensim.db');
  const first = gaitlab(['import', FIXTURES, '--db', db, '--json']);
  assert.equal(first.code, 0, first.stderr);
  assert.deepEqual([first.json.import.trialsAdded, first.json.import.errors], [5, []]);
  const again = gaitlab(['import', FIXTURES, '--db', db, '--json']);
  assert.equal(again.json.import.trialsAdded, 0);
  const signals = gaitlab(['signals', (gaitlab(['trials', '--search', 'walk_ik', '--db', db, '--json']).json.trials as { id: string }[])[0].id, '--channel', 'knee_angle_r', '--db', db, '--json']);
  assert.deepEqual([signals.json.channels[0].unit, signals.json.channels[0].values[9]], ['deg', f32(41)]);
});
