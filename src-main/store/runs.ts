// Runs of methods (detectors, cycle extraction, model fits) as rows of their own: method, version, every
// parameter, inputs with their content hashes, a summary of the outputs, time and actor. Written in the same
// transaction as the outputs they produced (events.ts, cycles.ts); the audit log records the change and names the run.
import type { Db } from './db';
import { stmt } from './statements';

export interface RunInputs {
  /** The trials the run read, with the content hash each had then. */
  trials: { trialId: string; contentSha256: string | null }[];
  /** Anything else the run read: e.g. the events a cycle extraction used, with their hash and run. */
  [key: string]: unknown;
}

export interface NewRun {
  method: string;
  version: string;
  role: string;
  params: Record<string, unknown>;
  seed: number | null;
  /** The trial the run was on, when it was on one (a cohort fit is on many: see inputs). */
  trialId: string | null;
  inputs: RunInputs;
  outputs: Record<string, unknown>;
  startedAt: string;
  finishedAt: string;
}

export interface StoredRun extends NewRun {
  id: string;
  actor: string;
}

interface Row { id: number; method: string; version: string; role: string; params: string; seed: number | null; trial_id: string | null; inputs: string; outputs: string; started_at: string; finished_at: string; actor: string }

function toRun(r: Row): StoredRun {
  return {
    id: String(r.id), method: r.method, version: r.version, role: r.role, params: JSON.parse(r.params) as Record<string, unknown>, seed: r.seed,
    trialId: r.trial_id, inputs: JSON.parse(r.inputs) as RunInputs, outputs: JSON.parse(r.outputs) as Record<string, unknown>,
    startedAt: r.started_at, finishedAt: r.finished_at, actor: r.actor,
  };
}

/** Stores a run; call inside the transaction that stores its outputs. Returns the run's id. */
export function insertRun(db: Db, actor: string, run: NewRun): string {
  return String(stmt(db, `INSERT INTO method_runs (method, version, role, params, seed, trial_id, inputs, outputs, started_at, finished_at, actor)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`).run(run.method, run.version, run.role, JSON.stringify(run.params), run.seed, run.trialId,
    JSON.stringify(run.inputs), JSON.stringify(run.outputs), run.startedAt, run.finishedAt, actor).lastInsertRowid);
}

export function readRun(db: Db, id: string): StoredRun | null {
  const r = stmt(db, 'SELECT * FROM method_runs WHERE id = ?').get(Number(id)) as Row | undefined;
  return r ? toRun(r) : null;
}

/** The trial's last run of a role ('gait-events', 'cycles'), or null when none ran. */
export function latestRun(db: Db, trialId: string, role: string): StoredRun | null {
  const r = stmt(db, 'SELECT * FROM method_runs WHERE trial_id = ? AND role = ? ORDER BY id DESC LIMIT 1').get(trialId, role) as Row | undefined;
  return r ? toRun(r) : null;
}

/** Runs on a trial, oldest first, optionally of one role. */
export function listRuns(db: Db, trialId: string, role?: string): StoredRun[] {
  const rows = (role === undefined
    ? stmt(db, 'SELECT * FROM method_runs WHERE trial_id = ? ORDER BY id').all(trialId)
    : stmt(db, 'SELECT * FROM method_runs WHERE trial_id = ? AND role = ? ORDER BY id').all(trialId, role)) as Row[];
  return rows.map(toRun);
}
