// LRP split over worker threads gives every sample exactly what attributeBatch gives it in one thread (the
// workers run the same float64 kernel on their own heaps), for a dense and a convolutional model, 2 and 3
// threads, a batch that does not divide evenly, and a model the workers already hold.
import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { attributeBatch, DEFAULT_COMPOSITE, parseComposite } from '../../../src-shared/lrp';
import { LrpThreads } from '../../../src-main/methods/horst/lrp-threads';
import { randomHorstModel, randomInput } from '../../lrp/random-models';

const pools = [new LrpThreads(2), new LrpThreads(3)];
after(() => Promise.all(pools.map((p) => p.close())));

test('LrpThreads: 2 and 3 threads give the one-thread numbers bit for bit (mlp3-64, cnn-c3; 11 samples)', async () => {
  for (const kind of ['mlp3-64', 'cnn-c3'] as const) {
    const model = randomHorstModel(kind, 6, 5, 3);
    const inputs = randomInput(11 * model.inputSize, 4);
    const targets = Array.from({ length: 11 }, (_, i) => (i * 3) % 5);
    const one = attributeBatch(model, inputs, targets, parseComposite(DEFAULT_COMPOSITE));
    for (const pool of pools) {
      for (let call = 0; call < 2; call++) {
        const many = await pool.attributeBatch(model, inputs, targets, DEFAULT_COMPOSITE);
        assert.deepEqual(many.relevance, one.relevance, `${kind}, ${pool.threads} threads, call ${call}`);
        assert.deepEqual(many.logits, one.logits);
        assert.deepEqual(many.residual, one.residual);
        assert.equal(many.composite, one.composite);
      }
    }
  }
});

test('LrpThreads: a bad composite or a target outside the classes is refused in one line', async () => {
  const model = randomHorstModel('mlp3-64', 6, 5, 3);
  await assert.rejects(pools[0].attributeBatch(model, randomInput(4 * model.inputSize, 1), [0, 1, 2, 3], 'alphabeta(2,2)'), /α − β = 1/);
  // The bad target lies in the worker's share: its error comes back as the call's rejection.
  await assert.rejects(pools[0].attributeBatch(model, randomInput(4 * model.inputSize, 1), [0, 1, 2, 9], DEFAULT_COMPOSITE), /^Error: LRP: target class 9 is outside 0\.\.4$/);
});
