// Which foot stood on a force plate: the marker rule on synthetic feet with known geometry, and the whole
// detector (markers, mapping, file events, none) on the real C3D gait trials of ../shared/data.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { footMarkers, insidePlate, sideFromMarkers, type MarkerChannel } from '../../src-shared/signal/plate-sides';
import { getMethod, plateGeometryOf, type DetectedEvent, type TrialSignals } from '../../src-shared/methods';
import { sharedData } from '../helpers';
import { trialFromFiles } from '../methods/trial-from-files';

/** A 400 × 600 mm plate from (0, 0) to (400, 600), corners in plate-quadrant order. */
const PLATE = [400, 600, 0, 0, 600, 0, 0, 0, 0, 400, 0, 0];

const constant = (v: number, n = 101) => new Float32Array(n).fill(v);
const marker = (name: string, x: number, y: number, unit = 'mm', rateHz = 100): MarkerChannel[] => [
  { name: `${name}_x`, unit, rateHz, values: constant(x) },
  { name: `${name}_y`, unit, rateHz, values: constant(y) },
];

function detect(trial: TrialSignals, params: Record<string, unknown> = {}): DetectedEvent[] {
  const m = getMethod('ForceThresholdEvents');
  if (!m || m.kind !== 'transform') throw new Error('ForceThresholdEvents is not registered');
  return (m.run(trial, params) as { output: { events: DetectedEvent[] } }).output.events;
}
const summary = (events: DetectedEvent[]) => events.map((e) => [e.label, e.side, e.params.plate, e.params.sideRule]);

test('foot markers: LHEE/RTOE/LANK, prefixed A22:LHEE, R_HEEL, R_MT_5, LEFT_TOE; not knees, thighs or shank clusters', () => {
  const channels = [
    ...marker('A22:LHEE', 1, 2), ...marker('RTOE', 3, 4), ...marker('LANK', 5, 6), ...marker('R_HEEL', 7, 8), ...marker('R_MT_5', 9, 10),
    ...marker('LEFT_TOE', 11, 12, 'm'), ...marker('LKNE', 0, 0), ...marker('L_THIGH_1', 0, 0), ...marker('R_SHANK_2', 0, 0), ...marker('RHEEL_SPEED', 0, 0),
  ];
  const feet = footMarkers(channels);
  assert.deepEqual(feet.left?.names, ['A22:LHEE', 'LANK', 'LEFT_TOE']);
  assert.deepEqual(feet.right?.names, ['R_HEEL', 'R_MT_5', 'RTOE']);
  // Lengths in m are converted to mm.
  assert.equal(feet.left?.x[2][0], 11000);
  // A marker with x but no y is not used.
  assert.equal(footMarkers([{ name: 'LHEE_x', unit: 'mm', rateHz: 100, values: constant(1) }]).left, undefined);
});

test('insidePlate: inside, outside and on the edge of the corners, for either winding', () => {
  assert.equal(insidePlate(200, 300, PLATE), true);
  assert.equal(insidePlate(401, 300, PLATE), false);
  assert.equal(insidePlate(200, -1, PLATE), false);
  assert.equal(insidePlate(0, 300, PLATE), true);
  const reversed = [PLATE.slice(9, 12), PLATE.slice(6, 9), PLATE.slice(3, 6), PLATE.slice(0, 3)].flat();
  assert.equal(insidePlate(200, 300, reversed), true);
  assert.equal(insidePlate(-5, 300, reversed), false);
});

test('sideFromMarkers: the foot over the plate wins; of two feet over it, the one nearer the COP; none over it gives null', () => {
  const contact = { startS: 0.2, endS: 0.8, copX: constant(200, 1001), copY: constant(300, 1001), copRateHz: 1000, cornersMm: PLATE };
  // Left heel on the plate 50 mm from the COP, right foot 300 mm beside the plate.
  const leftOn = footMarkers([...marker('LHEE', 200, 250), ...marker('LTOE', 200, 350), ...marker('RHEE', 700, 250), ...marker('RTOE', 700, 350)]);
  assert.deepEqual(sideFromMarkers(contact, leftOn), { side: 'left', copDistanceMm: 0, otherCopDistanceMm: null });
  // Both over the plate: the right foot's centroid is 30 mm from the COP, the left's 150 mm.
  const bothOn = footMarkers([...marker('LHEE', 50, 300), ...marker('LTOE', 50, 300), ...marker('RHEE', 230, 300), ...marker('RTOE', 230, 300)]);
  assert.deepEqual(sideFromMarkers(contact, bothOn), { side: 'right', copDistanceMm: 30, otherCopDistanceMm: 150 });
  // Without corners, every visible foot counts as over the plate: the nearest decides.
  assert.equal(sideFromMarkers({ ...contact, cornersMm: null }, leftOn)?.otherCopDistanceMm, 500);
  // Nobody on the plate, no markers, or a COP undefined all along: no decision.
  assert.equal(sideFromMarkers(contact, footMarkers([...marker('LHEE', 900, 0), ...marker('RHEE', -300, 0)])), null);
  assert.equal(sideFromMarkers(contact, {}), null);
  assert.equal(sideFromMarkers({ ...contact, copX: constant(NaN, 1001) }, leftOn), null);
});

test('plateGeometryOf reads the fpN_corners_lab attributes of the C3D import and ignores others', () => {
  const corners = '[[1,2,3],[4,5,6],[7,8,9],[10,11,12]]';
  assert.deepEqual(plateGeometryOf({
    fp1_corners_lab: { value: corners, unit: 'mm' },
    fp2_corners_lab: { value: '[[1,2,3]]', unit: 'mm' },
    fp3_corners_lab: { value: corners, unit: 'm' },
    fp4_corners_lab: { value: 'not json', unit: 'mm' },
    fp1_type: { value: 3 },
  }), { FP1: { cornersMm: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12] } });
});

test('Walking_Hybrid_1_1.c3d (Qualisys, no EVENT group): right foot on FP1, left on FP2, by the markers R_HEEL … L_MT_5', async () => {
  const trial = await trialFromFiles([sharedData('horst2019-gait-c3d', 'Walking_Hybrid_1_1.c3d')]);
  // The import keeps FORCE_PLATFORM:CORNERS (to 0.1 mm) as fpN_corners_lab.
  assert.deepEqual(Object.keys(trial.plates ?? {}), ['FP1', 'FP2']);
  assert.deepEqual(trial.plates!.FP1.cornersMm, [-609, -243.3, -22.2, -609.7, 137.2, -23, -28.4, 136.4, -22.8, -27.9, -242.9, -22.8]);
  const events = detect(trial);
  assert.deepEqual(summary(events), [
    ['initial_contact', 'right', 'FP1', 'markers'], ['initial_contact', 'left', 'FP2', 'markers'],
    ['final_contact', 'right', 'FP1', 'markers'], ['final_contact', 'left', 'FP2', 'markers'],
  ]);
  // The foot on the plate is 60 mm from the COP on average (heel-to-toe centroid); the other foot is never over it.
  assert.deepEqual(events.map((e) => [e.params.sideCopDistanceMm, e.params.otherSideCopDistanceMm]), [[59.9, null], [62.8, null], [59.9, null], [62.8, null]]);
  // Without the corners the other foot counts too, half a metre further from the COP.
  const other = detect({ ...trial, plates: {} }).map((e) => e.params.otherSideCopDistanceMm as number);
  assert.ok(other.every((d) => d > 500 && d < 530), other.join(', '));
});

test('a trial that starts with the foot on the plate: its lone final contact still gets the foot from the markers', async () => {
  const trial = await trialFromFiles([sharedData('horst2019-gait-c3d', 'Walking_Hybrid_1_1.c3d')]);
  // Cut the first 0.8 s of every channel: FP1 (0.652–1.273 s) is loaded from the first sample on.
  const cut = new Map([...trial.channels].map(([name, c]) => [name, { ...c, values: c.values.subarray(Math.round(0.8 * c.rateHz!)) }]));
  const events = detect({ ...trial, channels: cut });
  assert.deepEqual(summary(events), [
    ['initial_contact', 'left', 'FP2', 'markers'], ['final_contact', 'right', 'FP1', 'markers'], ['final_contact', 'left', 'FP2', 'markers'],
  ]);
  assert.ok(Math.abs(events[1].timeS - (1.273 - 0.8)) < 0.005, String(events[1].timeS));
});

test("gait-pig.c3d: the markers agree with the file's EVENT group; without markers the file's events decide, then nothing", async () => {
  const trial = await trialFromFiles([sharedData('horst2019-gait-c3d', 'gait-pig.c3d')]);
  const byMarkers = detect(trial);
  assert.deepEqual(summary(byMarkers), [
    ['initial_contact', 'left', 'FP1', 'markers'], ['initial_contact', 'right', 'FP2', 'markers'],
    ['final_contact', 'left', 'FP1', 'markers'], ['final_contact', 'right', 'FP2', 'markers'],
  ]);
  const withoutMarkers: TrialSignals = { ...trial, channels: new Map([...trial.channels].filter(([name]) => !/(HEE|TOE|ANK)_[xyz]$/.test(name))) };
  assert.deepEqual(detect(withoutMarkers).map((e) => [e.side, e.params.sideRule]), [['left', 'file_events'], ['right', 'file_events'], ['left', 'file_events'], ['right', 'file_events']]);
  assert.deepEqual(detect(withoutMarkers, { sideToleranceS: 0 }).map((e) => [e.side, e.params.sideRule]), [[null, 'none'], [null, 'none'], [null, 'none'], [null, 'none']]);
  // The mapping parameter names the foot of a plate where nothing else does, and outranks the markers.
  assert.deepEqual(detect(withoutMarkers, { sideToleranceS: 0, fp2Side: 'left' }).map((e) => [e.params.plate, e.side, e.params.sideRule]),
    [['FP1', null, 'none'], ['FP2', 'left', 'mapping'], ['FP1', null, 'none'], ['FP2', 'left', 'mapping']]);
  assert.throws(() => detect(trial, { fp1Side: 'middle' }), /^MethodParamError: ForceThresholdEvents: parameter fp1Side = "middle" is not one of "auto", "left", "right"$/);
});

test('btk-Gait.c3d (Motion Analysis, RHEE/LHEE/RTOE/LTOE): right foot on FP2 first, then left on FP1', async () => {
  const trial = await trialFromFiles([sharedData('horst2019-gait-c3d', 'btk-Gait.c3d')]);
  assert.deepEqual(summary(detect(trial)), [
    ['initial_contact', 'right', 'FP2', 'markers'], ['initial_contact', 'left', 'FP1', 'markers'],
    ['final_contact', 'right', 'FP2', 'markers'], ['final_contact', 'left', 'FP1', 'markers'],
  ]);
});
