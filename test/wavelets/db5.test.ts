import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DB5_DEC_LO, db5CoefficientLengths, wavedec, waverec, wavedecFlat, waverecFlat } from '../../src-shared/wavelets/db5';

interface PywtCase { name: string; signal: number[]; coefficients: number[][]; reconstruction: number[] }
const fixture = JSON.parse(readFileSync(join(__dirname, '../fixtures/wavelets/db5-pywt.json'), 'utf8')) as {
  pywt: string; decLo: number[]; cases: PywtCase[];
};

function gw2Signal(n = 101): Float64Array {
  return Float64Array.from({ length: n }, (_, t) => Math.sin((2 * Math.PI * t) / 100) + (0.1 * t) / 100);
}

function assertRelClose(got: number, want: number, rel: number, what: string): void {
  assert.ok(Math.abs(got - want) <= rel * Math.abs(want), `${what}: got ${got}, want ${want}`);
}

test('the db5 filter equals PyWavelets dec_lo to the last digit', () => {
  fixture.decLo.forEach((v, i) => assert.equal(DB5_DEC_LO[i], v, `dec_lo[${i}]`));
});

test('G-W1: level-4 coefficient lengths for 101, 105 and 100 points', () => {
  assert.deepEqual(db5CoefficientLengths(101), [14, 14, 20, 32, 55]);
  assert.deepEqual(db5CoefficientLengths(105), [15, 15, 21, 33, 57]);
  assert.deepEqual(db5CoefficientLengths(100), [14, 14, 20, 31, 54]);
  assert.equal(wavedecFlat(gw2Signal()).length, 135);
  assert.equal(wavedecFlat(gw2Signal(105)).length, 141);
});

test('G-W2: coefficients of sin(2πt/100) + 0.1t/100 match the spec table to 1e-9 relative', () => {
  const c = wavedec(gw2Signal());
  const table: [number[], number][] = [
    [[0.8495404099, 0.7447272004, 0.8597444383, 0.6064487357, 0.7514260318], 0.6352950157],
    [[-0.03637911597, -0.4795016571, -0.2395791888, -0.4148366618, 0.1340846308], -0.03095764637],
    [[-0.05130844002, 0.2171167689, -0.3189191113, 0.3102336206, -0.1223607075], -0.01122898712],
    [[-0.03299228316, 0.02282452935, 0.06996732591, -0.04295448850, 0.005429569753], -0.002433060426],
    [[0.007919694003, -0.008693094886, -0.0006666537083, 0.001439595919, -4.562555366e-7], -0.0002123220410],
  ];
  // The table has 10 significant digits, so compare at 1e-9 relative (the rounding is 5e-10 at most).
  table.forEach(([first, last], b) => {
    first.forEach((v, i) => assertRelClose(c[b][i], v, 1e-9, `block ${b}[${i}]`));
    assertRelClose(c[b][c[b].length - 1], last, 1e-9, `block ${b} last`);
  });
  const flat = wavedecFlat(gw2Signal());
  assertRelClose(flat.reduce((s, v) => s + v, 0), 6.141238960, 1e-9, 'sum');
  assertRelClose(Math.hypot(...flat), 7.243586740, 1e-9, 'l2 norm');
});

test('G-W3: waverec returns 102 samples, the first 101 equal x within 1e-12, the 102nd is 0.1', () => {
  const x = gw2Signal();
  const full = waverec(wavedec(x));
  assert.equal(full.length, 102);
  let maxErr = 0;
  for (let t = 0; t < 101; t++) maxErr = Math.max(maxErr, Math.abs(full[t] - x[t]));
  assert.ok(maxErr < 1e-12, `max abs error ${maxErr}`);
  assert.ok(Math.abs(full[101] - 0.1) < 1e-12, `sample 101 = ${full[101]}`);
  const kept = waverecFlat(wavedecFlat(x), 101);
  assert.equal(kept.length, 101);
});

test(`wavedec and waverec agree with PyWavelets ${fixture.pywt} within 1e-14 for lengths 101, 105, 100, 64, 37`, () => {
  assert.equal(fixture.cases.length, 10);
  for (const k of fixture.cases) {
    const x = Float64Array.from(k.signal);
    const c = wavedec(x);
    assert.deepEqual(c.map((a) => a.length), k.coefficients.map((a) => a.length), `${k.name} lengths`);
    c.forEach((block, b) => block.forEach((v, i) => {
      assert.ok(Math.abs(v - k.coefficients[b][i]) < 1e-14, `${k.name} block ${b}[${i}]: ${v} vs ${k.coefficients[b][i]}`);
    }));
    const rec = waverec(k.coefficients.map((a) => Float64Array.from(a)));
    assert.equal(rec.length, k.reconstruction.length, `${k.name} reconstruction length`);
    rec.forEach((v, i) => assert.ok(Math.abs(v - k.reconstruction[i]) < 1e-14, `${k.name} rec[${i}]`));
  }
});
