// Stored LRP relevance maps (methods-spec §5.1.7): one row per input (a trial, or one gait cycle of a trial for a
// model of cycles: row_key, migration 11), model, run and composite, with the
// explained and predicted class, the logits (float64), the map itself as a float32 little-endian BLOB laid out
// channel-major (c·T + t) and unnormalised, its sum and residual. Derived data (recomputable from the model and
// the trial), so not in the audit log; a model's maps go with it (ON DELETE CASCADE).
import { createHash } from 'node:crypto';
import type { Db } from './db';
import { stmt } from './statements';

export interface NewRelevanceMap {
  trialId: string;
  /** The gait cycle of the trial a map of a cycle model explains (its row id, trial @ stride start); absent for a trial. */
  rowKey?: string;
  subjectId: string;
  run: number;
  target: { index: number; label: string };
  predicted: { index: number; label: string };
  logits: Float64Array;
  explainedLogit: number;
  relevance: Float32Array;
  relevanceSum: number;
  residual: number;
}

/** What every map of one batch shares: the model, its data selection and the composite. */
export interface RelevanceBatchInfo {
  modelId: string;
  dataset: string;
  task: string;
  modelKind: string;
  runSeed: number;
  composite: string;
  samples: number;
  channels: string[];
  gaitlabVersion: string;
}

export interface StoredRelevanceMap extends NewRelevanceMap, RelevanceBatchInfo {
  modelHash: string;
  scalingRef: string;
  createdAt: string;
}

interface Row {
  model_id: string; trial_id: string; row_key: string; subject_id: string; dataset: string; task: string; model_kind: string; model_hash: string; run: number; run_seed: number;
  composite: string; target_index: number; target_label: string; predicted_index: number; predicted_label: string; logits: Buffer; explained_logit: number;
  samples: number; channels: string; relevance: Buffer; relevance_sum: number; residual: number; scaling_ref: string; gaitlab_version: string; created_at: string;
}

/** sha256 of the model's weights BLOB: names the exact weights a map came from. */
export function modelWeightsHash(db: Db, modelId: string): string | null {
  const r = stmt(db, 'SELECT artefact FROM models WHERE id = ?').get(modelId) as { artefact: Buffer | null } | undefined;
  if (!r) return null;
  return createHash('sha256').update(r.artefact ?? Buffer.alloc(0)).digest('hex');
}

function littleEndianFloat64(values: Float64Array): Buffer {
  const b = Buffer.alloc(values.length * 8);
  values.forEach((v, i) => b.writeDoubleLE(v, i * 8));
  return b;
}

function littleEndianFloat32(values: Float32Array): Buffer {
  const b = Buffer.alloc(values.length * 4);
  values.forEach((v, i) => b.writeFloatLE(v, i * 4));
  return b;
}

function readFloat64(b: Buffer): Float64Array {
  const out = new Float64Array(b.length / 8);
  for (let i = 0; i < out.length; i++) out[i] = b.readDoubleLE(i * 8);
  return out;
}

function readFloat32(b: Buffer): Float32Array {
  const out = new Float32Array(b.length / 4);
  for (let i = 0; i < out.length; i++) out[i] = b.readFloatLE(i * 4);
  return out;
}

/**
 * Stores the maps of one model and composite in one transaction, replacing the ones of the same trials (a map
 * is recomputed, never kept twice; a cycle model's maps of a trial are replaced all together). Returns how many rows were written.
 */
export function storeRelevanceMaps(db: Db, info: RelevanceBatchInfo, maps: readonly NewRelevanceMap[]): number {
  const modelHash = modelWeightsHash(db, info.modelId);
  if (modelHash === null) throw new Error(`no model ${info.modelId}`);
  const size = info.samples * info.channels.length;
  const insert = stmt(db, `INSERT INTO relevance_maps (model_id, trial_id, row_key, subject_id, dataset, task, model_kind, model_hash, run, run_seed, composite,
      target_index, target_label, predicted_index, predicted_label, logits, explained_logit, samples, channels, relevance, relevance_sum, residual,
      scaling_ref, gaitlab_version, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
    ON CONFLICT (model_id, trial_id, row_key, composite) DO UPDATE SET subject_id = excluded.subject_id, dataset = excluded.dataset, task = excluded.task,
      model_kind = excluded.model_kind, model_hash = excluded.model_hash, run = excluded.run, run_seed = excluded.run_seed,
      target_index = excluded.target_index, target_label = excluded.target_label, predicted_index = excluded.predicted_index,
      predicted_label = excluded.predicted_label, logits = excluded.logits, explained_logit = excluded.explained_logit, samples = excluded.samples,
      channels = excluded.channels, relevance = excluded.relevance, relevance_sum = excluded.relevance_sum, residual = excluded.residual,
      scaling_ref = excluded.scaling_ref, gaitlab_version = excluded.gaitlab_version, created_at = excluded.created_at`);
  const channels = JSON.stringify(info.channels);
  const at = new Date().toISOString();
  // A cycle model's maps of a trial are replaced as a whole: cycles extracted again start at other times.
  const dropCycles = stmt(db, "DELETE FROM relevance_maps WHERE model_id = ? AND composite = ? AND trial_id = ? AND row_key != ''");
  return db.transaction(() => {
    for (const trialId of new Set(maps.filter((m) => m.rowKey).map((m) => m.trialId))) dropCycles.run(info.modelId, info.composite, trialId);
    for (const m of maps) {
      if (m.relevance.length !== size) throw new RangeError(`relevance map of ${m.rowKey ?? `trial ${m.trialId}`}: ${m.relevance.length} values, expected ${size}`);
      insert.run(info.modelId, m.trialId, m.rowKey ?? '', m.subjectId, info.dataset, info.task, info.modelKind, modelHash, m.run, info.runSeed, info.composite,
        m.target.index, m.target.label, m.predicted.index, m.predicted.label, littleEndianFloat64(m.logits), m.explainedLogit, info.samples, channels,
        littleEndianFloat32(m.relevance), m.relevanceSum, m.residual, `models/${info.modelId}/preprocessing.runs[run=${m.run}]`, info.gaitlabVersion, at);
    }
    return maps.length;
  })();
}

/** The stored maps of a model and composite (of one subject if given), in order of insertion (a cycle model: one per cycle). */
export function readRelevanceMaps(db: Db, modelId: string, composite: string, subjectId?: string): StoredRelevanceMap[] {
  const rows = (subjectId === undefined
    ? stmt(db, 'SELECT * FROM relevance_maps WHERE model_id = ? AND composite = ? ORDER BY id').all(modelId, composite)
    : stmt(db, 'SELECT * FROM relevance_maps WHERE model_id = ? AND composite = ? AND subject_id = ? ORDER BY id').all(modelId, composite, subjectId)) as Row[];
  return rows.map((r) => ({
    modelId: r.model_id, trialId: r.trial_id, ...(r.row_key ? { rowKey: r.row_key } : {}), subjectId: r.subject_id, dataset: r.dataset, task: r.task, modelKind: r.model_kind, modelHash: r.model_hash,
    run: r.run, runSeed: r.run_seed, composite: r.composite, target: { index: r.target_index, label: r.target_label },
    predicted: { index: r.predicted_index, label: r.predicted_label }, logits: readFloat64(r.logits), explainedLogit: r.explained_logit,
    samples: r.samples, channels: JSON.parse(r.channels) as string[], relevance: readFloat32(r.relevance), relevanceSum: r.relevance_sum,
    residual: r.residual, scalingRef: r.scaling_ref, gaitlabVersion: r.gaitlab_version, createdAt: r.created_at,
  }));
}

/** The composites a model has stored maps for, with their counts. */
export function relevanceMapCounts(db: Db, modelId: string): { composite: string; maps: number }[] {
  return stmt(db, 'SELECT composite, COUNT(*) AS maps FROM relevance_maps WHERE model_id = ? GROUP BY composite ORDER BY composite').all(modelId) as { composite: string; maps: number }[];
}
