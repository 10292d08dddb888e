// Cross-validated "walks like this one" (methods-spec §5.2.10 with subject-grouped folds): for each fold the
// dictionary is trained on the other folds' subjects only (with its own inner subject split for early stopping),
// the held-out subjects are encoded, and each held-out subject's mean code queries the training subjects' mean
// codes (cosine, exact). Precision@k is the share of neighbours in the query's group; the base rate is the share
// of the database in that group (what random neighbours would give). Sparsity is measured on held-out codes.
import { heldOutRetrieval } from '../../../src-shared/sae/held-out-retrieval';
import { featureStats } from '../../../src-shared/sae/feature-stats';
import { deriveSeed, subjectGroupedFolds } from '../../../src-shared/sae/subject-split';
import type { CurveDataset } from '../logreg/state';
import { fitSae, modelInput } from './fit';
import type { SaeMethodParams } from './params';
import { encodeRows } from './train';

export interface RetrievalCvOptions {
  folds: number;
  k: number;
  seed: number;
  params: SaeMethodParams;
  backend: string;
  permutations?: number;
  onFold?(fold: number, folds: number): void;
}

export interface RetrievalQuery { subject: string; group: string; fold: number; precision: number; baseRate: number; neighbours: string[] }

export interface RetrievalFold {
  fold: number;
  trainSubjects: number;
  testSubjects: number;
  trainRows: number;
  testRows: number;
  precision: number;
  baseRate: number;
  permutationP: number;
  /** On the held-out rows: mean firing rate, mean active features per row, dead features. */
  firingRate: number;
  meanL0: number;
  dead: number;
  /** Inner validation (early stopping) R² in scaled coefficient space. */
  innerR2: number;
  epochs: number;
}

export interface RetrievalCvResult { folds: RetrievalFold[]; queries: RetrievalQuery[]; precision: number; baseRate: number; firingRate: number }

/** The dataset's rows `rows`, in order, as a dataset of its own. */
export function subsetRows(data: CurveDataset, rows: readonly number[]): CurveDataset {
  const x = new Float32Array(rows.length * data.features);
  rows.forEach((r, i) => x.set(data.x.subarray(r * data.features, (r + 1) * data.features), i * data.features));
  return { ...data, x, rows: rows.length, labels: rows.map((r) => data.labels[r]), subjects: rows.map((r) => data.subjects[r]) };
}

export async function crossValidatedRetrieval(data: CurveDataset, o: RetrievalCvOptions): Promise<RetrievalCvResult> {
  const folds = subjectGroupedFolds(data.subjects, o.folds, o.seed);
  const groupOf = new Map<string, string>();
  data.subjects.forEach((s, r) => groupOf.set(s, data.labels[r]));
  const queries: RetrievalQuery[] = [];
  const out: RetrievalFold[] = [];
  for (let f = 0; f < folds.length; f++) {
    o.onFold?.(f, folds.length);
    const test = new Set(folds[f]);
    const trainRows: number[] = [], testRows: number[] = [];
    data.subjects.forEach((s, r) => (test.has(s) ? testRows : trainRows).push(r));
    const train = subsetRows(data, trainRows);
    const held = subsetRows(data, testRows);
    const { state, metrics } = await fitSae(train, o.params, o.seed + f, o.backend);
    const latent = state.weights.latent;
    const encode = (d: CurveDataset) => {
      const { matrix, scaled } = modelInput(state.card, state.scaling, d);
      const codes = encodeRows(state.weights, Float32Array.from(scaled!), matrix.rows);
      return { codes, rows: matrix.rows, subjects: matrix.source.map((s) => d.subjects[s.sample]) };
    };
    const db = encode(train);
    const q = encode(held);
    const codes = new Float32Array((db.rows + q.rows) * latent);
    codes.set(db.codes);
    codes.set(q.codes, db.rows * latent);
    const r = heldOutRetrieval(codes, db.rows + q.rows, latent, [...db.subjects, ...q.subjects], test, (s) => groupOf.get(s) ?? '',
      { k: o.k, seed: deriveSeed(o.seed + f, 'bootstrap'), permutations: o.permutations ?? 999 });
    for (const x of r.queries) queries.push({ ...x, fold: f });
    const stats = featureStats(q.codes, q.rows, latent, state.weights.kind === 'svae' ? 'signed' : 'relu');
    out.push({
      fold: f, trainSubjects: r.database, testSubjects: r.queries.length, trainRows: train.rows, testRows: held.rows,
      precision: r.precision, baseRate: r.baseRate, permutationP: r.permutationP,
      firingRate: stats.meanRate, meanL0: stats.meanL0, dead: stats.dead.length, innerR2: metrics.validationR2Scaled, epochs: metrics.epochsRun,
    });
  }
  const rowsWeighted = out.reduce((s, f) => s + f.firingRate * f.testRows, 0) / out.reduce((s, f) => s + f.testRows, 0);
  return { folds: out, queries, precision: mean(queries.map((x) => x.precision)), baseRate: mean(queries.map((x) => x.baseRate)), firingRate: rowsWeighted };
}

function mean(v: readonly number[]): number {
  return v.length ? v.reduce((s, x) => s + x, 0) / v.length : NaN;
}
