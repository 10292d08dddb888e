// Live recordings in the store: a trial marked `recording` while its samples arrive in chunks, gaps as they are
// found, and the fold of the chunks into ordinary signals and clocks when the trial is closed or found interrupted.
// Chunks are written by the acquisition process only; every commit also refreshes the recorder's heartbeat.
import { fitClockLowerEnvelope } from '../../src-shared/signal/clock-alignment';
import { appendAudit } from './audit';
import type { Db } from './db';
import { newId } from './ids';
import { decodeSamples, encodeFloat32, encodeFloat64, CLOCK_ENCODING, DEFAULT_SIGNAL_ENCODING } from './sample-codec';
import { stmt } from './statements';

export type RecordingStatus = 'recording' | 'closed' | 'interrupted';

export interface RecordingChannel { name: string; unit: string; side?: 'left' | 'right' | 'both' | null }

export interface NewRecording {
  subjectId: string;
  runId: string;
  deviceId: string;
  deviceKind: string;
  port: string | null;
  rateHz: number;
  channels: RecordingChannel[];
  originHostMs: number;
  recorderPid: number;
  recorderHost: string;
}

export interface RecordingRow {
  trialId: string;
  runId: string;
  deviceId: string;
  status: RecordingStatus;
  recorderPid: number | null;
  recorderHost: string | null;
  heartbeatAt: string | null;
  samples: number;
}

/** One device's chunk. The arrays may be views of the recorder's reused buffers: appendChunks encodes them before it returns. */
export interface ChunkToWrite {
  trialId: string;
  seq: number;
  counter: Float64Array;
  deviceTimeUs: Float64Array;
  hostTimeMs: Float64Array;
  /** samples × channels, sample-major. */
  values: Float32Array;
}

/** The session of a day's live recordings of one subject: created on first use. */
function liveSession(db: Db, actor: string, subjectId: string, now: string): string {
  const key = `live-${now.slice(0, 10)}`;
  const found = stmt(db, 'SELECT id FROM sessions WHERE subject_id = ? AND key = ?').get(subjectId, key) as { id: string } | undefined;
  if (found) return found.id;
  const id = newId('SE');
  stmt(db, 'INSERT INTO sessions (id, subject_id, key, label, date, condition, created_at) VALUES (?, ?, ?, ?, ?, NULL, ?)')
    .run(id, subjectId, key, `Live recording ${now.slice(0, 10)}`, now.slice(0, 10), now);
  appendAudit(db, { actor, action: 'create', entity: 'session', entityId: id, newValue: { subjectId, key, label: `Live recording ${now.slice(0, 10)}` } });
  return id;
}

/** Creates the trial (status `recording`) and its recordings row; returns the trial id. */
export function createRecording(db: Db, actor: string, r: NewRecording): string {
  return db.transaction(() => {
    const now = new Date().toISOString();
    if (!stmt(db, 'SELECT 1 FROM subjects WHERE id = ?').get(r.subjectId)) throw new Error(`no subject ${r.subjectId}`);
    const sessionId = liveSession(db, actor, r.subjectId, now);
    const trialId = newId('T');
    const key = `${now.replace(/[-:]/g, '').slice(0, 15)}-${r.deviceId}`;
    const label = `Live ${r.deviceKind} ${r.deviceId} ${now.slice(11, 19)}`;
    stmt(db, `INSERT INTO trials (id, session_id, key, label, source_location, created_at, recording_status) VALUES (?, ?, ?, ?, ?, ?, 'recording')`)
      .run(trialId, sessionId, key, label, r.port ? `live: ${r.port}` : 'live', now);
    stmt(db, `INSERT INTO recordings (trial_id, run_id, device_id, device_kind, port, rate_hz, channels, origin_host_ms, recorder_pid, recorder_host, heartbeat_at, started_at)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`)
      .run(trialId, r.runId, r.deviceId, r.deviceKind, r.port, r.rateHz, JSON.stringify(r.channels), r.originHostMs, r.recorderPid, r.recorderHost, now, now);
    appendAudit(db, { actor, action: 'create', entity: 'trial', entityId: trialId, newValue: { sessionId, key, label, recording: { runId: r.runId, deviceId: r.deviceId, kind: r.deviceKind, port: r.port } } });
    return trialId;
  }).immediate();
}

/** One commit: every device's new chunk, the heartbeat and the bad-line counts. */
export function appendChunks(db: Db, chunks: ChunkToWrite[], heartbeat: { trialIds: string[]; badLines: Map<string, Record<string, number>> }): void {
  const insert = stmt(db, 'INSERT INTO recording_chunks (trial_id, seq, samples, counter, device_time, host_time, vals) VALUES (?, ?, ?, ?, ?, ?, ?)');
  const count = stmt(db, 'UPDATE recordings SET samples = samples + ? WHERE trial_id = ?');
  const beat = stmt(db, 'UPDATE recordings SET heartbeat_at = ?, bad_lines = ? WHERE trial_id = ?');
  db.transaction(() => {
    for (const c of chunks) {
      insert.run(c.trialId, c.seq, c.counter.length, encodeFloat64(c.counter, 'small'), encodeFloat64(c.deviceTimeUs, 'small'), encodeFloat64(c.hostTimeMs, 'small'),
        encodeFloat32(c.values, DEFAULT_SIGNAL_ENCODING, 'small'));
      count.run(c.counter.length, c.trialId);
    }
    const now = new Date().toISOString();
    for (const t of heartbeat.trialIds) beat.run(now, JSON.stringify(heartbeat.badLines.get(t) ?? {}), t);
  })();
}

export function recordGap(db: Db, trialId: string, g: { kind: 'silence' | 'lost-samples'; startHostMs: number; endHostMs?: number | null; detectedMs?: number | null; fromCounter?: number | null; missing?: number | null }): number {
  return Number(stmt(db, 'INSERT INTO recording_gaps (trial_id, kind, start_host_ms, end_host_ms, detected_ms, from_counter, missing) VALUES (?, ?, ?, ?, ?, ?, ?)')
    .run(trialId, g.kind, g.startHostMs, g.endHostMs ?? null, g.detectedMs ?? null, g.fromCounter ?? null, g.missing ?? null).lastInsertRowid);
}

export function closeGap(db: Db, gapId: number, endHostMs: number): void {
  stmt(db, 'UPDATE recording_gaps SET end_host_ms = ? WHERE id = ?').run(endHostMs, gapId);
}

export interface StoredGap { kind: 'silence' | 'lost-samples'; startHostMs: number; endHostMs: number | null; detectedMs: number | null; fromCounter: number | null; missing: number | null }

export function readGaps(db: Db, trialId: string): StoredGap[] {
  return (stmt(db, 'SELECT kind, start_host_ms, end_host_ms, detected_ms, from_counter, missing FROM recording_gaps WHERE trial_id = ? ORDER BY start_host_ms').all(trialId) as
    { kind: StoredGap['kind']; start_host_ms: number; end_host_ms: number | null; detected_ms: number | null; from_counter: number | null; missing: number | null }[])
    .map((r) => ({ kind: r.kind, startHostMs: r.start_host_ms, endHostMs: r.end_host_ms, detectedMs: r.detected_ms, fromCounter: r.from_counter, missing: r.missing }));
}

export function recordingsWithStatus(db: Db, status: RecordingStatus): RecordingRow[] {
  return (stmt(db, `SELECT r.trial_id, r.run_id, r.device_id, t.recording_status, r.recorder_pid, r.recorder_host, r.heartbeat_at, r.samples
    FROM recordings r JOIN trials t ON t.id = r.trial_id WHERE t.recording_status = ?`).all(status) as
    { trial_id: string; run_id: string; device_id: string; recording_status: RecordingStatus; recorder_pid: number | null; recorder_host: string | null; heartbeat_at: string | null; samples: number }[])
    .map((r) => ({ trialId: r.trial_id, runId: r.run_id, deviceId: r.device_id, status: r.recording_status, recorderPid: r.recorder_pid, recorderHost: r.recorder_host, heartbeatAt: r.heartbeat_at, samples: r.samples }));
}

export interface RecordedArrays { counter: Float64Array; deviceTimeUs: Float64Array; hostTimeMs: Float64Array; values: Float32Array; channelCount: number }

/** Every committed sample of a recording still in chunks, in order of arrival. */
export function readChunks(db: Db, trialId: string): RecordedArrays {
  const meta = stmt(db, 'SELECT channels FROM recordings WHERE trial_id = ?').get(trialId) as { channels: string } | undefined;
  if (!meta) throw new Error(`trial ${trialId} is not a recording`);
  const channelCount = (JSON.parse(meta.channels) as RecordingChannel[]).length;
  const rows = stmt(db, 'SELECT samples, counter, device_time, host_time, vals FROM recording_chunks WHERE trial_id = ? ORDER BY seq').all(trialId) as
    { samples: number; counter: Buffer; device_time: Buffer; host_time: Buffer; vals: Buffer }[];
  const n = rows.reduce((s, r) => s + r.samples, 0);
  const out: RecordedArrays = { counter: new Float64Array(n), deviceTimeUs: new Float64Array(n), hostTimeMs: new Float64Array(n), values: new Float32Array(n * channelCount), channelCount };
  let at = 0;
  for (const r of rows) {
    out.counter.set(decodeSamples(r.counter, CLOCK_ENCODING, r.samples), at);
    out.deviceTimeUs.set(decodeSamples(r.device_time, CLOCK_ENCODING, r.samples), at);
    out.hostTimeMs.set(decodeSamples(r.host_time, CLOCK_ENCODING, r.samples), at);
    out.values.set(decodeSamples(r.vals, DEFAULT_SIGNAL_ENCODING, r.samples * channelCount), at * channelCount);
    at += r.samples;
  }
  return out;
}

/**
 * Folds the chunks into the trial's signals (one per channel, rate measured from the device clock) and its
 * clocks (device: the device's time since its first sample, s; host: receive time since the run's origin, s),
 * stores the clock fit, deletes the chunks and sets the final status, in one transaction.
 */
export function finalizeRecording(db: Db, actor: string, trialId: string, status: 'closed' | 'interrupted', reason?: string): { samples: number } {
  return db.transaction(() => {
    const meta = stmt(db, `SELECT r.channels, r.rate_hz, r.origin_host_ms, r.device_id, t.recording_status FROM recordings r JOIN trials t ON t.id = r.trial_id WHERE r.trial_id = ?`).get(trialId) as
      { channels: string; rate_hz: number; origin_host_ms: number; device_id: string; recording_status: RecordingStatus } | undefined;
    if (!meta) throw new Error(`trial ${trialId} is not a recording`);
    if (meta.recording_status !== 'recording') return { samples: 0 };
    const channels = JSON.parse(meta.channels) as RecordingChannel[];
    const a = readChunks(db, trialId);
    const n = a.counter.length;
    const deviceMs = a.deviceTimeUs.map((t) => t / 1000);
    const fit = fitClockLowerEnvelope(deviceMs, a.hostTimeMs);
    const t0 = n ? a.deviceTimeUs[0] : 0;
    const deviceS = a.deviceTimeUs.map((t) => (t - t0) / 1e6);
    const hostS = a.hostTimeMs.map((t) => (t - meta.origin_host_ms) / 1000);
    const spanS = n > 1 ? deviceS[n - 1] : 0;
    const counterSpan = n > 1 ? a.counter[n - 1] - a.counter[0] : 0;
    // Rate from the device clock over the counter span (lost samples included): the device's true rate.
    const rateHz = spanS > 0 && counterSpan > 0 ? counterSpan / spanS : meta.rate_hz;
    const insert = stmt(db, `INSERT INTO signals (trial_id, channel, unit, rate_hz, domain, side, samples, encoding, data, position, device) VALUES (?, ?, ?, ?, 'time', ?, ?, ?, ?, ?, ?)`);
    channels.forEach((c, k) => {
      const col = new Float32Array(n);
      for (let i = 0; i < n; i++) col[i] = a.values[i * channels.length + k];
      insert.run(trialId, c.name, c.unit, rateHz, c.side ?? null, n, DEFAULT_SIGNAL_ENCODING, encodeFloat32(col), k, meta.device_id);
    });
    if (n > 0) {
      const clock = stmt(db, 'INSERT INTO trial_clocks (trial_id, clock, samples, encoding, data) VALUES (?, ?, ?, ?, ?)');
      clock.run(trialId, 'device', n, CLOCK_ENCODING, encodeFloat64(deviceS));
      clock.run(trialId, 'host', n, CLOCK_ENCODING, encodeFloat64(hostS));
    }
    stmt(db, 'DELETE FROM recording_chunks WHERE trial_id = ?').run(trialId);
    stmt(db, `UPDATE trials SET recording_status = ?, duration_s = ? WHERE id = ?`).run(status, n > 1 ? spanS : null, trialId);
    stmt(db, 'UPDATE recordings SET stopped_at = ?, clock_offset_ms = ?, clock_slope = ? WHERE trial_id = ?').run(new Date().toISOString(), fit.offsetMs, fit.slope, trialId);
    appendAudit(db, { actor, action: status === 'closed' ? 'record-close' : 'record-interrupted', entity: 'trial', entityId: trialId,
      newValue: { samples: n, channels: channels.map((c) => c.name), rateHz, reason: reason ?? null } });
    return { samples: n };
  }).immediate();
}

export function recordingStatusOf(db: Db, trialId: string): RecordingStatus | null {
  const r = stmt(db, 'SELECT recording_status FROM trials WHERE id = ?').get(trialId) as { recording_status: RecordingStatus | null } | undefined;
  return r?.recording_status ?? null;
}

/** A technician's marker: an ordinary manual event of the trial, at run time `timeS`. */
export function appendMarker(db: Db, actor: string, trialId: string, timeS: number, label: string): void {
  db.transaction(() => {
    const id = Number(stmt(db, `INSERT INTO gait_events (trial_id, label, side, time_s, source, params, manual, created_at) VALUES (?, 'marker', NULL, ?, 'recording', ?, 1, ?)`)
      .run(trialId, timeS, JSON.stringify({ text: label }), new Date().toISOString()).lastInsertRowid);
    appendAudit(db, { actor, action: 'create', entity: 'gait_event', entityId: String(id), newValue: { trialId, label: 'marker', text: label, timeS } });
  })();
}
