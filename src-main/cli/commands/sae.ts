// gaitlab features <model> [--recompute]: per-feature statistics of a sparse-autoencoder dictionary over its cohort,
// read from the analyses stored with the model (--recompute: computed again on the cohort as it is now);
// gaitlab akin <model> --trial <id> | --subject <id>: the subjects whose gait codes are nearest (cosine).
import type { Command } from 'commander';
import type { ApiResponse } from '../../../src-shared/api/schema';
import { int } from '../parse';
import { printJson, table } from '../output';
import { withApi, type GlobalOptions } from '../run-context';

export function registerSae(program: Command, global: () => GlobalOptions): void {
  program
    .command('features')
    .description('a sparse-autoencoder model\'s features over its cohort: firing rates, mean/SD, variance share, dead features, redundancy')
    .argument('<model>', 'model id (M-…) of a sae-kalam2025 model')
    .option('--recompute', 'compute the analyses again on the cohort\'s data as it is now, and store them with the model')
    .action(async (id: string, o: { recompute?: boolean }) => {
      const g = global();
      const res = (await withApi(g, (call) => call('saeFeatures', { id, recompute: o.recompute ?? false }), 'existing')) as ApiResponse<'saeFeatures'>;
      if (g.json) return printJson(res);
      console.log(analysesLine(res.analyses));
      const s = res.summary;
      console.log(`${res.model} (${res.variant}): ${res.samples} samples of ${res.subjects} subjects; firing rate mean ${s.meanFiringRate.toFixed(3)} (${s.minFiringRate.toFixed(3)}–${s.maxFiringRate.toFixed(3)}), ${s.meanL0.toFixed(1)} active per sample, ${s.dead.length} dead, max |r| ${s.maxAbsCorrelation.toFixed(2)}`);
      console.log(table(res.features.map((f) => ({ feature: f.index, 'firing rate': f.firingRate.toFixed(3), mean: f.mean.toFixed(3), sd: f.sd.toFixed(3), 'variance share': f.varianceShare.toFixed(3), dead: f.dead ? 'dead' : '' })),
        ['feature', 'firing rate', 'mean', 'sd', 'variance share', 'dead']));
    });
  program
    .command('akin')
    .description('walks like this one: the k subjects nearest to a trial\'s or a subject\'s code (cosine), never the query subject')
    .argument('<model>', 'model id (M-…) of a sae-kalam2025 model')
    .option('--trial <id>', 'query: this trial')
    .option('--subject <id>', 'query: this subject\'s mean code')
    .option('--k <n>', 'number of neighbours', int, 10)
    .action(async (id: string, o: { trial?: string; subject?: string; k: number }) => {
      const g = global();
      if ((o.trial === undefined) === (o.subject === undefined)) throw new Error('akin: give exactly one of --trial and --subject');
      const res = (await withApi(g, (call) => call('saeAkin', { id, trial: o.trial, subject: o.subject, k: o.k }), 'existing')) as ApiResponse<'saeAkin'>;
      if (g.json) return printJson(res);
      console.log(analysesLine(res.analyses));
      console.log(`query: subject ${res.query.subject}${res.query.trial ? ` trial ${res.query.trial}` : ''} (${res.query.group}); ${res.database} other subjects, ${res.excludedZero} with a zero code left out`);
      console.log(table(res.neighbours.map((n, i) => ({ rank: i + 1, subject: n.subject, distance: n.distance.toFixed(4), group: n.group })), ['rank', 'subject', 'distance', 'group']));
    });
}

/** When and on which data the stored analyses were computed, and whether the cohort changed since. */
function analysesLine(a: ApiResponse<'saeFeatures'>['analyses']): string {
  return a.current
    ? `analyses of ${a.samples} samples computed ${a.computedAt} (${a.trigger}) on data version ${a.dataVersion}; the cohort's data is unchanged since`
    : `NOTE: ${a.note}`;
}
