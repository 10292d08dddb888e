// The acquisition process: opens the store and the devices, records until told to stop (a 'stop' message,
// SIGTERM/SIGINT, or the configured duration), and reports to its host. Runs under child_process.fork (Node)
// or Electron's utilityProcess; never inside the main or renderer process, so a stalled UI never drops samples.
import { openDatabase, type Db } from '../store/db';
import { appendMarker } from '../store/recordings';
import { recoverInterruptedRecordings } from './recording-recovery';
import { ACQUISITION_CONFIG_ENV, type AcquisitionConfig, type AcquisitionToHost, type HostToAcquisition } from './acquisition-protocol';
import { hostNowMs } from './drivers/line-serial-driver';
import { createDriver } from './device-drivers';
import { Recorder } from './recorder';

/** SQLite page cache of the recording connection, KiB (SQLite's own default; better-sqlite3 sets 16 MB). */
const RECORDER_CACHE_KIB = 2000;

type Port = { postMessage(m: unknown): void; on(ev: 'message', fn: (e: { data: unknown }) => void): void };

function hostChannel(): { send(m: AcquisitionToHost): void; onMessage(fn: (m: HostToAcquisition) => void): void } {
  // Electron's utilityProcess: process.parentPort; Node's fork: process.send.
  const parentPort = (process as unknown as { parentPort?: Port }).parentPort;
  if (parentPort) return { send: (m) => parentPort.postMessage(m), onMessage: (fn) => parentPort.on('message', (e) => fn(e.data as HostToAcquisition)) };
  return {
    send: (m) => { if (process.send && process.connected) process.send(m); },
    onMessage: (fn) => process.on('message', (m) => fn(m as HostToAcquisition)),
  };
}

async function main(): Promise<void> {
  const host = hostChannel();
  const config = JSON.parse(process.env[ACQUISITION_CONFIG_ENV] ?? 'null') as AcquisitionConfig | null;
  if (!config) throw new Error(`${ACQUISITION_CONFIG_ENV} is not set`);
  let db: Db | null = null;
  let recorder: Recorder | null = null;
  let stopping: Promise<void> | null = null;
  const stop = () => {
    stopping ??= (async () => {
      if (recorder) host.send({ type: 'stopped', summary: await recorder.stop() });
      db?.close();
      process.exit(0);
    })().catch((e: Error) => { host.send({ type: 'failed', error: e.message }); process.exit(1); });
    return stopping;
  };
  host.onMessage((m) => {
    if (m.type === 'stop') void stop();
    if (m.type === 'mark' && recorder && db) {
      const timeS = (hostNowMs() - recorder.originHostMs) / 1000;
      for (const trialId of recorder.trialIds) appendMarker(db, config.actor, trialId, timeS, m.label);
      host.send({ type: 'marked', trialId: recorder.trialIds[0], timeS, label: m.label });
    }
  });
  process.on('SIGTERM', () => void stop());
  process.on('SIGINT', () => void stop());
  process.on('disconnect', () => void stop());
  try {
    db = openDatabase(config.dbPath, { access: 'existing' });
    // This connection appends chunks and never reads them back until the trial closes: better-sqlite3's 16 MB page
    // cache only filled with written pages, and was most of this process's RSS growth over a long recording.
    db.pragma(`cache_size = -${RECORDER_CACHE_KIB}`);
    recoverInterruptedRecordings(db, config.actor);
    const drivers = config.devices.map((d) => ({ config: d, ...createDriver(d, () => host.send({ type: 'listening', port: d.port })) }));
    const descriptions = await Promise.all(drivers.map((d) => d.driver.open()));
    recorder = new Recorder(db, config.actor, config.subjectId, {
      onStatus: (status) => host.send({ type: 'status', status }),
      onGap: (g) => host.send({ type: 'gap', ...g }),
      onLive: config.live ? (batch) => host.send({ type: 'live', batch }) : undefined,
    });
    const trials = [];
    for (let i = 0; i < drivers.length; i++) {
      const d = drivers[i];
      const trialId = await recorder.add({ driver: d.driver, port: d.config.port, badCounts: d.badCounts }, descriptions[i]);
      trials.push({ trialId, deviceId: descriptions[i].deviceId, kind: descriptions[i].kind, rateHz: descriptions[i].rateHz, channels: descriptions[i].channels.map((c) => c.name) });
    }
    host.send({ type: 'started', runId: recorder.runId, originHostMs: recorder.originHostMs, trials });
    if (config.durationS !== undefined) setTimeout(() => void stop(), config.durationS * 1000);
  } catch (e) {
    host.send({ type: 'failed', error: (e as Error).message });
    db?.close();
    process.exit(1);
  }
}

void main();
