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
import { runShimmerSimulator } from '../../src-main/acquisition/shimmer3/device-simulator';
import { bleAvailability } from '../../src-main/acquisition/movella-dot/ble';
import { onMessage, type Run } from '../../src-main/services/recording-service';

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

test('recordingStart with a Shimmer3: its calibrated channels, health with rate and battery, live samples; plain lines refused for it; a Movella DOT refused "BLE unavailable: <reason>" where noble does not load', { timeout: 120_000 }, async () => {
  const dir = tempDir();
  const db = join(dir, 'live.db');
  const BIN = sharedData('shimmer3', 'triaxcal_sample.bin');
  assert.equal(gaitlab(['--db', db, 'import', BIN, '--subject', 'triaxcal_sample']).code, 0);
  const ctx = openServiceContext({ dbPath: db, mode: 'browser' });
  const pty = new PtyPair(dir, 'shimmer');
  await pty.start();
  const abort = new AbortController();
  try {
    const call = checkedDispatch(createDispatcher(ctx));
    const subjectId = (await call('listSubjects', { search: 'triaxcal' })).subjects[0].id;
    await assert.rejects(call('recordingStart', { subjectId, devices: [{ port: pty.host, kind: 'shimmer3', legacyRateHz: 100 }] }),
      new RegExp(`${pty.host}: plain lines \\(legacyRateHz\\) are for insoles and IMUs, not a shimmer3`));
    const ble = await bleAvailability(undefined, 1500);
    if (!ble.available) await assert.rejects(call('recordingStart', { subjectId, devices: [{ port: 'any', kind: 'movella-dot' }] }), { message: `BLE unavailable: ${ble.reason}` });

    const live: ApiEvent[] = [];
    const off = ctx.events.subscribe({ topics: ['live'], jobIds: [] }, (e) => live.push(checkEvent(e)));
    let listening!: () => void;
    const ready = new Promise<void>((r) => { listening = r; });
    const sim = runShimmerSimulator({ from: BIN, port: pty.device, rateX: 5, durationS: 25, signal: abort.signal, onListening: () => listening() });
    await ready;
    const started = await call('recordingStart', { subjectId, devices: [{ port: pty.host, kind: 'shimmer3' }] });
    assert.equal(started.trials[0].kind, 'shimmer3');
    assert.equal(started.trials[0].deviceId, 'Shimmer3 shimmer-host');
    assert.deepEqual(started.trials[0].channels, ['accel_ln_x', 'accel_ln_y', 'accel_ln_z', 'battery', 'gyro_x', 'gyro_y', 'gyro_z', 'accel_wr_x', 'accel_wr_y', 'accel_wr_z', 'mag_x', 'mag_y', 'mag_z']);
    await new Promise((r) => setTimeout(r, 2500));
    const health = (await call('recordingStatus', { runId: started.runId })).runs[0].devices[0];
    assert.ok(health.rateHz > 250 && health.rateHz < 500, `rate ${health.rateHz} (5 × 73.14 Hz expected)`);
    assert.equal(health.connected, true);
    assert.equal(health.lostSamples, 0);
    assert.ok(health.battery !== null && health.battery > 0 && health.battery <= 100, `battery ${health.battery}`);
    const stopped = await call('recordingStop', { runId: started.runId });
    abort.abort();
    await sim;
    off();
    assert.equal(stopped.state, 'stopped');
    const samplesEvents = live.flatMap((e) => (e.type === 'live-samples' ? [e] : []));
    assert.ok(samplesEvents.length > 5);
    for (const e of samplesEvents) assert.equal(e.values.length, 13);
    assert.ok(live.some((e) => e.type === 'live-status' && e.status === 'battery'));
    const signals = await call('getSignals', { trialId: started.trials[0].trialId, channels: ['gyro_x'], valuesIncluded: false });
    assert.equal(signals.channels[0].unit, 'deg/s');
    assert.equal(signals.channels[0].samples, stopped.devices[0].samples);
    assert.ok(stopped.devices[0].samples > 500);
  } finally {
    abort.abort();
    await pty.stop();
    closeServiceContext(ctx);
  }
});

test('recordingStart on a port whose device says nothing: after the driver\'s 30 s the driver\'s own reason, no recording left behind', { timeout: 90_000 }, async () => {
  const dir = tempDir();
  const db = join(dir, 'silent.db');
  assert.equal(gaitlab(['--db', db, 'import', WALK]).code, 0);
  const ctx = openServiceContext({ dbPath: db, mode: 'browser' });
  const pty = new PtyPair(dir, 'silent');
  await pty.start();
  try {
    const call = checkedDispatch(createDispatcher(ctx));
    const subjectId = (await call('listSubjects', { search: 'GaCo01' })).subjects[0].id;
    // The start waits longer than the driver, so the message is the driver's, not a bare "no answer" timeout.
    await assert.rejects(call('recordingStart', { subjectId, devices: [{ port: pty.host, kind: 'insole' }] }),
      (e: Error) => /no GaitLab header line within 30 s \(is the device speaking the line protocol\? try --legacy\)/.test(e.message) && !e.message.includes('\n'));
    assert.deepEqual((await call('recordingStatus', {})).runs, []);
    assert.equal((await call('listTrials', {})).trials.length, 1, 'only the imported walk: no trial made for the silent device');
  } finally {
    closeServiceContext(ctx);
    await pty.stop();
  }
});

test('a device\'s battery and gaps reported before the run has started are kept: applied when "started" names the devices, their events then carry the run id', () => {
  const ctx = openServiceContext({ dbPath: join(tempDir(), 'early.db'), mode: 'browser' });
  try {
    const seen: ApiEvent[] = [];
    const off = ctx.events.subscribe({ topics: ['live'], jobIds: [] }, (e) => seen.push(e));
    const run: Run = {
      info: { runId: 'starting-1', subjectId: 'S-1', state: 'starting', startedAt: new Date().toISOString(), originHostMs: null, trials: [], devices: [], markers: [], error: null },
      handle: null as unknown as Run['handle'], recent: new Map(), listeners: new Set(), early: [], exited: Promise.resolve(),
    };
    // As a Shimmer3 does: its first block (battery in it) is decoded while the acquisition process still opens the next device.
    onMessage(ctx, run, { type: 'status', status: { type: 'battery', deviceId: 'Shimmer3 A', percent: 87 } });
    onMessage(ctx, run, { type: 'gap', trialId: 'T-1', deviceId: 'Shimmer3 A', kind: 'lost-samples', missing: 3 });
    assert.equal(seen.length, 0, 'nothing is published for a run that has not started');
    onMessage(ctx, run, { type: 'started', runId: 'R-1', originHostMs: 0, trials: [{ trialId: 'T-1', deviceId: 'Shimmer3 A', kind: 'shimmer3', rateHz: 73.14, channels: ['battery'] }] });
    assert.equal(run.info.devices[0].battery, 87);
    assert.equal(run.info.devices[0].gaps, 1);
    assert.equal(run.info.devices[0].lostSamples, 3);
    assert.deepEqual(seen.map((e) => [e.type, (e as { runId?: string }).runId, (e as { status?: string }).status]), [['live-status', 'R-1', 'battery'], ['live-status', 'R-1', 'lost-samples']]);
    off();
  } finally {
    closeServiceContext(ctx);
  }
});
