// gaitlab relevance <model> [--by subject|class]: the stored LRP maps of a Horst model (gaitlab explain --all)
// aggregated per subject or per class (methods-spec §5.1.8): mean map, TP rate and relevance CV of each group,
// and the CV's mean ± SD over groups (§5.1.10).
import type { Command } from 'commander';
import type { ApiResponse } from '../../../src-shared/api/schema';
import { DEFAULT_COMPOSITE } from '../../../src-shared/lrp/composites';
import { printJson } from '../output';
import { withApi, type GlobalOptions } from '../run-context';

export function registerRelevance(program: Command, global: () => GlobalOptions): void {
  program
    .command('relevance')
    .description('stored LRP relevance maps of a Horst model, aggregated per subject or per class')
    .argument('<model>', 'model id (M-…)')
    .option('--by <group>', 'subject or class', 'subject')
    .option('--composite <rules>', 'the composite the maps were computed with', DEFAULT_COMPOSITE)
    .action(async (modelId: string, o: { by: string; composite: string }) => {
      const g = global();
      if (o.by !== 'subject' && o.by !== 'class') throw new Error(`relevance: --by must be subject or class, got "${o.by}"`);
      const res = (await withApi(g, (call) => call('relevanceSummary', { modelId, composite: o.composite, by: o.by as 'subject' | 'class' }), true)) as ApiResponse<'relevanceSummary'>;
      if (g.json) { printJson(res); return; }
      const s = res.summary;
      console.log(`model ${s.modelId} (${s.kind}, task ${s.task}, ${s.selection}), composite ${s.composite}: ${s.maps} maps in ${s.groups.length} ${s.by === 'subject' ? 'subjects' : 'classes'}; CV ${s.cv ? `${s.cv.mean.toFixed(3)} ± ${s.cv.sd.toFixed(3)} (n = ${s.cv.n})` : '–'}`);
      for (const row of s.groups) console.log(`  ${row.key.padEnd(14)} ${String(row.trials.length).padStart(4)} trials  TP rate ${(row.truePositiveRate * 100).toFixed(0).padStart(3)} %  CV ${row.cv === null ? '–' : row.cv.toFixed(3)}  ${row.phases[0]?.words ?? ''}`);
    });
}
