// Time-normalised cycles of a trial (gait cycles, stances), each a float32 curve with its source interval.
import type { Db } from './db';
import { appendAudit } from './audit';
import { insertRun, type NewRun } from './runs';
import { decodeSamples, encodeFloat32 } from './sample-codec';
import { stmt } from './statements';

export type CycleKind = 'stance' | 'gait_cycle';

export interface CycleCurve {
  channel: string;
  side: string | null;
  kind: CycleKind;
  startS: number;
  endS: number;
  unit: string;
  curve: Float32Array;
  /** Why the cycle is not a clean one (incomplete, implausible duration, …); empty when it is. */
  flags: string[];
  /** The events the cycle was cut from ('file', 'plates', 'kinematic', 'manual', 'detector'); null when unknown. */
  eventSource?: string | null;
  /** Foot-off and opposite-foot events, % of the cycle (gait cycles of motion-capture trials). */
  phaseEvents?: Record<string, number | null> | null;
}

export interface StoredCycle extends Omit<CycleCurve, 'curve' | 'eventSource' | 'phaseEvents'> {
  id: string; curve: number[]; runId: string | null; eventSource: string | null; phaseEvents: Record<string, number | null> | null;
}

/**
 * Replaces the trial's cycles of these kinds with a new extraction: the run row, its cycles pointing at it, and an
 * audit row naming the run. Returns the run's id.
 */
export function replaceCycles(db: Db, actor: string, run: NewRun & { trialId: string }, kinds: CycleKind[], cycles: CycleCurve[]): string {
  return db.transaction(() => {
    const { trialId } = run;
    const del = stmt(db, 'DELETE FROM cycles WHERE trial_id = ? AND kind = ?');
    let removed = 0;
    for (const k of kinds) removed += del.run(trialId, k).changes;
    const runId = insertRun(db, actor, run);
    const ins = stmt(db, `INSERT INTO cycles (trial_id, channel, side, kind, start_s, end_s, points, encoding, curve, unit, flags, created_at, run_id, event_source, phase_events)
      VALUES (?, ?, ?, ?, ?, ?, ?, 'f32', ?, ?, ?, ?, ?, ?, ?)`);
    const now = new Date().toISOString();
    for (const c of cycles) {
      ins.run(trialId, c.channel, c.side, c.kind, c.startS, c.endS, c.curve.length, encodeFloat32(c.curve, 'f32'), c.unit, c.flags.length ? JSON.stringify(c.flags) : null, now, Number(runId),
        c.eventSource ?? null, c.phaseEvents ? JSON.stringify(c.phaseEvents) : null);
    }
    appendAudit(db, { actor, action: 'extract-cycles', entity: 'trial', entityId: trialId, oldValue: removed ? { cycles: removed } : null,
      newValue: { method: run.method, version: run.version, runId, kinds, cycles: cycles.length, flagged: cycles.filter((c) => c.flags.length).length, params: run.params } });
    return runId;
  })();
}

interface Row { id: number; channel: string; side: string | null; kind: CycleKind; start_s: number; end_s: number; points: number; encoding: string; curve: Buffer; unit: string; flags: string | null; run_id: number | null; event_source: string | null; phase_events: string | null }

export function readCycles(db: Db, trialId: string, filter: { kind?: CycleKind; channel?: string; channels?: readonly string[] } = {}): StoredCycle[] {
  // Filtered in SQL: a motion-capture trial holds cycles of ~250 channels and a view wants a few of them.
  const channels = filter.channels ? JSON.stringify(filter.channel ? [...filter.channels, filter.channel] : filter.channels) : filter.channel ? JSON.stringify([filter.channel]) : null;
  const rows = stmt(db, `SELECT id, channel, side, kind, start_s, end_s, points, encoding, curve, unit, flags, run_id, event_source, phase_events FROM cycles
    WHERE trial_id = ? AND (? IS NULL OR kind = ?) AND (? IS NULL OR channel IN (SELECT value FROM json_each(?))) ORDER BY channel, side, start_s`)
    .all(trialId, filter.kind ?? null, filter.kind ?? null, channels, channels) as Row[];
  return rows
    .map((r) => ({
      id: String(r.id), channel: r.channel, side: r.side, kind: r.kind, startS: r.start_s, endS: r.end_s, unit: r.unit,
      flags: r.flags ? (JSON.parse(r.flags) as string[]) : [],
      curve: Array.from(decodeSamples(r.curve, r.encoding, r.points, `trial ${trialId} cycle ${r.id} (${r.channel})`)),
      runId: r.run_id === null ? null : String(r.run_id),
      eventSource: r.event_source,
      phaseEvents: r.phase_events ? (JSON.parse(r.phase_events) as Record<string, number | null>) : null,
    }));
}

/** The channels a trial has cycles of (cheap: no curve is read). */
export function cycleChannels(db: Db, trialId: string): string[] {
  return (stmt(db, 'SELECT DISTINCT channel FROM cycles WHERE trial_id = ?').all(trialId) as { channel: string }[]).map((r) => r.channel);
}

/** Cycles are drawn from the events: when an event changes they are dropped, and extracted again on request. */
export function deleteCycles(db: Db, trialId: string): void {
  stmt(db, 'DELETE FROM cycles WHERE trial_id = ?').run(trialId);
}
