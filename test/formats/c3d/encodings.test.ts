// The same data in every encoding (Intel/DEC/MIPS × int16/float) must read the same.
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { readC3d, type C3dFile, type C3dProcessor } from '../../../src-main/formats/c3d';
import { buildC3d } from './c3d-builder';
import { maxAbsDiff, pointAt, readCorpus, residualAt } from './helpers';

interface Comparison {
  /** Largest coordinate difference over samples valid in both. */
  points: number;
  /** Coordinates differing by more than 1e-3. */
  differing: number;
  residuals: number;
  /** Samples valid in one file and invalid in the other. */
  validity: number;
  analogs: number;
}

function compare(a: C3dFile, b: C3dFile): Comparison {
  assert.deepEqual([a.layout.pointCount, a.layout.frameCount, a.layout.analogCount], [b.layout.pointCount, b.layout.frameCount, b.layout.analogCount]);
  const r: Comparison = { points: 0, differing: 0, residuals: 0, validity: 0, analogs: 0 };
  const ra = a.points.residuals, rb = b.points.residuals;
  for (let i = 0; i < ra.length; i++) {
    const va = ra[i] >= 0, vb = rb[i] >= 0;
    if (va !== vb) r.validity++;
    if (!va || !vb) continue;
    r.residuals = Math.max(r.residuals, Math.abs(ra[i] - rb[i]));
    for (let k = 0; k < 3; k++) {
      const d = Math.abs(a.points.coordinates[3 * i + k] - b.points.coordinates[3 * i + k]);
      if (d > 1e-3) r.differing++;
      r.points = Math.max(r.points, d);
    }
  }
  for (let ch = 0; ch < a.analogs.samples.length; ch++) r.analogs = Math.max(r.analogs, maxAbsDiff(a.analogs.samples[ch], b.analogs.samples[ch]));
  return r;
}

const SAMPLE01 = ['Eb015pi', 'Eb015si', 'Eb015vi', 'Eb015pr', 'Eb015sr', 'Eb015vr'];

describe('sample01: one trial in Intel/MIPS/DEC × int/real', () => {
  const files = Object.fromEntries(SAMPLE01.map((f) => [f, readCorpus(`sample01/${f}.c3d`)]));

  test('processor and storage are read from the file', () => {
    assert.deepEqual(SAMPLE01.map((f) => `${files[f].processor}/${files[f].layout.storage}`),
      ['intel/int16', 'mips/int16', 'dec/int16', 'intel/float32', 'mips/float32', 'dec/float32']);
  });

  test('all six agree exactly: points, residuals, validity and analogs (int × scale rounds to the real files\' float32)', () => {
    for (const f of SAMPLE01.slice(1)) {
      assert.deepEqual(compare(files.Eb015pi, files[f]), { points: 0, differing: 0, residuals: 0, validity: 0, analogs: 0 }, f);
    }
  });

  test('reference values: frame 1 and 100 of RFT1, residual 1.3333, analog channel 1 and sample 400', () => {
    for (const f of SAMPLE01) {
      const c = files[f];
      assert.equal(c.points.info[0].label, 'RFT1');
      pointAt(c, 0, 0).forEach((v, k) => assert.ok(Math.abs(v - [248.5833, 226.8333, 37.4167][k]) < 1e-4, `${f} frame 1`));
      pointAt(c, 0, 99).forEach((v, k) => assert.ok(Math.abs(v - [250.9167, 227.0, 35.4167][k]) < 1e-4, `${f} frame 100`));
      assert.ok(Math.abs(residualAt(c, 0, 0) - 1.3333) < 1e-4);
      // The README prints two decimals: agreement to half of the last digit.
      assert.ok(Math.abs(c.analogs.samples[0][0] - -26.66) < 5e-3);
      [-27.09, 0, -22.32, -6223.36, -910.96, -1207.7].forEach((v, ch) => assert.ok(Math.abs(c.analogs.samples[ch][400] - v) < 5e-3, `${f} ch ${ch + 1}`));
      assert.deepEqual([c.layout.analogSamplesPerFrame, c.analogs.rateHz, c.layout.frameCount], [4, 200, 450]);
    }
  });

  test('sample08 TESTAPI/BPI/CPI/DPI (other parameter/data block positions, zeroed section bytes) equal Eb015pi exactly', () => {
    for (const f of ['TESTAPI', 'TESTBPI', 'TESTCPI', 'TESTDPI']) {
      const c = readCorpus(`sample08/${f}.c3d`);
      assert.deepEqual(compare(files.Eb015pi, c), { points: 0, differing: 0, residuals: 0, validity: 0, analogs: 0 }, f);
    }
  });
});

describe('sample02: one trial in six encodings', () => {
  const names = ['pc_int', 'sgi_int', 'dec_int', 'pc_real', 'sgi_real', 'dec_real'];
  const files = Object.fromEntries(names.map((f) => [f, readCorpus(`sample02/${f}.c3d`)]));

  test('analogs identical in all six; validity identical', () => {
    for (const f of names.slice(1)) {
      const r = compare(files.pc_int, files[f]);
      assert.equal(r.analogs, 0, f);
      assert.equal(r.validity, 0, f);
    }
  });

  test('floats agree exactly with each other and with dec_int; pc_int = sgi_int exactly', () => {
    for (const f of ['sgi_real', 'dec_real', 'dec_int']) assert.equal(compare(files.pc_real, files[f]).points, 0, f);
    assert.equal(compare(files.pc_int, files.sgi_int).points, 0);
  });

  test('pc_int/sgi_int differ from the others by one scale quantum (0.2812 mm) in 59 coordinates, as the corpus README states', () => {
    const quantum = Math.abs(files.pc_int.layout.pointScale);
    for (const f of ['pc_real', 'dec_int']) {
      const r = compare(files.pc_int, files[f]);
      assert.equal(r.differing, 59, f);
      assert.ok(r.points <= quantum + 1e-4, `${f}: ${r.points} within one quantum ${quantum}`);
    }
  });

  test('RFT1 is invalid (residual −1) in frames 1–10; frame 11 is (363.5682, 361.0375, 81.5427)', () => {
    for (const f of names) {
      const c = files[f];
      for (let fr = 0; fr < 10; fr++) assert.equal(residualAt(c, 0, fr), -1, `${f} frame ${fr + 1}`);
      pointAt(c, 0, 10).forEach((v, k) => assert.ok(Math.abs(v - [363.5682, 361.0375, 81.5427][k]) < 0.3, `${f}`));
      assert.ok(Math.abs(c.analogs.samples[0][0] - -7.74) < 5e-3);
    }
  });
});

describe('synthetic data written in all six encodings', () => {
  const frames = 7, spf = 3;
  const coords = [0, 1].map((p) => Array.from({ length: frames }, (_, f) => [100.25 * (p + 1) + f, -50.5 + 3 * f, 1234.75 - 7 * f]));
  const residuals = [[0.5, 1, -1, 2, 0, 0.25, 3], [1, 1, 1, -1, -1, 1, 1]];
  const analogRaw = [Array.from({ length: frames * spf }, (_, i) => 2048 + 17 * i - 100), Array.from({ length: frames * spf }, (_, i) => -300 + 29 * i)];
  const build = (processor: C3dProcessor, storage: 'int16' | 'float32') => readC3d(buildC3d({
    processor, storage, scale: 0.25, pointRateHz: 100, frames, labels: ['A', 'B'], coords, residuals, cameras: [[3, 3, 3, 3, 3, 3, 3], [0, 1, 2, 4, 8, 16, 127]],
    analogLabels: ['X', 'Y'], samplesPerFrame: spf, analogRaw, analogScale: [0.5, -2], analogOffset: [2048, 0], genScale: 0.25,
  }), `${processor}-${storage}.c3d`);
  const all = (['intel', 'dec', 'mips'] as const).flatMap((p) => (['int16', 'float32'] as const).map((s) => ({ name: `${p}/${s}`, c: build(p, s) })));

  test('every encoding reads back the written values exactly (the values are multiples of the scale)', () => {
    for (const { name, c } of all) {
      assert.deepEqual(c.warnings, [], name);
      for (let p = 0; p < 2; p++) {
        for (let f = 0; f < frames; f++) {
          assert.equal(residualAt(c, p, f), residuals[p][f], `${name} residual p${p} f${f}`);
          assert.deepEqual(pointAt(c, p, f), coords[p][f], `${name} xyz p${p} f${f}`);
        }
      }
      // Frames 4 and 5 of B are invalid: an invalid sample has no camera mask.
      assert.deepEqual(Array.from(c.points.cameraMasks.subarray(7, 14)), [0, 1, 2, 0, 0, 16, 127], name);
      analogRaw.forEach((raw, ch) => raw.forEach((v, i) => assert.equal(c.analogs.samples[ch][i], Math.fround((v - [2048, 0][ch]) * [0.5, -2][ch] * 0.25), `${name} analog`)));
      assert.equal(c.analogs.rateHz, 300);
    }
  });
});
