// FORCE_PLATFORM → one ForcePlate per plate: type, the analog channels it uses (FORCE_PLATFORM:CHANNEL, never
// the channel order), working-surface corners and the plate → lab rotation, ORIGIN, ZERO, and the calibration
// to apply. Every problem with these parameters is an InputError naming the parameter (strict), or, for the
// import, a skipped plate with a warning; an unsupported TYPE is always an InputError, never a guess.
// Plate axes: CORNERS lists the working-surface corners in the lab by plate quadrant (+x+y, −x+y, −x−y, +x−y),
// so plate x = c1 − c2, y = c1 − c4, z = x × y (into the floor for the usual z-down plates).
//
// Calibration (the pre-scaling rule: no calibration is ever applied twice):
// * Types 1, 2 and 3 are defined by the C3D spec as calibrated channels: ANALOG:SCALE already turns counts
//   or volts into N and N·length. Any CAL_MATRIX in the file is NOT applied. This is the Vicon case (Nexus
//   applies the AMTI 6×6 matrix itself and writes the result as TYPE 2, often keeping the matrix in the file:
//   sample10/TYPE-2.C3D carries the same matrix as TYPE-4.C3D) and the Qualisys/Kistler case (the charge
//   amplifier's N/V calibration is the negative ANALOG:SCALE, CAL_MATRIX is all zeros).
// * Type 4: F = C·v with C(i, j) = CAL_MATRIX[36·plate + i + 6·j] (first index fastest; checked against
//   c3d.org's TYPE-4.xls). When the matrix is absent, all zeros or the identity, the exporter has already
//   calibrated the channels: nothing is applied and the plate is reported as pre-scaled.
import { InputError } from '../../../src-shared/domain/errors';
import { printable } from './binary';
import type { C3dFile } from './model';
import { countOf, numbersOf, stringOf, type C3dParameter } from './parameters';

export const SUPPORTED_PLATE_TYPES = [1, 2, 3, 4] as const;

export type PlateCalibration =
  /** Channels used as scaled by ANALOG:SCALE (types 1–3, or type 4 without a usable matrix). */
  | 'analog-scale'
  /** FORCE_PLATFORM:CAL_MATRIX applied to the 6 scaled channels (type 4). */
  | 'cal-matrix';

export interface ForcePlate {
  /** 0-based plate index; the device name is `FP${index + 1}`. */
  index: number;
  device: string;
  type: number;
  /** 0-based analog channel indices, in the order the plate type defines, from FORCE_PLATFORM:CHANNEL. */
  channels: number[];
  /** The four working-surface corners in the lab, mm (corner k at [3k, 3k+1, 3k+2]). */
  cornersMm: Float64Array;
  /** Centre of the working surface in the lab, mm. */
  centreMm: [number, number, number];
  /** Plate → lab rotation, row-major 3×3; its columns are the plate axes in lab coordinates. */
  rotation: Float64Array;
  /** FORCE_PLATFORM:ORIGIN as stored, converted to mm. */
  originMm: [number, number, number];
  calibration: PlateCalibration;
  /** True when the channels arrive calibrated and no matrix is applied here (see the rule above). */
  preScaled: boolean;
  /** Why the plate counts as pre-scaled or not, in words (shown as provenance). */
  calibrationNote: string;
  /** Type 4 with 'cal-matrix': C(i, j) at [i + 6j]. */
  calMatrix: Float64Array | null;
  /** FORCE_PLATFORM:ZERO: 1-based frame range (relative to the first frame in the file) whose mean is subtracted; null for none. */
  zeroFrames: [number, number] | null;
  /** Millimetres per unit of POINT:UNITS (1 for mm, 1000 for m). */
  mmPerUnit: number;
  /**
   * Type 3: FORCE_PLATFORM:FPCOPPOLY's 12 coefficients of this plate (Kistler's COP correction, applied as
   * ezc3d does: see forceplates.ts), in POINT:UNITS; null where the file has none or they are all zero.
   */
  copPolynomial: Float64Array | null;
}

const LENGTH_MM: Record<string, number> = { mm: 1, cm: 10, dm: 100, m: 1000 };

function fail(c3d: C3dFile, field: string, reason: string): never {
  throw new InputError(c3d.file, null, field, reason);
}

/** Millimetres per POINT:UNITS unit; the C3D default mm when absent (with a warning). */
export function millimetresPerPointUnit(c3d: C3dFile, warnings: string[]): number {
  const unit = (stringOf(c3d.parameters, 'POINT:UNITS') ?? '').trim().toLowerCase();
  if (unit === '') {
    warnings.push('POINT:UNITS is absent; plate geometry is taken as mm');
    return 1;
  }
  const mm = LENGTH_MM[unit];
  if (mm === undefined) fail(c3d, 'POINT:UNITS', `'${printable(unit)}' is not a length unit GaitLab knows (mm, cm, m); cannot place the force plates`);
  return mm;
}

function allFinite(c3d: C3dFile, key: string, values: number[]): void {
  const k = values.findIndex((v) => !Number.isFinite(v));
  if (k >= 0) fail(c3d, key, `value ${k + 1} is ${values[k]}; plate geometry and calibration must be finite numbers`);
}

function unitVector(c3d: C3dFile, plate: number, v: [number, number, number], what: string): [number, number, number] {
  const n = Math.hypot(v[0], v[1], v[2]);
  if (!(n > 0)) fail(c3d, 'FORCE_PLATFORM:CORNERS', `plate ${plate + 1}: the corners do not span a plane (${what} has zero length)`);
  return [v[0] / n, v[1] / n, v[2] / n];
}

function cross(a: readonly number[], b: readonly number[]): [number, number, number] {
  return [a[1] * b[2] - a[2] * b[1], a[2] * b[0] - a[0] * b[2], a[0] * b[1] - a[1] * b[0]];
}

/** Plate → lab rotation from the corners (plate x = c1 − c2, y = c1 − c4, re-orthogonalised). */
function rotationFromCorners(c3d: C3dFile, plate: number, c: Float64Array): Float64Array {
  const x = unitVector(c3d, plate, [c[0] - c[3], c[1] - c[4], c[2] - c[5]], 'corner 1 − corner 2');
  const yRaw: [number, number, number] = [c[0] - c[9], c[1] - c[10], c[2] - c[11]];
  const z = unitVector(c3d, plate, cross(x, yRaw), 'the plate normal');
  const y = cross(z, x);
  return Float64Array.from([x[0], y[0], z[0], x[1], y[1], z[1], x[2], y[2], z[2]]);
}

function isZero(m: Float64Array): boolean {
  return m.every((v) => v === 0);
}

function isIdentity(m: Float64Array): boolean {
  for (let i = 0; i < 6; i++) for (let j = 0; j < 6; j++) if (Math.abs(m[i + 6 * j] - (i === j ? 1 : 0)) > 1e-6) return false;
  return true;
}

export interface ReadForcePlatesOptions {
  /**
   * true (default): a plate whose parameters cannot be honoured (channels the file does not have, corners
   * that are not a plate) is an InputError. false: such a plate is skipped with a warning, so the rest of
   * the trial still imports. An unsupported TYPE is an InputError either way.
   */
  strict?: boolean;
}

/** Plate sides outside this range (mm) mean the CORNERS are not a plate (uninitialised or garbage values). */
const PLATE_SIDE_MM: [number, number] = [10, 10_000];
/** A plate normal further than this from the lab Z axis means the lab is not Z-up (Y-up systems exist). */
const VERTICAL_COS_MIN = Math.cos((30 * Math.PI) / 180);

/**
 * The plates FORCE_PLATFORM describes, with geometry and calibration checked. An unknown TYPE is an
 * InputError ("unsupported force plate type N"), never a guess.
 */
export function readForcePlates(c3d: C3dFile, warnings: string[] = [], options: ReadForcePlatesOptions = {}): ForcePlate[] {
  const strict = options.strict ?? true;
  const params = c3d.parameters;
  let used = countOf(params, 'FORCE_PLATFORM:USED') ?? 0;
  if (used === 0) return [];
  const types = numbersOf(params, 'FORCE_PLATFORM:TYPE') ?? [];
  // Problems with the table as a whole: an InputError, or (strict: false) fewer plates and a warning.
  const tableProblem = (field: string, reason: string, usable: number): void => {
    if (strict) fail(c3d, field, reason);
    warnings.push(`${field} ${reason}; ${usable === 0 ? 'no plate is' : `only ${usable} plates are`} derived`);
    used = usable;
  };
  if (types.length < used) tableProblem('FORCE_PLATFORM:TYPE', `has ${types.length} entries for ${used} plates (FORCE_PLATFORM:USED)`, types.length);
  for (let p = 0; p < used; p++) {
    if (!(SUPPORTED_PLATE_TYPES as readonly number[]).includes(types[p])) {
      fail(c3d, 'FORCE_PLATFORM:TYPE', `unsupported force plate type ${types[p]} (plate ${p + 1}); GaitLab derives types ${SUPPORTED_PLATE_TYPES.join(', ')}`);
    }
  }
  const channelParam = params.get('FORCE_PLATFORM:CHANNEL');
  if (used > 0 && (!channelParam || channelParam.type === 'char')) tableProblem('FORCE_PLATFORM:CHANNEL', `is missing; cannot tell which analog channels belong to the ${used} plates`, 0);
  if (used === 0 || !channelParam) return [];
  const context: PlateContext = {
    channelParam,
    corners: numbersOf(params, 'FORCE_PLATFORM:CORNERS') ?? [],
    origins: numbersOf(params, 'FORCE_PLATFORM:ORIGIN') ?? [],
    calParam: params.get('FORCE_PLATFORM:CAL_MATRIX'),
    zeroFrames: zeroRange(numbersOf(params, 'FORCE_PLATFORM:ZERO')),
    mmPerUnit: 1,
    copPolynomials: numbersOf(params, 'FORCE_PLATFORM:FPCOPPOLY'),
  };
  try {
    context.mmPerUnit = millimetresPerPointUnit(c3d, warnings);
  } catch (e) {
    if (strict || !(e instanceof InputError)) throw e;
    warnings.push(`${e.field} ${e.reason}; no plate is derived`);
    return [];
  }

  const plates: ForcePlate[] = [];
  for (let p = 0; p < used; p++) {
    try {
      const plate = readForcePlate(c3d, p, types[p], context);
      if (Math.abs(plate.rotation[8]) < VERTICAL_COS_MIN) {
        warnings.push(`${plate.device}: the plate normal is not along the lab Z axis (the lab is not Z-up?); FPn_Fz and FPn_Tz are lab-Z components`);
      }
      plates.push(plate);
    } catch (e) {
      if (strict || !(e instanceof InputError)) throw e;
      warnings.push(`FP${p + 1} skipped: ${e.field ? e.field + ' ' : ''}${e.reason}`);
    }
  }
  return plates;
}

interface PlateContext {
  channelParam: C3dParameter;
  corners: number[];
  origins: number[];
  calParam: C3dParameter | undefined;
  zeroFrames: [number, number] | null;
  mmPerUnit: number;
  copPolynomials: number[] | null;
}

/** Coefficients per plate in FPCOPPOLY (dimensions [6, 2, plates] or [12, plates]: ezc3d reads 12 per plate either way). */
const COP_POLYNOMIAL_TERMS = 12;

/** A type-3 plate's COP correction polynomial, or null (absent, all zero, or not type 3). */
function copPolynomialOf(c3d: C3dFile, p: number, type: number, all: number[] | null): Float64Array | null {
  if (type !== 3 || !all || all.length === 0) return null;
  if (all.length < COP_POLYNOMIAL_TERMS * (p + 1)) {
    fail(c3d, 'FORCE_PLATFORM:FPCOPPOLY', `has ${all.length} values; plate ${p + 1} needs ${COP_POLYNOMIAL_TERMS} (values ${COP_POLYNOMIAL_TERMS * p + 1}–${COP_POLYNOMIAL_TERMS * (p + 1)})`);
  }
  const terms = all.slice(COP_POLYNOMIAL_TERMS * p, COP_POLYNOMIAL_TERMS * (p + 1));
  allFinite(c3d, 'FORCE_PLATFORM:FPCOPPOLY', terms);
  return terms.every((v) => v === 0) ? null : Float64Array.from(terms);
}

function readForcePlate(c3d: C3dFile, p: number, type: number, ctx: PlateContext): ForcePlate {
  const { channelParam, corners, origins, mmPerUnit } = ctx;
  const perPlate = channelParam.dimensions[0] ?? 0;
  const nChannels = type === 3 ? 8 : 6;
  if (perPlate < nChannels) fail(c3d, 'FORCE_PLATFORM:CHANNEL', `has ${perPlate} rows; a type ${type} plate needs ${nChannels} channels`);
  if (channelParam.values.length < (p + 1) * perPlate) fail(c3d, 'FORCE_PLATFORM:CHANNEL', `has no column for plate ${p + 1}`);
  const channels: number[] = [];
  for (let k = 0; k < nChannels; k++) {
    const ch = channelParam.values[p * perPlate + k];
    if (!(Number.isInteger(ch) && ch >= 1 && ch <= c3d.layout.analogCount)) {
      fail(c3d, 'FORCE_PLATFORM:CHANNEL', `plate ${p + 1} channel ${k + 1} is ${ch}; the file has analog channels 1–${c3d.layout.analogCount}`);
    }
    channels.push(ch - 1);
  }
  if (corners.length < 12 * (p + 1)) fail(c3d, 'FORCE_PLATFORM:CORNERS', `has no corners for plate ${p + 1}`);
  if (origins.length < 3 * (p + 1)) fail(c3d, 'FORCE_PLATFORM:ORIGIN', `has no origin for plate ${p + 1}`);
  const cornerValues = corners.slice(12 * p, 12 * p + 12);
  const originValues = origins.slice(3 * p, 3 * p + 3);
  allFinite(c3d, 'FORCE_PLATFORM:CORNERS', cornerValues);
  allFinite(c3d, 'FORCE_PLATFORM:ORIGIN', originValues);
  const cornersMm = Float64Array.from(cornerValues, (v) => v * mmPerUnit);
  checkPlateShape(c3d, p, cornersMm);
  const centreMm: [number, number, number] = [0, 1, 2].map((a) => (cornersMm[a] + cornersMm[a + 3] + cornersMm[a + 6] + cornersMm[a + 9]) / 4) as [number, number, number];
  const originMm = originValues.map((v) => v * mmPerUnit) as [number, number, number];
  const copPolynomial = copPolynomialOf(c3d, p, type, ctx.copPolynomials);
  const calibration = plateCalibration(c3d, p, type, ctx.calParam);
  if (copPolynomial) calibration.calibrationNote += '; COP corrected by FORCE_PLATFORM:FPCOPPOLY (Kistler polynomial, as ezc3d)';
  return {
    index: p,
    device: `FP${p + 1}`,
    type,
    channels,
    cornersMm,
    centreMm,
    rotation: rotationFromCorners(c3d, p, cornersMm),
    originMm,
    ...calibration,
    zeroFrames: ctx.zeroFrames,
    mmPerUnit,
    copPolynomial,
  };
}

/** The corners must outline a parallelogram of plausible size, else they are not a plate's. */
function checkPlateShape(c3d: C3dFile, p: number, c: Float64Array): void {
  const side = (i: number, j: number) => Math.hypot(c[3 * i] - c[3 * j], c[3 * i + 1] - c[3 * j + 1], c[3 * i + 2] - c[3 * j + 2]);
  const a = side(0, 1), b = side(0, 3);
  const [lo, hi] = PLATE_SIDE_MM;
  if (!(a >= lo && a <= hi && b >= lo && b <= hi)) {
    fail(c3d, 'FORCE_PLATFORM:CORNERS', `plate ${p + 1}: sides of ${a.toPrecision(3)} and ${b.toPrecision(3)} mm are not a force plate's (expected ${lo}–${hi} mm)`);
  }
  // Opposite sides equal: corner 1 − corner 2 ≈ corner 4 − corner 3.
  const gap = Math.hypot(c[0] - c[3] - (c[9] - c[6]), c[1] - c[4] - (c[10] - c[7]), c[2] - c[5] - (c[11] - c[8]));
  if (gap > 0.05 * Math.max(a, b)) fail(c3d, 'FORCE_PLATFORM:CORNERS', `plate ${p + 1}: the four corners do not outline a rectangle`);
}

/** FORCE_PLATFORM:ZERO [first, last]: 0,0 means no baseline; a first frame of 0 is read as 1 (Vicon writes 0,10). */
function zeroRange(zero: number[] | null): [number, number] | null {
  if (!zero || zero.length < 2) return null;
  const first = Math.max(1, zero[0]);
  const last = zero[1];
  if (last <= 0 || last < first) return null;
  return [first, last];
}

function plateCalibration(c3d: C3dFile, p: number, type: number, cal: C3dParameter | undefined): Pick<ForcePlate, 'calibration' | 'preScaled' | 'calibrationNote' | 'calMatrix'> {
  const hasMatrix = cal && cal.type !== 'char' && (cal.dimensions[2] ?? 1) > p && cal.values.length >= 36 * (p + 1) && cal.dimensions[0] === 6 && cal.dimensions[1] === 6;
  const matrix = hasMatrix ? Float64Array.from(cal!.values.slice(36 * p, 36 * p + 36)) : null;
  if (matrix) allFinite(c3d, 'FORCE_PLATFORM:CAL_MATRIX', Array.from(matrix));
  if (type !== 4) {
    const note = matrix && !isZero(matrix)
      ? `type ${type}: channels are calibrated by ANALOG:SCALE; the CAL_MATRIX in the file was already applied by the exporter and is not applied again`
      : `type ${type}: channels are calibrated by ANALOG:SCALE`;
    return { calibration: 'analog-scale', preScaled: true, calibrationNote: note, calMatrix: null };
  }
  if (!matrix) return { calibration: 'analog-scale', preScaled: true, calibrationNote: 'type 4 without a CAL_MATRIX: channels taken as calibrated', calMatrix: null };
  if (isZero(matrix)) return { calibration: 'analog-scale', preScaled: true, calibrationNote: 'type 4 with an all-zero CAL_MATRIX: channels taken as calibrated', calMatrix: null };
  if (isIdentity(matrix)) return { calibration: 'analog-scale', preScaled: true, calibrationNote: 'type 4 with an identity CAL_MATRIX: channels already calibrated', calMatrix: null };
  return { calibration: 'cal-matrix', preScaled: false, calibrationNote: 'type 4: CAL_MATRIX applied to the 6 scaled channels', calMatrix: matrix };
}
