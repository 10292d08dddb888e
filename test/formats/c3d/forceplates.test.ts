// Force plates: TYPE-4 arithmetic against c3d.org's spreadsheet, the pre-scaling rule, geometry and frames on
// synthetic plates with known loads, and gait figures (peak vertical GRF in body weights, stance) on real trials.
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { readC3d, type C3dFile } from '../../../src-main/formats/c3d';
import { deriveForcePlates, deriveForcePlateWrench, plateFrameWrench, readForcePlates, type ForcePlateWrench } from '../../../src-main/formats/c3d/forceplates';
import { buildC3d, type BuildParameter } from './c3d-builder';
import { assertInputError, FIXTURES, pointAt, readCorpus } from './helpers';

interface Type4Fixture {
  analogScaleType4: number[];
  analogOffset: number;
  genScale: number;
  sheetCalMatrix: number[][];
  rows: { row: number; raw: number[]; type4: number[] }[];
}
const xls = JSON.parse(readFileSync(path.join(FIXTURES, 'type4-xls.json'), 'utf8')) as Type4Fixture;

/** C(i, j) at [i + 6j] from the sheet, whose row r lists what input r contributes to each output. */
function sheetMatrix(): Float64Array {
  const m = new Float64Array(36);
  for (let input = 0; input < 6; input++) for (let output = 0; output < 6; output++) m[output + 6 * input] = xls.sheetCalMatrix[input][output];
  return m;
}

describe('TYPE-4: the 6×6 CAL_MATRIX (c3d.org sample10/TYPE-4.xls)', () => {
  test('all 22 test rows of the spreadsheet: forces and moments agree to 1e-12 relative', () => {
    let worst = 0;
    for (const r of xls.rows) {
      const channels = r.raw.map((raw, ch) => [(raw - xls.analogOffset) * xls.analogScaleType4[ch] * xls.genScale]);
      const w = plateFrameWrench(4, channels, [0, 0, 0], sheetMatrix(), 1);
      const out = [w.f[0][0], w.f[1][0], w.f[2][0], w.m[0][0], w.m[1][0], w.m[2][0]];
      out.forEach((v, k) => {
        const rel = Math.abs(v - r.type4[k]) / Math.max(1, Math.abs(r.type4[k]));
        worst = Math.max(worst, rel);
        assert.ok(rel < 1e-12, `row ${r.row} output ${k}: ${v} vs ${r.type4[k]}`);
      });
    }
    assert.ok(worst < 1e-12);
  });

  test('TYPE-4.C3D stores the sheet\'s matrix rounded to 3 decimals, first index fastest; entry 17 (Fz→Mz) has the opposite sign', () => {
    const stored = readCorpus('sample10/TYPE-4.C3D').parameters.get('FORCE_PLATFORM:CAL_MATRIX')!;
    assert.deepEqual(stored.dimensions, [6, 6, 1]);
    const sheet = sheetMatrix();
    for (let k = 0; k < 36; k++) {
      const expected = k === 17 ? -sheet[k] : sheet[k];
      assert.ok(Math.abs(stored.values[k] - expected) <= 5e-4 + 1e-6 * Math.abs(expected), `entry ${k}: ${stored.values[k]} vs ${expected}`);
    }
  });

  test('TYPE-2.C3D and TYPE-4.C3D (same raw data, diagonal vs full calibration) give the same GRF within 2.5 %', () => {
    const [t2] = deriveForcePlates(readCorpus('sample10/TYPE-2.C3D')).plates;
    const [t4] = deriveForcePlates(readCorpus('sample10/TYPE-4.C3D')).plates;
    assert.equal(t4.plate.calibration, 'cal-matrix');
    const peak2 = Math.max(...t2.forceN[2]), peak4 = Math.max(...t4.forceN[2]);
    assert.ok(Math.abs(peak2 / peak4 - 1) < 0.025, `peak Fz ${peak2} vs ${peak4}`);
    assert.ok(Math.abs(peak4 - 390.8) < 0.5, `peak Fz ${peak4}`);
  });

  test('Motion Analysis pair TYPE-2a / TYPE-4a: both plates agree within 1 % at peak Fz', () => {
    const a = deriveForcePlates(readCorpus('sample10/TYPE-2a.c3d')).plates;
    const b = deriveForcePlates(readCorpus('sample10/TYPE-4a.c3d')).plates;
    for (let p = 0; p < 2; p++) {
      const pa = Math.max(...a[p].forceN[2]), pb = Math.max(...b[p].forceN[2]);
      assert.ok(Math.abs(pa / pb - 1) < 0.01, `FP${p + 1}: ${pa} vs ${pb}`);
    }
  });
});

describe('pre-scaling rule: no calibration is applied twice', () => {
  test('TYPE 2 with a CAL_MATRIX in the file (Vicon): the matrix is not applied; applying it would inflate Fz by ~50 %', () => {
    const c = readCorpus('sample10/TYPE-2.C3D');
    const [plate] = readForcePlates(c);
    assert.deepEqual([plate.calibration, plate.preScaled, plate.calMatrix], ['analog-scale', true, null]);
    assert.match(plate.calibrationNote, /already applied by the exporter and is not applied again/);
    const once = deriveForcePlateWrench(c, plate);
    const matrix = Float64Array.from(c.parameters.get('FORCE_PLATFORM:CAL_MATRIX')!.values);
    const twice = deriveForcePlateWrench(c, { ...plate, calMatrix: matrix, calibration: 'cal-matrix' });
    const ratio = Math.max(...twice.forceN[2]) / Math.max(...once.forceN[2]);
    assert.ok(ratio > 1.4, `double calibration would scale Fz by ${ratio.toFixed(3)}`);
  });

  test('TYPE 3 (Qualisys/Kistler, negative ANALOG:SCALE, all-zero CAL_MATRIX): channels used as scaled', () => {
    const plates = readForcePlates(readCorpus('horst:Walking_Hybrid_1_1.c3d'));
    assert.deepEqual(plates.map((p) => [p.type, p.calibration, p.preScaled]), [[3, 'analog-scale', true], [3, 'analog-scale', true]]);
  });

  test('TYPE 4 with a zero or identity CAL_MATRIX: channels taken as calibrated; a real matrix is applied', () => {
    const load = [10, -20, 700, 5000, -3000, 200];
    for (const [cal, expected, pre] of [
      [Array(36).fill(0), load, true],
      [Array.from({ length: 36 }, (_, k) => (k % 7 === 0 ? 1 : 0)), load, true],
      [Array.from({ length: 36 }, (_, k) => (k % 7 === 0 ? 2 : 0)), load.map((v) => 2 * v), false],
    ] as [number[], number[], boolean][]) {
      const c = plateFile({ type: 4, values: load, params: [{ group: 'FORCE_PLATFORM', name: 'CAL_MATRIX', type: 'float32', dims: [6, 6, 1], values: cal }] });
      const [plate] = readForcePlates(c);
      assert.equal(plate.preScaled, pre);
      const w = plateFrameWrench(4, plate.channels.map((ch) => c.analogs.samples[ch]), [0, 0, 0], plate.calMatrix, 1);
      assert.deepEqual([w.f[0][0], w.f[1][0], w.f[2][0], w.m[0][0], w.m[1][0], w.m[2][0]], expected);
    }
  });

  test('btk-Gait (Motion Analysis TYPE 4, real matrix): applied; the provenance says so', () => {
    const plates = readForcePlates(readCorpus('horst:btk-Gait.c3d'));
    assert.deepEqual(plates.map((p) => [p.calibration, p.preScaled]), [['cal-matrix', false], ['cal-matrix', false]]);
    assert.equal(plates[0].calMatrix![0], Math.fround(2.9446));
  });
});

// ---- Synthetic plates with a known load ---------------------------------------------------------------

interface PlateSpec {
  type: number;
  /** One value per channel, held for every sample (or per-sample arrays). */
  values?: number[];
  series?: number[][];
  frames?: number;
  channel?: number[];
  corners?: number[];
  origin?: number[];
  zero?: [number, number];
  units?: string;
  params?: BuildParameter[];
}

/** A z-down 464 × 508 mm plate centred at (500, 300, 0): plate x = lab X, plate y = lab −Y. */
const CORNERS = [732, 46, 0, 268, 46, 0, 268, 554, 0, 732, 554, 0];

function plateFile(s: PlateSpec): C3dFile {
  const n = s.series?.length ?? s.values!.length;
  const frames = s.frames ?? 4;
  const series = s.series ?? s.values!.map((v) => Array(frames).fill(v));
  return readC3d(buildC3d({
    processor: 'intel', storage: 'float32', scale: 1, pointRateHz: 100, frames, labels: [], coords: [],
    analogLabels: series.map((_, k) => `CH${k + 1}`), samplesPerFrame: 1, analogRaw: series,
    groups: [{ name: 'FORCE_PLATFORM', id: 3 }],
    params: [
      { group: 'POINT', name: 'UNITS', type: 'char', strings: [s.units ?? 'mm'] },
      { group: 'FORCE_PLATFORM', name: 'USED', type: 'int16', values: [1] },
      { group: 'FORCE_PLATFORM', name: 'TYPE', type: 'int16', dims: [1], values: [s.type] },
      { group: 'FORCE_PLATFORM', name: 'CHANNEL', type: 'int16', dims: [n, 1], values: s.channel ?? series.map((_, k) => k + 1) },
      { group: 'FORCE_PLATFORM', name: 'CORNERS', type: 'float32', dims: [3, 4, 1], values: s.corners ?? CORNERS },
      { group: 'FORCE_PLATFORM', name: 'ORIGIN', type: 'float32', dims: [3, 1], values: s.origin ?? [0, 0, 0] },
      { group: 'FORCE_PLATFORM', name: 'ZERO', type: 'int16', dims: [2], values: s.zero ?? [0, 0] },
      ...(s.params ?? []),
    ],
  }), 'plate.c3d');
}

const close = (a: number, b: number, tol: number, what: string) => assert.ok(Math.abs(a - b) <= tol, `${what}: ${a} vs ${b}`);

/** The channels a type-2 plate outputs for a reaction force F applied at surface point (px, py) plus free moment tz (plate frame). */
function type2Channels(F: number[], px: number, py: number, tz: number, surfaceFromOrigin: number[]): number[] {
  // Moment about the plate origin O of the load at P = S + (px, py, 0): M_O = (P − O) × F + (0, 0, tz).
  const P = [surfaceFromOrigin[0] + px, surfaceFromOrigin[1] + py, surfaceFromOrigin[2]];
  const M = [P[1] * F[2] - P[2] * F[1], P[2] * F[0] - P[0] * F[2], P[0] * F[1] - P[1] * F[0] + tz];
  return [...F, ...M];
}

describe('geometry and frames (synthetic plates, known loads)', () => {
  // A standing load: reaction force up in the lab = −z in a z-down plate frame.
  const F = [30, -40, -800];
  const [px, py, tz] = [60, -90, 1500];

  test('TYPE 2: COP, free moment and lab force from a known load (ORIGIN z < 0, the spec\'s sign)', () => {
    const origin = [1.5, -2, -40];
    const w = deriveForcePlates(plateFile({ type: 2, values: type2Channels(F, px, py, tz, origin), origin })).plates[0];
    // Plate x = lab X, plate y = lab −Y, plate z = lab −Z.
    close(w.forceN[0][0], 30, 1e-3, 'Fx'); close(w.forceN[1][0], 40, 1e-3, 'Fy'); close(w.forceN[2][0], 800, 1e-3, 'Fz');
    close(w.copMm[0][0], 500 + px, 1e-3, 'COPx'); close(w.copMm[1][0], 300 - py, 1e-3, 'COPy'); close(w.copMm[2][0], 0, 1e-9, 'COPz');
    close(w.freeMomentNmm[0], -tz, 1e-2, 'Tz about lab +Z');
  });

  test('TYPE 2: a positive ORIGIN z (Vicon) is the same plate with the vector flipped', () => {
    const origin = [1.5, -2, -40];
    const channels = type2Channels(F, px, py, tz, origin);
    const a = deriveForcePlates(plateFile({ type: 2, values: channels, origin })).plates[0];
    const b = deriveForcePlates(plateFile({ type: 2, values: channels, origin: origin.map((v) => -v) })).plates[0];
    assert.deepEqual([a.copMm[0][0], a.copMm[1][0], a.freeMomentNmm[0]], [b.copMm[0][0], b.copMm[1][0], b.freeMomentNmm[0]]);
  });

  test('TYPE 3 (Kistler): the 8 sensor channels of a known load give its COP and free moment; a, b, az0 from ORIGIN', () => {
    const [a, b, az0] = [120, 200, -48];
    // Sensors 1…4 at (a, b), (−a, b), (−a, −b), (a, −b) in the sensor plane; the surface is at z = az0.
    const M = [py * F[2] - az0 * F[1], az0 * F[0] - px * F[2], px * F[1] - py * F[0] + tz];
    const s12 = (F[2] / 2 + M[0] / (2 * b)) / 2, s34 = (F[2] / 2 - M[0] / (2 * b)) / 2;
    const d = M[1] / (4 * a); // My = a(−fz1 + fz2 + fz3 − fz4) = 4ad
    const fz = [s12 - d, s12 + d, s34 + d, s34 - d];
    const fy14 = F[1] / 2, fy23 = F[1] / 2;
    const fx34 = (F[0] + (M[2] - a * (fy14 - fy23)) / b) / 2, fx12 = F[0] - fx34;
    for (const originZ of [-48, 48]) {
      const w = deriveForcePlates(plateFile({ type: 3, values: [fx12, fx34, fy14, fy23, ...fz], origin: [a, b, originZ] })).plates[0];
      close(w.forceN[2][0], 800, 1e-3, 'Fz');
      close(w.copMm[0][0], 500 + px, 1e-3, `COPx (ORIGIN z ${originZ})`);
      close(w.copMm[1][0], 300 - py, 1e-3, `COPy (ORIGIN z ${originZ})`);
      close(w.freeMomentNmm[0], -tz, 1e-2, 'Tz');
    }
  });

  test('TYPE 3 with FPCOPPOLY: the COP is corrected by Kistler\'s polynomial as ezc3d applies it, the free moment taken about it', () => {
    const [a, b, az0] = [120, 200, -48];
    const M = [py * F[2] - az0 * F[1], az0 * F[0] - px * F[2], px * F[1] - py * F[0] + tz];
    const s12 = (F[2] / 2 + M[0] / (2 * b)) / 2, s34 = (F[2] / 2 - M[0] / (2 * b)) / 2;
    const d = M[1] / (4 * a);
    const fz = [s12 - d, s12 + d, s34 + d, s34 - d];
    const fx34 = F[0] / 2 + M[2] / (2 * b), fx12 = F[0] - fx34;
    const values = [fx12, fx34, F[1] / 2, F[1] / 2, ...fz];
    // The magnitudes of ezc3d's FP_Type3.c3d plate 1, rounded.
    const P = [1.7e-16, -4.8e-11, 3.3e-7, -9.5e-12, 2.8e-6, -0.0082, 2.2e-16, -1.8e-11, -7.3e-7, -3.0e-11, 2.6e-6, 0.054];
    const poly = (coefficients: number[]): BuildParameter[] => [{ group: 'FORCE_PLATFORM', name: 'FPCOPPOLY', type: 'float32', dims: [6, 2, 1], values: coefficients }];
    const w = deriveForcePlates(plateFile({ type: 3, values, origin: [a, b, -az0], params: poly(P) })).plates[0];
    // By hand: x = 60, y = −90 → xOffset = 0.8211107 mm, yOffset = −5.0900773 mm, so x' = 59.1788893, y' = −84.9099227;
    // lab X = 500 + x', lab Y = 300 − y'; Tz = Mz − (x'·Fy − y'·Fx) = 1619.85789 N·mm about plate z (lab −Z).
    close(w.copMm[0][0], 559.1788893, 1e-3, 'COPx corrected');
    close(w.copMm[1][0], 384.9099227, 1e-3, 'COPy corrected');
    close(w.freeMomentNmm[0], -1619.85789, 2e-2, 'Tz about the corrected COP');
    close(w.forceN[2][0], 800, 1e-3, 'Fz unchanged');
    assert.match(w.plate.calibrationNote, /; COP corrected by FORCE_PLATFORM:FPCOPPOLY \(Kistler polynomial, as ezc3d\)$/);
    // An all-zero polynomial (QTM writes one for uncorrected plates) changes nothing.
    const zero = deriveForcePlates(plateFile({ type: 3, values, origin: [a, b, -az0], params: poly(Array(12).fill(0)) })).plates[0];
    assert.equal(zero.plate.copPolynomial, null);
    close(zero.copMm[0][0], 500 + px, 1e-3, 'COPx uncorrected');
    close(zero.copMm[1][0], 300 - py, 1e-3, 'COPy uncorrected');
    // In metres the coefficients are the file's unit's: the same plate written in m gives the same COP only with coefficients rescaled.
    const k = 1000;
    const inMetres = P.map((c, i) => c * [k ** 6, k ** 4, k ** 2, k ** 4, k ** 2, 1][i % 6]);
    const m = deriveForcePlates(plateFile({
      type: 3, units: 'm', corners: CORNERS.map((v) => v / k), origin: [a / k, b / k, -az0 / k], params: poly(inMetres),
      values: [fx12, fx34, F[1] / 2, F[1] / 2, ...fz],
    })).plates[0];
    close(m.copMm[0][0], 559.1788893, 1e-3, 'COPx corrected, file in m');
    close(m.copMm[1][0], 384.9099227, 1e-3, 'COPy corrected, file in m');
    // Too few coefficients for the plate: the parameter is named.
    assertInputError(() => readForcePlates(plateFile({ type: 3, values, origin: [a, b, -az0], params: [{ group: 'FORCE_PLATFORM', name: 'FPCOPPOLY', type: 'float32', dims: [6], values: P.slice(0, 6) }] })),
      /^plate\.c3d field FORCE_PLATFORM:FPCOPPOLY: has 6 values; plate 1 needs 12 \(values 1–12\)$/);
  });

  test('ezc3d FP_Type3.c3d: both plates take their 12 FPCOPPOLY coefficients; the correction moves the COP by under a millimetre', () => {
    const c = readCorpus('ezc3d-testfiles/FP_Type3.c3d');
    const stored = c.parameters.get('FORCE_PLATFORM:FPCOPPOLY')!;
    assert.deepEqual(stored.dimensions, [6, 2, 2]);
    const plates = readForcePlates(c);
    assert.deepEqual(plates.map((p) => Array.from(p.copPolynomial!)), [stored.values.slice(0, 12), stored.values.slice(12, 24)]);
    const corrected = deriveForcePlateWrench(c, plates[0]);
    const plain = deriveForcePlateWrench(c, { ...plates[0], copPolynomial: null });
    let shift = 0, contact = 0;
    for (let i = 0; i < corrected.copMm[0].length; i++) {
      if (Number.isNaN(plain.copMm[0][i])) continue;
      contact++;
      shift = Math.max(shift, Math.hypot(corrected.copMm[0][i] - plain.copMm[0][i], corrected.copMm[1][i] - plain.copMm[1][i]));
    }
    assert.equal(contact, 8);
    assert.ok(shift > 0.1 && shift < 1, `largest COP shift ${shift} mm`);
  });

  test('TYPE 1: COP and free moment are channels (Px, Py about the surface centre, Tz)', () => {
    const w = deriveForcePlates(plateFile({ type: 1, values: [...F, px, py, tz] })).plates[0];
    close(w.copMm[0][0], 500 + px, 1e-3, 'COPx'); close(w.copMm[1][0], 300 - py, 1e-3, 'COPy');
    close(w.freeMomentNmm[0], -tz, 1e-3, 'Tz');
  });

  test('POINT:UNITS m: corners, COP and moments are converted to mm and N·mm', () => {
    const origin = [0, 0, -40];
    const mm = deriveForcePlates(plateFile({ type: 2, values: type2Channels(F, px, py, tz, origin), origin })).plates[0];
    const chM = type2Channels(F, px / 1000, py / 1000, tz / 1000, origin.map((v) => v / 1000));
    const m = deriveForcePlates(plateFile({ type: 2, units: 'm', values: chM, origin: origin.map((v) => v / 1000), corners: CORNERS.map((v) => v / 1000) })).plates[0];
    close(m.copMm[0][0], mm.copMm[0][0], 1e-3, 'COPx'); close(m.copMm[1][0], mm.copMm[1][0], 1e-3, 'COPy');
    close(m.freeMomentNmm[0], mm.freeMomentNmm[0], 1e-2, 'Tz');
  });

  test('FORCE_PLATFORM:CHANNEL is followed, not the channel order: a permuted table gives the same wrench', () => {
    const values = type2Channels(F, px, py, tz, [0, 0, -40]);
    const order = [3, 5, 1, 6, 2, 4]; // plate channel k is analog channel order[k]
    const permuted: number[] = Array(6);
    order.forEach((analog, k) => (permuted[analog - 1] = values[k]));
    const a = deriveForcePlates(plateFile({ type: 2, values, origin: [0, 0, -40] })).plates[0];
    const b = deriveForcePlates(plateFile({ type: 2, values: permuted, channel: order, origin: [0, 0, -40] })).plates[0];
    assert.deepEqual(b.plate.channels, order.map((c) => c - 1));
    for (const k of [0, 1, 2] as const) assert.equal(b.forceN[k][0], a.forceN[k][0]);
    assert.equal(b.copMm[0][0], a.copMm[0][0]);
  });

  test('gait-raw: CHANNEL [17, 19, 21, 18, 20, 22] maps FX1 FY1 FZ1 MX1 MY1 MZ1 (labels interleaved in the file)', () => {
    const c = readCorpus('horst:gait-raw.c3d');
    const [fp1] = readForcePlates(c);
    assert.deepEqual(fp1.channels.map((ch) => c.analogs.info[ch].label), ['FX1', 'FY1', 'FZ1', 'MX1', 'MY1', 'MZ1']);
  });

  test('FORCE_PLATFORM:ZERO: the mean of those frames is subtracted; 0,0 means no baseline', () => {
    const series = [[5, 5, 5, 5, 105, 105], [0, 0, 0, 0, 0, 0], [-3, -3, -3, -3, -803, -803], [0, 0, 0, 0, 0, 0], [0, 0, 0, 0, 0, 0], [0, 0, 0, 0, 0, 0]];
    const zeroed = deriveForcePlates(plateFile({ type: 2, series, frames: 6, zero: [1, 4] })).plates[0];
    assert.deepEqual(Array.from(zeroed.forceN[2]), [0, 0, 0, 0, 800, 800]);
    assert.equal(zeroed.forceN[0][5], 100);
    const raw = deriveForcePlates(plateFile({ type: 2, series, frames: 6, zero: [0, 0] })).plates[0];
    assert.deepEqual(Array.from(raw.forceN[2]), [3, 3, 3, 3, 803, 803]);
  });

  test('below 20 N vertical the COP and free moment are NaN; the forces are kept', () => {
    const w = deriveForcePlates(plateFile({ type: 2, values: [1, 2, -15, 0, 0, 0] })).plates[0];
    assert.ok(Number.isNaN(w.copMm[0][0]) && Number.isNaN(w.freeMomentNmm[0]));
    assert.equal(w.forceN[2][0], 15);
  });

  test('an unknown TYPE is an InputError "unsupported force plate type N", even when other plates are fine', () => {
    assertInputError(() => readForcePlates(plateFile({ type: 5, values: [0, 0, 0, 0, 0, 0] })), /^plate\.c3d field FORCE_PLATFORM:TYPE: unsupported force plate type 5 \(plate 1\); GaitLab derives types 1, 2, 3, 4$/);
    assertInputError(() => readForcePlates(plateFile({ type: 5, values: [0, 0, 0, 0, 0, 0] }), [], { strict: false }), /unsupported force plate type 5/);
  });

  test('channels the file lacks or corners that are not a plate: InputError, or a skipped plate with a warning (strict: false)', () => {
    const c = plateFile({ type: 2, values: [0, 0, 0, 0, 0, 0], channel: [1, 2, 3, 4, 5, 9] });
    assertInputError(() => readForcePlates(c), /field FORCE_PLATFORM:CHANNEL: plate 1 channel 6 is 9; the file has analog channels 1–6/);
    const warnings: string[] = [];
    assert.deepEqual(readForcePlates(c, warnings, { strict: false }), []);
    assert.match(warnings[0], /^FP1 skipped: FORCE_PLATFORM:CHANNEL plate 1 channel 6 is 9/);
    assertInputError(() => readForcePlates(plateFile({ type: 2, values: [0, 0, 0, 0, 0, 0], corners: Array(12).fill(0) })), /field FORCE_PLATFORM:CORNERS: plate 1: sides of 0.00 and 0.00 mm are not a force plate's/);
  });

  test('corpus: FP_Type1 keeps its one real plate (Y-up lab, warned) and skips three with garbage corners; shd01 skips the plate without channels', () => {
    const warnings: string[] = [];
    const fp = readForcePlates(readCorpus('ezc3d-testfiles/FP_Type1.c3d'), warnings, { strict: false });
    assert.deepEqual(fp.map((p) => p.device), ['FP1']);
    assert.match(warnings.join('\n'), /FP1: the plate normal is not along the lab Z axis/);
    assert.equal(warnings.filter((w) => /^FP[234] skipped: FORCE_PLATFORM:CORNERS/.test(w)).length, 3);
    assert.deepEqual(readForcePlates(readCorpus('btk-extras/shd01.c3d'), [], { strict: false }).map((p) => p.device), ['FP1']);
  });
});

// ---- Real gait trials -----------------------------------------------------------------------------------

interface Stance { device: string; startS: number; endS: number; impulseNs: number; peakN: number }

/** The contact on a plate: the longest run of samples with vertical GRF above 20 N. */
function stanceOf(w: ForcePlateWrench): Stance {
  const fz = w.forceN[2];
  let best = [0, -1], start = -1;
  for (let i = 0; i <= fz.length; i++) {
    if (i < fz.length && fz[i] > 20) { if (start < 0) start = i; continue; }
    if (start >= 0 && i - start > best[1] - best[0] + 1) best = [start, i - 1];
    start = -1;
  }
  let impulse = 0, peak = 0;
  for (let i = best[0]; i <= best[1]; i++) { impulse += fz[i] / w.rateHz; peak = Math.max(peak, fz[i]); }
  return { device: w.plate.device, startS: best[0] / w.rateHz, endS: (best[1] + 1) / w.rateHz, impulseNs: impulse, peakN: peak };
}

/**
 * Body weight from the trial itself: none of these files states a body mass, so BW is taken as the mean vertical
 * GRF over one stride (vertical momentum is periodic in steady walking), the stride being the two plates' stances
 * of opposite feet on consecutive steps: BW = (J1 + J2) / T, with T = 2 × (time between the two initial contacts),
 * or the file's own stride time where it states one (ANALYSIS:VALUES "Stride Time" of Plug-in Gait).
 */
function bodyWeightN(stances: Stance[], strideS?: number): number {
  const [a, b] = [...stances].sort((x, y) => x.startS - y.startS);
  return (a.impulseNs + b.impulseNs) / (strideS ?? 2 * (b.startS - a.startS));
}

describe('gait trials with two plates: peak vertical GRF 1.0–1.5 × BW, stance 0.5–0.8 s per plate', () => {
  const trials: { file: string; stride?: (c: C3dFile) => number }[] = [
    { file: 'horst:Walking_Hybrid_1_1.c3d' },
    { file: 'horst:gait-raw.c3d' },
    {
      file: 'horst:gait-pig.c3d',
      stride: (c) => {
        const names = c.parameters.get('ANALYSIS:NAMES')!.strings, values = c.parameters.get('ANALYSIS:VALUES')!.values;
        const strides = names.map((n, k) => (n === 'Stride Time' ? values[k] : NaN)).filter((v) => !Number.isNaN(v));
        return strides.reduce((s, v) => s + v, 0) / strides.length;
      },
    },
    { file: 'horst:btk-Gait.c3d' },
  ];
  for (const t of trials) {
    test(t.file.replace('horst:', ''), () => {
      const c = readCorpus(t.file);
      const plates = deriveForcePlates(c).plates;
      assert.equal(plates.length, 2);
      const stances = plates.map(stanceOf);
      const bw = bodyWeightN(stances, t.stride?.(c));
      assert.ok(bw > 450 && bw < 1100, `body weight ${bw.toFixed(0)} N is a person's (46–112 kg)`);
      for (const s of stances) {
        const ratio = s.peakN / bw, stance = s.endS - s.startS;
        assert.ok(ratio >= 1.0 && ratio <= 1.5, `${s.device}: peak ${s.peakN.toFixed(0)} N = ${ratio.toFixed(3)} × BW`);
        assert.ok(stance >= 0.5 && stance <= 0.8, `${s.device}: stance ${stance.toFixed(3)} s`);
      }
    });
  }

  test('gait-pig: each plate\'s contact starts and ends at the file\'s Foot Strike / Foot Off events (within 15 ms)', () => {
    const c = readCorpus('horst:gait-pig.c3d');
    const [fp1, fp2] = deriveForcePlates(c).plates.map(stanceOf);
    const t = (context: string, label: string, near: number) => c.events.filter((e) => e.context === context && e.label === label).map((e) => e.timeS).find((x) => Math.abs(x - near) < 0.1)!;
    close(fp1.startS, t('Left', 'Foot Strike', fp1.startS), 0.015, 'FP1 left strike');
    close(fp1.endS, t('Left', 'Foot Off', fp1.endS), 0.015, 'FP1 left off');
    close(fp2.startS, t('Right', 'Foot Strike', fp2.startS), 0.015, 'FP2 right strike');
    close(fp2.endS, t('Right', 'Foot Off', fp2.endS), 0.015, 'FP2 right off');
  });

  test('COP walks from heel to toe of the foot on the plate (Walking_Hybrid: Kistler; btk-Gait: AMTI type 4)', () => {
    for (const [file, feet] of [['horst:Walking_Hybrid_1_1.c3d', [['R_HEEL', 'R_MT_1'], ['L_HEEL', 'L_MT_1']]], ['horst:btk-Gait.c3d', [['LHEE', 'LTOE'], ['RHEE', 'RTOE']]]] as const) {
      const c = readCorpus(file);
      deriveForcePlates(c).plates.forEach((w, p) => {
        const s = stanceOf(w);
        const [heel, toe] = feet[p].map((l) => c.points.info.findIndex((x) => x.label === l));
        const sample = (q: number) => Math.round((s.startS + q * (s.endS - s.startS)) * w.rateHz);
        const frame = (i: number) => Math.floor(i / c.layout.analogSamplesPerFrame);
        const early = sample(0.15), late = sample(0.85);
        const dist = (i: number, marker: number) => Math.hypot(w.copMm[0][i] - pointAt(c, marker, frame(i))[0], w.copMm[1][i] - pointAt(c, marker, frame(i))[1]);
        assert.ok(dist(early, heel) < dist(early, toe), `${file} FP${p + 1}: early COP nearer the heel`);
        assert.ok(dist(late, toe) < dist(late, heel), `${file} FP${p + 1}: late COP nearer the toe`);
        assert.ok(dist(early, heel) < 120 && dist(late, toe) < 120, `${file} FP${p + 1}: COP under the foot`);
      });
    }
  });

  test('the COP stays on the plate while the plate carries over half its peak load (every real plate with a contact)', () => {
    for (const file of ['horst:Walking_Hybrid_1_1.c3d', 'horst:gait-raw.c3d', 'horst:btk-Gait.c3d', 'sample10/TYPE-3.c3d', 'sample01/Eb015pi.c3d', 'sample10/TYPE-4a.c3d']) {
      for (const w of deriveForcePlates(readCorpus(file)).plates) {
        const xs = [0, 3, 6, 9].map((k) => w.plate.cornersMm[k]), ys = [1, 4, 7, 10].map((k) => w.plate.cornersMm[k]);
        const fz = w.forceN[2];
        const half = Math.max(...fz) / 2;
        for (let i = 0; i < fz.length; i++) {
          if (fz[i] < half) continue;
          assert.ok(w.copMm[0][i] >= Math.min(...xs) - 10 && w.copMm[0][i] <= Math.max(...xs) + 10, `${file} ${w.plate.device} COPx ${w.copMm[0][i]}`);
          assert.ok(w.copMm[1][i] >= Math.min(...ys) - 10 && w.copMm[1][i] <= Math.max(...ys) + 10, `${file} ${w.plate.device} COPy ${w.copMm[1][i]}`);
        }
      }
    }
  });
});
