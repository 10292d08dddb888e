import type { Command } from 'commander';
import type { ApiResponse } from '../../../src-shared/api/schema';
import { printJson } from '../output';
import { withApi, type GlobalOptions } from '../run-context';

export function registerInfo(program: Command, global: () => GlobalOptions): void {
  program
    .command('info')
    .description('database path, schema version and counts')
    .action(async () => {
      const g = global();
      const res = (await withApi(g, (call) => call('info', {}), 'existing')) as ApiResponse<'info'>;
      if (g.json) printJson({ info: res });
      else console.log(`GaitLab ${res.version}\ndatabase ${res.dbPath} (schema ${res.schemaVersion})\n${res.counts.subjects} subjects, ${res.counts.sessions} sessions, ${res.counts.trials} trials, ${res.counts.signals} channels`);
    });
}
