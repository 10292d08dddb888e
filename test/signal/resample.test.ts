import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { AntiAliasedResample, interpolateAt, resampleLinear, resampleToUniform } from '../../src-shared/signal/resample';
import { parseNumericTable } from '../../src-main/formats/numeric-table';
import { sharedData } from '../helpers';

const sine = (rateHz: number, n: number, hz: number) => Float64Array.from({ length: n }, (_, i) => Math.sin((2 * Math.PI * hz * i) / rateHz));
const amplitude = (x: Float64Array, from: number, to: number) => Math.max(...Array.from(x.subarray(from, to), Math.abs));

test('linear interpolation at fractional positions and across rates is exact on a line', () => {
  const line = Float64Array.from({ length: 11 }, (_, i) => 3 + 2 * i);
  assert.equal(interpolateAt(line, 2.25), 7.5);
  assert.equal(interpolateAt(line, 10), 23);
  assert.throws(() => interpolateAt(line, 10.5), /position 10.5 is outside the signal \(0 … 10\)/);
  // 100 Hz → 40 Hz: samples at 0, 25 ms, …, up to the last input time (0.1 s).
  assert.deepEqual(Array.from(resampleLinear(line, 100, 40)), [3, 8, 13, 18, 23]);
  assert.deepEqual(Array.from(resampleLinear([0, 10], 1, 4)), [0, 2.5, 5, 7.5, 10]);
});

test('resampleToUniform puts gaitpdb\'s 100.007 Hz time stamps (0.0099 s steps every ~142 samples) onto an exact 100 Hz grid', () => {
  const table = parseNumericTable(gunzipSync(readFileSync(sharedData('gaitpdb', 'GaCo01_01.txt.gz'))), 19, 'GaCo01_01.txt', (c) => 'c' + c);
  const time = table.columns[0], left = table.columns[17];
  assert.equal(table.rows, 12119);
  const uniform = resampleToUniform(time, left, 100);
  // The file ends at 121.1715 s, so the 100 Hz grid has ⌊121.1715 × 100⌋ + 1 samples.
  assert.equal(uniform.length, 12118);
  assert.equal(uniform[0], left[0]);
  // Where stamps sit on the grid the value is the sample itself: 0.7100 s is row 71, the grid's 71st point.
  assert.equal(time[71], 0.71);
  assert.equal(uniform[71], left[71]);
  assert.throws(() => resampleToUniform([0, 0.01, 0.01], [1, 2, 3], 100), /sample 2 \(0.01 s\) follows 0.01 s/);
});

test('anti-aliased resampling 1000 → 100 Hz keeps a 5 Hz tone and removes a 70 Hz one that would alias to 30 Hz', () => {
  const rs = new AntiAliasedResample({ toRateHz: 100 });
  const kept = rs.run(sine(1000, 4000, 5), 1000);
  assert.equal(kept.length, 400);
  const a5 = amplitude(kept, 50, 350);
  assert.ok(Math.abs(a5 - 1) < 0.01, `5 Hz amplitude ${a5}`);
  const removed = rs.run(sine(1000, 4000, 70), 1000);
  const a70 = amplitude(removed, 50, 350);
  assert.ok(a70 < 0.01, `70 Hz residual ${a70} (−40 dB or better)`);
  const naive = resampleLinear(sine(1000, 4000, 70), 1000, 100);
  assert.ok(amplitude(naive, 50, 350) > 0.9, 'without the filter the 70 Hz tone folds into the 100 Hz signal');
  assert.deepEqual(rs.params, { toRateHz: 100, filterOrder: 8, cutoffFraction: 0.8 });
});

test('anti-aliased resampling to a higher rate only interpolates', () => {
  const x = Float64Array.from([0, 1, 0, -1, 0]);
  assert.deepEqual(Array.from(new AntiAliasedResample({ toRateHz: 200 }).run(x, 100)), [0, 0.5, 1, 0.5, 0, -0.5, -1, -0.5, 0]);
});
