// The jobs and models methods of the API through the real dispatcher (the services the app and browser mode
// call), on the imported clinical GRF set: every answer checked against its schema, every event against
// apiEvent; the job-state and job-log events the host relays on ctx.events, as the Jobs panel receives them.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { apiEvent, type ApiEvent } from '../../src-shared/api/schema';
import { closeServiceContext, openServiceContext } from '../../src-main/services/context';
import { createDispatcher } from '../../src-main/services/dispatch';
import { checkedDispatch } from '../api-contract';
import { importGrf, until } from './grf-db';

const ctx = openServiceContext({ dbPath: importGrf(), mode: 'browser' });
after(() => closeServiceContext(ctx));

test('startTraining, waitJob, getJob, listJobs, cancelJob, listTrainable, listModels, getModel, deleteModel keep their schemas; job events reach subscribers', async () => {
  const call = checkedDispatch(createDispatcher(ctx));
  const topic: ApiEvent[] = [];
  const stop = ctx.events.subscribe({ topics: ['jobs'], jobIds: [] }, (e) => topic.push(apiEvent.parse(e)));
  try {
    const trainable = await call('listTrainable', {});
    assert.deepEqual(trainable.methods.map((m) => m.name), ['LogisticRegression', 'sae-kalam2025', 'Horst', 'sincpd']);
    assert.deepEqual(trainable.methods[2].params.find((p) => p.name === 'schedule')?.default, 'paper');
    assert.deepEqual(trainable.methods[0].params.find((p) => p.name === 'epochs'), { name: 'epochs', description: 'passes over the training set', unit: 'epochs', type: 'number', default: 100, range: '1 ≤ epochs ≤ 100000 epochs, an integer' });
    assert.deepEqual(trainable.cohorts, [{ cohort: 'slijepcevic2021', trials: 970 }]);

    const { job } = await call('startTraining', { method: 'LogisticRegression', params: { epochs: 25 }, seed: 2, data: { cohort: 'slijepcevic2021' } }, { callId: 'train-1' });
    assert.equal(job.status, 'queued');
    const waited = await call('waitJob', { id: job.id }, { callId: 'wait-1' });
    assert.equal(waited.job.status, 'done');
    const waitEvents = call.events.filter((e) => e.topic === 'call' && e.callId === 'wait-1');
    assert.ok(waitEvents.length >= 2, `${waitEvents.length} progress events`);
    const fractions = waitEvents.map((e) => (e.type === 'progress' ? e.progress.done / e.progress.total : NaN));
    assert.deepEqual([...fractions].sort((a, b) => a - b), fractions, 'progress never goes back');
    assert.equal(fractions.at(-1), 1);

    // The host relayed the job's states (queued → running → done) and its log lines to the 'jobs' topic.
    await until('the done state on the topic', () => (topic.some((e) => e.type === 'job-state' && e.jobId === job.id && e.job.status === 'done') ? true : undefined), 5000);
    const states = topic.filter((e) => e.type === 'job-state' && e.jobId === job.id).map((e) => (e.type === 'job-state' ? e.job.status : ''));
    assert.ok(states.includes('running') && states.at(-1) === 'done', states.join(' → '));
    const logs = topic.filter((e) => e.type === 'job-log' && e.jobId === job.id).map((e) => (e.type === 'job-log' ? e.line : ''));
    assert.ok(logs.some((l) => /^model M-\w+: test accuracy/.test(l)), logs.join('\n'));

    const shown = await call('getJob', { id: job.id });
    assert.equal(shown.job.modelId, waited.job.modelId);
    assert.equal(shown.result?.tensorsAfter, shown.result?.tensorsBefore);
    assert.ok((await call('listJobs', { status: ['done'] })).jobs.some((j) => j.id === job.id));
    const model = (await call('getModel', { id: waited.job.modelId! })).model;
    assert.equal(model.seed, 2);
    assert.deepEqual((await call('listModels', {})).models.map((m) => m.id), [model.id]);

    // Cancelling a finished job leaves it as it was; deleting the model removes it.
    assert.equal((await call('cancelJob', { id: job.id })).job.status, 'done');
    assert.deepEqual(await call('deleteModel', { id: model.id }), { deleted: model.id });
    assert.deepEqual((await call('listModels', {})).models, []);
    await assert.rejects(call('getModel', { id: model.id }), { code: 'not-found', message: `no model ${model.id}` });
    await assert.rejects(call('startTraining', { method: 'LogisticRegression', params: { batchSize: 0 }, data: { cohort: 'slijepcevic2021' } }),
      { code: 'input', message: 'LogisticRegression: parameter batchSize = 0 is out of range (1 ≤ batchSize ≤ 4096 trials, an integer)' });
  } finally {
    stop();
  }
});
