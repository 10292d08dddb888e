// A driver's blocks() stream keeps nothing while nobody iterates it: the recorder takes blocks from 'block' events,
// and a stream that buffered regardless held a whole recording in the acquisition process's memory.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BlockQueue } from '../../src-main/acquisition/drivers/block-queue';
import type { SampleBlock } from '../../src-main/acquisition/driver';

const block = (i: number): SampleBlock => ({
  deviceId: 'd', channelCount: 1, counter: Float64Array.of(i), deviceTimeUs: Float64Array.of(i * 1000), hostTimeMs: Float64Array.of(i), values: Float32Array.of(i),
});

test('blocks pushed before anyone iterates are not kept; once iterated, every block arrives in order until end()', async () => {
  const stream = new BlockQueue();
  for (let i = 0; i < 10_000; i++) stream.push(block(i));
  assert.equal((stream as unknown as { buffered: SampleBlock[] }).buffered.length, 0, 'nothing buffered without a consumer');
  const it = stream[Symbol.asyncIterator]();
  for (let i = 10_000; i < 10_005; i++) stream.push(block(i));
  const waiting = it.next();
  const got: number[] = [];
  for (let r = await waiting; !r.done; r = await it.next()) {
    got.push(r.value.counter[0]);
    if (got.length === 5) { stream.push(block(10_005)); stream.end(); }
  }
  assert.deepEqual(got, [10_000, 10_001, 10_002, 10_003, 10_004, 10_005]);
});

test('a bounded queue keeps the newest maxBuffered blocks for a consumer that fell behind, in order', async () => {
  const queue = new BlockQueue(3);
  const it = queue[Symbol.asyncIterator]();
  for (let i = 0; i < 10; i++) queue.push(block(i));
  queue.end();
  const got: number[] = [];
  for (let r = await it.next(); !r.done; r = await it.next()) got.push(r.value.counter[0]);
  assert.deepEqual(got, [7, 8, 9]);
});
