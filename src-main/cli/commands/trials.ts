import type { Command } from 'commander';
import type { ApiResponse } from '../../../src-shared/api/schema';
import { printJson, table } from '../output';
import { withApi, type GlobalOptions } from '../run-context';
import { int } from '../parse';
import { resolveSubjectId } from './subjects';

export function registerTrials(program: Command, global: () => GlobalOptions): void {
  program
    .command('trials')
    .description('list trials with their id and source file')
    .option('--subject <id>', 'only this subject (id or source code)')
    .option('--search <text>', 'only trials whose subject code, key, label or source file name contains the text')
    .option('--limit <n>', 'at most n trials (all when omitted)', int)
    .option('--offset <n>', 'skip the first n', int, 0)
    .action(async (o: { subject?: string; search?: string; limit?: number; offset: number }) => {
      const g = global();
      const res = await withApi(g, async (call) => {
        const subjectId = o.subject ? await resolveSubjectId(call, o.subject) : undefined;
        const trials: ApiResponse<'listTrials'>['trials'] = [];
        let total = 0;
        for (let offset = o.offset; ; offset += 1000) {
          const want = o.limit === undefined ? 1000 : Math.min(1000, o.limit - trials.length);
          if (want <= 0) break;
          const r = (await call('listTrials', { subjectId, search: o.search, offset, limit: want })) as ApiResponse<'listTrials'>;
          trials.push(...r.trials); total = r.total;
          if (r.trials.length < want) break;
        }
        return { trials, total };
      }, true);
      if (g.json) printJson(res);
      else {
        console.log(table(res.trials.map((t) => ({ id: t.id, subject: t.subjectCode, key: t.key, 'duration s': t.durationS?.toFixed(2), channels: t.channels, source: t.sourceFile })),
          ['id', 'subject', 'key', 'duration s', 'channels', 'source']));
        console.log(`${res.trials.length} of ${res.total} trials`);
      }
    });

  program
    .command('signals')
    .description('every channel of a trial: name, unit, rate, values')
    .argument('<trialId>', 'trial id (T-…)')
    .option('--channel <name...>', 'only these channels')
    .option('--max-points <n>', 'decimate each channel to about n points (min–max, keeps peaks)', int)
    .option('--no-values', 'metadata only')
    .action(async (trialId: string, o: { channel?: string[]; maxPoints?: number; values: boolean }) => {
      const g = global();
      const res = (await withApi(g, (call) => call('getSignals', { trialId, channels: o.channel, maxPoints: o.maxPoints, valuesIncluded: o.values }), true)) as ApiResponse<'getSignals'>;
      if (g.json) printJson(res);
      else {
        console.log(`${res.trial.key} (${res.trial.id}) of ${res.trial.subjectCode}: ${res.channels.length} channels`);
        console.log(table(res.channels.map((c) => ({ channel: c.name, unit: c.unit, 'rate Hz': c.rateHz?.toFixed(3), domain: c.domain, side: c.side, samples: c.samples,
          min: c.values ? Math.min(...c.values).toFixed(2) : '', max: c.values ? Math.max(...c.values).toFixed(2) : '' })),
          ['channel', 'unit', 'rate Hz', 'domain', 'side', 'samples', 'min', 'max']));
      }
    });
}
