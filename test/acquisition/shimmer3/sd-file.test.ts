// The Shimmer3 SD reader against the real recording and its two Consensys exports (../shared/data/shimmer3).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { readShimmerSd, readShimmerSdHeader, unixTimeMs, unwrapCounter } from '../../../src-main/acquisition/shimmer3/sd-file';
import { calibrateChannels } from '../../../src-main/acquisition/shimmer3/calibration';
import { InputError } from '../../../src-shared/domain/errors';
import { sharedData } from '../../helpers';

const BIN = sharedData('shimmer3', 'triaxcal_sample.bin');
const bytes = new Uint8Array(readFileSync(BIN));

/** Consensys CSV: "sep=," line, names, units, then rows with a trailing comma. */
function readConsensys(name: string): { names: string[]; units: string[]; rows: number[][]; text: string[][] } {
  const lines = gunzipSync(readFileSync(sharedData('shimmer3', name))).toString('latin1').split('\r\n').filter((l) => l.length > 0);
  const split = (l: string) => l.split(',').slice(0, -1);
  const text = lines.slice(3).map(split);
  return { names: split(lines[1]), units: split(lines[2]), rows: text.map((r) => r.map(Number)), text };
}

// Consensys column → GaitLab channel name.
const COLUMN_CHANNEL: Record<string, string> = {
  Accel_LN_X: 'accel_ln_x', Accel_LN_Y: 'accel_ln_y', Accel_LN_Z: 'accel_ln_z',
  Accel_WR_X: 'accel_wr_x', Accel_WR_Y: 'accel_wr_y', Accel_WR_Z: 'accel_wr_z',
  Battery: 'battery', Gyro_X: 'gyro_x', Gyro_Y: 'gyro_y', Gyro_Z: 'gyro_z', Mag_X: 'mag_x', Mag_Y: 'mag_y', Mag_Z: 'mag_z',
};
const columnChannel = (column: string) => COLUMN_CHANNEL[column.replace(/^Shimmer_952D_/, '').replace(/_(UN)?CAL$/, '')];

test('header: rate 32768/448 Hz, the five sensors in file order, calibration blocks, device 952D', () => {
  const h = readShimmerSdHeader(bytes, BIN);
  assert.equal(h.rateDivisor, 448);
  assert.ok(Math.abs(h.rateHz - 73.142857) < 1e-6);
  assert.deepEqual(h.sensors.map((s) => s.name), ['accel_ln', 'battery', 'gyro', 'accel_wr', 'mag']);
  assert.equal(h.sampleBytes, 29);
  assert.equal(h.hasSync, false);
  assert.equal(h.deviceId, '952D');
  assert.equal(h.macAddress, '00:06:66:F0:95:2D');
  assert.deepEqual(h.calibration.accel_ln, { offset: [2045, 2071, 2033], sensitivity: [83, 83, 83], alignment: [0, 1, 0, 1, 0, 0.02, 0.02, -0.01, -1] });
  assert.deepEqual(h.calibration.accel_wr?.offset, [32, -13, -154]);
  assert.deepEqual(h.calibration.gyro?.sensitivity, [5668, 5791, 5921]);
  assert.deepEqual(h.calibration.gyro?.alignment, [0, 1, -0.02, 1, 0, 0.03, -0.25, 0.01, -0.97]);
  assert.deepEqual(h.calibration.mag, { offset: [0, 0, 0], sensitivity: [667, 667, 667], alignment: [0, -1, 0, 1, 0, 0, 0, 0, -1] });
});

test('raw counts equal the uncalibrated Consensys export for every sample and channel', () => {
  const rec = readShimmerSd(bytes, BIN);
  const csv = readConsensys('triaxcal_uncalibrated.csv.gz');
  assert.equal(rec.samples, 2149);
  assert.equal(csv.rows.length, 2149);
  assert.equal(rec.irregularSteps, 0);
  let compared = 0;
  csv.names.forEach((column, k) => {
    if (k === 0) return;
    const c = rec.header.channels.indexOf(columnChannel(column));
    assert.ok(c >= 0, column);
    for (let i = 0; i < rec.samples; i++) {
      assert.equal(rec.raw[c][i], csv.rows[i][k], `${column} row ${i + 1}`);
      compared++;
    }
  });
  assert.equal(compared, 2149 * 13);
  assert.equal(rec.timestampRaw[0], 9390424);
});

test('calibrated values equal the calibrated Consensys export; Unix time stamps match', () => {
  const rec = readShimmerSd(bytes, BIN);
  const csv = readConsensys('triaxcal_calibrated.csv.gz');
  const { channels, uncalibrated } = calibrateChannels(rec.header.channels, rec.raw, rec.header.calibration);
  assert.deepEqual(uncalibrated, []);
  const unitOf: Record<string, string> = { 'm/(s^2)': 'm/s²', 'deg/s': 'deg/s', mV: 'mV', local_flux: 'local_flux' };
  let maxRelError = 0;
  let maxAbsError = 0;
  csv.names.forEach((column, k) => {
    if (k === 0) return;
    const ch = channels.find((c) => c.name === columnChannel(column))!;
    assert.equal(ch.unit, unitOf[csv.units[k]], column);
    for (let i = 0; i < rec.samples; i++) {
      const expected = csv.rows[i][k];
      // The CSV prints 17 significant digits (Java's Double.toString): the tolerance is that precision.
      const err = Math.abs(ch.values[i] - expected);
      maxAbsError = Math.max(maxAbsError, err);
      maxRelError = Math.max(maxRelError, err / Math.max(Math.abs(expected), 1e-300));
      assert.ok(err <= 1e-12 * Math.max(1, Math.abs(expected)), `${column} row ${i + 1}: ${ch.values[i]} vs ${expected}`);
    }
  });
  console.log(`calibrated vs Consensys CSV: max abs error ${maxAbsError.toExponential(2)}, max relative error ${maxRelError.toExponential(2)} over ${rec.samples * 13} values`);
  assert.ok(Math.abs(channels.find((c) => c.name === 'gyro_x')!.values[0] - -565.3051084816477) < 1e-12);

  const unix = unixTimeMs(rec);
  let maxTimeError = 0;
  for (let i = 0; i < rec.samples; i++) maxTimeError = Math.max(maxTimeError, Math.abs(unix[i] - csv.rows[i][0]));
  console.log(`Unix time vs Consensys CSV: max error ${maxTimeError.toExponential(2)} ms`);
  assert.ok(maxTimeError < 1e-3, `time stamps differ by up to ${maxTimeError} ms`);
  assert.ok(Math.abs((rec.timestampTicks[rec.samples - 1] - rec.timestampTicks[0]) / 32768 - 29.3671875) < 1e-12);
});

test('the 24-bit timestamp is unwrapped: a recording that crosses 2^24 ticks stays monotonic', () => {
  const wrapped = Float64Array.from([2 ** 24 - 896, 2 ** 24 - 448, 0, 448, 896, 2 ** 24 - 100, 348]);
  assert.deepEqual(Array.from(unwrapCounter(wrapped, 2 ** 24)), [2 ** 24 - 896, 2 ** 24 - 448, 2 ** 24, 2 ** 24 + 448, 2 ** 24 + 896, 2 * 2 ** 24 - 100, 2 * 2 ** 24 + 348]);
  // The real file, its first timestamp moved so that sample 10 wraps: the unwrapped steps stay 448 ticks.
  const copy = bytes.slice();
  for (let i = 0; i < 2149; i++) {
    const at = 256 + 29 * i;
    const t = (2 ** 24 - 10 * 448 + i * 448) % 2 ** 24;
    copy[at] = t & 0xff; copy[at + 1] = (t >> 8) & 0xff; copy[at + 2] = (t >> 16) & 0xff;
  }
  const rec = readShimmerSd(copy, 'moved.bin');
  assert.equal(rec.irregularSteps, 0);
  assert.ok(rec.timestampRaw[10] < rec.timestampRaw[9]);
  assert.equal(rec.timestampTicks[10] - rec.timestampTicks[9], 448);
});

test('truncated, empty or nonsensical files: one InputError naming the byte offset and field', () => {
  const cases: Array<[Uint8Array, RegExp]> = [
    [bytes.subarray(0, 100), /^t\.bin field byte 100 \(header\): the file ends after 100 bytes/],
    [bytes.subarray(0, 256), /^t\.bin field byte 256 \(samples\): the file holds a header and no samples/],
    [bytes.subarray(0, bytes.length - 5), /^t\.bin field byte 62548 \(sample 2149\): the file ends 24 bytes into a 29-byte sample \(truncated\)/],
  ];
  const zeroRate = bytes.slice(); zeroRate[0] = 0; zeroRate[1] = 0;
  cases.push([zeroRate, /^t\.bin field byte 0 \(sampling rate\): divisor 0/]);
  const hg = bytes.slice(); hg[5] |= 0x40;
  cases.push([hg, /^t\.bin field byte 3 \(enabled sensors\): sensor accel_hg/]);
  for (const [input, pattern] of cases) {
    assert.throws(() => readShimmerSd(input, 't.bin'), (e: unknown) => e instanceof InputError && pattern.test(e.message) && !e.message.includes('\n'), String(pattern));
  }
});
