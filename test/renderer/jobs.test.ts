// The Jobs panel's presentation: order of the list as events arrive, ETA and status words.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { JobSummary } from '../../src-shared/api/jobs';
import { formatEta, isActiveJob, jobStatusText, mergeJob } from '../../src-renderer/lib/job-format';

const job = (id: string, createdAt: string, over: Partial<JobSummary> = {}): JobSummary => ({
  id, method: 'LogisticRegression', status: 'running', progress: 0.5, stage: 'epoch 5/10', etaS: 12.4, params: {}, seed: 0,
  data: { cohort: 'c', session: null }, error: null, modelId: null, cancelRequested: false, createdAt, startedAt: createdAt, finishedAt: null, heartbeatAt: null, ...over,
});

test('a job event replaces the job in place or adds it, newest first', () => {
  const a = job('J-A', '2026-12-06T10:00:00.000Z');
  const b = job('J-B', '2026-12-06T11:00:00.000Z');
  let list = mergeJob([], a);
  list = mergeJob(list, b);
  assert.deepEqual(list.map((j) => j.id), ['J-B', 'J-A']);
  list = mergeJob(list, { ...a, status: 'done', progress: 1 });
  assert.deepEqual(list.map((j) => [j.id, j.status]), [['J-B', 'running'], ['J-A', 'done']]);
});

test('ETA in seconds or minutes while running, nothing otherwise; status words say cancelling and why it failed', () => {
  assert.equal(formatEta(job('J', 't', { etaS: 12.4 })), 'ETA 12 s');
  assert.equal(formatEta(job('J', 't', { etaS: 65 })), 'ETA 1 min 05 s');
  assert.equal(formatEta(job('J', 't', { etaS: null })), '');
  assert.equal(formatEta(job('J', 't', { status: 'done', etaS: 0 })), '');
  assert.equal(jobStatusText(job('J', 't', { cancelRequested: true })), 'running, cancelling');
  assert.equal(jobStatusText(job('J', 't', { status: 'failed', error: 'interrupted' })), 'failed: interrupted');
  assert.equal(isActiveJob(job('J', 't', { status: 'queued' })), true);
  assert.equal(isActiveJob(job('J', 't', { status: 'cancelled' })), false);
});
