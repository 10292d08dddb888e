import { test } from 'node:test';
import assert from 'node:assert/strict';
import { gaitProfileScore, gaitVariableScore, type CurvesBySide } from '../../src-shared/gait-graph/gps';
import { GPS_VARIABLES, parsePigChannel, pigChannelName, withoutSubjectPrefix } from '../../src-shared/gait-graph/pig-variables';

const close = (a: number | null, b: number, what: string) => assert.ok(a !== null && Math.abs(a - b) < 1e-12, `${what}: ${a} vs ${b}`);

/** A plausible reference curve per variable (distinct shapes, so that an offset is the only difference). */
function referenceCurve(i: number): Float64Array {
  return Float64Array.from({ length: 101 }, (_, t) => 10 * Math.sin((2 * Math.PI * t) / 100 + i) + 3 * i);
}

function curvesWithOffsets(offsets: Partial<Record<string, number>>): CurvesBySide {
  const out: CurvesBySide = { left: {}, right: {} };
  for (const side of ['left', 'right'] as const) {
    GPS_VARIABLES.forEach((v, i) => {
      const reference = referenceCurve(i);
      const d = offsets[`${side}:${v.key}`] ?? 0;
      out[side][v.key] = { reference, subject: reference.map((x) => x + d) };
    });
  }
  return out;
}

test('a constant offset of 3° on one variable gives GVS 3 and the other GVS 0', () => {
  const r = gaitProfileScore(curvesWithOffsets({ 'left:knee_flexion': 3 }));
  assert.equal(r.map.length, 18);
  assert.deepEqual(r.missing, []);
  for (const e of r.map) close(e.gvs, e.side === 'left' && e.variable === 'knee_flexion' ? 3 : 0, `${e.side} ${e.variable}`);
  close(r.gps.left, Math.sqrt(9 / 9), 'GPS left'); // sqrt(3²/9) = 1
  close(r.gps.right, 0, 'GPS right');
  close(r.overall, Math.sqrt(9 / 15), 'GPS overall over 15 variables');
});

test('GPS per side is the RMS of its 9 GVS; the overall GPS counts the pelvis once, from the left', () => {
  const r = gaitProfileScore(curvesWithOffsets({ 'left:knee_flexion': 3, 'left:pelvic_tilt': 2, 'right:hip_flexion': -4, 'right:pelvic_tilt': 6 }));
  close(r.gps.left, Math.sqrt((9 + 4) / 9), 'left');
  close(r.gps.right, Math.sqrt((16 + 36) / 9), 'right');
  // The right pelvic tilt (6°) is not in the overall score: 2² (left pelvis) + 3² + 4² over 15.
  close(r.overall, Math.sqrt((4 + 9 + 16) / 15), 'overall');
  close(r.map.find((e) => e.side === 'right' && e.variable === 'hip_flexion')!.gvs, 4, 'a negative offset scores its size');
});

test('GVS of an offset over part of the cycle: a·sqrt(points deviating / 101)', () => {
  const ref = new Float64Array(101);
  const subject = Float64Array.from({ length: 101 }, (_, t) => (t <= 50 ? 5 : 0));
  close(gaitVariableScore(subject, ref), 5 * Math.sqrt(51 / 101), 'half-cycle step');
});

test('missing variables are named and left out of the score, not counted as zero', () => {
  const curves = curvesWithOffsets({ 'left:knee_flexion': 3 });
  delete curves.left.foot_progression;
  delete curves.right.pelvic_rotation;
  const r = gaitProfileScore(curves);
  assert.deepEqual(r.missing, ['left:foot_progression', 'right:pelvic_rotation']);
  close(r.gps.left, Math.sqrt(9 / 8), 'left over its 8 variables present');
  close(r.overall, Math.sqrt(9 / 14), 'overall over 14');
  assert.deepEqual(gaitProfileScore({ left: {}, right: {} }).gps, { left: null, right: null });
});

test('Plug-in-Gait channel names map to side, point and plane, with or without the subject prefix', () => {
  assert.equal(pigChannelName('KneeAngles', 'left', 'sagittal'), 'LKneeAngles_x');
  assert.equal(pigChannelName('FootProgressAngles', 'right', 'transverse', 'A22:'), 'A22:RFootProgressAngles_z');
  assert.deepEqual(parsePigChannel('A22:LHipAngles_y'), { prefix: 'A22:', side: 'left', point: 'HipAngles', plane: 'frontal' });
  assert.deepEqual(parsePigChannel('RPelvisAngles_z'), { prefix: '', side: 'right', point: 'PelvisAngles', plane: 'transverse' });
  assert.equal(parsePigChannel('Total_Force_Left'), null);
  assert.equal(withoutSubjectPrefix('A22:LKneeAngles_x'), 'LKneeAngles_x');
  assert.equal(withoutSubjectPrefix('LKneeAngles_x'), 'LKneeAngles_x');
});
