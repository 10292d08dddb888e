// The hierarchical GP as a product: fitGp checks a cohort's data (the cycle channels exist, every subject has a
// group), extracts the cycles where missing or stale, and queues the fit as a job; gpCompare and gpAsymmetry
// read a stored model (restored exactly, see methods/gp/stored.ts) and compare its nodes and limbs
// (methods-spec §4.4, §5.4.9). Bad input is refused in one line before anything is written.
import { basename } from 'node:path';
import type { ApiResponse } from '../../src-shared/api/schema';
import { differenceProcess, mannWhitneyU, minMaxNormalise, mmdProfile, type GaussianCurve } from '../../src-shared/gp/comparison';
import { wassersteinAsymmetry } from '../../src-shared/gp/metrics';
import { pooledPredictive, predict, type GpPredictions } from '../../src-shared/gp/predict';
import { MethodParamError } from '../../src-shared/methods/params';
import { unpackTensors } from '../compute/trainable';
import { GP_NAME, type GpState } from '../methods/gp';
import { gpTrainable } from '../methods/gp/stored';
import { listModels, readModel } from '../store/models';
import { readChannelMeta } from '../store/trial-meta';
import { readLabelledTrials, readUngroupedSubjects } from '../store/training-data';
import { ApiError } from './api-errors';
import type { ServiceContext } from './context';
import { cycles as readTrialCycles, extractCycles } from './gait-service';
import { startTraining } from './job-service';

type FitGpRequest = {
  channels: string[]; cohort: string; session: string | null; levels: string; noise: string; m: number; tieLevels: boolean; optimizeZ: boolean;
  maxIterations?: number; seed: number; detach: boolean;
};

export function fitGp(ctx: ServiceContext, req: FitGpRequest): ApiResponse<'fitGp'> {
  const file = basename(ctx.dbPath);
  const params: Record<string, string | number | boolean> = { levels: req.levels, noise: req.noise, m: req.m, tieLevels: req.tieLevels, optimizeZ: req.optimizeZ };
  if (req.maxIterations !== undefined) params.maxIterations = req.maxIterations;
  try {
    gpTrainable.method.params.parse(params);
  } catch (e) {
    if (e instanceof MethodParamError) throw new ApiError('input', e.message);
    throw e;
  }
  const ungrouped = readUngroupedSubjects(ctx.db, req.cohort);
  if (ungrouped.length > 0) {
    const names = ungrouped.slice(0, 10).map((s) => (s.code ? `${s.subjectId} (${s.code})` : s.subjectId)).join(', ');
    throw new ApiError('input', `${file}: field group: ${ungrouped.length} subject${ungrouped.length > 1 ? 's' : ''} of cohort "${req.cohort}" ha${ungrouped.length > 1 ? 've' : 's'} no group: ${names}${ungrouped.length > 10 ? ', …' : ''}; set it with gaitlab subject edit <id> --group G`);
  }
  const trials = readLabelledTrials(ctx.db, req.cohort, req.session);
  if (trials.length === 0) throw new ApiError('input', `${file}: field cohort: no trials of cohort "${req.cohort}"${req.session ? ` in session "${req.session}"` : ''} with a subject group; import the data first`);
  // Channels before extraction, so that a misspelt name writes nothing.
  const known = new Set<string>();
  for (const t of trials) for (const c of readChannelMeta(ctx.db, t.trialId)) known.add(c.name);
  for (const name of req.channels) {
    if (!known.has(name)) throw new ApiError('input', `${file}: field signal: no channel "${name}" in the trials of cohort "${req.cohort}" (channels: ${[...known].slice(0, 20).join(', ')}${known.size > 20 ? ', …' : ''})`);
  }
  let extracted = 0, cycles = 0;
  const subjects = new Set<string>();
  for (const t of trials) {
    if (readTrialCycles(ctx, { trialId: t.trialId, kind: 'gait_cycle' }).unextracted.length > 0) {
      extractCycles(ctx, { trialId: t.trialId });
      extracted++;
    }
    const clean = readTrialCycles(ctx, { trialId: t.trialId, kind: 'gait_cycle' }).cycles
      .filter((c) => req.channels.includes(c.channel) && c.flags.length === 0 && (c.side === 'left' || c.side === 'right')).length;
    if (clean > 0) subjects.add(t.subjectId);
    cycles += clean;
  }
  if (cycles === 0) throw new ApiError('input', `${file}: field cohort: no clean gait cycles of ${req.channels.join(', ')} in cohort "${req.cohort}" (${trials.length} trials, ${extracted} extracted now)`);
  const { job } = startTraining(ctx, { method: GP_NAME, params, seed: req.seed, data: { cohort: req.cohort, session: req.session, channels: req.channels }, detach: req.detach });
  return { job, extracted, trials: trials.length, subjects: subjects.size, cycles };
}

/** A stored GP model, restored. */
export function loadGpModel(ctx: ServiceContext, modelId: string): GpState & { id: string } {
  const m = readModel(ctx.db, modelId);
  if (!m) throw new ApiError('not-found', `no model ${modelId}`);
  if (m.method !== GP_NAME) throw new ApiError('input', `model ${m.id} is a ${m.method} model, not a ${GP_NAME} model`);
  const state = gpTrainable.fromStored({ architecture: m.architecture ?? {}, preprocessing: m.preprocessing ?? {}, tensors: unpackTensors(m.weightsManifest, m.weights ?? Buffer.alloc(0)) }, { train: [], test: [] });
  return { ...state, id: m.id };
}

/** The node a reference names: its exact id, or a subject id alone (its individual node). */
export function resolveNode(state: GpState & { id: string }, ref: string): number {
  const ids = state.fitted.model.structure.nodeIds;
  const exact = ids.indexOf(ref);
  if (exact >= 0) return exact;
  const bySubject = ids.findIndex((n) => n.split('/').length === 2 && n.split('/')[1] === ref);
  if (bySubject >= 0) return bySubject;
  throw new ApiError('input', `model ${state.id} has no node "${ref}" (nodes: population, ${state.fitted.model.structure.groupIds.join(', ')}, group/subject, group/subject/L|R)`);
}

/** The predictive curve of a node: a leaf's own predictive, an internal node's pooled predictive (HG-21). */
function nodeCurve(state: GpState, p: GpPredictions, node: number): GaussianCurve {
  const leaf = Array.from(state.fitted.model.structure.leafNode).indexOf(node);
  if (leaf >= 0) return { mean: p.leaves[leaf].latentMean, variance: p.leaves[leaf].predVar };
  return pooledPredictive(state.fitted, p, node, state.leafObservations);
}

const list = (x: ArrayLike<number>) => Array.from(x, (v) => (Number.isFinite(v) ? v : null));

export function gpCompare(ctx: ServiceContext, req: { modelId: string; a: string; b: string; points: number }): ApiResponse<'gpCompare'> {
  const state = loadGpModel(ctx, req.modelId);
  const a = resolveNode(state, req.a), b = resolveNode(state, req.b);
  const grid = Float64Array.from({ length: req.points }, (_, j) => j / (req.points - 1));
  const p = predict(state.fitted, grid);
  const ca = nodeCurve(state, p, a), cb = nodeCurve(state, p, b);
  const mmd = mmdProfile(ca, cb);
  const [normalised] = minMaxNormalise([mmd]);
  const d = differenceProcess(ca, cb);
  const ids = state.fitted.model.structure.nodeIds;
  return {
    modelId: state.id, a: ids[a], b: ids[b], grid: Array.from(grid),
    a_mean: list(ca.mean), a_variance: list(ca.variance), b_mean: list(cb.mean), b_variance: list(cb.variance),
    mmd: list(mmd), mmdNormalised: list(normalised), difference: { mean: list(d.mean), lower: list(d.lower), upper: list(d.upper) },
  };
}

function quantile(sorted: number[], q: number): number {
  const h = (sorted.length - 1) * q, lo = Math.floor(h), hi = Math.ceil(h);
  return sorted[lo] + (h - lo) * (sorted[hi] - sorted[lo]);
}

/** W1 asymmetry per individual with both limbs (§5.4.9: 100 inputs, 500 draws per limb, seed 0), placed in its group. */
export function gpAsymmetry(ctx: ServiceContext, req: { modelId: string; subjectId?: string }): ApiResponse<'gpAsymmetry'> {
  const state = loadGpModel(ctx, req.modelId);
  const grid = Float64Array.from({ length: 100 }, (_, j) => j / 99);
  const p = predict(state.fitted, grid);
  const byIndividual = new Map<string, { group: string; subject: string; L?: number; R?: number }>();
  state.leaves.forEach((l, i) => {
    const key = `${l.group}/${l.individual}`;
    const e = byIndividual.get(key) ?? { group: l.group, subject: l.individual };
    if (l.limb === 'L' || l.limb === 'R') e[l.limb] = i;
    byIndividual.set(key, e);
  });
  const profiles = new Map<string, Float64Array>();
  const raw: { subject: string; group: string; score: number; exactScore: number }[] = [];
  for (const e of byIndividual.values()) {
    if (e.L === undefined || e.R === undefined) continue;
    const left = p.leaves[e.L], right = p.leaves[e.R];
    const w = wassersteinAsymmetry(grid, { mean: left.latentMean, variance: left.predVar }, { mean: right.latentMean, variance: right.predVar });
    raw.push({ subject: e.subject, group: e.group, score: w.score, exactScore: w.exactScore });
    profiles.set(e.subject, w.profile);
  }
  const groupIds = state.fitted.model.structure.groupIds.filter((g) => raw.some((r) => r.group === g));
  const sortedOf = (g: string) => raw.filter((r) => r.group === g).map((r) => r.score).sort((x, y) => x - y);
  const scores = raw.map((r) => {
    const same = sortedOf(r.group);
    return { ...r, groupPercentile: same.filter((s) => s <= r.score).length / same.length };
  });
  const groups = groupIds.map((g) => {
    const s = sortedOf(g);
    return { group: g, n: s.length, min: s[0], q1: quantile(s, 0.25), median: quantile(s, 0.5), q3: quantile(s, 0.75), max: s[s.length - 1] };
  });
  let mannWhitney: ApiResponse<'gpAsymmetry'>['mannWhitney'] = null;
  if (groupIds.length >= 2) {
    const u = mannWhitneyU(sortedOf(groupIds[1]), sortedOf(groupIds[0]));
    mannWhitney = { a: groupIds[1], b: groupIds[0], u1: u.u1, u2: u.u2, p: u.p, method: u.method };
  }
  let subject: ApiResponse<'gpAsymmetry'>['subject'] = null;
  if (req.subjectId) {
    const s = scores.find((r) => r.subject === req.subjectId);
    if (!s) {
      const known = state.leaves.some((l) => l.individual === req.subjectId);
      throw new ApiError('input', known ? `subject ${req.subjectId} has cycles of one limb only in model ${state.id}: no asymmetry score` : `subject ${req.subjectId} is not in model ${state.id}`);
    }
    subject = { ...s, profile: list(profiles.get(s.subject)!), grid: Array.from(grid) };
  }
  return { modelId: state.id, scores, groups, mannWhitney, subject };
}


/** GP models that hold the subject, newest first. */
export function gpModelsOfSubject(ctx: ServiceContext, req: { subjectId: string }): ApiResponse<'gpModelsOfSubject'> {
  const models = listModels(ctx.db).filter((m) => m.method === GP_NAME).flatMap((m) => {
    const full = readModel(ctx.db, m.id);
    const a = (full?.architecture ?? {}) as { leaves?: { individual: string }[]; noise?: string; channels?: string[] };
    if (!a.leaves?.some((l) => l.individual === req.subjectId)) return [];
    return [{ id: m.id, name: m.name, createdAt: m.createdAt, noise: String(a.noise ?? ''), channels: a.channels ?? [] }];
  });
  return { models };
}

export function gpSubjectView(ctx: ServiceContext, req: { modelId: string; subjectId: string }): ApiResponse<'gpSubjectView'> {
  const state = loadGpModel(ctx, req.modelId);
  const s = state.fitted.model.structure;
  const individual = s.nodeIds.findIndex((n, v) => s.level[v] === 2 && n.split('/')[1] === req.subjectId);
  if (individual < 0) throw new ApiError('input', `subject ${req.subjectId} is not in model ${state.id}`);
  const groupNode = s.parent[individual];
  const p = predict(state.fitted);
  const band = (mean: ArrayLike<number>, variance: ArrayLike<number>) => ({
    mean: list(mean), lower: list(Array.from(mean, (m, j) => m - 2 * Math.sqrt(variance[j]))), upper: list(Array.from(mean, (m, j) => m + 2 * Math.sqrt(variance[j]))),
  });
  const limbs = state.leaves.flatMap((l, i) => (l.individual === req.subjectId
    ? [{ limb: l.limb, ...band(p.leaves[i].latentMean, p.leaves[i].latentVar), noiseVariance: list(p.leaves[i].noiseVar) }] : []));
  const pooledGroup = pooledPredictive(state.fitted, p, groupNode, state.leafObservations);
  // The MMD strip: a cheaper profile than gpCompare's (51 inputs, 200 draws each), enough for a colour strip.
  const mmdGrid = Float64Array.from({ length: 51 }, (_, j) => j / 50);
  const pm = predict(state.fitted, mmdGrid);
  const [mmd] = minMaxNormalise([mmdProfile(nodeCurve(state, pm, individual), nodeCurve(state, pm, groupNode), 0, 200)]);
  let asymmetry: ApiResponse<'gpSubjectView'>['asymmetry'] = null;
  if (limbs.length === 2) {
    const a = gpAsymmetry(ctx, { modelId: req.modelId, subjectId: req.subjectId });
    asymmetry = { score: a.subject!.score, groupPercentile: a.subject!.groupPercentile, groupScores: a.scores.filter((x) => x.group === a.subject!.group).map((x) => x.score) };
  }
  return {
    modelId: state.id, subject: req.subjectId, group: s.nodeIds[groupNode], channels: state.channels, grid: Array.from(p.grid),
    limbs, groupBand: band(pooledGroup.mean, pooledGroup.variance), mmdGrid: Array.from(mmdGrid), mmd: list(mmd), asymmetry,
  };
}
