// The Shimmer3 SD-log format: detection by content, and `gaitlab import` of the real file through the real command.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { shimmer3Sd, readShimmer3Sd } from '../../src-main/formats/shimmer3-sd';
import { detectFormat } from '../../src-main/formats/registry';
import { readHead, readSourceFile } from '../../src-main/formats/source-file';
import { dbFingerprint, gaitlab, sharedData, tempDir } from '../helpers';
import { fuzz } from './wearables/wearable-helpers';

const BIN = sharedData('shimmer3', 'triaxcal_sample.bin');
const dir = tempDir('gaitlab-shimmer3-');

test('detected by content (header and regular timestamp steps), also under another name; other files are not claimed', () => {
  const head = readHead(BIN);
  assert.equal(detectFormat('triaxcal_sample.bin', head)?.id, 'shimmer3-sd');
  assert.equal(detectFormat('recording.dat', head)?.id, 'shimmer3-sd');
  // One timestamp off by a tick is no longer a Shimmer log.
  const off = Buffer.from(head); off[256 + 29 * 2] ^= 1;
  assert.equal(shimmer3Sd.detect('triaxcal_sample.bin', off), 0);
  const others = [
    sharedData('gaitpdb', 'GaCo01_01.txt.gz'),
    ...readdirSync(sharedData('c3d-samples', 'sample01')).filter((f) => /\.c3d$/i.test(f)).map((f) => sharedData('c3d-samples', 'sample01', f)),
    ...readdirSync(sharedData('slijepcevic2021-clinical-grf-mat')).filter((f) => f.endsWith('.mat')).slice(0, 2).map((f) => sharedData('slijepcevic2021-clinical-grf-mat', f)),
    sharedData('shimmer3', 'triaxcal_calibrated.csv.gz'),
  ];
  assert.ok(others.length >= 5);
  for (const p of others) assert.equal(shimmer3Sd.detect(p, readHead(p)), 0, p);
});

test('read: 13 channels in physical units at 73.14 Hz on the device clock, device id in the attributes', async () => {
  const batch = readShimmer3Sd(await readSourceFile(BIN));
  const trial = batch.sessions[0].trials[0];
  assert.deepEqual(batch.warnings, []);
  assert.equal(trial.channels.length, 13);
  for (const c of trial.channels) {
    assert.ok(Math.abs(c.rateHz! - 73.142857) < 1e-5);
    assert.equal(c.samples.length, 2149);
    assert.equal(c.device, 'Shimmer3 952D');
  }
  const unit = (n: string) => trial.channels.find((c) => c.name === n)!.unit;
  assert.deepEqual(['accel_ln_x', 'accel_wr_z', 'gyro_y', 'mag_x', 'battery'].map(unit), ['m/s²', 'm/s²', 'deg/s', 'local_flux', 'mV']);
  assert.equal(trial.attributes!.device_id.value, '952D');
  assert.equal(trial.attributes!.firmware.value, 'LogAndStream v0.11.0');
  assert.equal(trial.attributes!.start_time_unix.value, 1629403337780.7312);
  assert.equal(batch.sessions[0].date, '2021-08-19');
  assert.equal(trial.deviceTimeS![2148], 29.3671875);
  // Column mean from the dataset README (calibrated CSV), on the float32 samples.
  const lnx = trial.channels.find((c) => c.name === 'accel_ln_x')!.samples;
  assert.ok(Math.abs(lnx.reduce((a, b) => a + b, 0) / lnx.length - 0.5290) < 1e-4);
});

test('gaitlab import: one trial with its channels; re-import adds nothing; formats lists it', () => {
  const db = join(dir, 'lab.db');
  const r = gaitlab(['import', BIN, '--db', db, '--json']);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.json.import.trialsAdded, 1);
  const again = gaitlab(['import', BIN, '--db', db, '--json']);
  assert.equal(again.json.import.trialsAdded, 0);
  const trials = gaitlab(['trials', '--db', db, '--json']).json.trials;
  assert.equal(trials.length, 1);
  assert.equal(trials[0].sourceFormat, 'shimmer3-sd');
  assert.equal(trials[0].attributes.device_id.value, '952D');
  const signals = gaitlab(['signals', trials[0].id, '--channel', 'gyro_x', '--db', db, '--json']).json;
  const gyro = signals.channels[0];
  assert.equal(gyro.unit, 'deg/s');
  assert.ok(Math.abs(gyro.rateHz - 73.142857) < 1e-5);
  assert.equal(gyro.values.length, 2149);
  assert.ok(Math.abs(gyro.values[0] - -565.3051084816477) < 1e-4);
  const formats = gaitlab(['formats', '--db', db]);
  assert.match(formats.stdout, /shimmer3-sd\s+Shimmer3 SD-log binary/);
});

test('a truncated or damaged file: exit 1, one line naming file, byte offset and field, database unchanged', () => {
  const db = join(dir, 'bad.db');
  assert.equal(gaitlab(['import', sharedData('gaitpdb', 'GaCo01_01.txt.gz'), '--db', db]).code, 0);
  const bytes = readFileSync(BIN);
  const cases: Array<[string, Buffer, RegExp]> = [
    ['cut.bin', bytes.subarray(0, 256 + 29 * 40 + 11), /cut\.bin field byte 1416 \(sample 41\): the file ends 11 bytes into a 29-byte sample \(truncated\)$/],
  ];
  const noSensors = Buffer.from(bytes); noSensors[3] = 0; noSensors[4] = 0; noSensors[5] = 0;
  // Detection refuses a header without sensors, so the file is "of no known format"; name it to the reader directly.
  assert.equal(shimmer3Sd.detect('x.bin', noSensors), 0);
  for (const [name, content, pattern] of cases) {
    const p = join(dir, name);
    writeFileSync(p, content);
    const before = dbFingerprint(db);
    const r = gaitlab(['import', p, '--db', db, '--json']);
    assert.equal(r.code, 1, r.stderr);
    const lines = r.stderr.trim().split('\n');
    assert.equal(lines.length, 1, r.stderr);
    assert.match(lines[0], pattern);
    assert.equal(r.json.import.trialsAdded, 0);
    assert.equal(dbFingerprint(db), before, 'database changed');
  }
});

test('fuzz: 300 damaged copies (header bytes, samples, cuts, splices) give a valid batch or a one-line InputError, never a crash', async () => {
  const bytes = readFileSync(BIN);
  const { ok, inputErrors } = await fuzz(readShimmer3Sd, [{ name: 'triaxcal_sample.bin', bytes }], 300, 18, { mutateWithin: 256 });
  console.log(`fuzz: ${ok} read, ${inputErrors} refused`);
  assert.ok(ok > 0 && inputErrors > 0);
});
