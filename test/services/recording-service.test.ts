// The recording API through the typed dispatcher (responses and events checked against their schemas): a
// simulated insole on a socat pty, live samples only to the client subscribed to 'live', a marker, health, stop.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { gaitlab, sharedData, tempDir } from '../helpers';
import { closeServiceContext, openServiceContext } from '../../src-main/services/context';
import { createDispatcher } from '../../src-main/services/dispatch';
import { checkedDispatch, checkEvent } from '../api-contract';
import type { ApiEvent } from '../../src-shared/api/schema';
import { PtyPair } from '../acquisition/pty-pair';
import { gaitpdbInsoleSource } from '../../src-main/acquisition/simulator/replay-source';
import { runSimulator } from '../../src-main/acquisition/simulator/simulator';
import { LIVE_POINTS_PER_S } from '../../src-main/acquisition/recorder';

const WALK = sharedData('gaitpdb', 'GaCo01_01.txt.gz');

test('recordingStart/Mark/Status/Stop: live samples reach only subscribers, decimated; the marker and every sample are stored', { timeout: 120_000 }, async () => {
  const dir = tempDir();
  const db = join(dir, 'live.db');
  assert.equal(gaitlab(['--db', db, 'import', WALK]).code, 0);
  const ctx = openServiceContext({ dbPath: db, mode: 'browser' });
  const pty = new PtyPair(dir, 'api');
  await pty.start();
  const abort = new AbortController();
  try {
    const call = checkedDispatch(createDispatcher(ctx));
    const subjectId = (await call('listSubjects', { search: 'GaCo01' })).subjects[0].id;
    const live: ApiEvent[] = [];
    const jobsOnly: ApiEvent[] = [];
    const offLive = ctx.events.subscribe({ topics: ['live'], jobIds: [] }, (e) => live.push(checkEvent(e)));
    const offJobs = ctx.events.subscribe({ topics: ['jobs'], jobIds: [] }, (e) => jobsOnly.push(e));

    // The device streams from before the recording starts (as a real one does); 4× real time.
    const sim = runSimulator(gaitpdbInsoleSource(WALK), { port: pty.device, rateX: 4, durationS: 40, signal: abort.signal });
    const started = await call('recordingStart', { subjectId, devices: [{ port: pty.host, kind: 'insole' }] });
    assert.equal(started.state, 'recording');
    assert.equal(started.trials[0].deviceId, 'insole-GaCo01_01');
    assert.equal(started.trials[0].channels.length, 18);
    await new Promise((r) => setTimeout(r, 1500));
    const mark = await call('recordingMark', { runId: started.runId, label: 'patient turns' });
    assert.ok(mark.timeS > 0);
    await new Promise((r) => setTimeout(r, 1500));
    const status = await call('recordingStatus', {});
    assert.equal(status.runs.length, 1);
    const health = status.runs[0].devices[0];
    assert.ok(health.samples > 400, `samples ${health.samples}`);
    assert.ok(health.rateHz > 200 && health.rateHz < 700, `rate ${health.rateHz} (4 × 100 Hz expected)`);
    assert.equal(health.connected, true);

    const stopped = await call('recordingStop', { runId: started.runId });
    abort.abort();
    await sim;
    assert.equal(stopped.state, 'stopped');
    offLive();
    offJobs();

    const samplesEvents = live.flatMap((e) => (e.type === 'live-samples' ? [e] : []));
    assert.ok(samplesEvents.length > 5);
    assert.equal(jobsOnly.length, 0, 'a client subscribed to jobs only gets no live samples');
    const points = samplesEvents.reduce((s, e) => s + e.timeS.length, 0);
    const recorded = stopped.devices[0].samples;
    // Decimated for display: ≈ LIVE_POINTS_PER_S per second of the device's own rate (100 Hz → every 2nd sample).
    assert.ok(points <= Math.ceil(recorded / 2) + samplesEvents.length && points >= Math.floor(recorded / 2) - 2, `${points} points for ${recorded} samples`);
    assert.equal(LIVE_POINTS_PER_S, 50);
    for (const e of samplesEvents) assert.equal(e.values.length, 18);

    const trials = (await call('listTrials', { subjectId, offset: 0, limit: 10 })).trials;
    const rec = trials.find((t) => t.id === started.trials[0].trialId)!;
    assert.equal(rec.recordingStatus, 'closed');
    const signals = await call('getSignals', { trialId: rec.id, channels: ['L_total'], valuesIncluded: false });
    assert.equal(signals.channels[0].samples, recorded);
    const events = await call('getEvents', { trialId: rec.id });
    const marker = events.events.find((e) => e.label === 'marker');
    assert.ok(marker, 'the marker is an event of the trial');
    // Every write of the recording (trial, its close, the marker) is in the audit chain and matches the content.
    const audit = await call('auditVerify', {});
    assert.equal(audit.ok, true, JSON.stringify(audit.findings.slice(0, 3)));
  } finally {
    abort.abort();
    await pty.stop();
    closeServiceContext(ctx);
  }
});
