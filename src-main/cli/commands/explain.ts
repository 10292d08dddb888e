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
    .description('LRP relevance map of one trial from a Horst model (the run in which the trial was a test trial)')
    .argument('<model>', 'model id (M-…)')
    .option('--trial <id>', 'trial id')
    .option('--subject <id>', 'subject id: the mean map of its trials, TP rate and CV')
    .option('--all', 'batch: the map of every trial of the model\'s data, each from its test run, stored in the database')
    .option('--composite <rules>', 'LRP composite, e.g. "epsilon(1e-5)" for the paper figures', DEFAULT_COMPOSITE)
    .action(async (modelId: string, o: { trial?: string; subject?: string; all?: boolean; composite: string }) => {
      const g = global();
      if ([o.trial !== undefined, o.subject !== undefined, o.all === true].filter(Boolean).length !== 1) throw new Error('explain: give either --trial <id>, --subject <id> or --all');
      if (o.all) {
        const res = (await withApi(g, (call, _ctx, signal) => call('explainModel', { modelId, composite: o.composite }, { signal }), 'existing')) as ApiResponse<'explainModel'>;
        if (g.json) { printJson(res); return; }
        const e = res.explained;
        console.log(`model ${e.modelId} (${e.kind}, task ${e.task}, ${e.selection}), composite ${e.composite}: ${e.maps} relevance maps stored from ${e.runs} runs (test accuracy ${(e.testAccuracy * 100).toFixed(1)} %), LRP ${e.lrpSeconds.toFixed(3)} s, ${e.seconds.toFixed(2)} s in all${e.excludedTrials ? `; ${e.excludedTrials} trials of excluded subjects have no map` : ''}`);
        return;
      }
      if (o.subject !== undefined) {
        const sub = (await withApi(g, (call) => call('explainSubject', { modelId, subjectId: o.subject!, composite: o.composite }), true)) as ApiResponse<'explainSubject'>;
        if (g.json) { printJson(sub); return; }
        const s = sub.subject;
        console.log(`subject ${s.subjectId}, model ${s.modelId}, composite ${s.composite}: ${s.trials.length} trials, TP rate ${(s.truePositiveRate * 100).toFixed(0)} %, CV ${s.cv === null ? '–' : s.cv.toFixed(3)}`);
        printPhases(s.phases);
        printTop(s.relevance, s.channels, s.samples);
        return;
      }
      const res = (await withApi(g, (call) => call('explainTrial', { modelId, trialId: o.trial!, composite: o.composite }), true)) as ApiResponse<'explainTrial'>;
      if (g.json) { printJson(res); return; }
      const e = res.explanation;
      console.log(`trial ${e.trialId}, model ${e.modelId} (${e.kind}, task ${e.task}, run ${e.run}), composite ${e.composite}`);
      console.log(`  true class ${e.target.label} (logit ${e.explainedLogit.toFixed(4)}), predicted ${e.predicted.label}; Σ R = ${e.relevanceSum.toFixed(4)}, residual ${e.residual.toFixed(4)}`);
      printPhases(e.phases);
      printTop(e.relevance, e.channels, e.samples);
    });
}

function printPhases(phases: { words: string; relevance: number }[]): void {
  if (phases.length) console.log(`  most relevant: ${phases.map((p) => `${p.words} (${p.relevance.toFixed(3)})`).join('; ')}`);
}

function printTop(relevance: number[][], channels: string[], samples: number): void {
  const top = relevance.flatMap((row, c) => row.map((r, t) => ({ r, c, t }))).sort((a, b) => b.r - a.r).slice(0, 5);
  for (const { r, c, t } of top) console.log(`  ${r.toFixed(4)} at ${Math.round((t / (samples - 1)) * 100)} % of stance, ${channels[c]}`);
}
