import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import * as tf from '@tensorflow/tfjs';
import { initTfjsBackend } from '../../src-main/compute/tfjs/backend';
import { TensorLeakError, withTensorScope, type TensorScopeReport } from '../../src-main/compute/tfjs/tensor-scope';

before(async () => {
  await initTfjsBackend({ order: ['wasm'] });
});

test('a job that disposes what it makes returns its result and leaves the count at its baseline', async () => {
  const reports: TensorScopeReport[] = [];
  const sum = await withTensorScope('sum', async () => {
    const t = tf.tensor([1, 2, 3]);
    const s = tf.sum(t);
    const value = (await s.data())[0];
    tf.dispose([t, s]);
    return value;
  }, { onReport: (r) => reports.push(r) });
  assert.equal(sum, 6);
  assert.equal(reports.length, 1);
  assert.equal(reports[0].leaked, 0);
  assert.equal(reports[0].tensorsAfter, reports[0].tensorsBefore);
  assert.ok(reports[0].rssBytes > 0);
});

test('a job that leaves tensors behind fails with the label and the count', async () => {
  const before = tf.memory().numTensors;
  let kept: tf.Tensor[] = [];
  await assert.rejects(
    withTensorScope('leaky job', () => {
      kept = [tf.tensor([1]), tf.tensor([2])];
      return 1;
    }),
    (e: unknown) => e instanceof TensorLeakError && e.message === `leaky job: 2 tfjs tensors left behind (${before} before, ${before + 2} after)` && e.report.leaked === 2,
  );
  tf.dispose(kept);
  assert.equal(tf.memory().numTensors, before);
});

test('with onReport a leak is reported instead of thrown', async () => {
  let report: TensorScopeReport | undefined;
  let kept: tf.Tensor | undefined;
  const r = await withTensorScope('reported', () => { kept = tf.scalar(1); return 'done'; }, { onReport: (x) => { report = x; } });
  assert.equal(r, 'done');
  assert.equal(report?.leaked, 1);
  kept?.dispose();
});

test('a job that throws keeps its own error, joined by the leak when there is one', async () => {
  await assert.rejects(withTensorScope('clean failure', () => { throw new Error('bad input'); }), /^Error: bad input$/);
  let kept: tf.Tensor | undefined;
  await assert.rejects(
    withTensorScope('dirty failure', () => { kept = tf.scalar(3); throw new Error('bad input'); }),
    (e: unknown) => e instanceof AggregateError && e.message === 'dirty failure failed and left tensors behind: bad input' && e.errors[1] instanceof TensorLeakError,
  );
  kept?.dispose();
});
