// gaitlab predict <model> <walk files or trial ids...>: a SincPD model's PD probability and class per walk (and the
// H&Y estimate of a severity model), with per-segment detail. Files are read and never stored.
import type { Command } from 'commander';
import type { ApiResponse } from '../../../src-shared/api/schema';
import { printJson } from '../output';
import { withApi, type GlobalOptions } from '../run-context';

export function registerPredict(program: Command, global: () => GlobalOptions): void {
  program
    .command('predict')
    .description('a SincPD model applied to walks: gaitpdb walk files (not stored) or stored trial ids')
    .argument('<model>', 'model id (M-…)')
    .argument('<inputs...>', 'walk files (GaPt03_01.txt[.gz]) or trial ids')
    .action(async (modelId: string, inputs: string[]) => {
      const g = global();
      const res = (await withApi(g, (call) => call('sincpdPredict', { modelId, inputs }), true)) as ApiResponse<'sincpdPredict'>;
      if (g.json) { printJson(res); return; }
      for (const p of res.predictions) {
        const what = p.pdProbability !== null ? `P(PD) ${p.pdProbability.toFixed(3)} ± ${p.pdProbabilitySd!.toFixed(3)} → ${p.predictedClass ? 'PD' : 'control'}` : `H&Y estimate ${p.hoehnYahrEstimate!.toFixed(2)} (class ${p.predictedClass})`;
        console.log(`${p.walk} (${p.stored ? 'stored' : 'file'}, ${p.segments} segments): ${what}`);
      }
    });
}
