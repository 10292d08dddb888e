// Analyses of a stored model (today: the sparse-autoencoder dictionary's, methods-spec §5.2.6–§5.2.10), kept as
// method runs of role `model-analyses` whose inputs name the model: a training job writes the first in the same
// transaction as the model, a recompute appends a newer one; the newest is the model's. No table of its own: a
// run already records what ran, on which inputs (data version, fingerprint), when and by whom.
import type { Db } from './db';
import { insertRun, type NewRun, type StoredRun } from './runs';
import { stmt } from './statements';

export const MODEL_ANALYSES_ROLE = 'model-analyses';

interface Row { id: number; method: string; version: string; role: string; params: string; seed: number | null; trial_id: string | null; inputs: string; outputs: string; started_at: string; finished_at: string; actor: string }

/** Stores a model's analyses as a run; call inside the transaction that stores the model, or on its own. */
export function insertModelAnalyses(db: Db, actor: string, run: NewRun & { inputs: { modelId: string } }): string {
  if (run.role !== MODEL_ANALYSES_ROLE) throw new Error(`a model's analyses are stored with role ${MODEL_ANALYSES_ROLE}, not ${run.role}`);
  return insertRun(db, actor, run);
}

/**
 * The model's newest analyses run without its outputs (megabytes of JSON: read them with modelAnalysesOutputs, or
 * not at all when the caller holds them already), or null when none was stored (a model trained before that).
 */
export function latestModelAnalyses(db: Db, modelId: string): Omit<StoredRun, 'outputs'> | null {
  const r = stmt(db, `SELECT id, method, version, role, params, seed, trial_id, inputs, started_at, finished_at, actor FROM method_runs
    WHERE trial_id IS NULL AND role = ? AND json_extract(inputs, '$.modelId') = ? ORDER BY id DESC LIMIT 1`).get(MODEL_ANALYSES_ROLE, modelId) as Omit<Row, 'outputs'> | undefined;
  if (!r) return null;
  return {
    id: String(r.id), method: r.method, version: r.version, role: r.role, params: JSON.parse(r.params) as Record<string, unknown>, seed: r.seed,
    trialId: r.trial_id, inputs: JSON.parse(r.inputs) as StoredRun['inputs'], startedAt: r.started_at, finishedAt: r.finished_at, actor: r.actor,
  };
}

/** The outputs of an analyses run (a run is never changed: a recompute stores a new one). */
export function modelAnalysesOutputs(db: Db, runId: string): Record<string, unknown> {
  const r = stmt(db, 'SELECT outputs FROM method_runs WHERE id = ? AND role = ?').get(Number(runId), MODEL_ANALYSES_ROLE) as { outputs: string } | undefined;
  if (!r) throw new Error(`no model analyses run ${runId}`);
  return JSON.parse(r.outputs) as Record<string, unknown>;
}

/** Removes a model's analyses (with the model: store/models.ts deleteModel). */
export function deleteModelAnalyses(db: Db, modelId: string): number {
  return stmt(db, `DELETE FROM method_runs WHERE trial_id IS NULL AND role = ? AND json_extract(inputs, '$.modelId') = ?`).run(MODEL_ANALYSES_ROLE, modelId).changes;
}
