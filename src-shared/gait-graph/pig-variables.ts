// The Plug-in-Gait model outputs a gait graph shows, and the 9 kinematic variables of the Gait Profile Score
// (Baker et al. 2009, Gait & Posture 30:265), with the PiG channel each one is read from. PiG writes one point per
// joint and side (`LKneeAngles`), its components imported as `_x/_y/_z` = sagittal / frontal / transverse; Vicon
// prefixes them with the subject's name (`A22:LKneeAngles_x`).

export type GraphSide = 'left' | 'right';
export type Plane = 'sagittal' | 'frontal' | 'transverse';
export const PLANES: readonly Plane[] = ['sagittal', 'frontal', 'transverse'];
const COMPONENT: Record<Plane, 'x' | 'y' | 'z'> = { sagittal: 'x', frontal: 'y', transverse: 'z' };

export interface GpsVariable {
  /** Stable key used in results and exports. */
  key: string;
  label: string;
  /** The PiG point without side letter, e.g. 'KneeAngles'. */
  point: string;
  plane: Plane;
  /** Pelvic motion is not a side's own: the overall GPS counts it once, from the left (Baker 2009's convention). */
  pelvic: boolean;
}

export const GPS_VARIABLES: readonly GpsVariable[] = [
  { key: 'pelvic_tilt', label: 'Pelvic tilt', point: 'PelvisAngles', plane: 'sagittal', pelvic: true },
  { key: 'pelvic_obliquity', label: 'Pelvic obliquity', point: 'PelvisAngles', plane: 'frontal', pelvic: true },
  { key: 'pelvic_rotation', label: 'Pelvic rotation', point: 'PelvisAngles', plane: 'transverse', pelvic: true },
  { key: 'hip_flexion', label: 'Hip flexion', point: 'HipAngles', plane: 'sagittal', pelvic: false },
  { key: 'hip_abduction', label: 'Hip abduction', point: 'HipAngles', plane: 'frontal', pelvic: false },
  { key: 'hip_rotation', label: 'Hip rotation', point: 'HipAngles', plane: 'transverse', pelvic: false },
  { key: 'knee_flexion', label: 'Knee flexion', point: 'KneeAngles', plane: 'sagittal', pelvic: false },
  { key: 'ankle_dorsiflexion', label: 'Ankle dorsiflexion', point: 'AnkleAngles', plane: 'sagittal', pelvic: false },
  { key: 'foot_progression', label: 'Foot progression', point: 'FootProgressAngles', plane: 'transverse', pelvic: false },
];

/** `LKneeAngles_x` for the left knee's sagittal plane; with a prefix, `A22:LKneeAngles_x`. */
export function pigChannelName(point: string, side: GraphSide, plane: Plane, prefix = ''): string {
  return `${prefix}${side === 'left' ? 'L' : 'R'}${point}_${COMPONENT[plane]}`;
}

export interface PigChannelName { prefix: string; side: GraphSide; point: string; plane: Plane }

/** Reads a PiG-style name (`A22:LKneeAngles_x`, `RHipMoment_y`) into its parts; null when it is not one. */
export function parsePigChannel(name: string): PigChannelName | null {
  const m = /^(.*:)?([LR])([A-Za-z]+)_([xyz])$/.exec(name);
  if (!m) return null;
  const plane = PLANES.find((p) => COMPONENT[p] === m[4])!;
  return { prefix: m[1] ?? '', side: m[2] === 'L' ? 'left' : 'right', point: m[3], plane };
}

/** The name without its subject prefix, so that references built on one subject's trials apply to another's. */
export function withoutSubjectPrefix(name: string): string {
  const i = name.lastIndexOf(':');
  return i < 0 ? name : name.slice(i + 1);
}
