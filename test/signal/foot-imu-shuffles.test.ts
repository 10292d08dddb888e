// FootImuEvents 1.4.0's shuffles (foot-imu.ts): where a stride is missing, a pitch lobe too small for a small swing
// is a swing when the foot rested just before it and it ends in an impact. Real files through GaitLab's own format
// modules: the one shuffle of the Voisard healthy trials (annotated, manually checked), and a HuGaDB walk where the
// rest test is what keeps a rebound after a landing from counting as a step.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { footImuEvents } from '../../src-shared/methods/gait/foot-imu-events';
import { sharedData } from '../helpers';
import { trialFromFiles } from '../methods/trial-from-files';
import { loadVoisardTrial } from './voisard-evaluation';

const contacts = (channels: Parameters<typeof footImuEvents.run>[0]['channels'], params: Record<string, unknown>, side: string, fromS: number, toS: number) =>
  footImuEvents.run({ channels }, params).output.events.filter((e) => e.side === side && e.timeS > fromS && e.timeS < toS);

test('FootImuEvents on Voisard 2-1: the right foot\'s shuffle in the U-turn (annotated toe-off 15.91 s, heel strike 16.09 s) is a swing, its contacts within 5 ms; without a rest before it, none', async () => {
  const trial = await loadVoisardTrial('2-1');
  const events = contacts(trial.channels, {}, 'right', 15.5, 16.5);
  assert.deepEqual(events.map((e) => e.label), ['final_contact', 'mid_swing', 'initial_contact']);
  const [fc, mid, ic] = events;
  assert.ok(Math.abs(fc.timeS - 15.91) < 0.005 && Math.abs(ic.timeS - 16.09) < 0.005, `FC ${fc.timeS} s, IC ${ic.timeS} s`);
  // Marked as a shuffle: found at minShuffleSwingPeakDegS, the least confidence.
  assert.deepEqual([mid.threshold, mid.confidence], [{ value: 10, unit: 'deg/s' }, 0]);
  // The foot's angular speed before the lift averages ≈ 6 deg/s: a rest level of 1 deg/s is never met.
  assert.deepEqual(contacts(trial.channels, { shuffleRestDegS: 1 }, 'right', 15.5, 16.5), []);
  // 1.3.0's rules (no shuffles) find nothing there either.
  assert.deepEqual(contacts(trial.channels, { minShuffleSwingPeakDegS: 30 }, 'right', 15.5, 16.5), []);
});

test('FootImuEvents on HuGaDB walking 10_03: shuffles add nothing; without the rest test a rebound 0.44 s after the right foot\'s landing at 66.2 s (the foot turning at 60–100 deg/s before it) would be a step', async () => {
  const trial = await trialFromFiles([sharedData('hugadb', 'HuGaDB_v1_walking_10_03.txt')]);
  const all = (params: Record<string, unknown>) => footImuEvents.run({ channels: trial.channels }, params).output.events.filter((e) => e.label !== 'turn_start' && e.label !== 'turn_end');
  const now = all({}), noShuffles = all({ minShuffleSwingPeakDegS: 30 }), noRest = all({ shuffleRestDegS: 2000 });
  assert.ok(now.length > 900, `${now.length} events`);
  assert.deepEqual(now.map((e) => [e.side, e.label, e.timeS]), noShuffles.map((e) => [e.side, e.label, e.timeS]));
  const extra = noRest.filter((e) => !now.some((x) => x.side === e.side && x.label === e.label && x.timeS === e.timeS));
  assert.deepEqual(extra.map((e) => `${e.side} ${e.label} ${e.timeS.toFixed(2)}`), ['right final_contact 66.47', 'right mid_swing 66.59', 'right initial_contact 66.62']);
});
