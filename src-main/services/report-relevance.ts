// The report's relevance section (issue 19 with issue 14): the newest Horst model whose data holds the subject's
// walks explains them: each input (a gait cycle of a walk, or a trial of stored curves) by the run in which it was
// a test row, for its true class (§5.1.6), and the section shows the mean map over the subject's inputs coloured onto
// the subject's mean curves of the same inputs, the prediction against the truth, and the phases and channels that
// carried the most relevance in words. Without such a model: "not run" and the exact command that trains one.
import { DEFAULT_COMPOSITE } from '../../src-shared/lrp/composites';
import { SAMPLES } from '../../src-shared/methods/horst/architectures';
import { channelInWords, mostRelevantPhases, PHASES } from '../../src-shared/methods/horst/phases';
import { meanMap } from '../../src-shared/methods/horst/relevance-stats';
import type { MethodSection } from '../../src-shared/report/model';
import type { ReportRelevance } from '../../src-shared/report/relevance';
import { HORST_NAME } from '../methods/horst';
import { listModels, readModel } from '../store/models';
import { readChannelMeta } from '../store/trial-meta';
import type { ServiceContext } from './context';
import { explainableTrials, modelRows } from './horst-rows';
import { compositeOf, explainRows, loadHorstModel } from './horst-service';

const TITLE = 'What in the walk drove the classification (Horst 2019 / LRP)';
const TASKS: Record<string, string> = { subject: 'subject identification', class: 'impairment class', pd: 'PD vs control' };
const SPAN_WORDS = { gait_cycle: 'gait cycle', stance: 'stance' } as const;
const pct = (v: number) => `${(100 * v).toFixed(1)}`;

/** Insole channels in words for the physiotherapist (gaitpdb: L1–L8 / R1–R8 under each foot, and the totals). */
function channelName(name: string): string {
  const side = (c: string) => (c === 'L' ? 'left' : 'right');
  const sensor = /^([LR])(\d+)$/.exec(name);
  if (sensor) return `${side(sensor[1])} sensor ${sensor[2]} (${name})`;
  const total = /^([LR])_total$/.exec(name);
  if (total) return `${side(total[1])} total force (${name})`;
  return channelInWords(name);
}

/** The newest Horst model whose data selection holds one of these trials. */
function newestModelHolding(ctx: ServiceContext, trialIds: readonly string[]): string | null {
  const wanted = new Set(trialIds);
  for (const m of listModels(ctx.db).filter((x) => x.method === HORST_NAME)) {
    const trials = (readModel(ctx.db, m.id)?.dataSelection?.trials ?? []) as { id: string }[];
    if (trials.some((t) => wanted.has(t.id))) return m.id;
  }
  return null;
}

export function relevanceSection(ctx: ServiceContext, subjectId: string, cohort: string, trialIds: readonly string[]): MethodSection {
  const train = `gaitlab train horst --model linear-svm --task subject --cohort ${cohort}`;
  const modelId = newestModelHolding(ctx, trialIds);
  if (!modelId) {
    return {
      id: 'relevance', title: TITLE, status: 'not-run', modelId: null, howToRun: train,
      summary: 'No Horst model holds this subject\'s walks: train one on its cohort, then issue the report again; the report explains the subject\'s walks with it.',
    };
  }
  try {
    return { id: 'relevance', title: TITLE, status: 'available', modelId, howToRun: null, ...explainForReport(ctx, modelId, subjectId, trialIds) };
  } catch (e) {
    return { id: 'relevance', title: TITLE, status: 'not-applicable', modelId, howToRun: train, summary: `Model ${modelId}: ${(e as Error).message}` };
  }
}

function explainForReport(ctx: ServiceContext, modelId: string, subjectId: string, trialIds: readonly string[]): { summary: string; relevance: ReportRelevance } {
  const model = loadHorstModel(ctx, modelId);
  const { state } = model;
  const tested = new Set(explainableTrials(model).ids);
  const ids = trialIds.filter((id) => tested.has(id));
  if (ids.length === 0) throw new Error(`none of this subject's walks has a test run in the model (a subject with fewer than 3 ${model.cycles ? 'gait cycles' : 'trials'} is excluded from its folds)`);
  const rows = modelRows(ctx, model, ids).filter((r) => r.fold >= 0 && r.subject === subjectId);
  if (rows.length === 0) throw new Error(`the model's data holds these walks under another subject than ${subjectId}`);
  const composite = compositeOf(DEFAULT_COMPOSITE);
  const explained = explainRows(model, rows, composite);
  const K = state.classes.length;

  const map = meanMap(explained.rows.map((r) => r.relevance64));
  const meanLogits = Array.from({ length: K }, (_, k) => explained.rows.reduce((s, r) => s + r.logits[k], 0) / rows.length);
  const predicted = meanLogits.indexOf(Math.max(...meanLogits));
  const correct = explained.rows.filter((r) => r.predicted.index === r.target.index).length;
  const units = new Map(readChannelMeta(ctx.db, ids[0]).map((c) => [c.name, c.unit ?? '']));
  let total = 0;
  for (const v of map) total += Math.abs(v);
  const panels = state.channels.map((channel, c) => {
    const relevance = Array.from(map.subarray(c * SAMPLES, (c + 1) * SAMPLES));
    const mean = Array.from({ length: SAMPLES }, (_, t) => rows.reduce((s, r) => s + r.x[c * SAMPLES + t], 0) / rows.length);
    const share = total > 0 ? relevance.reduce((s, v) => s + Math.abs(v), 0) / total : 0;
    return { channel, unit: units.get(channel) ?? '', mean, relevance, share };
  });
  let scale = 0;
  for (const v of map) scale = Math.max(scale, Math.abs(v));
  const phases = mostRelevantPhases(panels.map((p) => p.relevance), state.channels, model.span, 3).map((p) => {
    const band = PHASES[model.span].find((b) => b.name === p.phase)!;
    return { ...p, fromPct: band.fromPct, toPct: band.toPct };
  });
  const topChannels = [...panels].sort((a, b) => b.share - a.share).slice(0, 3).map((p) => ({ channel: p.channel, share: p.share }));

  const m = listModels(ctx.db).find((x) => x.id === model.id)!;
  const metrics = (m.metrics ?? {}) as { meanAccuracy?: number; sdAccuracy?: number; runs?: number; protocol?: { folds?: string; k?: number; seed?: number; schedule?: string } };
  const p = metrics.protocol ?? {};
  const inputWord = model.cycles ? 'gait cycle' : 'trial';
  const schedule = p.schedule === 'smoke' ? 'smoke schedule: quick settings' : p.schedule ?? '?';
  const protocol = `${p.folds ?? state.foldAlgorithm} folds, k = ${p.k ?? state.k}, each ${inputWord} a test row in exactly one run, scaling fitted on each run's training folds; seed ${p.seed ?? model.seed}; ${schedule}`;
  const relevance: ReportRelevance = {
    model: {
      id: model.id, kind: state.kind, task: state.task, classes: K,
      accuracy: { mean: metrics.meanAccuracy ?? NaN, sd: metrics.sdAccuracy ?? NaN, runs: metrics.runs ?? state.runs.length }, protocol,
    },
    composite: explained.composite, span: model.span,
    inputs: { kind: model.cycles ? 'gait cycles' : 'trials', n: rows.length, trials: ids.length },
    truth: rows[0].label, predicted: state.classes[predicted], correct, scale, panels, phases, topChannels,
  };
  const span = SPAN_WORDS[model.span];
  const summary = [
    `Model ${model.id} (${state.kind}, ${TASKS[state.task] ?? state.task}, ${K} classes): test accuracy ${pct(relevance.model.accuracy.mean)} ± ${pct(relevance.model.accuracy.sd)} % over ${relevance.model.accuracy.runs} runs (${protocol}).`,
    `The subject's ${rows.length} ${inputWord}s${model.cycles ? ` of ${ids.length} walk(s)` : ''}, each explained by the run in which it was a test row (LRP for the true class, composite ${explained.composite}): predicted ${relevance.predicted} (argmax of the mean logits), true class ${relevance.truth}; ${correct} of ${rows.length} classified correctly one by one.`,
    phases.length ? `Most relevant: ${phases.map((x) => `${x.phase} (${x.fromPct}–${x.toPct} % of the ${span}), ${channelName(x.channel)}`).join('; ')}.` : 'No phase carried positive relevance.',
    `Channels carrying the most relevance: ${topChannels.map((x) => `${channelName(x.channel)} ${(100 * x.share).toFixed(0)} %`).join(', ')} of Σ|R|.`,
    model.cycles ? 'The map is the mean of the subject\'s cycle maps (a walk\'s map is the mean of its cycles\' maps), coloured onto the mean curves of the same cycles.' : 'The map is the mean of the subject\'s trial maps, coloured onto the mean curves of the same trials.',
  ].join(' ');
  return { summary, relevance };
}
