// Force-plate wrenches derived from a raw C3D model: ground reaction force, centre of pressure and free
// moment per plate, in the laboratory frame, in N, mm and N·mm. Nothing here changes the raw model.
//
// Conventions (C3D User Guide, "Force platforms"; the same choices as ezc3d's ForcePlatforms module):
// * Plate frame: the frame the plate's channels are expressed in. CORNERS lists the four corners of the
//   working surface in the lab, numbered by plate quadrant (+x+y, −x+y, −x−y, +x−y), so plate x = c1 − c2,
//   y = c1 − c4, z = x × y. For the usual z-down plates (AMTI, Kistler, Bertec) z then points into the floor;
//   nothing below depends on that except where stated.
// * The channels, after ANALOG offset/scale/GEN_SCALE, give the force the plate exerts on the subject (the
//   ground reaction) expressed in the plate frame: with the negative ANALOG:SCALE values every writer uses,
//   a subject standing on a z-down plate gives a negative plate-frame Fz, which the rotation turns into a
//   positive lab Fz. The lab frame is taken as Z up (C3D's usual, and every plate in the corpus has corners
//   in a horizontal plane); GRF vertical is then positive while the foot is on the plate.
// * Types 2 and 4: ORIGIN is the vector from the plate's (sensor) origin to the centre of the working
//   surface, in plate coordinates; with z down it has a negative z. Vicon and Qualisys write it with a
//   positive z (c3d.org sample02/03/26 readmes: "origin above the surface"), i.e. the opposite vector, so a
//   positive z flips the whole vector (ezc3d's rule).
// * Type 3 (Kistler, 8 channels fx12 fx34 fy14 fy23 fz1 fz2 fz3 fz4): ORIGIN holds a, b (sensor offsets
//   from the plate centre along x and y) and az0 (sensor plane to surface). Kistler's az0 is negative (the
//   surface is above the sensor plane in z-down coordinates); writers store it with either sign, so |z| is used.
//   FPCOPPOLY, where present, corrects the COP by Kistler's polynomial exactly as ezc3d applies it (see
//   kistlerCopCorrection); the free moment is then taken about the corrected COP, as ezc3d does.
//
// Which plates, channels and calibration: forceplate-parameters.ts (the pre-scaling rule is stated there).
import { copAtSurface, PLATE_CONTACT_THRESHOLD_N } from '../../../src-shared/signal/centre-of-pressure';
import type { C3dFile } from './model';
import { readForcePlates, type ForcePlate, type ReadForcePlatesOptions } from './forceplate-parameters';

export * from './forceplate-parameters';

export interface ForcePlateOptions {
  /** Below this vertical force the centre of pressure and the free moment are undefined (NaN). */
  copMinForceN?: number;
}

/** The contact threshold GaitLab's other force-plate importers use too (amti-asc, kistler-bioware). */
export const DEFAULT_COP_MIN_FORCE_N = PLATE_CONTACT_THRESHOLD_N;

export interface ForcePlateWrench {
  plate: ForcePlate;
  rateHz: number;
  /** Ground reaction force on the subject, lab frame, N. */
  forceN: [Float32Array, Float32Array, Float32Array];
  /** Centre of pressure on the working surface, lab frame, mm; NaN while |Fz| < copMinForceN. */
  copMm: [Float32Array, Float32Array, Float32Array];
  /** Free moment about the lab vertical through the COP, N·mm, right-handed about +Z (counter-clockwise seen from above); NaN while |Fz| < copMinForceN. */
  freeMomentNmm: Float32Array;
  copMinForceN: number;
  warnings: string[];
}

/**
 * Kistler's COP correction (FORCE_PLATFORM:FPCOPPOLY, 12 coefficients P0…P11) of a plate-frame COP (x, y) about
 * the surface centre, in the file's length units, as ezc3d's ForcePlatform applies it (after Kistler's
 * documentation, ezc3d issue #253):
 *   x' = x − [(P0·y⁴ + P1·y² + P2)·x³ + (P3·y⁴ + P4·y² + P5)·x]
 *   y' = y − [(P6·x⁴ + P7·x² + P8)·y³ + (P9·x⁴ + P10·x² + P11)·y]
 * Both offsets are computed from the uncorrected (x, y).
 */
export function kistlerCopCorrection(x: number, y: number, P: ArrayLike<number>): { x: number; y: number } {
  const x2 = x * x, y2 = y * y;
  const xOffset = (P[0] * y2 * y2 + P[1] * y2 + P[2]) * x2 * x + (P[3] * y2 * y2 + P[4] * y2 + P[5]) * x;
  const yOffset = (P[6] * x2 * x2 + P[7] * x2 + P[8]) * y2 * y + (P[9] * x2 * x2 + P[10] * x2 + P[11]) * y;
  return { x: x - xOffset, y: y - yOffset };
}

/** Plate-frame force (N) and moment (N·mm) about the working-surface centre, per sample. */
export interface PlateFrameWrench {
  f: [Float64Array, Float64Array, Float64Array];
  /** Moment about the centre of the working surface (types 2–4); unused for type 1, whose COP and Tz are channels. */
  m: [Float64Array, Float64Array, Float64Array];
  /** Type 1 only: COP relative to the surface centre (mm) and free moment (N·mm), as the channels give them. */
  type1?: { px: Float64Array; py: Float64Array; tz: Float64Array };
}

/**
 * The wrench in the plate frame from the plate's channels (already offset/scaled/baseline-corrected, in
 * N and N·length). `lengthMm` converts channel lengths to mm; `origin` is FORCE_PLATFORM:ORIGIN in mm.
 */
export function plateFrameWrench(type: number, ch: ArrayLike<number>[], origin: readonly number[], calMatrix: Float64Array | null, lengthMm: number): PlateFrameWrench {
  const n = ch[0].length;
  const f: [Float64Array, Float64Array, Float64Array] = [new Float64Array(n), new Float64Array(n), new Float64Array(n)];
  const m: [Float64Array, Float64Array, Float64Array] = [new Float64Array(n), new Float64Array(n), new Float64Array(n)];
  if (type === 1) {
    const px = new Float64Array(n), py = new Float64Array(n), tz = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      f[0][i] = ch[0][i];
      f[1][i] = ch[1][i];
      f[2][i] = ch[2][i];
      px[i] = ch[3][i] * lengthMm;
      py[i] = ch[4][i] * lengthMm;
      tz[i] = ch[5][i] * lengthMm;
    }
    return { f, m, type1: { px, py, tz } };
  }
  if (type === 3) {
    // Kistler: sensors at (±a, ±b, 0) about the sensor-plane centre; the surface centre is az0 above it.
    const a = Math.abs(origin[0]), b = Math.abs(origin[1]), az0 = -Math.abs(origin[2]);
    for (let i = 0; i < n; i++) {
      const fx12 = ch[0][i], fx34 = ch[1][i], fy14 = ch[2][i], fy23 = ch[3][i];
      const fz1 = ch[4][i], fz2 = ch[5][i], fz3 = ch[6][i], fz4 = ch[7][i];
      const fx = fx12 + fx34, fy = fy14 + fy23, fz = fz1 + fz2 + fz3 + fz4;
      const mx = b * (fz1 + fz2 - fz3 - fz4);
      const my = a * (-fz1 + fz2 + fz3 - fz4);
      const mz = b * (-fx12 + fx34) + a * (fy14 - fy23);
      f[0][i] = fx; f[1][i] = fy; f[2][i] = fz;
      // Moment about the surface centre S = (0, 0, az0): M_S = M_O − S × F.
      m[0][i] = mx + az0 * fy;
      m[1][i] = my - az0 * fx;
      m[2][i] = mz;
    }
    return { f, m };
  }
  // Types 2 and 4: surface centre S relative to the plate origin; a positive z is the flipped (Vicon) vector.
  const flip = origin[2] > 0 ? -1 : 1;
  const sx = flip * origin[0], sy = flip * origin[1], sz = flip * origin[2];
  const [c0, c1, c2, c3, c4, c5] = ch;
  const C = calMatrix;
  for (let i = 0; i < n; i++) {
    const v0 = c0[i], v1 = c1[i], v2 = c2[i], v3 = c3[i], v4 = c4[i], v5 = c5[i];
    let fx = v0, fy = v1, fz = v2, mx = v3, my = v4, mz = v5;
    if (C) {
      // F = C·v with C(r, c) at [r + 6c].
      fx = C[0] * v0 + C[6] * v1 + C[12] * v2 + C[18] * v3 + C[24] * v4 + C[30] * v5;
      fy = C[1] * v0 + C[7] * v1 + C[13] * v2 + C[19] * v3 + C[25] * v4 + C[31] * v5;
      fz = C[2] * v0 + C[8] * v1 + C[14] * v2 + C[20] * v3 + C[26] * v4 + C[32] * v5;
      mx = C[3] * v0 + C[9] * v1 + C[15] * v2 + C[21] * v3 + C[27] * v4 + C[33] * v5;
      my = C[4] * v0 + C[10] * v1 + C[16] * v2 + C[22] * v3 + C[28] * v4 + C[34] * v5;
      mz = C[5] * v0 + C[11] * v1 + C[17] * v2 + C[23] * v3 + C[29] * v4 + C[35] * v5;
    }
    mx *= lengthMm; my *= lengthMm; mz *= lengthMm;
    f[0][i] = fx; f[1][i] = fy; f[2][i] = fz;
    // Moment about the surface centre S: M_S = M_O − S × F.
    m[0][i] = mx - (sy * fz - sz * fy);
    m[1][i] = my - (sz * fx - sx * fz);
    m[2][i] = mz - (sx * fy - sy * fx);
  }
  return { f, m };
}

/**
 * Subtracts, per channel, the mean over the ZERO frame range (analog samples of those frames). Type 1's COP
 * channels (Px, Py) are positions, not signals with an offset, and are left as they are.
 */
function baselineCorrected(c3d: C3dFile, plate: ForcePlate, warnings: string[]): Float64Array[] {
  const spf = c3d.layout.analogSamplesPerFrame;
  const out = plate.channels.map((ch) => new Float64Array(c3d.analogs.samples[ch]));
  if (!plate.zeroFrames) return out;
  const [first, last] = plate.zeroFrames;
  const from = (first - 1) * spf;
  const to = Math.min(last, c3d.layout.frameCount) * spf;
  if (to <= from) {
    warnings.push(`${plate.device}: FORCE_PLATFORM:ZERO frames ${first}–${last} lie outside the ${c3d.layout.frameCount} frames; no baseline subtracted`);
    return out;
  }
  out.forEach((x, k) => {
    if (plate.type === 1 && (k === 3 || k === 4)) return;
    let sum = 0;
    for (let i = from; i < to; i++) sum += x[i];
    const mean = sum / (to - from);
    for (let i = 0; i < x.length; i++) x[i] -= mean;
  });
  return out;
}

/** GRF, COP and free moment of one plate in the lab frame, at the analog rate. */
export function deriveForcePlateWrench(c3d: C3dFile, plate: ForcePlate, options: ForcePlateOptions = {}): ForcePlateWrench {
  const copMinForceN = options.copMinForceN ?? DEFAULT_COP_MIN_FORCE_N;
  const warnings: string[] = [];
  const channels = baselineCorrected(c3d, plate, warnings);
  const w = plateFrameWrench(plate.type, channels, plate.originMm, plate.calMatrix, plate.mmPerUnit);
  const n = channels[0].length;
  const R = plate.rotation;
  const [cx, cy, cz] = plate.centreMm;
  const force: [Float32Array, Float32Array, Float32Array] = [new Float32Array(n), new Float32Array(n), new Float32Array(n)];
  const cop: [Float32Array, Float32Array, Float32Array] = [new Float32Array(n), new Float32Array(n), new Float32Array(n)];
  const freeMoment = new Float32Array(n);
  const poly = plate.type === 3 ? plate.copPolynomial : null;
  for (let i = 0; i < n; i++) {
    const fx = w.f[0][i], fy = w.f[1][i], fz = w.f[2][i];
    force[0][i] = R[0] * fx + R[1] * fy + R[2] * fz;
    force[1][i] = R[3] * fx + R[4] * fy + R[5] * fz;
    force[2][i] = R[6] * fx + R[7] * fy + R[8] * fz;
    if (!(Math.abs(fz) >= copMinForceN)) {
      cop[0][i] = cop[1][i] = cop[2][i] = freeMoment[i] = NaN;
      continue;
    }
    let px: number, py: number, tz: number;
    if (w.type1) {
      px = w.type1.px[i];
      py = w.type1.py[i];
      tz = w.type1.tz[i];
    } else {
      // Moments are about the surface centre already (plateFrameWrench moved them there).
      ({ x: px, y: py, tz } = copAtSurface(fx, fy, fz, w.m[0][i], w.m[1][i], w.m[2][i], copMinForceN));
      if (poly) {
        // The polynomial is in the file's length unit; our plate-frame COP is in mm.
        const u = plate.mmPerUnit;
        const corrected = kistlerCopCorrection(px / u, py / u, poly);
        px = corrected.x * u;
        py = corrected.y * u;
        // Free moment about the corrected COP: Tz = Mz − (x·Fy − y·Fx), as copAtSurface defines it.
        tz = w.m[2][i] - (px * fy - py * fx);
      }
    }
    cop[0][i] = cx + R[0] * px + R[1] * py;
    cop[1][i] = cy + R[3] * px + R[4] * py;
    cop[2][i] = cz + R[6] * px + R[7] * py;
    // The free moment acts about the plate normal; its lab-vertical component (Z up).
    freeMoment[i] = R[8] * tz;
  }
  return { plate, rateHz: c3d.analogs.rateHz, forceN: force, copMm: cop, freeMomentNmm: freeMoment, copMinForceN, warnings };
}

/** Every plate of the file, derived. */
export function deriveForcePlates(c3d: C3dFile, options: ForcePlateOptions & ReadForcePlatesOptions = {}): { plates: ForcePlateWrench[]; warnings: string[] } {
  const warnings: string[] = [];
  const plates = readForcePlates(c3d, warnings, options).map((p) => deriveForcePlateWrench(c3d, p, options));
  for (const p of plates) warnings.push(...p.warnings);
  return { plates, warnings };
}
