// gaitlab explain <model> --trial <id>: the LRP relevance map of one trial (channel × time) from a Horst model,
// with the explained (true-class) logit, the composite and the residual; --subject <id>: the subject's mean map
// with its TP rate and relevance CV; --all: every trial's map, stored (§5.1.7). Without --json, the most
// relevant moments in words.
import type { Command } from 'commander';
import type { ApiResponse } from '../../../src-shared/api/schema';
import { DEFAULT_COMPOSITE } from '../../../src-shared/lrp/composites';
import { printJson } from '../output';
import { withApi, type GlobalOptions } from '../run-context';

export function registerExplain(program: Command, global: () => GlobalOptions): void {
  program
    .command('explain')
    .description('LRP relevance map of one trial from a Horst model (the run in which the trial was a test trial); for a SincPD model, its filters, bands and energy differences')
    .argument('<model>', 'model id (M-…)')
    .argument('[inputs...]', 'SincPD: walk files or trial ids to explain on (default: the walks of the subjects the model held out)')
    .option('--trial <id>', 'trial id')
    .option('--subject <id>', 'subject id: the mean map of its trials, TP rate and CV')
    .option('--all', 'batch: the map of every trial of the model\'s data, each from its test run, stored in the database')
    .option('--composite <rules>', 'LRP composite, e.g. "epsilon(1e-5)" for the paper figures', DEFAULT_COMPOSITE)
    .option('--rank-by <how>', 'SincPD: abs (default) or signed (the paper\'s healthy − PD)', 'abs')
    .option('--recompute', 'SincPD: compute the default explanation again on the held-out walks as they are now, and keep it with the model')
    .action(async (modelId: string, inputs: string[], o: { trial?: string; subject?: string; all?: boolean; composite: string; rankBy: string; recompute?: boolean }) => {
      const g = global();
      if (o.trial === undefined && o.subject === undefined && !o.all) {
        const { model } = (await withApi(g, (call) => call('getModel', { id: modelId }), true)) as ApiResponse<'getModel'>;
        if (model.method.toLowerCase() === 'sincpd') {
          if (o.rankBy !== 'abs' && o.rankBy !== 'signed') throw new Error(`explain: unknown --rank-by "${o.rankBy}" (expected abs or signed)`);
          // A kept explanation computed on first read (or a recompute) is stored: the database is opened for writing.
          const res = (await withApi(g, (call) => call('sincpdExplain', { modelId, inputs, rankBy: o.rankBy as 'abs' | 'signed', ...(o.recompute ? { recompute: true } : {}) }), 'existing')) as ApiResponse<'sincpdExplain'>;
          if (g.json) { printJson(res); return; }
          printSincPd(res);
          return;
        }
      }
      if (o.recompute) throw new Error('explain: --recompute applies to a SincPD model\'s default explanation');
      if ([o.trial !== undefined, o.subject !== undefined, o.all === true].filter(Boolean).length !== 1) throw new Error('explain: give either --trial <id>, --subject <id> or --all');
      if (o.all) {
        const res = (await withApi(g, (call, _ctx, signal) => call('explainModel', { modelId, composite: o.composite }, { signal }), 'existing')) as ApiResponse<'explainModel'>;
        if (g.json) { printJson(res); return; }
        const e = res.explained;
        console.log(`model ${e.modelId} (${e.kind}, task ${e.task}, ${e.selection}), composite ${e.composite}: ${e.maps} relevance maps${e.inputs ? ` (one per gait cycle of ${e.trials} walks)` : ''} stored from ${e.runs} runs (test accuracy ${(e.testAccuracy * 100).toFixed(1)} %), LRP ${e.lrpSeconds.toFixed(3)} s (${e.lrpThreads} thread${e.lrpThreads === 1 ? '' : 's'}), ${e.seconds.toFixed(2)} s in all${e.excludedTrials ? `; ${e.excludedTrials} trials of excluded subjects have no map` : ''}`);
        return;
      }
      if (o.subject !== undefined) {
        const sub = (await withApi(g, (call) => call('explainSubject', { modelId, subjectId: o.subject!, composite: o.composite }), true)) as ApiResponse<'explainSubject'>;
        if (g.json) { printJson(sub); return; }
        const s = sub.subject;
        console.log(`subject ${s.subjectId}, model ${s.modelId}, composite ${s.composite}: ${s.trials.length} trials, TP rate ${(s.truePositiveRate * 100).toFixed(0)} %, CV ${s.cv === null ? '–' : s.cv.toFixed(3)}`);
        printPhases(s.phases);
        printTop(s.relevance, s.channels, s.samples, s.cycles !== undefined ? 'gait cycle' : 'stance');
        return;
      }
      const res = (await withApi(g, (call) => call('explainTrial', { modelId, trialId: o.trial!, composite: o.composite }), true)) as ApiResponse<'explainTrial'>;
      if (g.json) { printJson(res); return; }
      const e = res.explanation;
      console.log(`trial ${e.trialId}, model ${e.modelId} (${e.kind}, task ${e.task}, ${e.cycles ? `mean of its ${e.cycles.n} gait cycles' maps from runs ${e.cycles.runs.join(', ')}; ${e.cycles.correct} of them classified correctly` : `run ${e.run}`}), composite ${e.composite}`);
      console.log(`  true class ${e.target.label} (logit ${e.explainedLogit.toFixed(4)}), predicted ${e.predicted.label}; Σ R = ${e.relevanceSum.toFixed(4)}, residual ${e.residual.toFixed(4)}`);
      printPhases(e.phases);
      printTop(e.relevance, e.channels, e.samples, e.cycles ? 'gait cycle' : 'stance');
    });
}

function printPhases(phases: { words: string; relevance: number }[]): void {
  if (phases.length) console.log(`  most relevant: ${phases.map((p) => `${p.words} (${p.relevance.toFixed(3)})`).join('; ')}`);
}

function printTop(relevance: number[][], channels: string[], samples: number, span: string): void {
  const top = relevance.flatMap((row, c) => row.map((r, t) => ({ r, c, t }))).sort((a, b) => b.r - a.r).slice(0, 5);
  for (const { r, c, t } of top) console.log(`  ${r.toFixed(4)} at ${Math.round((t / (samples - 1)) * 100)} % of ${span}, ${channels[c]}`);
}

function printSincPd(res: ApiResponse<'sincpdExplain'>): void {
  const e = res.explanation;
  const s = res.segments;
  const k = res.stored;
  if (k) console.log(k.current ? `explanation kept with the model, computed ${k.computedAt} (${k.trigger}) on data version ${k.dataVersion}; the ${k.walks} walks it read are unchanged since` : `NOTE: ${k.note}`);
  console.log(`model ${res.modelId} (SincPD ${e.profile}, task ${res.task}): ${e.filters.length} filters on ${s.n} segments (${s.healthy} control, ${s.pd} PD) of ${s.source}${s.heldOut ? '' : ' (seen in training)'}; ranked by ${e.rankBy} ΔE`);
  for (const f of e.filters.filter((x) => x.top20).sort((a, b) => a.rank - b.rank)) {
    console.log(`  #${f.rank} sensor ${f.sensor} (${f.region}) filter ${f.filter}: ${f.f1Hz.toFixed(2)}–${f.f2Hz.toFixed(2)} Hz${f.aliased ? ' (aliased)' : ''}, ΔE ${f.deltaE.toExponential(3)}`);
  }
  console.log(`  sensors by Σ|ΔE|: ${[...e.sensors].sort((a, b) => a.rank - b.rank).map((x) => x.sensor).join(', ')}`);
}
