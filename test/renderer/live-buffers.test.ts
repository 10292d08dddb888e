// The live view's buffers stay bounded whatever the stream does: a hidden tab that stops drawing resumes with the
// newest window, not a backlog; latencies keep the last N.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { NumberRing, PendingPoints } from '../../src-renderer/lib/live-buffers';

test('PendingPoints keeps at most maxPoints per trace, the newest, with their times', () => {
  const p = new PendingPoints(2, 5);
  for (let i = 0; i < 12; i++) p.add(i / 50, 1000 + i, 2000 + i, [i, -i]);
  assert.equal(p.length, 5);
  const taken = p.take();
  assert.deepEqual(taken.x, [7, 8, 9, 10, 11].map((i) => i / 50));
  assert.deepEqual(taken.y, [[7, 8, 9, 10, 11], [-7, -8, -9, -10, -11]]);
  assert.deepEqual(taken.sampledAtMs, [1007, 1008, 1009, 1010, 1011]);
  assert.deepEqual(taken.receivedAtMs, [2007, 2008, 2009, 2010, 2011]);
  assert.equal(p.length, 0);
  p.add(1, 1, 1, [3, 4]);
  assert.deepEqual(p.take().y, [[3], [4]], 'taking leaves fresh arrays, not the ones handed out');
  assert.deepEqual(taken.y[0], [7, 8, 9, 10, 11]);
});

test('NumberRing: quantiles over the last capacity values only', () => {
  const r = new NumberRing(100);
  assert.ok(Number.isNaN(r.quantile(0.95)));
  for (let i = 0; i < 100; i++) r.push(1000);
  for (let i = 1; i <= 100; i++) r.push(i);
  assert.equal(r.size, 100);
  assert.equal(r.quantile(0), 1);
  assert.equal(r.quantile(1), 100);
  assert.equal(r.quantile(0.5), 50.5);
  assert.ok(Math.abs(r.quantile(0.95) - 95.05) < 1e-9);
});
