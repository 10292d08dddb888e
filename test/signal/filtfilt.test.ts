import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { butterLowPassBA, butterLowPassSOS, ButterworthLowPass } from '../../src-shared/signal/butterworth';
import { filtfilt, lfilter, lfilterZi, padSignal, sosfilt, sosfiltfilt, type PadType, type ZeroPhaseOptions } from '../../src-shared/signal/filtfilt';
import { parseNumericTable } from '../../src-main/formats/numeric-table';
import { sharedData } from '../helpers';
import { goldenCases, maxRelativeError } from './golden';

const REL = 1e-10;

function optionsOf(c: ReturnType<typeof goldenCases>[number]): ZeroPhaseOptions {
  const o: ZeroPhaseOptions = {};
  if ('padtype' in c.options) o.padType = c.options.padtype === null ? 'none' : (c.options.padtype as PadType);
  if (c.options.padlen !== undefined) o.padLength = c.options.padlen;
  return o;
}

for (const c of goldenCases()) {
  test(`filtfilt and sosfiltfilt equal scipy's to 1e-10 of the signal's scale: ${c.name}`, () => {
    const { b, a } = butterLowPassBA(c.order, c.wn);
    const errBA = maxRelativeError(filtfilt(b, a, c.input, optionsOf(c)), c.filtfilt);
    assert.ok(errBA <= REL, `filtfilt max relative error ${errBA}`);
    const errSOS = maxRelativeError(sosfiltfilt(butterLowPassSOS(c.order, c.wn), c.input, optionsOf(c)), c.sosfiltfilt);
    assert.ok(errSOS <= REL, `sosfiltfilt max relative error ${errSOS}`);
  });
}

test('the gaitpdb golden excerpt is GaCo01_01 L_total as read by parseNumericTable, and filtering the file gives scipy\'s output', () => {
  const c = goldenCases().find((g) => g.source)!;
  const { file, column, rowStart, rowEnd } = c.source!;
  const table = parseNumericTable(gunzipSync(readFileSync(sharedData(file))), 19, file, (k) => 'c' + k);
  const excerpt = table.columns[column - 1].subarray(rowStart, rowEnd);
  assert.deepEqual(Array.from(excerpt), c.input);
  const y = new ButterworthLowPass({ order: c.order, cutoffHz: c.wn * 50, form: 'ba' }).run(excerpt, 100);
  assert.ok(maxRelativeError(y, c.filtfilt) <= REL);
  const ySos = new ButterworthLowPass({ order: c.order, cutoffHz: c.wn * 50 }).run(excerpt, 100);
  assert.ok(maxRelativeError(ySos, c.filtfilt) <= REL, 'SOS (the default) equals filtfilt(b, a) here too');
});

test('filtfilt and sosfiltfilt of a constant are the constant to the last sample (steady-state initial conditions)', () => {
  const { b, a } = butterLowPassBA(4, 0.1);
  filtfilt(b, a, new Float64Array(50).fill(7.5)).forEach((v) => assert.ok(Math.abs(v - 7.5) < 1e-9, `${v}`));
  sosfiltfilt(butterLowPassSOS(4, 0.1), new Float64Array(50).fill(-3)).forEach((v) => assert.ok(Math.abs(v + 3) < 1e-12, `${v}`));
});

test('lfilter with the lfilter_zi state holds a unit step at 1 from the first sample', () => {
  const { b, a } = butterLowPassBA(3, 0.3);
  const y = lfilter(b, a, new Float64Array(20).fill(1), lfilterZi(b, a));
  y.forEach((v) => assert.ok(Math.abs(v - 1) < 1e-12));
  const s = sosfilt(butterLowPassSOS(3, 0.3), [1, 0, 0, 0]);
  const ba = lfilter(b, a, [1, 0, 0, 0]);
  s.forEach((v, i) => assert.ok(Math.abs(v - ba[i]) < 1e-14, 'impulse responses of the two forms agree'));
});

test('odd padding reflects about the end points: 2·x₀ − x[n..1] and 2·x_last − x[−2..−n−1]', () => {
  assert.deepEqual(Array.from(padSignal([1, 2, 4, 7], 2, 'odd')), [-2, 0, 1, 2, 4, 7, 10, 12]);
  assert.deepEqual(Array.from(padSignal([1, 2, 4, 7], 2, 'even')), [4, 2, 1, 2, 4, 7, 4, 2]);
  assert.deepEqual(Array.from(padSignal([1, 2, 4, 7], 2, 'constant')), [1, 1, 1, 2, 4, 7, 7, 7]);
});

test('a signal not longer than the padding is refused, naming both lengths', () => {
  const { b, a } = butterLowPassBA(4, 0.1);
  assert.throws(() => filtfilt(b, a, new Float64Array(15)), /15 samples\) must be longer than the padding, which is 15 samples/);
  assert.equal(filtfilt(b, a, new Float64Array(16)).length, 16);
});
