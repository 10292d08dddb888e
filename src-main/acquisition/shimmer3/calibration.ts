// Raw counts → physical units for Shimmer3 channels. Tri-axial sensors: cal = R⁻¹·K⁻¹·(raw − b) with offset b,
// sensitivity K = diag(k) (gyro: k / 100) and alignment R (int8 / 100), as the Shimmer3 calibration documentation
// and pyshimmer's TriAxCalProcessor state; this reproduces the Consensys CSV export (test/acquisition/shimmer3).
// ADC channels: mV = raw · 3000 / 4095 (12-bit ADC, 3.0 V reference); the battery sits behind a 1:2 divider.
import type { TriaxialSensor } from './channels';

/** One tri-axial sensor's calibration as stored (21 bytes: b int16 BE ×3, k uint16 BE ×3, R int8 ×9 row-major). */
export interface TriaxialCalibration {
  offset: [number, number, number];
  /** Sensitivity k as stored (the gyro's is ×100). */
  sensitivity: [number, number, number];
  /** Alignment R, row-major, already divided by 100. */
  alignment: number[];
}

export const TRIAXIAL_CALIBRATION_BYTES = 21;

/** The stored gyro sensitivity is in LSB per (deg/s) × 100; the others are LSB per unit. */
const SENSITIVITY_SCALE: Record<TriaxialSensor, number> = { accel_ln: 1, accel_wr: 1, gyro: 1 / 100, mag: 1 };

export const TRIAXIAL_UNIT: Record<TriaxialSensor, string> = {
  accel_ln: 'm/s²',
  accel_wr: 'm/s²',
  gyro: 'deg/s',
  // Consensys calls the calibrated magnetometer unit "local_flux": counts over a sensitivity fitted to the local field.
  mag: 'local_flux',
};

export function parseTriaxialCalibration(bytes: Uint8Array, at: number): TriaxialCalibration {
  const view = new DataView(bytes.buffer, bytes.byteOffset + at, TRIAXIAL_CALIBRATION_BYTES);
  const offset: [number, number, number] = [view.getInt16(0), view.getInt16(2), view.getInt16(4)];
  const sensitivity: [number, number, number] = [view.getUint16(6), view.getUint16(8), view.getUint16(10)];
  const alignment: number[] = [];
  for (let i = 0; i < 9; i++) alignment.push(view.getInt8(12 + i) / 100);
  return { offset, sensitivity, alignment };
}

export function encodeTriaxialCalibration(cal: TriaxialCalibration): Uint8Array {
  const out = new Uint8Array(TRIAXIAL_CALIBRATION_BYTES);
  const view = new DataView(out.buffer);
  for (let i = 0; i < 3; i++) {
    view.setInt16(2 * i, cal.offset[i]);
    view.setUint16(6 + 2 * i, cal.sensitivity[i]);
  }
  for (let i = 0; i < 9; i++) view.setInt8(12 + i, Math.round(cal.alignment[i] * 100));
  return out;
}

/**
 * The 3×3 matrix M = (K·R)⁻¹ (row-major) so that cal = M·(raw − b). Throws when K·R is singular, which an
 * erased (all 0xFF) or zeroed calibration block gives.
 */
export function triaxialInverse(cal: TriaxialCalibration, sensor: TriaxialSensor): Float64Array {
  const scale = SENSITIVITY_SCALE[sensor];
  const a = new Float64Array(9);
  for (let r = 0; r < 3; r++) for (let c = 0; c < 3; c++) a[3 * r + c] = cal.sensitivity[r] * scale * cal.alignment[3 * r + c];
  const det = a[0] * (a[4] * a[8] - a[5] * a[7]) - a[1] * (a[3] * a[8] - a[5] * a[6]) + a[2] * (a[3] * a[7] - a[4] * a[6]);
  if (!(Math.abs(det) > 1e-12)) throw new Error(`the ${sensor} calibration is singular (K·R has determinant ${det})`);
  const inv = new Float64Array(9);
  inv[0] = (a[4] * a[8] - a[5] * a[7]) / det;
  inv[1] = (a[2] * a[7] - a[1] * a[8]) / det;
  inv[2] = (a[1] * a[5] - a[2] * a[4]) / det;
  inv[3] = (a[5] * a[6] - a[3] * a[8]) / det;
  inv[4] = (a[0] * a[8] - a[2] * a[6]) / det;
  inv[5] = (a[2] * a[3] - a[0] * a[5]) / det;
  inv[6] = (a[3] * a[7] - a[4] * a[6]) / det;
  inv[7] = (a[1] * a[6] - a[0] * a[7]) / det;
  inv[8] = (a[0] * a[4] - a[1] * a[3]) / det;
  return inv;
}

/** Calibrates n samples of one tri-axial sensor in place of three new arrays: cal = (K·R)⁻¹·(raw − b). */
export function calibrateTriaxial(
  x: Float64Array, y: Float64Array, z: Float64Array, cal: TriaxialCalibration, sensor: TriaxialSensor,
): [Float64Array, Float64Array, Float64Array] {
  const m = triaxialInverse(cal, sensor);
  const n = x.length;
  const out: [Float64Array, Float64Array, Float64Array] = [new Float64Array(n), new Float64Array(n), new Float64Array(n)];
  const [bx, by, bz] = cal.offset;
  for (let i = 0; i < n; i++) {
    const dx = x[i] - bx;
    const dy = y[i] - by;
    const dz = z[i] - bz;
    out[0][i] = m[0] * dx + m[1] * dy + m[2] * dz;
    out[1][i] = m[3] * dx + m[4] * dy + m[5] * dz;
    out[2][i] = m[6] * dx + m[7] * dy + m[8] * dz;
  }
  return out;
}

/** 12-bit ADC counts → mV at the 3.0 V reference. */
export const ADC_MV_PER_COUNT = 3000 / 4095;
/** The battery is measured behind a 1:2 resistor divider. */
export const BATTERY_DIVIDER = 2;

/** The unit and the conversion of a single (non-tri-axial) channel; `null` where GaitLab keeps raw counts. */
export function scalarConversion(channel: string): { unit: string; scale: number } | null {
  if (channel === 'battery') return { unit: 'mV', scale: ADC_MV_PER_COUNT * BATTERY_DIVIDER };
  if (/^(ext|int)_adc_a\d$/.test(channel)) return { unit: 'mV', scale: ADC_MV_PER_COUNT };
  return null;
}

/** One channel in physical units (or raw counts where GaitLab has no conversion for it). */
export interface CalibratedChannel {
  name: string;
  unit: string;
  values: Float64Array;
  calibrated: boolean;
}

/**
 * Converts every channel of a recording: tri-axial sensors whose three channels are all present and whose
 * calibration is usable, ADC and battery channels to mV; the rest stay raw counts (unit 'raw') and are named in
 * `uncalibrated` with the reason.
 */
export function calibrateChannels(
  names: readonly string[], raw: readonly Float64Array[], calibration: Partial<Record<TriaxialSensor, TriaxialCalibration>>,
): { channels: CalibratedChannel[]; uncalibrated: string[] } {
  const out: CalibratedChannel[] = names.map((name, c) => ({ name, unit: 'raw', values: raw[c], calibrated: false }));
  const uncalibrated: string[] = [];
  const index = new Map(names.map((n, c) => [n, c]));
  for (const sensor of Object.keys(TRIAXIAL_UNIT) as TriaxialSensor[]) {
    const axes = ['x', 'y', 'z'].map((a) => index.get(`${sensor}_${a}`));
    if (axes.some((a) => a === undefined)) continue;
    const [ix, iy, iz] = axes as number[];
    const cal = calibration[sensor];
    try {
      if (!cal) throw new Error(`no ${sensor} calibration`);
      const [cx, cy, cz] = calibrateTriaxial(raw[ix], raw[iy], raw[iz], cal, sensor);
      out[ix] = { name: names[ix], unit: TRIAXIAL_UNIT[sensor], values: cx, calibrated: true };
      out[iy] = { name: names[iy], unit: TRIAXIAL_UNIT[sensor], values: cy, calibrated: true };
      out[iz] = { name: names[iz], unit: TRIAXIAL_UNIT[sensor], values: cz, calibrated: true };
    } catch (e) {
      uncalibrated.push(`${sensor}: ${(e as Error).message}; kept as raw counts`);
    }
  }
  names.forEach((name, c) => {
    if (out[c].calibrated) return;
    const conv = scalarConversion(name);
    if (!conv) return;
    const values = new Float64Array(raw[c].length);
    for (let i = 0; i < values.length; i++) values[i] = raw[c][i] * conv.scale;
    out[c] = { name, unit: conv.unit, values, calibrated: true };
  });
  for (const ch of out) if (!ch.calibrated && !TRIAXIAL_PREFIX.test(ch.name)) uncalibrated.push(`${ch.name}: no conversion known to GaitLab; kept as raw counts`);
  return { channels: out, uncalibrated };
}

const TRIAXIAL_PREFIX = /^(accel_ln|accel_wr|gyro|mag)_[xyz]$/;
