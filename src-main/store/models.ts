// Trained models with everything needed to trace and reproduce them: method and version, architecture,
// weights (one BLOB of little-endian float32 tensors described by a manifest), parameters, the data selection
// (trial ids and content hashes), preprocessing state, seed, backend, metrics and the GaitLab version.
import type { Db } from './db';
import { appendAudit } from './audit';
import { deleteModelAnalyses } from './model-analyses';
import { stmt } from './statements';

export interface WeightEntry { name: string; shape: number[]; dtype: 'float32'; offset: number; length: number }

export interface NewModel {
  id: string;
  method: string;
  methodVersion: string;
  name: string;
  jobId: string | null;
  params: Record<string, unknown>;
  architecture: Record<string, unknown>;
  weightsManifest: WeightEntry[];
  weights: Buffer;
  dataSelection: Record<string, unknown>;
  preprocessing: Record<string, unknown>;
  seed: number;
  backend: string;
  metrics: Record<string, unknown>;
  gaitlabVersion: string;
  actor: string;
}

export interface StoredModelSummary {
  id: string; method: string; methodVersion: string | null; name: string; jobId: string | null; createdAt: string;
  params: Record<string, unknown>; metrics: Record<string, unknown> | null; seed: number | null; backend: string | null; gaitlabVersion: string | null;
}

export interface StoredModel extends StoredModelSummary {
  architecture: Record<string, unknown> | null;
  weightsManifest: WeightEntry[];
  weights: Buffer | null;
  dataSelection: Record<string, unknown> | null;
  preprocessing: Record<string, unknown> | null;
  actor: string | null;
}

interface ModelRow {
  id: string; method: string; method_version: string | null; name: string; job_id: string | null; created_at: string; params: string; metrics: string | null;
  seed: number | null; backend: string | null; gaitlab_version: string | null;
}
interface FullModelRow extends ModelRow { architecture: string | null; weights_manifest: string | null; artefact: Buffer | null; data_selection: string | null; preprocessing: string | null; actor: string | null }

const SUMMARY = 'id, method, method_version, name, job_id, created_at, params, metrics, seed, backend, gaitlab_version';
const parse = <T>(s: string | null): T | null => (s === null ? null : (JSON.parse(s) as T));

function toSummary(r: ModelRow): StoredModelSummary {
  return {
    id: r.id, method: r.method, methodVersion: r.method_version, name: r.name, jobId: r.job_id, createdAt: r.created_at,
    params: JSON.parse(r.params) as Record<string, unknown>, metrics: parse(r.metrics), seed: r.seed, backend: r.backend, gaitlabVersion: r.gaitlab_version,
  };
}

/** Call inside the transaction that finishes the job (store/jobs.ts completeJobWithModel). */
export function insertModel(db: Db, m: NewModel): void {
  stmt(db, `INSERT INTO models (id, method, method_version, name, job_id, params, architecture, weights_manifest, artefact, data_selection, preprocessing,
      seed, backend, metrics, gaitlab_version, actor, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`).run(
    m.id, m.method, m.methodVersion, m.name, m.jobId, JSON.stringify(m.params), JSON.stringify(m.architecture), JSON.stringify(m.weightsManifest), m.weights,
    JSON.stringify(m.dataSelection), JSON.stringify(m.preprocessing), m.seed, m.backend, JSON.stringify(m.metrics), m.gaitlabVersion, m.actor, new Date().toISOString(),
  );
}

/** Newest first. */
export function listModels(db: Db): StoredModelSummary[] {
  return (stmt(db, `SELECT ${SUMMARY} FROM models ORDER BY created_at DESC, rowid DESC`).all() as ModelRow[]).map(toSummary);
}

export function readModel(db: Db, id: string): StoredModel | null {
  const r = stmt(db, `SELECT ${SUMMARY}, architecture, weights_manifest, artefact, data_selection, preprocessing, actor FROM models WHERE id = ?`).get(id) as FullModelRow | undefined;
  if (!r) return null;
  return {
    ...toSummary(r),
    architecture: parse(r.architecture),
    weightsManifest: parse<WeightEntry[]>(r.weights_manifest) ?? [],
    weights: r.artefact,
    dataSelection: parse(r.data_selection),
    preprocessing: parse(r.preprocessing),
    actor: r.actor,
  };
}

export function countModels(db: Db): number {
  return (stmt(db, 'SELECT COUNT(*) AS n FROM models').get() as { n: number }).n;
}

/** Deletes a model and audits it with what it was (not its weights); false when there is no such model. */
export function deleteModel(db: Db, actor: string, id: string): boolean {
  return db.transaction(() => {
    const m = stmt(db, `SELECT ${SUMMARY} FROM models WHERE id = ?`).get(id) as ModelRow | undefined;
    if (!m) return false;
    stmt(db, 'DELETE FROM models WHERE id = ?').run(id);
    deleteModelAnalyses(db, id);
    const s = toSummary(m);
    appendAudit(db, { actor, action: 'delete', entity: 'model', entityId: id, oldValue: { method: s.method, methodVersion: s.methodVersion, jobId: s.jobId, createdAt: s.createdAt, params: s.params, metrics: s.metrics } });
    return true;
  })();
}
