// FootImuEvents 1.3.0's alternation of the feet on recordings without annotations (HuGaDB, real files through
// GaitLab's own format module): subject 06's left foot sensor shows, now and then, a second lobe inside a stride.
// The rule drops a lobe only where the other foot did not swing in between; every lobe it drops lies inside an
// interval between kept swings no longer than a stride and a half (so no swing went missing), and straight walks
// of other subjects keep every swing.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { footImuEvents } from '../../src-shared/methods/gait/foot-imu-events';
import { median } from '../../src-shared/signal/stats';
import { sharedData } from '../helpers';
import { trialFromFiles } from '../methods/trial-from-files';

const swings = async (file: string) => {
  const trial = await trialFromFiles([sharedData('hugadb', file)]);
  const at = (params: Record<string, unknown>, side: string) =>
    footImuEvents.run({ channels: trial.channels }, params).output.events.filter((e) => e.label === 'mid_swing' && e.side === side).map((e) => e.timeS);
  return { old: at({ alternateFeet: false }, 'left'), now: at({}, 'left') };
};

test('FootImuEvents 1.3.0 on HuGaDB subject 06: the lobes the alternation drops are extra lobes inside a stride', async () => {
  const { old, now } = await swings('HuGaDB_v1_walking_06_00.txt.gz');
  const dropped = old.filter((t) => !now.includes(t));
  // 154 lobes of the left foot, 23 of them second lobes inside a stride.
  assert.deepEqual([old.length, dropped.length], [154, 23]);
  const stride = median(now.slice(1).map((t, k) => t - now[k]));
  for (const t of dropped) {
    const before = now.filter((x) => x < t).pop(), after = now.find((x) => x > t);
    if (before === undefined || after === undefined) continue;
    assert.ok(after - before < 1.5 * stride, `dropped lobe at ${t} s between kept swings ${before}–${after} s (stride ${stride} s)`);
  }
});

test('FootImuEvents 1.3.0 on a straight HuGaDB walk (subject 01): every swing kept', async () => {
  const { old, now } = await swings('HuGaDB_v1_walking_01_02.txt');
  assert.ok(old.length > 60);
  assert.deepEqual(now, old);
});
