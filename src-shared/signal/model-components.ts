// What the _x/_y/_z components of a biomechanical model's outputs mean, where the model's convention is known.
// Plug-in-Gait (Vicon, "Plug-in Gait Reference Guide", kinematic and kinetic outputs) writes joint and segment
// angles and joint moments as X = sagittal (flexion/extension, tilt), Y = frontal (ab/adduction, obliquity),
// Z = transverse (rotation), and a joint's total power in Z. Anything else keeps its raw axis.
export type ComponentPlane = 'sagittal' | 'frontal' | 'transverse' | 'total';

export interface ComponentMeaning {
  /** The anatomical plane (or 'total' for a PiG power), null where the convention is unknown: a raw lab axis. */
  plane: ComponentPlane | null;
  /** A label the UI can show: 'Knee angle (L), sagittal'; the channel name where nothing is known. */
  label: string;
  /** The convention that gave the meaning ('plug-in-gait'), null for raw channels. */
  convention: string | null;
}

const PIG = /^(?:[^:]+:)?([LR])(Pelvis|Hip|Knee|Ankle|FootProgress|Thorax|Spine|Shoulder|Elbow|Wrist|Neck|Head)(Angles|Moment|Power)_([xyz])$/;
const PLANES: Record<string, ComponentPlane> = { x: 'sagittal', y: 'frontal', z: 'transverse' };
const NAMES: Record<string, string> = { Angles: 'angle', Moment: 'moment', Power: 'power' };

/** The meaning of a channel's component, from its name ('A22:LKneeAngles_x' → sagittal). */
export function componentMeaning(channel: string): ComponentMeaning {
  const m = PIG.exec(channel);
  if (!m) return { plane: null, label: channel, convention: null };
  const [, side, joint, kind, axis] = m;
  // PiG powers hold the joint's total power in Z; their X and Y are not anatomical planes.
  if (kind === 'Power' && axis !== 'z') return { plane: null, label: channel, convention: null };
  const plane = kind === 'Power' ? 'total' : PLANES[axis];
  const jointName = joint === 'FootProgress' ? 'Foot progression' : joint;
  return { plane, label: `${jointName} ${NAMES[kind]} (${side}), ${plane}`, convention: 'plug-in-gait' };
}
