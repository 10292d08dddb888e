// SincPD calls: checking a training request against the cohort (before a job is queued) and predicting walks given
// as files (read, never stored) or as stored trial ids. The model side comes through methods/sincpd/seam.ts.
import { existsSync } from 'node:fs';
import type { ApiRequest, ApiResponse } from '../../src-shared/api/schema';
import { InputError } from '../../src-shared/domain/errors';
import { segmentStratifiedSplit } from '../../src-shared/methods/sincpd/protocols';
import { applySegmentScaling } from '../../src-shared/methods/sincpd/segment-standardise';
import { concatSegments, SEGMENT_VALUES, withSeverityLabels } from '../../src-shared/methods/sincpd/segments';
import { expectedStage } from '../../src-shared/methods/sincpd/severity-score';
import { buildSincPdDataset, readStoredWalksWithSignals, readWalkFile, type RawWalk } from '../methods/sincpd/data';
import { loadSincPdImplementation, NOT_MERGED, SINCPD_METHOD } from '../methods/sincpd/seam';
import { parseSincPdTrainOptions } from '../methods/sincpd/train-options';
import { readModel, type StoredModel } from '../store/models';
import { ApiError } from './api-errors';
import { explainOnWalks, keptExplanationOf } from './sincpd-explanation';
import type { ServiceContext } from './context';

function asApiError(e: unknown): never {
  if (e instanceof InputError) throw new ApiError('input', e.message);
  throw e;
}

export function checkTraining(ctx: ServiceContext, req: ApiRequest<'sincpdCheckTraining'> & { cohort: string }): ApiResponse<'sincpdCheckTraining'> {
  const o = parseSincPdTrainOptions(req);
  if ('error' in o) throw new ApiError('bad-request', o.error);
  let walks: RawWalk[];
  try {
    walks = readStoredWalksWithSignals(ctx.db, req.cohort);
  } catch (e) { asApiError(e); }
  if (walks.length === 0) throw new ApiError('input', `cohort "${req.cohort}" has no walks with the 16 insole sensor forces (L1–L8, R1–R8) that SincPD needs`);
  const unlabelled = [...new Set(walks.filter((w) => !/^(Co|Pt)$/.test(w.group)).map((w) => w.subject))];
  if (unlabelled.length) throw new ApiError('input', `PD/control labels are missing for ${unlabelled.length} subject(s): ${unlabelled.join(', ')}`);
  let data;
  try {
    data = buildSincPdDataset(walks, { walks: req.walks ?? 'all' });
  } catch (e) { asApiError(e); }
  const set = o.task === 'severity' ? withSeverityLabels(data.set) : data.set;
  if (set.meta.length === 0) throw new ApiError('input', `cohort "${req.cohort}" has no complete 10 s segments${o.task === 'severity' ? ' with a severity label' : ''}`);
  const labels = set.meta.map((m) => (o.task === 'pd' ? m.pd : m.severity!));
  const classCounts: Record<string, number> = {};
  for (const l of labels) classCounts[String(l)] = (classCounts[String(l)] ?? 0) + 1;
  const split = o.protocol === 'segment-stratified' ? segmentStratifiedSplit(labels, set.meta.map((m) => m.subject), req.seed ?? 0) : null;
  return {
    task: o.task, config: o.config, protocol: o.protocol, walks: data.walks.length, segments: set.meta.length, subjects: new Set(set.meta.map((m) => m.subject)).size,
    classCounts, duplicates: data.duplicates, severityExcluded: o.task === 'severity' ? data.severityExcluded : [], warnings: data.warnings,
    studyStageTable: data.studyStageTable,
    walkLog: data.walks.map((w) => ({ walk: w.walk, rows: w.rows, t0S: w.t0S, tLastS: w.tLastS, shareOf0099Steps: w.shareOf0099Steps, estimatedRateHz: w.estimatedRateHz, segments: w.segments })),
    folds: split ? 1 : 10, sharedSubjects: split ? split.sharedSubjects : null, label: split ? split.label : null,
    implementationAvailable: loadSincPdImplementation() !== null,
  };
}

/** Each input is a walk file where such a file exists, else a stored trial id. */
async function readInputs(ctx: ServiceContext, inputs: string[]): Promise<{ input: string; walk: RawWalk; stored: boolean }[]> {
  const out: { input: string; walk: RawWalk; stored: boolean }[] = [];
  for (const input of inputs) {
    if (existsSync(input)) {
      try {
        out.push({ input, walk: await readWalkFile(input), stored: false });
      } catch (e) { asApiError(e); }
      continue;
    }
    const walks = readStoredWalksWithSignals(ctx.db, null, [input]);
    if (walks.length === 0) throw new ApiError('input', `${input}: no such walk file, and no stored trial with that id holding the 16 insole sensor forces`);
    out.push({ input, walk: walks[0], stored: true });
  }
  return out;
}

export async function predict(ctx: ServiceContext, req: ApiRequest<'sincpdPredict'>): Promise<ApiResponse<'sincpdPredict'>> {
  // Inputs first: a bad file or trial id is named even when the model is the problem too.
  const inputs = await readInputs(ctx, req.inputs);
  const model = readModel(ctx.db, req.modelId);
  if (!model) throw new ApiError('not-found', `no model ${req.modelId}`);
  if (model.method.toLowerCase() !== SINCPD_METHOD) throw new ApiError('input', `model ${model.id} is a ${model.method} model; predict needs a SincPD model`);
  const impl = loadSincPdImplementation();
  if (!impl) throw new ApiError('input', NOT_MERGED);
  const pre = (model.preprocessing ?? {}) as { scaling?: { mean: number; sd: number } ; task?: string };
  if (!pre.scaling) throw new ApiError('input', `model ${model.id} stores no segment scaling (preprocessing.scaling)`);
  const task = pre.task === 'severity' ? 'severity' : 'pd';
  const predictions: ApiResponse<'sincpdPredict'>['predictions'] = [];
  for (const { input, walk, stored } of inputs) {
    const data = buildSincPdDataset([walk]);
    const set = concatSegments([data.set]);
    const n = set.meta.length;
    if (n === 0) throw new ApiError('input', `${input}: the walk holds no complete 10 s segment`);
    const x = applySegmentScaling(set.x, Array.from({ length: n }, (_, i) => i), { ...pre.scaling, fittedOn: 0 });
    const probs = await impl.predictSincPd(model, x);
    const k = probs.length / n;
    if (!Number.isInteger(k) || x.length !== n * SEGMENT_VALUES) throw new ApiError('internal', `the model returned ${probs.length} values for ${n} segments`);
    const rows = Array.from({ length: n }, (_, r) => Array.from(probs.subarray(r * k, (r + 1) * k)));
    const mean = Array.from({ length: k }, (_, c) => rows.reduce((a, r) => a + r[c], 0) / n);
    const pd = task === 'pd' ? rows.map((r) => r[1]) : null;
    const pdMean = pd ? pd.reduce((a, b) => a + b, 0) / n : null;
    predictions.push({
      input, walk: walk.name, subject: walk.subject, stored, segments: n,
      pdProbability: pdMean, pdProbabilitySd: pd ? Math.sqrt(pd.reduce((a, b) => a + (b - pdMean!) ** 2, 0) / n) : null,
      predictedClass: task === 'pd' ? (pdMean! >= 0.5 ? 1 : 0) : mean.indexOf(Math.max(...mean)),
      hoehnYahrEstimate: task === 'severity' ? expectedStage(mean, 1)[0] : null,
      perSegment: rows.map((p, r) => ({ startS: set.meta[r].startS, probabilities: p })),
    });
  }
  return { modelId: model.id, task, predictions };
}

function sincPdModel(ctx: ServiceContext, modelId: string): StoredModel {
  const model = readModel(ctx.db, modelId);
  if (!model) throw new ApiError('not-found', `no model ${modelId}`);
  if (model.method.toLowerCase() !== SINCPD_METHOD) throw new ApiError('input', `model ${model.id} is a ${model.method} model; this needs a SincPD model`);
  return model;
}

/**
 * The filter-energy explanation (methods-spec §5.3.6) of a stored SincPD model's pruned front end: on the given walks
 * (computed now, never kept) or, by default, the one kept with the model (sincpd-explanation.ts), on the walks of the
 * subjects its final training held out; `recompute` computes and keeps that one again.
 */
export async function explain(ctx: ServiceContext, req: ApiRequest<'sincpdExplain'>): Promise<ApiResponse<'sincpdExplain'>> {
  if (req.recompute && req.inputs?.length) throw new ApiError('bad-request', 'explain: recompute applies to the default explanation (on the model\'s held-out walks), not to given walks, which are never kept');
  const inputs = req.inputs?.length ? await readInputs(ctx, req.inputs) : [];
  const model = sincPdModel(ctx, req.modelId);
  if (inputs.length === 0) return keptExplanationOf(ctx, model, { rankBy: req.rankBy ?? 'abs', recompute: req.recompute });
  return { ...(await explainOnWalks(model, inputs.map((i) => i.walk), 'inputs', req.rankBy ?? 'abs')), stored: null };
}
