// Analyses of a stored sparse-autoencoder model: its codes over the cohort it was trained on (read again from the
// store, trial by trial), per-feature statistics (§5.2.6), and akin-gait retrieval over subject mean codes (§5.2.10).
import { basename } from 'node:path';
import type { ApiResponse } from '../../src-shared/api/schema';
import { buildLatentIndex, nearestSubjects, subjectMeanCodes } from '../../src-shared/sae/akin-retrieval';
import { featureStats } from '../../src-shared/sae/feature-stats';
import { subjectAttributes, subjectLevelCorrelations, trialLevelMaxAbsR } from '../../src-shared/sae/subject-correlations';
import { deriveSeed } from '../../src-shared/sae/subject-split';
import { loadCurveDataset, type DataSelection } from '../compute/curve-dataset';
import { loadSideCycleDataset, type SideCycleRow, type SideCycleSelection } from '../compute/side-cycle-dataset';
import type { CurveDataset } from '../methods/logreg/state';
import { readChannelMeta } from '../store/trial-meta';
import { readSubjectMetadata } from '../store/subject-metadata';
import { trainingDataVersion } from '../store/training-data';
import { initTfjsBackend } from '../compute/tfjs/backend';
import { findTrainable, unpackTensors } from '../compute/trainable';
import { SAE_METHOD_NAME, type SaeState } from '../methods/sae';
import { modelInput } from '../methods/sae/fit';
import { encodeRows } from '../methods/sae/train';
import { readModel } from '../store/models';
import { ApiError } from './api-errors';
import type { ServiceContext } from './context';

export interface CohortCodes {
  state: SaeState;
  data: CurveDataset;
  codes: Float32Array;
  rows: number;
  /** Per code row: its row in the dataset (a trial, or one side's gait cycle). */
  trialRow: number[];
  /** Per code row: the subject. */
  subjects: string[];
  /** Per dataset row: the group. */
  groups: string[];
  /** Per dataset row: its trial, and for cycle rows the side and the stored cycle id. */
  rowTrialIds: string[];
  rowCycles: SideCycleRow[] | null;
  channels: { name: string; unit: string }[];
}

// The last few encodings by database, model and data version: a model's page asks for its dictionary and its map at
// once, and encoding a cohort of 50 000 cycles takes seconds. A new extraction or an audited edit misses the cache.
const cache = new Map<string, Promise<CohortCodes>>();
const CACHED = 2;

/** The model's cohort read again as it was trained (trial curves, or side cycles of the stored channel pairs), encoded. */
export function cohortCodes(ctx: ServiceContext, id: string): Promise<CohortCodes> {
  const key = `${ctx.dbPath}|${id}|${trainingDataVersion(ctx.db)}`;
  let hit = cache.get(key);
  if (!hit) {
    hit = encodeCohort(ctx, id);
    cache.set(key, hit);
    hit.catch(() => cache.delete(key));
    while (cache.size > CACHED) cache.delete(cache.keys().next().value!);
  }
  return hit;
}

async function encodeCohort(ctx: ServiceContext, id: string): Promise<CohortCodes> {
  const m = readModel(ctx.db, id);
  if (!m) throw new ApiError('not-found', `no model ${id}`);
  if (m.method !== SAE_METHOD_NAME) throw new ApiError('input', `model ${id} is a ${m.method} model, not a sparse autoencoder (${SAE_METHOD_NAME})`);
  const sel = m.dataSelection as (DataSelection & { kind?: undefined }) | SideCycleSelection | null;
  if (!sel || !m.architecture || !m.preprocessing || !m.weights) throw new ApiError('input', `model ${id} has no stored data selection or weights`);
  const state = findTrainable(m.method)!.fromStored({ architecture: m.architecture, preprocessing: m.preprocessing, tensors: unpackTensors(m.weightsManifest, m.weights) }, { train: [], test: [] }) as SaeState;
  let data: CurveDataset, rowTrialIds: string[], rowCycles: SideCycleRow[] | null = null, channels: { name: string; unit: string }[];
  if (sel.kind === 'side-cycles') {
    const loaded = loadSideCycleDataset(ctx.db, { cohort: sel.cohort, session: sel.session, channels: sel.pairs.flatMap((p) => [p.left, p.right]), bodyWeight: sel.bodyWeight ?? false }, basename(ctx.dbPath));
    data = loaded.data;
    rowCycles = loaded.rows;
    rowTrialIds = loaded.rows.map((r) => r.trialId);
    channels = sel.pairs.map((p, k) => ({ name: p.name, unit: loaded.selection.units[k] }));
  } else {
    const loaded = loadCurveDataset(ctx.db, { cohort: sel.cohort, session: sel.session }, basename(ctx.dbPath));
    data = loaded.data;
    rowTrialIds = loaded.selection.trials.map((t) => t.id);
    const meta = readChannelMeta(ctx.db, rowTrialIds[0]);
    channels = state.card.channels.map((name) => ({ name, unit: meta.find((c) => c.name === name)?.unit ?? '' }));
  }
  const { matrix, scaled } = modelInput(state.card, state.scaling, data);
  if (matrix.dim !== state.weights.dim) throw new ApiError('input', `model ${id} takes ${state.weights.dim} coefficients per sample; cohort ${sel.cohort} now gives ${matrix.dim}`);
  await initTfjsBackend();
  const codes = encodeRows(state.weights, Float32Array.from(scaled!), matrix.rows);
  const trialRow = matrix.source.map((s) => s.sample);
  return { state, data, codes, rows: matrix.rows, trialRow, subjects: trialRow.map((r) => data.subjects[r]), groups: data.labels, rowTrialIds, rowCycles, channels };
}

export async function features(ctx: ServiceContext, req: { id: string }): Promise<ApiResponse<'saeFeatures'>> {
  const c = await cohortCodes(ctx, req.id);
  const k = c.state.weights.latent;
  const s = featureStats(c.codes, c.rows, k, c.state.weights.kind === 'svae' ? 'signed' : 'relu');
  const dead = new Set(s.dead);
  return {
    model: req.id, variant: c.state.card.variant, samples: c.rows, subjects: new Set(c.subjects).size,
    summary: {
      meanFiringRate: s.meanRate, minFiringRate: s.minRate, maxFiringRate: s.maxRate, meanL0: s.meanL0, dead: s.dead, rare: s.rare, dense: s.dense,
      maxAbsCorrelation: s.maxAbsCorrelation,
      correlatedPairs: [...s.correlatedPairs].sort((a, b) => Math.abs(b.r) - Math.abs(a.r)).slice(0, 50),
    },
    features: s.firingRate.map((f, j) => ({ index: j, firingRate: f, mean: s.mean[j], sd: s.sd[j], varianceShare: s.varianceShare[j], dead: dead.has(j) })),
    ...metadataCorrelations(ctx, c, k, dead),
  };
}

/**
 * §5.2.8 at subject level against every attribute the cohort's subjects have (age, height, body weight, sex,
 * walking speed, H&Y, UPDRS, group membership: subject-correlations.ts), with the trial-level view.
 */
function metadataCorrelations(ctx: ServiceContext, c: CohortCodes, k: number, dead: Set<number>): Pick<ApiResponse<'saeFeatures'>, 'correlations' | 'trialLevelMaxAbsR'> {
  const means = subjectMeanCodes(c.codes, c.rows, k, c.subjects);
  const attributes = subjectAttributes(readSubjectMetadata(ctx.db, means.subjects));
  if (attributes.length === 0) return { correlations: [], trialLevelMaxAbsR: NaN };
  return {
    correlations: subjectLevelCorrelations(means.subjects, means.codes, k, attributes, dead, deriveSeed(c.state.card.seed, 'bootstrap')),
    trialLevelMaxAbsR: trialLevelMaxAbsR(c.subjects, c.codes, k, attributes, dead),
  };
}

export async function akin(ctx: ServiceContext, req: { id: string; trial?: string; subject?: string; k: number }): Promise<ApiResponse<'saeAkin'>> {
  const c = await cohortCodes(ctx, req.id);
  const k = c.state.weights.latent;
  const groupOf = new Map<string, string>();
  c.trialRow.forEach((r, i) => groupOf.set(c.subjects[i], c.groups[r]));
  let querySubject: string;
  let query: Float32Array;
  if (req.trial !== undefined) {
    if (!c.rowTrialIds.includes(req.trial)) throw new ApiError('input', `trial ${req.trial} is not in the model's cohort (or has no usable curves)`);
    const rows = c.trialRow.flatMap((r, i) => (c.rowTrialIds[r] === req.trial ? [i] : []));
    if (rows.length === 0) throw new ApiError('input', `trial ${req.trial} has no usable curves (non-finite values)`);
    query = subjectMeanCodes(codesOf(c.codes, rows, k), rows.length, k, rows.map(() => 'q')).codes;
    querySubject = c.subjects[rows[0]];
  } else {
    const rows = c.subjects.flatMap((s, i) => (s === req.subject ? [i] : []));
    if (rows.length === 0) throw new ApiError('not-found', `subject ${req.subject} has no trials in the model's cohort`);
    query = subjectMeanCodes(codesOf(c.codes, rows, k), rows.length, k, rows.map(() => 'q')).codes;
    querySubject = req.subject!;
  }
  // The database holds one mean code per subject; the query subject is excluded by ID whatever the query was.
  const means = subjectMeanCodes(c.codes, c.rows, k, c.subjects);
  const index = buildLatentIndex(means);
  let neighbours;
  try {
    neighbours = nearestSubjects(index, query, req.k, querySubject);
  } catch (e) {
    throw new ApiError('input', (e as Error).message);
  }
  const coded = [...new Set(c.trialRow)];
  const queryRows = req.trial !== undefined ? coded.filter((r) => c.rowTrialIds[r] === req.trial) : coded.filter((r) => c.data.subjects[r] === querySubject);
  return {
    model: req.id, query: { subject: querySubject, trial: req.trial ?? null, group: groupOf.get(querySubject) ?? '', curve: meanCurve(c.data, queryRows) },
    database: index.subjects.filter((s) => s !== querySubject).length, excludedZero: index.excludedZero.length,
    channel: c.channels[0],
    neighbours: neighbours.map((n) => {
      const i = means.subjects.indexOf(n.subject);
      return {
        subject: n.subject, distance: n.distance, group: groupOf.get(n.subject) ?? '', shared: sharedFeatures(query, means.codes.subarray(i * k, (i + 1) * k), 3),
        curve: meanCurve(c.data, coded.filter((r) => c.data.subjects[r] === n.subject)),
      };
    }),
  };
}

/** The mean over rows of the first channel's 101-point curve (what a neighbour is plotted as against the query). */
function meanCurve(data: CurveDataset, rows: readonly number[]): number[] {
  const out = new Float64Array(data.points);
  for (const r of rows) for (let t = 0; t < data.points; t++) out[t] += data.x[r * data.features + t];
  return Array.from(out, (v) => Math.round((v / Math.max(rows.length, 1)) * 1e4) / 1e4);
}

/** The features most active in both codes: by min(a_j, b_j) > 0, largest first. */
export function sharedFeatures(a: ArrayLike<number>, b: ArrayLike<number>, count: number): { feature: number; query: number; neighbour: number }[] {
  const out: { feature: number; query: number; neighbour: number }[] = [];
  for (let j = 0; j < a.length; j++) if (Math.min(a[j], b[j]) > 0) out.push({ feature: j, query: a[j], neighbour: b[j] });
  return out.sort((x, y) => Math.min(y.query, y.neighbour) - Math.min(x.query, x.neighbour) || x.feature - y.feature).slice(0, count);
}

function codesOf(codes: Float32Array, rows: readonly number[], k: number): Float32Array {
  const out = new Float32Array(rows.length * k);
  rows.forEach((r, i) => out.set(codes.subarray(r * k, (r + 1) * k), i * k));
  return out;
}
