// Force-plate contact and centre of pressure, one home for every importer (C3D plates, AMTI, Kistler, Motion
// Analysis) and the plate event detector. Plate axes: z is the plate normal, Fz > 0 under load.

/**
 * A foot is on a plate when the vertical force exceeds this, N: below it lie plate noise and drift, and the COP
 * (a moment divided by Fz) is undefined. The contact threshold of gait labs' software (20 N; Vicon, Visual3D).
 */
export const PLATE_CONTACT_THRESHOLD_N = 20;

/**
 * COP (mm, relative to the surface centre, in plate axes) and free moment Tz (N·mm) of one sample whose moments
 * are taken about the surface centre: on the surface M_S = COP × F + (0, 0, Tz), so COPx = −My/Fz, COPy = Mx/Fz,
 * Tz = Mz − (COPx·Fy − COPy·Fx). Forces in N, moments in N·mm. NaN for all three where |Fz| < thresholdN.
 */
export function copAtSurface(fx: number, fy: number, fz: number, mx: number, my: number, mz: number, thresholdN = PLATE_CONTACT_THRESHOLD_N): { x: number; y: number; tz: number } {
  if (!(Math.abs(fz) >= thresholdN)) return { x: NaN, y: NaN, tz: NaN };
  const x = -my / fz, y = mx / fz;
  return { x, y, tz: mz - (x * fy - y * fx) };
}

export interface PlateWrench {
  fx: ArrayLike<number>; fy: ArrayLike<number>; fz: ArrayLike<number>;
  /** Moments about the transducer origin, N·mm. */
  mx: ArrayLike<number>; my: ArrayLike<number>; mz: ArrayLike<number>;
}

/**
 * Centre of pressure (mm) and free moment Tz (N·mm) at the working surface, in plate axes from the surface centre.
 * `surfaceFromOriginMm` is the C3D ORIGIN: the vector from the transducer origin to the surface centre (z < 0 for a
 * plate whose origin lies below its surface); moments move there as M_s = M_o + F × o (BTK GroundReactionWrench),
 * then copAtSurface. Where |Fz| < thresholdN the COP is undefined and all three are NaN (a gap in plots and `null`
 * in JSON, never a fake 0 mm).
 */
export function centreOfPressure(w: PlateWrench, surfaceFromOriginMm: readonly [number, number, number], thresholdN = PLATE_CONTACT_THRESHOLD_N) {
  const [ox, oy, oz] = surfaceFromOriginMm;
  const n = w.fz.length;
  const copX = new Float64Array(n), copY = new Float64Array(n), tz = new Float64Array(n);
  let contactSamples = 0;
  for (let i = 0; i < n; i++) {
    const fx = w.fx[i], fy = w.fy[i], fz = w.fz[i];
    const c = copAtSurface(fx, fy, fz, w.mx[i] + fy * oz - oy * fz, w.my[i] + fz * ox - oz * fx, w.mz[i] + fx * oy - ox * fy, thresholdN);
    copX[i] = c.x;
    copY[i] = c.y;
    tz[i] = c.tz;
    if (!Number.isNaN(c.x)) contactSamples++;
  }
  return { copX, copY, tz, contactSamples };
}
