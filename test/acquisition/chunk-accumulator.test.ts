import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ChunkAccumulator } from '../../src-main/acquisition/chunk-accumulator';
import type { SampleBlock } from '../../src-main/acquisition/driver';

function block(from: number, n: number, channels: number): SampleBlock {
  return {
    deviceId: 'd', channelCount: channels,
    counter: Float64Array.from({ length: n }, (_, i) => from + i),
    deviceTimeUs: Float64Array.from({ length: n }, (_, i) => (from + i) * 10_000),
    hostTimeMs: Float64Array.from({ length: n }, (_, i) => 1e12 + (from + i) * 10.5),
    values: Float32Array.from({ length: n * channels }, (_, k) => Math.fround((from * channels + k) / 3)),
  };
}

test('a chunk holds the blocks appended since the last take, in order, across growth of its buffers', () => {
  const acc = new ChunkAccumulator(3);
  let next = 0;
  for (const sizes of [[1, 7, 30], [300, 2, 1000], [5]]) {
    for (const n of sizes) { acc.append(block(next, n, 3)); next += n; }
    const total = sizes.reduce((a, b) => a + b, 0);
    const first = next - total;
    const c = acc.take();
    assert.equal(acc.length, 0);
    assert.deepEqual(Array.from(c.counter), Array.from({ length: total }, (_, i) => first + i));
    assert.deepEqual(Array.from(c.deviceTimeUs), Array.from(block(first, total, 3).deviceTimeUs));
    assert.deepEqual(Array.from(c.hostTimeMs), Array.from(block(first, total, 3).hostTimeMs));
    assert.deepEqual(Array.from(c.values), Array.from(block(first, total, 3).values));
  }
});

test('the buffers are reused from chunk to chunk (no new arrays once grown), and a block of another width is refused', () => {
  const acc = new ChunkAccumulator(2);
  acc.append(block(0, 100, 2));
  const a = acc.take();
  acc.append(block(100, 80, 2));
  const b = acc.take();
  assert.equal(b.counter.buffer, a.counter.buffer);
  assert.equal(b.values.buffer, a.values.buffer);
  assert.equal(b.counter[0], 100);
  assert.throws(() => acc.append(block(0, 1, 3)), /block of 3 channels for a device of 2/);
});
