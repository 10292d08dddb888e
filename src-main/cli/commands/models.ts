// gaitlab models: list and delete trained models; gaitlab model <id>: one model with its provenance.
import type { Command } from 'commander';
import type { ApiResponse } from '../../../src-shared/api/schema';
import { printJson, table } from '../output';
import { withApi, type GlobalOptions } from '../run-context';

const pct = (v: unknown) => (typeof v === 'number' ? `${(v * 100).toFixed(1)} %` : '');

export function registerModels(program: Command, global: () => GlobalOptions): void {
  const models = program.command('models').description('trained models: list, delete');
  models
    .command('list', { isDefault: true })
    .description('models, newest first, with their metrics')
    .action(async () => {
      const g = global();
      const res = (await withApi(g, (call) => call('listModels', {}), true)) as ApiResponse<'listModels'>;
      if (g.json) printJson(res);
      else console.log(table(res.models.map((m) => ({ id: m.id, method: m.method, name: m.name, 'test accuracy': pct(m.metrics?.testAccuracy), seed: m.seed, backend: m.backend, job: m.jobId, created: m.createdAt })),
        ['id', 'method', 'name', 'test accuracy', 'seed', 'backend', 'job', 'created']));
    });
  models
    .command('delete')
    .description('delete a model (audited)')
    .argument('<id>', 'model id (M-…)')
    .action(async (id: string) => {
      const g = global();
      const res = (await withApi(g, (call) => call('deleteModel', { id }))) as ApiResponse<'deleteModel'>;
      if (g.json) printJson(res);
      else console.log(`model ${res.deleted} deleted`);
    });
  program
    .command('model')
    .description('one model: method, parameters, seed, backend, data selection with content hashes, preprocessing, weights, metrics')
    .argument('<id>', 'model id (M-…)')
    .action(async (id: string) => {
      const g = global();
      const res = (await withApi(g, (call) => call('getModel', { id }), true)) as ApiResponse<'getModel'>;
      if (g.json) printJson(res);
      else {
        const m = res.model;
        console.log(`${m.id}  ${m.name}  (${m.method} v${m.methodVersion}, GaitLab ${m.gaitlabVersion}, ${m.backend}, seed ${m.seed})`);
        console.log(`params ${JSON.stringify(m.params)}`);
        const sel = m.dataSelection as { cohort?: string; trials?: unknown[] } | null;
        console.log(`data: cohort ${sel?.cohort}, ${sel?.trials?.length ?? 0} trials`);
        for (const [k, v] of Object.entries(m.metrics ?? {})) console.log(`  ${k}: ${JSON.stringify(v)}`);
      }
    });
}
