import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { apdmOpal, loadH5wasm, readApdmOpal } from '../../../src-main/formats/apdm-opal';
import { readHead, readSourceFile } from '../../../src-main/formats/source-file';
import type { ImportBatch, ImportedTrial } from '../../../src-shared/domain/import-batch';
import { fixture, tempDir } from '../../helpers';
import { ANNOTATIONS, FIXTURE_NAME, G, RATE_HZ, SAMPLES, SENSORS, STRIDE_S, SWING_FRACTION, swings, writeFixture, type FixtureVariant } from '../../fixtures/apdm/make-fixture';
import { assertInputError, assertValidBatch, data, fuzz, sourceOf } from './wearable-helpers';

const FIXTURE = fixture('apdm', FIXTURE_NAME);
const RAD = 180 / Math.PI;

async function read(path = FIXTURE): Promise<{ batch: ImportBatch; trial: ImportedTrial }> {
  const batch = await readApdmOpal(await readSourceFile(path));
  return { batch, trial: batch.sessions[0].trials[0] };
}
const channel = (t: ImportedTrial, name: string) => {
  const c = t.channels.find((ch) => ch.name === name);
  assert.ok(c, `no channel ${name}`);
  return c;
};
async function variant(v: FixtureVariant, name = 'variant.h5'): Promise<string> {
  const path = join(tempDir('gaitlab-apdm-'), name);
  await writeFixture(path, v);
  return path;
}

test('the committed fixture is small and holds what make-fixture.ts writes', async () => {
  assert.ok(statSync(FIXTURE).size < 200 * 1024);
  const fresh = await read(await variant({}, FIXTURE_NAME));
  const committed = await read();
  assert.deepEqual(fresh.trial.channels.map((c) => c.name), committed.trial.channels.map((c) => c.name));
  fresh.trial.channels.forEach((c, k) => assert.deepEqual(c.samples, committed.trial.channels[k].samples, c.name));
  assert.deepEqual(fresh.trial.events, committed.trial.events);
});

test('detects APDM files by the HDF5 signature and the /Sensors group; other HDF5 and text files are not claimed', async () => {
  const head = readHead(FIXTURE);
  assert.equal(apdmOpal.detect(FIXTURE_NAME, head), 1);
  assert.equal(apdmOpal.detect('recording.bin', head), 0.9);
  const h5 = await loadH5wasm();
  const other = join(tempDir('gaitlab-apdm-'), 'other.h5');
  const f = new h5.File(other, 'w');
  f.create_group('Data').create_dataset({ name: 'x', data: new Float32Array([1, 2, 3]) });
  f.close();
  assert.ok(apdmOpal.detect('other.h5', readHead(other)) < 0.5);
  for (const text of [data('hugadb', 'HuGaDB_v1_walking_10_03.txt'), data('daphnet-fog', 'S01R02.txt.gz'), data('voisard2023-ipol-imu-healthy', 'healthy', '1-1.json')]) {
    assert.equal(apdmOpal.detect('x.h5', readHead(text)), 0, text);
  }
});

test('two foot sensors: acc m/s², gyro deg/s (from rad/s), mag µT, temperature, orientation, on one clock from the first sample', async () => {
  const { batch, trial } = await read();
  assertValidBatch(batch);
  assert.deepEqual(batch.subjects, [{ key: '20240305-101500_Walk', cohort: 'apdm' }]);
  assert.deepEqual([batch.sessions[0].key, batch.sessions[0].date, trial.key, trial.label], ['2024-03-05', '2024-03-05', '20240305-101500_Walk', 'Walk']);
  assert.ok(batch.warnings.some((w) => /do not identify the subject/.test(w)));
  const suffixes = ['acc_x', 'acc_y', 'acc_z', 'gyro_x', 'gyro_y', 'gyro_z', 'mag_x', 'mag_y', 'mag_z', 'temperature', 'orientation_q0', 'orientation_q1', 'orientation_q2', 'orientation_q3'];
  assert.deepEqual(trial.channels.map((c) => c.name), [...suffixes.map((s) => `left_foot_${s}`), ...suffixes.map((s) => `right_foot_${s}`)]);
  for (const c of trial.channels) {
    assert.equal(c.samples.length, SAMPLES);
    assert.equal(c.rateHz, RATE_HZ);
    assert.equal(c.side, c.name.startsWith('left') ? 'left' : 'right');
    assert.equal(c.device, c.name.startsWith('left') ? 'APDM Opal 2385 (Left Foot)' : 'APDM Opal 2391 (Right Foot)');
  }
  assert.deepEqual(['acc_x', 'gyro_y', 'mag_z', 'temperature', 'orientation_q0'].map((s) => channel(trial, `left_foot_${s}`).unit), ['m/s²', 'deg/s', 'µT', '°C', '']);
  // The clock: integer µs stamps of a 128 Hz clock, relative to the first sample.
  const clock = trial.deviceTimeS!;
  assert.equal(clock.length, SAMPLES);
  assert.deepEqual([clock[0], clock[1], clock[2], clock[SAMPLES - 1]], [0, 0.007813, 0.015625, 5.992188]);
  assert.deepEqual(trial.attributes!.recording_start_utc, { value: '2024-03-05T10:15:00.000Z' });
  assert.deepEqual(trial.attributes!.time_origin, { value: 1709633700000000, unit: 'µs since 1970-01-01 UTC' });
  assert.deepEqual(trial.attributes!.left_foot_sample_rate, { value: 128, unit: 'Hz' });
  assert.deepEqual([trial.attributes!.left_foot_sensor_id.value, trial.attributes!.left_foot_placement.value, trial.attributes!.apdm_file_format_version.value], ['2385', 'Left Foot', 5]);
  assert.deepEqual(trial.attributes!.gyroscope_conversion, { value: RAD, unit: 'deg/s per rad/s' });
});

test('values: gravity 9.80665 m/s² on the still foot, the gyroscope moves exactly in the swings, annotations on the same clock', async () => {
  const { trial } = await read();
  for (const s of SENSORS) {
    const p = s.label === 'Left Foot' ? 'left_foot' : 'right_foot';
    const [ax, ay, az] = ['x', 'y', 'z'].map((a) => channel(trial, `${p}_acc_${a}`).samples);
    const gy = channel(trial, `${p}_gyro_y`).samples;
    for (let k = 0; k < SAMPLES; k++) assert.ok(Math.abs(Math.hypot(ax[k], ay[k], az[k]) - G) < 1e-5, `|acc| at ${k}`);
    assert.equal(az[0], Math.fround(G));
    // Rotation only between toe-off and heel strike: zero in stance, non-zero through each swing.
    const swing = new Uint8Array(SAMPLES);
    for (const w of swings(s.firstToeOffS)) {
      swing.fill(1, w.toeOff, w.heelStrike);
      const moving = gy.subarray(w.toeOff, w.heelStrike).filter((v) => v !== 0).length;
      assert.ok(moving >= w.heelStrike - w.toeOff - 2, `${p}: swing ${w.toeOff}–${w.heelStrike} moves in ${moving} samples`);
    }
    assert.ok(gy.every((v, k) => swing[k] === 1 || v === 0), `${p}: rotation outside the swings`);
    assert.equal(swings(s.firstToeOffS).length, p === 'left_foot' ? 4 : 3);
    const peak = Math.max(...gy);
    const expected = (0.9 / 2) * (2 * Math.PI / (STRIDE_S * SWING_FRACTION)) * RAD; // deg/s
    assert.ok(Math.abs(peak - expected) < 0.05 * expected, `peak ${peak} deg/s`);
    assert.equal(channel(trial, `${p}_orientation_q0`).samples[0], 1);
  }
  assert.deepEqual(trial.events!.map((e) => [e.label, e.timeS, e.side, e.source]), ANNOTATIONS.map((a) => [a.text, a.timeS, null, 'annotation']));
  assert.deepEqual(trial.events![1].params, { text: 'Halfway', timeUs: 1709633703250000, sensorId: '2391', sensor: 'Right Foot' });
});

test('sensors with different clocks: no shared clock, a warning, start offsets; duplicate labels; placement from Config Strings', async () => {
  const { batch, trial } = await read(await variant({ rightClockOffsetUs: 250_000 }));
  assertValidBatch(batch);
  assert.equal(trial.deviceTimeS, undefined);
  assert.ok(batch.warnings.some((w) => /Time vectors differ/.test(w)), batch.warnings.join('\n'));
  assert.deepEqual([trial.attributes!.left_foot_start_offset.value, trial.attributes!.right_foot_start_offset.value], [0, 0.25]);
  // Two sensors with one label are kept apart by id.
  const same = await read(await variant({ sameLabel: true }));
  assert.deepEqual(same.trial.channels.filter((c) => c.name.endsWith('_acc_x')).map((c) => c.name), ['left_foot_acc_x', 'left_foot_2391_acc_x']);
  // Placement from a 'Config Strings' table when there is no 'Label 0' attribute.
  const strings = await read(await variant({ configStrings: true }));
  assert.deepEqual(strings.trial.channels.filter((c) => c.name.endsWith('_acc_x')).map((c) => [c.name, c.side]), [['left_foot_acc_x', 'left'], ['right_foot_acc_x', 'right']]);
});

test('bad input is an InputError naming the file and the HDF5 object', async () => {
  await assertInputError(() => readApdmOpal(sourceOf(Buffer.from('PacketCounter\tAcc_X\n'), 'x.h5')), { file: '/in/x.h5', reason: /not an HDF5 file/ });
  const bytes = readFileSync(FIXTURE);
  await assertInputError(() => readApdmOpal(sourceOf(bytes.subarray(0, 40_000), FIXTURE_NAME)), { file: `/in/${FIXTURE_NAME}`, line: null, reason: /not a readable HDF5 file \(truncated file/ });
  const cases: [FixtureVariant, string, RegExp][] = [
    [{ noSensors: true }, '/Sensors', /missing/],
    [{ accelerometerColumns: 2 }, '/Sensors/2385/Accelerometer', /shape \[768, 2\], expected \[N, 3\]/],
    [{ nanGyroAt: 100 }, '/Sensors/2385/Gyroscope', /sample 100: not a finite number \(NaN\)/],
    [{ repeatTimeAt: 300 }, '/Sensors/2385/Time', /sample 300: time \d+ µs is not after/],
  ];
  for (const [v, field, reason] of cases) {
    const p = await variant(v);
    await assertInputError(async () => readApdmOpal(await readSourceFile(p)), { file: p, line: null, field, reason });
  }
});

test('fuzz: damaged copies of the fixture give an InputError or a valid batch, never another error', { timeout: 180_000 }, async () => {
  // Half the rounds damage the first 8 KiB, where the superblock, object headers and group heaps are.
  const r = await fuzz(readApdmOpal, [{ name: FIXTURE_NAME, bytes: readFileSync(FIXTURE) }], 1500, 5, { mutateWithin: 8192 });
  assert.ok(r.ok >= 20 && r.inputErrors >= 100, JSON.stringify(r));
  // The WebAssembly HDF5 library is one instance per process: damaged files must not leave it broken.
  assert.equal((await read()).trial.channels.length, 28);
});
