// The analyses of a sparse-autoencoder dictionary (methods-spec §5.2.6–§5.2.10, issue 17 "stored with the model"):
// per-feature statistics and subject-level metadata correlations, the dictionary's cards (atoms, histograms, top
// cycles with reconstructions), the latent map (t-SNE, PCA, k-means) and the retrieval database (subject and trial
// mean codes with their curves). Computed once — at the end of the training job, in the transaction that stores
// the model; for a model stored before that, on its first read — and stored as a run (store/model-analyses.ts)
// with the data version and the cohort's fingerprint. Reads answer from the stored run; when the cohort's data
// changed since, they say so (and keep answering the old data, never a mix) until a recompute is asked for.
import { RecentCache } from './recent-cache';
import type { z } from 'zod';
import type { ApiResponse } from '../../src-shared/api/schema';
import { SAE_STORED_TOP, type saeAnalysesInfo } from '../../src-shared/api/sae';
import { activationHistogram } from '../../src-shared/sae/activation-histogram';
import { subjectMeanCodes } from '../../src-shared/sae/akin-retrieval';
import { featureStats } from '../../src-shared/sae/feature-stats';
import { reconstructedCurves, unitActivationCurves } from '../../src-shared/sae/feature-decoding';
import { chooseK } from '../../src-shared/sae/kmeans';
import { pca } from '../../src-shared/sae/pca';
import { subjectAttributes, subjectLevelCorrelations, trialLevelMaxAbsR, type MetadataAttribute } from '../../src-shared/sae/subject-correlations';
import { deriveSeed } from '../../src-shared/sae/subject-split';
import { subjectsFiringMost, topActivatingSamples } from '../../src-shared/sae/top-activations';
import type { CurveDataset } from '../methods/logreg/state';
import { SAE_METHOD_NAME } from '../methods/sae';
import { importEsm } from '../esm-import';
import { insertModelAnalyses, latestModelAnalyses, modelAnalysesOutputs, MODEL_ANALYSES_ROLE } from '../store/model-analyses';
import { readModel } from '../store/models';
import type { NewRun } from '../store/runs';
import { trainingDataVersion } from '../store/training-data';
import { ApiError } from './api-errors';
import type { ServiceContext } from './context';
import { cohortFingerprint, encodeSaeCohort, loadSaeCohort, type CohortCodes, type SaeModelLike } from './sae-cohort';

export type SaeAnalysesInfo = z.infer<typeof saeAnalysesInfo>;
type Stored<T> = Omit<T, 'model' | 'analyses'>;

/** The latent map's stored settings: the request's defaults (api/sae.ts saeLatentMap). */
export const STORED_MAP = { iterations: 500, seed: 42 } as const;
const ANALYSES_VERSION = '1.0.0';

/** The retrieval database: one mean code per subject, and per trial the mean code of its rows, with the curves plotted. */
export interface SaeRetrieval {
  latent: number;
  channel: { name: string; unit: string };
  /** Ascending IDs; `groups`, `curves` and the rows of `codes` (subjects × latent) in the same order. */
  subjects: string[];
  groups: string[];
  codes: number[];
  /** Per subject: the mean curve of the model's first channel over its rows, 101 points. */
  curves: number[][];
  trials: { id: string; subject: string; code: number[]; curve: number[] }[];
}

export interface SaeAnalyses {
  format: 1;
  features: Stored<ApiResponse<'saeFeatures'>>;
  /** With the SAE_STORED_TOP top samples per feature. */
  dictionary: Stored<ApiResponse<'saeDictionary'>>;
  /** Or why there is none (a cohort of fewer than 3 subjects). */
  latentMap: Stored<ApiResponse<'saeLatentMap'>> | { error: string };
  retrieval: SaeRetrieval;
}

const round = (v: number) => Math.round(v * 1e4) / 1e4;
type Progress = (p: { stage: string; fraction: number }) => void;
const tick = () => new Promise<void>((resolve) => setImmediate(resolve));

/** Every analysis of §5.2.6–§5.2.10 on the encoded cohort; yields between steps (a job's heartbeat and cancel). */
export async function computeSaeAnalyses(c: CohortCodes, progress: Progress = () => {}, signal?: AbortSignal): Promise<SaeAnalyses> {
  const step = async (stage: string, fraction: number) => {
    progress({ stage, fraction });
    await tick();
    if (signal?.aborted) throw signal.reason instanceof Error ? signal.reason : new Error('cancelled');
  };
  const k = c.state.weights.latent;
  const kind = c.state.weights.kind === 'svae' ? 'signed' : 'relu';
  const stats = featureStats(c.codes, c.rows, k, kind);
  const dead = new Set(stats.dead);
  const means = subjectMeanCodes(c.codes, c.rows, k, c.subjects);
  const inMeans = new Set(means.subjects);
  const attributes = subjectAttributes(c.metadata.filter((r) => inMeans.has(r.subject)));
  const groupOf = new Map<string, string>();
  c.trialRow.forEach((r, i) => groupOf.set(c.subjects[i], c.groups[r]));
  await step('metadata correlations (bootstrap)', 0.1);
  const features: SaeAnalyses['features'] = {
    variant: c.state.card.variant, samples: c.rows, subjects: inMeans.size,
    summary: {
      meanFiringRate: stats.meanRate, minFiringRate: stats.minRate, maxFiringRate: stats.maxRate, meanL0: stats.meanL0, dead: stats.dead, rare: stats.rare, dense: stats.dense,
      maxAbsCorrelation: stats.maxAbsCorrelation,
      correlatedPairs: [...stats.correlatedPairs].sort((a, b) => Math.abs(b.r) - Math.abs(a.r)).slice(0, 50),
    },
    features: stats.firingRate.map((f, j) => ({ index: j, firingRate: f, mean: stats.mean[j], sd: stats.sd[j], varianceShare: stats.varianceShare[j], dead: dead.has(j) })),
    ...(attributes.length === 0 ? { correlations: [], trialLevelMaxAbsR: NaN } : {
      correlations: subjectLevelCorrelations(means.subjects, means.codes, k, attributes, dead, deriveSeed(c.state.card.seed, 'bootstrap'), 2000,
        (done, total) => progress({ stage: 'metadata correlations (bootstrap)', fraction: 0.1 + 0.3 * (done / total) })),
      trialLevelMaxAbsR: trialLevelMaxAbsR(c.subjects, c.codes, k, attributes, dead),
    }),
  };
  await step('feature cards', 0.4);
  const dictionary = dictionaryOf(c, stats, dead, means, groupOf);
  await step('latent map (t-SNE, PCA, k-means)', 0.6);
  let latentMap: SaeAnalyses['latentMap'];
  try {
    latentMap = await latentMapOf(means.subjects, means.codes, k, groupOf, attributes, { ...STORED_MAP },
      (f) => progress({ stage: 'latent map (t-SNE, PCA, k-means)', fraction: 0.6 + 0.3 * f }));
  } catch (e) {
    if (!(e instanceof ApiError)) throw e;
    latentMap = { error: e.message };
  }
  await step('retrieval database', 0.9);
  const retrieval = retrievalOf(c, means.subjects, means.codes, groupOf);
  return { format: 1, features, dictionary, latentMap, retrieval };
}

function dictionaryOf(c: CohortCodes, s: ReturnType<typeof featureStats>, dead: Set<number>, means: ReturnType<typeof subjectMeanCodes>, groupOf: Map<string, string>): SaeAnalyses['dictionary'] {
  const k = c.state.weights.latent;
  const kind = c.state.weights.kind === 'svae' ? 'signed' : 'relu';
  const { data } = c;
  const curvesOf = (row: number) => c.state.card.channels.map((_, ch) => Array.from(data.x.subarray(row * data.features + ch * data.points, row * data.features + (ch + 1) * data.points), round));
  const { W, bd, dim } = c.state.weights;
  const stacked = c.state.card.layout === 'stacked';
  return {
    variant: c.state.card.variant, rows: c.rowCycles ? 'side-cycles' : 'trials', samples: c.rows, channels: c.channels, meanFiringRate: s.meanRate,
    features: s.firingRate.map((rate, j) => ({
      index: j, firingRate: rate, varianceShare: s.varianceShare[j], dead: dead.has(j),
      atom: unitActivationCurves(W, dim, j, c.state.scaling).map((curve) => Array.from(curve, round)),
      histogram: activationHistogram(c.codes, c.rows, k, j, kind),
      topSubjects: subjectsFiringMost(means.subjects, means.codes, k, j).map((t) => ({ ...t, group: groupOf.get(t.subject) ?? '' })),
      top: dead.has(j) ? [] : topActivatingSamples(c.codes, c.rows, k, j, c.subjects, { count: SAE_STORED_TOP, kind }).map((t) => {
        const row = c.trialRow[t.row];
        const cycle = c.rowCycles?.[row] ?? null;
        const reconstruction = stacked ? reconstructedCurves(c.codes.subarray(t.row * k, (t.row + 1) * k), W, bd, dim, c.state.scaling).map((curve) => Array.from(curve, round)) : null;
        return { subject: t.subject, group: c.groups[row], trial: c.rowTrialIds[row], side: cycle?.side ?? c.rowSides?.[row] ?? null, cycleId: cycle?.cycleId ?? null, activation: t.activation, curves: curvesOf(row), reconstruction };
      }),
    })),
  };
}

interface Druid { TSNE: new (X: number[][], p: { perplexity: number; seed: number; d: number }) => { generator(iterations: number): Generator<number[][], number[][], void> } }

/** §5.2.9 on subject mean codes: seeded t-SNE (druidjs) beside PCA; k-means on the full codes, k by the largest mean silhouette. */
export async function latentMapOf(subjects: readonly string[], codes: Float32Array, k: number, groupOf: ReadonlyMap<string, string>, attributes: readonly MetadataAttribute[],
  req: { perplexity?: number; iterations: number; seed: number }, onIteration?: (fraction: number) => void): Promise<Stored<ApiResponse<'saeLatentMap'>>> {
  const n = subjects.length;
  if (n < 3) throw new ApiError('input', `a map needs at least 3 subjects; the model's cohort has ${n}`);
  // t-SNE needs perplexity < n; the usual 30 where the cohort allows, else (n − 1) / 3.
  const perplexity = req.perplexity ?? Math.max(2, Math.min(30, Math.floor((n - 1) / 3)));
  if (perplexity >= n) throw new ApiError('input', `perplexity ${perplexity} must be below the number of subjects (${n})`);
  const X = subjects.map((_, i) => Array.from(codes.subarray(i * k, (i + 1) * k)));
  const druid = await importEsm<Druid>('@saehrimnir/druidjs');
  // Iteration by iteration (the same steps as transform()), so that a worker can report between them.
  let Y: number[][] = [];
  let done = 0;
  for (const y of new druid.TSNE(X, { perplexity, seed: req.seed, d: 2 }).generator(req.iterations)) {
    Y = y;
    if (++done % 20 === 0) onIteration?.(done / req.iterations);
  }
  const p = pca(codes, n, k, 2);
  const clusters = chooseK(codes, n, k, deriveSeed(req.seed, 'shuffle'), 2, Math.min(10, n - 1));
  const sizes = new Array<number>(clusters.k).fill(0);
  for (const l of clusters.fit.labels) sizes[l]++;
  const shown = attributes.filter((a) => !a.name.startsWith('group = '));
  return {
    method: 't-SNE (druidjs 0.9.0) of subject mean codes, squared Euclidean', perplexity, iterations: req.iterations, seed: req.seed,
    points: subjects.map((subject, i) => ({
      subject, group: groupOf.get(subject) ?? '', x: Y[i][0], y: Y[i][1], pc1: p.scores[i * 2], pc2: p.scores[i * 2 + 1], cluster: clusters.fit.labels[i] + 1,
      metadata: Object.fromEntries(shown.map((a) => [a.name, a.values.get(subject) ?? null])),
    })),
    pca: { explainedVarianceRatio: p.explainedVarianceRatio.slice(0, 2) },
    kmeans: { k: clusters.k, silhouette: clusters.silhouettes.find((x) => x.k === clusters.k)!.silhouette, silhouettes: clusters.silhouettes, sizes },
    attributes: shown.map((a) => a.name),
  };
}

/** The mean over rows of the first channel's 101-point curve (what a neighbour is plotted as against the query). */
function meanCurve(data: CurveDataset, rows: readonly number[]): number[] {
  const out = new Float64Array(data.points);
  for (const r of rows) for (let t = 0; t < data.points; t++) out[t] += data.x[r * data.features + t];
  return Array.from(out, (v) => round(v / Math.max(rows.length, 1)));
}

function retrievalOf(c: CohortCodes, subjects: string[], codes: Float32Array, groupOf: Map<string, string>): SaeRetrieval {
  const k = c.state.weights.latent;
  // Dataset rows with a code, and code rows, by subject and by trial (a trial of side cycles has many of each).
  const codedRows = [...new Set(c.trialRow)];
  const rowsOfSubject = new Map<string, number[]>();
  for (const r of codedRows) (rowsOfSubject.get(c.data.subjects[r]) ?? rowsOfSubject.set(c.data.subjects[r], []).get(c.data.subjects[r])!).push(r);
  const byTrial = new Map<string, { codeRows: number[]; rows: number[] }>();
  c.trialRow.forEach((r, i) => {
    const id = c.rowTrialIds[r];
    const t = byTrial.get(id) ?? byTrial.set(id, { codeRows: [], rows: [] }).get(id)!;
    t.codeRows.push(i);
    if (!t.rows.includes(r)) t.rows.push(r);
  });
  return {
    latent: k, channel: c.channels[0], subjects, groups: subjects.map((s) => groupOf.get(s) ?? ''), codes: Array.from(codes),
    curves: subjects.map((s) => meanCurve(c.data, rowsOfSubject.get(s) ?? [])),
    trials: [...byTrial].map(([id, t]) => {
      const rows = t.codeRows;
      const own = new Float32Array(rows.length * k);
      rows.forEach((r, i) => own.set(c.codes.subarray(r * k, (r + 1) * k), i * k));
      return { id, subject: c.subjects[rows[0]], code: Array.from(subjectMeanCodes(own, rows.length, k, rows.map(() => 'q')).codes), curve: meanCurve(c.data, t.rows) };
    }),
  };
}

// JSON has no NaN (a correlation over a constant attribute, no attributes at all): stored as a marked string, so
// that a stored answer is the computed one and never a null the schema refuses.
const NON_FINITE = '§non-finite:';

function keepNonFinite(v: unknown): Record<string, unknown> {
  return JSON.parse(JSON.stringify(v, (_k, x: unknown) => (typeof x === 'number' && !Number.isFinite(x) ? `${NON_FINITE}${x}` : x))) as Record<string, unknown>;
}

function restoreNonFinite(v: unknown): unknown {
  if (typeof v === 'string') return v.startsWith(NON_FINITE) ? Number(v.slice(NON_FINITE.length)) : v;
  if (Array.isArray(v)) return v.map(restoreNonFinite);
  if (v !== null && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, restoreNonFinite(x)]));
  return v;
}

type AnalysesRun = NewRun & { inputs: { modelId: string; trials: []; dataVersion: string; dataFingerprint: string; samples: number; trigger: SaeAnalysesInfo['trigger'] } };

/** Reads the model's cohort, encodes it, computes the analyses: the run that stores them (not yet stored). */
export async function analyseSaeModel(ctx: ServiceContext, m: SaeModelLike, trigger: SaeAnalysesInfo['trigger'], progress: Progress = () => {}, signal?: AbortSignal): Promise<AnalysesRun> {
  const startedAt = new Date().toISOString();
  const dataVersion = trainingDataVersion(ctx.db);
  progress({ stage: 'reading and encoding the cohort', fraction: 0 });
  const cohort = loadSaeCohort(ctx, m);
  const sel = m.dataSelection as { cohort?: string } | null;
  const codes = await encodeSaeCohort(cohort, m.id, sel?.cohort ?? '?');
  const analyses = await computeSaeAnalyses(codes, progress, signal);
  return {
    method: `${SAE_METHOD_NAME} analyses`, version: ANALYSES_VERSION, role: MODEL_ANALYSES_ROLE, seed: codes.state.card.seed, trialId: null,
    params: { top: SAE_STORED_TOP, latentMap: { ...STORED_MAP, perplexity: 'error' in analyses.latentMap ? null : analyses.latentMap.perplexity }, bootstrapSeed: deriveSeed(codes.state.card.seed, 'bootstrap') },
    inputs: { modelId: m.id, trials: [], dataVersion, dataFingerprint: cohortFingerprint(cohort), samples: codes.rows, trigger },
    outputs: keepNonFinite(analyses), startedAt, finishedAt: new Date().toISOString(),
  };
}

// Computations under way per database and model: a page asks for the dictionary, the statistics and the map at
// once, and a model without stored analyses must be analysed once, not three times.
const inFlight = new Map<string, Promise<{ analyses: SaeAnalyses; info: SaeAnalysesInfo }>>();
// Whether a model's stored analyses still match its cohort, per data version (a fingerprint reads the cohort).
const freshness = new RecentCache<{ current: boolean; reason: string | null }>(16);

/** The model's stored analyses (computed and stored first where it has none, or where `recompute` asks), with where they come from. */
export function saeAnalysesOf(ctx: ServiceContext, id: string, opts: { recompute?: boolean } = {}): Promise<{ analyses: SaeAnalyses; info: SaeAnalysesInfo }> {
  const key = `${ctx.dbPath}|${id}|${opts.recompute ? 'recompute' : 'read'}`;
  let p = inFlight.get(key);
  if (!p) {
    p = readOrCompute(ctx, id, opts.recompute ?? false).finally(() => inFlight.delete(key));
    inFlight.set(key, p);
  }
  return p;
}

async function readOrCompute(ctx: ServiceContext, id: string, recompute: boolean): Promise<{ analyses: SaeAnalyses; info: SaeAnalysesInfo }> {
  const m = readModel(ctx.db, id);
  if (!m) throw new ApiError('not-found', `no model ${id}`);
  if (m.method !== SAE_METHOD_NAME) throw new ApiError('input', `model ${id} is a ${m.method} model, not a sparse autoencoder (${SAE_METHOD_NAME})`);
  const stored = recompute ? null : latestModelAnalyses(ctx.db, id);
  if (!stored) {
    const run = await analyseSaeModel(ctx, m, recompute ? 'recompute' : 'first-read');
    // A database opened read-only (a copy on a share) answers with what it computed and stores nothing.
    if (ctx.db.readonly) return { analyses: restoreNonFinite(run.outputs) as SaeAnalyses, info: { ...infoOf('', run, { current: true, reason: null }), note: 'computed now and not stored: the database is open read-only' } };
    const runId = ctx.db.transaction(() => (readModel(ctx.db, id) ? insertModelAnalyses(ctx.db, ctx.actor, run) : null))();
    if (runId === null) throw new ApiError('not-found', `model ${id} was deleted meanwhile`);
    return { analyses: restoreNonFinite(run.outputs) as SaeAnalyses, info: infoOf(runId, run, { current: true, reason: null }) };
  }
  const inputs = stored.inputs as AnalysesRun['inputs'];
  return { analyses: parsedAnalyses(ctx, stored.id, stored.finishedAt), info: infoOf(stored.id, { ...stored, inputs }, currentness(ctx, m, inputs)) };
}

// Parsed analyses by database and run: a run never changes, and a model's page reads three views of one at once.
const parsed = new RecentCache<SaeAnalyses>(4);

function parsedAnalyses(ctx: ServiceContext, runId: string, finishedAt: string): SaeAnalyses {
  // The time as well as the id: another database copied to the same path may reuse run ids.
  const key = `${ctx.dbPath}|${runId}|${finishedAt}`;
  return parsed.get(key, () => restoreNonFinite(modelAnalysesOutputs(ctx.db, runId)) as SaeAnalyses);
}

function currentness(ctx: ServiceContext, m: SaeModelLike, inputs: AnalysesRun['inputs']): { current: boolean; reason: string | null } {
  const version = trainingDataVersion(ctx.db);
  if (version === inputs.dataVersion) return { current: true, reason: null };
  // The database changed since; whether this cohort's data did is what the fingerprint says.
  const key = `${ctx.dbPath}|${m.id}|${inputs.dataFingerprint}|${version}`;
  return freshness.get(key, () => {
    try {
      return cohortFingerprint(loadSaeCohort(ctx, m)) === inputs.dataFingerprint
        ? { current: true, reason: null }
        : { current: false, reason: `the cohort's data changed since (data version now ${version})` };
    } catch (e) {
      return { current: false, reason: `the cohort can no longer be read as it was (${(e as Error).message.split('\n')[0]})` };
    }
  });
}

function infoOf(runId: string, run: Pick<AnalysesRun, 'inputs' | 'finishedAt'>, f: { current: boolean; reason: string | null }): SaeAnalysesInfo {
  const i = run.inputs;
  return {
    runId, computedAt: run.finishedAt, trigger: i.trigger, dataVersion: i.dataVersion, dataFingerprint: i.dataFingerprint, samples: i.samples, current: f.current,
    note: f.current ? null : `these analyses were computed on ${run.finishedAt} on data version ${i.dataVersion}; ${f.reason}: they describe the data as it was then. Recompute them: gaitlab features ${i.modelId} --recompute`,
  };
}
