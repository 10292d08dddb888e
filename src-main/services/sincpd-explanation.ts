// The filter-energy explanation of a SincPD model (methods-spec §5.3.6) and the default one kept with the model.
// The default explanation reads the walks of the model's held-out subjects and runs the pruned front end over every
// segment (seconds for a few dozen segments, tens of seconds for a full gaitpdb model), so it is computed once — by
// the training job as its last phase, in the transaction that stores the model, or on the first default explain of
// a model stored before that — and kept as a run of role `model-analyses` (store/model-analyses.ts) with the data
// version and a fingerprint of the walks it read. Reads answer from the kept run (the report, `gaitlab explain`, the
// SincPD panel) without reading a walk; where those walks changed since, they say so and keep the old values until a
// recompute is asked for. Explanations on given walks are computed each time and never kept.
import { RecentCache } from './recent-cache';
import { createHash } from 'node:crypto';
import type { z } from 'zod';
import type { ApiResponse } from '../../src-shared/api/schema';
import type { sincpdStoredExplanation } from '../../src-shared/api/sincpd';
import { InputError } from '../../src-shared/domain/errors';
import { magnitudeResponse } from '../../src-shared/methods/sincpd/band-measure';
import { rankExplanation, type RankBy } from '../../src-shared/methods/sincpd/explain';
import { parseWalkName, SEGMENT_VALUES } from '../../src-shared/methods/sincpd/segments';
import { applySegmentScaling } from '../../src-shared/methods/sincpd/segment-standardise';
import { sincTaps } from '../../src-shared/methods/sincpd/sinc-filters';
import { unpackTensors } from '../compute/trainable';
import { buildSincPdDataset, readStoredWalksWithSignals, type RawWalk } from '../methods/sincpd/data';
import { sincWeightNames } from '../methods/sincpd/sinc-layer';
import { explainFitted, sincPdFromStored } from '../methods/sincpd/stored';
import type { SincPdFitted } from '../methods/sincpd/train';
import { insertModelAnalyses, latestModelAnalyses, modelAnalysesOutputs, MODEL_ANALYSES_ROLE } from '../store/model-analyses';
import { readModel, type StoredModel } from '../store/models';
import type { NewRun } from '../store/runs';
import { readStoredWalks, type StoredWalkRow } from '../store/sincpd-walks';
import { trainingDataVersion } from '../store/training-data';
import { ApiError } from './api-errors';
import type { ServiceContext } from './context';

export type SincPdExplanationInfo = z.infer<typeof sincpdStoredExplanation>;
/** An explanation as the API gives it, without where it comes from. */
export type SincPdExplained = Omit<ApiResponse<'sincpdExplain'>, 'stored'>;
/** A stored model, or the one a training job is about to store. */
export type SincPdModelLike = Pick<StoredModel, 'id' | 'architecture' | 'preprocessing' | 'weightsManifest' | 'dataSelection'> & { weights: Buffer | null };
type Progress = (p: { stage: string; fraction: number }) => void;

const EXPLANATION_METHOD = 'SincPD explanation';
const EXPLANATION_VERSION = '1.0.0';
/** The kept explanation is ranked by |ΔE| (the API's default); a signed request re-ranks it (rankExplanation). */
const KEPT_RANK_BY: RankBy = 'abs';

function asApiError(e: unknown): never {
  if (e instanceof InputError) throw new ApiError('input', e.message);
  throw e;
}

const tick = () => new Promise<void>((resolve) => setImmediate(resolve));

function sincPdState(m: SincPdModelLike) {
  if (!m.architecture || !m.weights) throw new ApiError('input', `model ${m.id} has no stored networks`);
  return sincPdFromStored({ architecture: m.architecture, preprocessing: m.preprocessing ?? {}, tensors: unpackTensors(m.weightsManifest, m.weights) });
}

interface Selection { trials?: { id: string; subject: string }[]; finalModel?: { validationSubjects?: string[] } }

/**
 * The walks the default explanation reads, as rows (no signal read): those of the subjects the model's final training
 * held out (early-stopping subjects, never fitted on); where those are of one class only, all of the model's walks,
 * flagged as not held out. The rows alone decide, so that a read can tell whether they changed without a signal.
 */
function defaultWalks(ctx: ServiceContext, m: SincPdModelLike): { rows: StoredWalkRow[]; source: 'held-out subjects' | 'training subjects' } {
  const sel = (m.dataSelection ?? {}) as Selection;
  const all = readStoredWalks(ctx.db, null, sel.trials?.map((t) => t.id) ?? []);
  const held = new Set(sel.finalModel?.validationSubjects ?? []);
  const heldRows = all.filter((r) => held.has(r.subjectCode));
  // The walk's class as readStoredWalksWithSignals gives it: from its gaitpdb name, else the subject's group.
  const groupOf = (r: StoredWalkRow) => parseWalkName(r.trialKey)?.group ?? (r.group === 'PD' ? 'Pt' : 'Co');
  return new Set(heldRows.map(groupOf)).size === 2 ? { rows: heldRows, source: 'held-out subjects' } : { rows: all, source: 'training subjects' };
}

/** SHA-256 of what identifies the walks read: a changed content hash, subject, group or set of walks changes it. */
export function walksFingerprint(w: { rows: readonly StoredWalkRow[]; source: string }): string {
  return createHash('sha256').update(JSON.stringify({ source: w.source, walks: w.rows.map((r) => [r.trialId, r.trialKey, r.subjectCode, r.group, r.contentSha256]) })).digest('hex');
}

/** The explanation of the model's pruned front end on these walks. */
export async function explainOnWalks(m: SincPdModelLike, walks: RawWalk[], source: SincPdExplained['segments']['source'], rankBy: RankBy,
  step: (stage: string, fraction: number) => Promise<void> = tick, during?: (stage: string, fraction: number) => void): Promise<SincPdExplained> {
  const state = sincPdState(m);
  let data;
  try {
    data = buildSincPdDataset(walks);
  } catch (e) { asApiError(e); }
  const n = data.set.meta.length;
  const label = data.set.meta.map((s) => s.pd);
  const healthy = label.filter((l) => l === 0).length;
  if (healthy === 0 || healthy === n) throw new ApiError('input', `explain needs segments of both controls and PD subjects; the ${n} segments given are all ${healthy ? 'controls' : 'PD'}`);
  const x = applySegmentScaling(data.set.x, Array.from({ length: n }, (_, i) => i), { mean: state.standardisation.mean, sd: state.standardisation.sd, fittedOn: 0 });
  const stage = `filter energies of ${n} segments`;
  await step(stage, 0.5);
  // Minutes for thousands of segments, without a turn of the event loop: `during` reports (and beats) meanwhile.
  const explanation = explainFitted(state.fitted, {
    x, n, length: SEGMENT_VALUES / 8, label, rankBy, onProgress: during && ((f) => during(stage, 0.5 + 0.5 * f)),
    segmentIds: data.set.meta.map((s) => `${s.walk}@${s.startS.toFixed(2)}s`), subjectIds: data.set.meta.map((s) => s.subject),
  });
  return {
    responses: topResponses(state.fitted, explanation.filters.filter((f) => f.top20)),
    modelId: m.id, task: String(m.preprocessing?.task ?? state.fitted.config.task),
    segments: { source, heldOut: source !== 'training subjects', n, healthy, pd: n - healthy, walks: data.walks.map((w) => w.walk) },
    explanation,
  };
}

/** Magnitude responses of the given filters of the explained (pruned binary) network, 257 points from 0 to fs/2. */
function topResponses(fitted: SincPdFitted, filters: { sensor: number; filter: number }[]): SincPdExplained['responses'] {
  const entry = fitted.nets.find((n) => n.stage === 'binary-pruned') ?? fitted.nets.find((n) => n.stage === 'binary');
  if (!entry) return [];
  const a = entry.net.architecture;
  const [n1, n2] = sincWeightNames(a.profile);
  const weight = (s: number, name: string) => entry.net.weights.find((w) => w.name === `sinc_s${s}/${name}`)?.values;
  const nfft = 512;
  return filters.flatMap((f) => {
    const w1 = weight(f.sensor, n1), w2 = weight(f.sensor, n2);
    if (!w1 || !w2) return [];
    const mag = magnitudeResponse(sincTaps(a.profile, w1[f.filter - 1], w2[f.filter - 1], { fs: a.fs, kernelLength: a.kernelLength }), nfft);
    return [{ sensor: f.sensor, filter: f.filter, freqHz: Array.from(mag, (_, k) => (k * a.fs) / nfft), gain: Array.from(mag) }];
  });
}

/** The default explanation, on the walks defaultWalks names (only theirs are read). */
async function explainDefault(ctx: ServiceContext, m: SincPdModelLike, step: (stage: string, fraction: number) => Promise<void>, during?: (stage: string, fraction: number) => void): Promise<{ explained: SincPdExplained; read: ReturnType<typeof defaultWalks> }> {
  const read = defaultWalks(ctx, m);
  if (read.rows.length === 0) throw new ApiError('input', `model ${m.id}: none of its walks is in this database; give walk files or trial ids to explain on`);
  let walks: RawWalk[];
  try {
    walks = readStoredWalksWithSignals(ctx.db, null, read.rows.map((r) => r.trialId));
  } catch (e) { asApiError(e); }
  await step(`segments of ${walks.length} walks of ${read.source}`, 0.4);
  return { explained: await explainOnWalks(m, walks, read.source, KEPT_RANK_BY, step, during), read };
}

type ExplanationRun = NewRun & { inputs: { modelId: string; trials: { trialId: string; contentSha256: string | null }[]; dataVersion: string; dataFingerprint: string; walks: number; trigger: SincPdExplanationInfo['trigger'] } };

/** Reads the model's default walks and explains it: the run that keeps the explanation (not yet stored). */
export async function analyseSincPdModel(ctx: ServiceContext, m: SincPdModelLike, trigger: SincPdExplanationInfo['trigger'], progress: Progress = () => {}, signal?: AbortSignal): Promise<ExplanationRun> {
  const startedAt = new Date().toISOString();
  const dataVersion = trainingDataVersion(ctx.db);
  const step = async (stage: string, fraction: number) => {
    progress({ stage, fraction });
    await tick();
    if (signal?.aborted) throw signal.reason instanceof Error ? signal.reason : new Error('cancelled');
  };
  // Synchronous reports from inside a long computation: the job's heartbeat rides on them, and a cancel is seen.
  const during = (stage: string, fraction: number) => {
    progress({ stage, fraction });
    if (signal?.aborted) throw signal.reason instanceof Error ? signal.reason : new Error('cancelled');
  };
  await step('reading the walks', 0);
  const { explained, read } = await explainDefault(ctx, m, step, during);
  return {
    method: EXPLANATION_METHOD, version: EXPLANATION_VERSION, role: MODEL_ANALYSES_ROLE, seed: null, trialId: null,
    params: { rankBy: KEPT_RANK_BY, representative: 'dbscan-medoid', eps: 200, minSamples: 5 },
    inputs: { modelId: m.id, trials: read.rows.map((r) => ({ trialId: r.trialId, contentSha256: r.contentSha256 })), dataVersion, dataFingerprint: walksFingerprint(read), walks: read.rows.length, trigger },
    outputs: { format: 1, explained: JSON.parse(JSON.stringify(explained)) as Record<string, unknown> }, startedAt, finishedAt: new Date().toISOString(),
  };
}

// Computations under way per database and model: the report and the panel may ask at once for a model that has no
// kept explanation yet, which must be computed and stored once.
const inFlight = new Map<string, Promise<{ explained: SincPdExplained; info: SincPdExplanationInfo }>>();
// Whether a kept explanation's walks are unchanged, per data version (the rows, no signal, are read once per version).
const freshness = new RecentCache<{ current: boolean; reason: string | null }>(16);
// Parsed kept explanations by database and run (a run never changes).
const parsed = new RecentCache<SincPdExplained>(8);

/** The model's default explanation, ranked as asked: the kept one (computed and kept first where there is none, or where `recompute` asks). */
export async function keptExplanationOf(ctx: ServiceContext, model: StoredModel, opts: { rankBy: RankBy; recompute?: boolean }): Promise<ApiResponse<'sincpdExplain'>> {
  const key = `${ctx.dbPath}|${model.id}|${opts.recompute ? 'recompute' : 'read'}`;
  let p = inFlight.get(key);
  if (!p) {
    p = readOrCompute(ctx, model, opts.recompute ?? false).finally(() => inFlight.delete(key));
    inFlight.set(key, p);
  }
  const { explained, info } = await p;
  if (opts.rankBy === explained.explanation.rankBy) return { ...explained, stored: info };
  const explanation = rankExplanation(explained.explanation, opts.rankBy);
  return { ...explained, explanation, responses: topResponses(sincPdState(model).fitted, explanation.filters.filter((f) => f.top20)), stored: info };
}

async function readOrCompute(ctx: ServiceContext, model: StoredModel, recompute: boolean): Promise<{ explained: SincPdExplained; info: SincPdExplanationInfo }> {
  const kept = recompute ? null : latestModelAnalyses(ctx.db, model.id);
  if (!kept) {
    const run = await analyseSincPdModel(ctx, model, recompute ? 'recompute' : 'first-read');
    const explained = (run.outputs as { explained: SincPdExplained }).explained;
    // A database opened read-only (a copy on a share) answers with what it computed and keeps nothing.
    if (ctx.db.readonly) return { explained, info: { ...infoOf('', run, { current: true, reason: null }), note: 'computed now and not kept: the database is open read-only' } };
    const runId = ctx.db.transaction(() => (readModel(ctx.db, model.id) ? insertModelAnalyses(ctx.db, ctx.actor, run) : null))();
    if (runId === null) throw new ApiError('not-found', `model ${model.id} was deleted meanwhile`);
    return { explained, info: infoOf(runId, run, { current: true, reason: null }) };
  }
  const inputs = kept.inputs as ExplanationRun['inputs'];
  if (kept.method !== EXPLANATION_METHOD) throw new ApiError('internal', `model ${model.id}: its kept analyses run ${kept.id} is a ${kept.method} run, not a ${EXPLANATION_METHOD}`);
  const cacheKey = `${ctx.dbPath}|${kept.id}|${kept.finishedAt}`;
  const explained = parsed.get(cacheKey, () => (modelAnalysesOutputs(ctx.db, kept.id) as { explained: SincPdExplained }).explained);
  return { explained, info: infoOf(kept.id, { inputs, finishedAt: kept.finishedAt }, currentness(ctx, model, inputs)) };
}

function currentness(ctx: ServiceContext, m: SincPdModelLike, inputs: ExplanationRun['inputs']): { current: boolean; reason: string | null } {
  const version = trainingDataVersion(ctx.db);
  if (version === inputs.dataVersion) return { current: true, reason: null };
  // The database changed since; whether the walks this explanation read did is what their fingerprint says.
  const key = `${ctx.dbPath}|${m.id}|${inputs.dataFingerprint}|${version}`;
  return freshness.get(key, () => {
    const now = defaultWalks(ctx, m);
    return walksFingerprint(now) === inputs.dataFingerprint
      ? { current: true, reason: null }
      : { current: false, reason: `the walks it read changed since (${inputs.walks} walks then, ${now.rows.length} of ${now.source} now; data version now ${version})` };
  });
}

function infoOf(runId: string, run: Pick<ExplanationRun, 'inputs' | 'finishedAt'>, f: { current: boolean; reason: string | null }): SincPdExplanationInfo {
  const i = run.inputs;
  return {
    runId, computedAt: run.finishedAt, trigger: i.trigger, dataVersion: i.dataVersion, dataFingerprint: i.dataFingerprint, walks: i.walks, current: f.current,
    note: f.current ? null : `this explanation was computed on ${run.finishedAt} on data version ${i.dataVersion}; ${f.reason}: it describes the walks as they were then. Recompute it: gaitlab explain ${i.modelId} --recompute`,
  };
}
