// Live recording for the faces that hold a service context (app, browser mode): starts the acquisition process,
// relays its live samples and device health to the EventBus topic 'live', and answers status, mark and stop.
// The acquisition process is the only writer of the recording; this side never touches its chunks.
import type { RecordingRun } from '../../src-shared/api/recording';
import type { ApiRequest } from '../../src-shared/api/schema';
import { getSubject } from '../store/queries';
import type { AcquisitionToHost } from '../acquisition/acquisition-protocol';
import { spawnAcquisition, type AcquisitionHandle } from '../acquisition/spawn-acquisition';
import { LINE_PROTOCOL_KINDS } from '../acquisition/device-drivers';
import { DEVICE_OPEN_TIMEOUT_MS } from '../acquisition/driver';
import { ApiError } from './api-errors';
import type { ServiceContext } from './context';

export interface Run {
  info: RecordingRun;
  handle: AcquisitionHandle;
  /** Per device: arrivals of the last second (host ms, samples) for the rate shown. */
  recent: Map<string, { atMs: number; n: number }[]>;
  listeners: Set<(m: AcquisitionToHost) => void>;
  /**
   * A device's samples, gaps and status that came before 'started' named the run's devices: a driver streams (and
   * reports its battery on its first block) as soon as it is added, while the next device still opens.
   */
  early: AcquisitionToHost[];
  exited: Promise<void>;
}

const runsOf = new WeakMap<ServiceContext, Map<string, Run>>();
/** Longer than a driver waits for its device, so that the driver's own reason (e.g. "no GaitLab header line within 30 s") is what the user reads. */
const START_TIMEOUT_MS = DEVICE_OPEN_TIMEOUT_MS + 5_000;

function runs(ctx: ServiceContext): Map<string, Run> {
  let m = runsOf.get(ctx);
  if (!m) runsOf.set(ctx, (m = new Map()));
  return m;
}

function waitFor<T>(run: Run, pick: (m: AcquisitionToHost) => T | undefined, timeoutMs: number, what: string): Promise<T> {
  return new Promise((resolve, reject) => {
    const t = setTimeout(() => { run.listeners.delete(l); reject(new ApiError('internal', `${what}: no answer from the acquisition process within ${timeoutMs / 1000} s`)); }, timeoutMs);
    const l = (m: AcquisitionToHost) => {
      if (m.type === 'failed') { clearTimeout(t); run.listeners.delete(l); reject(new ApiError('internal', m.error)); return; }
      const v = pick(m);
      if (v !== undefined) { clearTimeout(t); run.listeners.delete(l); resolve(v); }
    };
    run.listeners.add(l);
    void run.exited.then(() => { if (run.listeners.has(l)) { clearTimeout(t); run.listeners.delete(l); reject(new ApiError('internal', `${what}: the acquisition process ended (${run.info.error ?? 'no reason given'})`)); } });
  });
}

function refreshRates(run: Run): void {
  const now = performance.timeOrigin + performance.now();
  for (const d of run.info.devices) {
    const r = (run.recent.get(d.deviceId) ?? []).filter((x) => now - x.atMs <= 1000);
    run.recent.set(d.deviceId, r);
    d.rateHz = r.reduce((s, x) => s + x.n, 0);
  }
}

/** Applies one message of the acquisition process to the run's state and the event bus (exported for its tests). */
export function onMessage(ctx: ServiceContext, run: Run, m: AcquisitionToHost): void {
  const info = run.info;
  if (info.state === 'starting' && (m.type === 'live' || m.type === 'gap' || m.type === 'status')) {
    run.early.push(m);
    return;
  }
  if (m.type === 'started') {
    info.runId = m.runId;
    info.originHostMs = m.originHostMs;
    info.state = 'recording';
    info.trials = m.trials.map((t) => ({ trialId: t.trialId, deviceId: t.deviceId, kind: t.kind, rateHz: t.rateHz, channels: t.channels }));
    info.devices = m.trials.map((t) => ({ trialId: t.trialId, deviceId: t.deviceId, samples: 0, rateHz: 0, gaps: 0, lostSamples: 0, badLines: 0, connected: true, battery: null }));
    for (const e of run.early.splice(0)) onMessage(ctx, run, e);
  } else if (m.type === 'live') {
    const d = info.devices.find((x) => x.deviceId === m.batch.deviceId);
    if (d) d.samples += m.batch.samples;
    const r = run.recent.get(m.batch.deviceId) ?? [];
    r.push({ atMs: m.batch.sentAtMs, n: m.batch.samples });
    run.recent.set(m.batch.deviceId, r);
    const { samples: _n, ...batch } = m.batch;
    if (batch.timeS.length) ctx.events.publish({ type: 'live-samples', topic: 'live', runId: info.runId, ...batch });
  } else if (m.type === 'gap') {
    const d = info.devices.find((x) => x.deviceId === m.deviceId);
    if (d) { d.gaps++; d.lostSamples += m.missing ?? 0; if (m.kind === 'silence') d.connected = false; }
    ctx.events.publish({ type: 'live-status', topic: 'live', runId: info.runId, deviceId: m.deviceId, status: m.kind === 'silence' ? 'silent' : 'lost-samples',
      detail: m.kind === 'silence' ? `silent, detected after ${Math.round(m.detectedMs ?? 0)} ms` : `${m.missing} samples lost on the link` });
  } else if (m.type === 'status') {
    const s = m.status;
    const d = info.devices.find((x) => x.deviceId === s.deviceId);
    if (d && s.type === 'bad-input') d.badLines = s.count;
    if (d && s.type === 'connected') d.connected = true;
    if (d && s.type === 'disconnected') d.connected = false;
    if (d && s.type === 'battery') d.battery = s.percent;
    ctx.events.publish({ type: 'live-status', topic: 'live', runId: info.runId, deviceId: s.deviceId, status: s.type, detail: describeStatus(s) });
  } else if (m.type === 'marked') {
    info.markers.push({ timeS: m.timeS, label: m.label });
  } else if (m.type === 'stopped') {
    info.state = 'stopped';
    for (const t of m.summary.trials) {
      const d = info.devices.find((x) => x.trialId === t.trialId);
      if (d) { d.samples = t.samples; d.gaps = t.gaps; d.badLines = Object.values(t.badLines).reduce((a, b) => a + b, 0); }
    }
  } else if (m.type === 'failed') {
    info.state = 'failed';
    info.error = m.error;
  }
  for (const l of [...run.listeners]) l(m);
}

function describeStatus(s: Extract<AcquisitionToHost, { type: 'status' }>['status']): string {
  switch (s.type) {
    case 'connected': return `${s.description.kind} at ${s.description.rateHz} Hz, ${s.description.channels.length} channels`;
    case 'disconnected': return s.reason;
    case 'reconnecting': return `attempt ${s.attempt}`;
    case 'bad-input': return `${s.reason} (${s.count} so far)`;
    case 'lost-samples': return `${s.missing} from counter ${s.fromCounter}`;
    case 'jitter': return `arrival jitter p95 ${s.p95Ms.toFixed(1)} ms at a ${s.nominalPeriodMs.toFixed(1)} ms period`;
    case 'battery': return `${s.percent} %`;
    case 'warning': return s.message;
  }
}

export async function start(ctx: ServiceContext, req: ApiRequest<'recordingStart'>): Promise<RecordingRun> {
  if (ctx.db.readonly) throw new ApiError('bad-request', 'the database is open read-only: nothing can be recorded into it');
  if (!getSubject(ctx.db, req.subjectId)) throw new ApiError('not-found', `no subject ${req.subjectId}`);
  const legacyElsewhere = req.devices.find((d) => d.legacyRateHz !== undefined && !LINE_PROTOCOL_KINDS.includes(d.kind));
  if (legacyElsewhere) throw new ApiError('bad-request', `${legacyElsewhere.port}: plain lines (legacyRateHz) are for insoles and IMUs, not a ${legacyElsewhere.kind}`);
  const handle = spawnAcquisition({
    dbPath: ctx.dbPath, actor: ctx.actor, subjectId: req.subjectId, durationS: req.durationS, live: true,
    devices: req.devices.map((d) => ({ port: d.port, kind: d.kind, legacy: d.legacyRateHz ? { rateHz: d.legacyRateHz } : undefined })),
  });
  let exitedResolve!: () => void;
  const run: Run = {
    info: { runId: `starting-${handle.pid}`, subjectId: req.subjectId, state: 'starting', startedAt: new Date().toISOString(), originHostMs: null, trials: [], devices: [], markers: [], error: null },
    handle, recent: new Map(), listeners: new Set(), early: [], exited: new Promise((r) => { exitedResolve = r; }),
  };
  handle.onMessage((m) => onMessage(ctx, run, m));
  handle.onExit((code, sig) => {
    if (run.info.state !== 'stopped') { run.info.state = 'failed'; run.info.error ??= `the acquisition process ended (exit ${code ?? sig})`; }
    exitedResolve();
  });
  try {
    await waitFor(run, (m) => (m.type === 'started' ? true : undefined), START_TIMEOUT_MS, 'recordingStart');
  } catch (e) {
    handle.send({ type: 'stop' }); // a start given up on must not leave a process recording that nobody can stop
    throw e;
  }
  runs(ctx).set(run.info.runId, run);
  return snapshot(run);
}

function find(ctx: ServiceContext, runId: string): Run {
  const run = runs(ctx).get(runId);
  if (!run) throw new ApiError('not-found', `no recording run ${runId}`);
  return run;
}

function snapshot(run: Run): RecordingRun {
  refreshRates(run);
  return structuredClone(run.info);
}

export async function stop(ctx: ServiceContext, req: ApiRequest<'recordingStop'>): Promise<RecordingRun> {
  const run = find(ctx, req.runId);
  if (run.info.state === 'recording') {
    run.info.state = 'stopping';
    const stopped = waitFor(run, (m) => (m.type === 'stopped' ? true : undefined), 60_000, 'recordingStop');
    run.handle.send({ type: 'stop' });
    await stopped;
    await run.exited;
  }
  return snapshot(run);
}

export async function mark(ctx: ServiceContext, req: ApiRequest<'recordingMark'>): Promise<{ runId: string; timeS: number; label: string }> {
  const run = find(ctx, req.runId);
  if (run.info.state !== 'recording') throw new ApiError('conflict', `recording ${req.runId} is ${run.info.state}: markers go into a running recording`);
  const marked = waitFor(run, (m) => (m.type === 'marked' && m.label === req.label ? m : undefined), 10_000, 'recordingMark');
  run.handle.send({ type: 'mark', label: req.label });
  const m = await marked;
  return { runId: req.runId, timeS: m.timeS, label: m.label };
}

export function status(ctx: ServiceContext, req: ApiRequest<'recordingStatus'>): { runs: RecordingRun[] } {
  const all = [...runs(ctx).values()].filter((r) => !req.runId || r.info.runId === req.runId);
  if (req.runId && all.length === 0) throw new ApiError('not-found', `no recording run ${req.runId}`);
  return { runs: all.map(snapshot) };
}

/** The system's serial ports as serialport lists them; a failure to list is an answer, not an error. */
export async function ports(): Promise<{ ports: { path: string; manufacturer: string | null; serialNumber: string | null }[]; error: string | null }> {
  try {
    const { SerialPort } = await import('serialport');
    const list = await SerialPort.list();
    return { ports: list.map((p) => ({ path: p.path, manufacturer: p.manufacturer ?? null, serialNumber: p.serialNumber ?? null })), error: null };
  } catch (e) {
    return { ports: [], error: (e as Error).message };
  }
}
