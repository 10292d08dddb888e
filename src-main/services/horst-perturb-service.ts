// The perturbation analysis of a Horst model (methods-spec §1.7, §5.1.9, §5.1.10): on each run's test fold, in
// the run's scaled space, components are replaced by noise in random or relevance-descending order (0–49 % in
// 1 % steps, 10 repetitions; the quick setting 0–9 % and 2 repetitions, labelled as such), and the accuracy of
// the logits' argmax is followed step by step. Pooled and per-subject curves, AOPC and AOC, and the relevance
// consistency CV per subject. Counted per subject and run, so the pooled curve is the sum of the subjects'.
import type { ApiResponse } from '../../src-shared/api/schema';
import { forwardActivations } from '../../src-shared/lrp';
import { lrpModel, modelPlan, SAMPLES } from '../../src-shared/methods/horst/architectures';
import { aoc, aopc, NOISES, perturbationCounts, STEPS, type Noise, type PerturbationOrder } from '../../src-shared/methods/horst/perturbation';
import { meanSd, relevanceCV } from '../../src-shared/methods/horst/relevance-stats';
import { applyChannelScaling } from '../../src-shared/methods/horst/scaling';
import { readRelevanceMaps } from '../store/relevance-maps';
import { throwIfCancelled, type CallContext } from './call-context';
import type { ServiceContext } from './context';
import { compositeOf, explainRows, loadHorstModel, selectionName } from './horst-service';
import { explainableTrials, modelRows, type ModelRow } from './horst-rows';

export const QUICK = { repetitions: 2, steps: 10 } as const;
export const FULL = { repetitions: 10, steps: STEPS } as const;

export interface PerturbRequest {
  modelId: string;
  composite: string;
  noises?: Noise[];
  orders?: PerturbationOrder[];
  quick: boolean;
}

const yieldToEvents = () => new Promise<void>((resolve) => setImmediate(resolve));
const YIELD_EVERY_MS = 50;

export async function perturbModel(ctx: ServiceContext, req: PerturbRequest, call?: CallContext): Promise<ApiResponse<'perturbModel'>> {
  const model = loadHorstModel(ctx, req.modelId);
  const composite = compositeOf(req.composite);
  const setting = req.quick ? QUICK : FULL;
  const noises = req.noises ?? [...NOISES];
  const orders = req.orders ?? (['random', 'relevanceDescending'] as PerturbationOrder[]);
  const { state, selection } = model;
  const C = state.channels.length;
  // The inputs with a test run: trials, or gait cycles for a model of cycles (horst-rows.ts).
  const rows = modelRows(ctx, model, explainableTrials(model).ids).filter((r) => r.fold >= 0);
  const keyOf = (r: { trialId: string; rowKey?: string }) => r.rowKey ?? r.trialId;

  // The true-class map of every input: the stored one (gaitlab explain --all) where there is one, else computed.
  const stored = new Map(readRelevanceMaps(ctx.db, model.id, composite.name).map((m) => [keyOf(m), m]));
  const missing = rows.filter((r) => !stored.has(keyOf(r)));
  const computed = new Map(missing.length ? explainRows(model, missing, composite, call?.signal).rows.map((m) => [keyOf(m), m]) : []);
  const mapOf = (r: ModelRow) => (stored.get(keyOf(r)) ?? computed.get(keyOf(r)))!;

  // Per run: its float64 network and its test rows grouped by subject, scaled with the run's constants.
  const runs = state.runs.map((run) => {
    const net = lrpModel(modelPlan(state.kind, C, state.classes.length), run.weights);
    const bySubject = new Map<string, { x: Float64Array; label: number; relevance: Float32Array }[]>();
    for (const r of rows.filter((x) => x.fold === run.run)) {
      const m = mapOf(r);
      const x = Float64Array.from(applyChannelScaling(r.x, [0], C, SAMPLES, run.scaling));
      const item = { x, label: m.target.index, relevance: m.relevance };
      const list = bySubject.get(r.subject);
      if (list) list.push(item);
      else bySubject.set(r.subject, [item]);
    }
    return { run: run.run, predict: (x: Float64Array) => { const a = forwardActivations(net, x); return a[a.length - 1]; }, bySubject };
  });
  const subjects = [...new Set(rows.map((r) => r.subject))].sort();
  const total = noises.length * orders.length;
  let done = 0;
  let lastYield = performance.now();
  const curves: ApiResponse<'perturbModel'>['perturbation']['curves'] = [];
  for (const noise of noises) {
    for (const order of orders) {
      throwIfCancelled(call?.signal, 'perturb');
      call?.progress({ kind: 'progress', task: 'perturb', stage: `${noise} ${order}`, done, total });
      await yieldToEvents();
      const pooled = new Float64Array(setting.steps);
      let pooledN = 0;
      const perSubject = new Map<string, { counts: Float64Array; n: number }>();
      for (const run of runs) {
        for (const [subject, items] of run.bySubject) {
          const counts = perturbationCounts(
            { trials: items.map((i) => i.x), labels: items.map((i) => i.label), predict: run.predict, relevance: items.map((i) => i.relevance) },
            noise, order, { seed: model.seed, key: [state.kind, run.run, subject], repetitions: setting.repetitions, steps: setting.steps },
          );
          const s = perSubject.get(subject) ?? { counts: new Float64Array(setting.steps), n: 0 };
          counts.forEach((c, k) => { s.counts[k] += c; pooled[k] += c; });
          s.n += items.length * setting.repetitions;
          pooledN += items.length * setting.repetitions;
          perSubject.set(subject, s);
          // One noise and order is thousands of predictions: give the worker's cancel and heartbeat a turn often.
          if (performance.now() - lastYield > YIELD_EVERY_MS) {
            await yieldToEvents();
            throwIfCancelled(call?.signal, 'perturb');
            lastYield = performance.now();
          }
        }
      }
      const accuracy = Array.from(pooled, (c) => c / pooledN);
      const subjectCurves = subjects.map((subject) => {
        const s = perSubject.get(subject)!;
        const acc = Array.from(s.counts, (c) => c / s.n);
        return { subject, accuracy: acc, aopc: aopc(acc), aoc: aoc(acc) };
      });
      curves.push({
        noise, order, accuracy, aopc: aopc(accuracy), aoc: aoc(accuracy),
        subjectAopc: meanSd(subjectCurves.map((s) => s.aopc)), subjectAoc: meanSd(subjectCurves.map((s) => s.aoc)), subjects: subjectCurves,
      });
      done++;
    }
  }
  call?.progress({ kind: 'progress', task: 'perturb', stage: 'done', done, total });
  const cvs = subjects.map((subject) => relevanceCV(rows.filter((r) => r.subject === subject).map((r) => mapOf(r).relevance)));
  return {
    perturbation: {
      modelId: model.id, selection: selectionName(selection), kind: state.kind, task: state.task, composite: composite.name, seed: model.seed,
      setting: { ...setting, label: req.quick ? `quick (${QUICK.repetitions} repetitions, steps 0–${QUICK.steps - 1} %): not the spec's analysis` : `full (${FULL.repetitions} repetitions, steps 0–${FULL.steps - 1} %)` },
      relevanceMaps: missing.length === 0 ? 'stored' : stored.size === 0 ? 'computed' : 'stored and computed',
      trials: rows.length, ...(model.cycles ? { inputs: 'gait cycles' as const } : {}), steps: Array.from({ length: setting.steps }, (_, k) => k), curves,
      relevanceCV: meanSd(cvs),
    },
  };
}
