// gaitlab jobs: list jobs; jobs show / cancel / wait <id>.
import type { Command } from 'commander';
import type { ApiResponse } from '../../../src-shared/api/schema';
import type { JobSummary } from '../../../src-shared/api/jobs';
import { printJson, progressBar, table } from '../output';
import { int } from '../parse';
import { withApi, type GlobalOptions } from '../run-context';

function jobRow(j: JobSummary): Record<string, unknown> {
  return {
    id: j.id, method: j.method, status: j.status + (j.cancelRequested ? ' (cancelling)' : ''), progress: `${Math.round(j.progress * 100)} %`,
    stage: j.stage, 'ETA s': j.etaS === null || j.status !== 'running' ? '' : Math.round(j.etaS), model: j.modelId, error: j.error, created: j.createdAt,
  };
}

export function registerJobs(program: Command, global: () => GlobalOptions, exitCode: (n: number) => void): void {
  const jobs = program.command('jobs').description('training jobs: list, show, cancel, wait');
  jobs
    .command('list', { isDefault: true })
    .description('jobs, newest first (a job whose worker died is marked failed, "interrupted")')
    .option('--status <status...>', 'only these: queued running done failed cancelled')
    .option('--limit <n>', 'at most n jobs', int, 100)
    .action(async (o: { status?: JobSummary['status'][]; limit: number }) => {
      const g = global();
      const res = (await withApi(g, (call) => call('listJobs', { status: o.status, limit: o.limit }))) as ApiResponse<'listJobs'>;
      if (g.json) printJson(res);
      else console.log(table(res.jobs.map(jobRow), ['id', 'method', 'status', 'progress', 'stage', 'ETA s', 'model', 'error', 'created']));
    });
  jobs
    .command('show')
    .description('one job with its parameters and log')
    .argument('<id>', 'job id (J-…)')
    .action(async (id: string) => {
      const g = global();
      const res = (await withApi(g, (call) => call('getJob', { id }))) as ApiResponse<'getJob'>;
      if (g.json) printJson(res);
      else {
        console.log(table([jobRow(res.job)], ['id', 'method', 'status', 'progress', 'stage', 'ETA s', 'model', 'error', 'created']));
        console.log(`params ${JSON.stringify(res.job.params)} seed ${res.job.seed} data ${JSON.stringify(res.job.data)}`);
        for (const l of res.log) console.log(`${l.at}  ${l.line}`);
      }
    });
  jobs
    .command('cancel')
    .description('cancel a job: a queued one at once, a running one at its next check; nothing of it is stored')
    .argument('<id>', 'job id (J-…)')
    .action(async (id: string) => {
      const g = global();
      const res = (await withApi(g, (call) => call('cancelJob', { id }))) as ApiResponse<'cancelJob'>;
      if (g.json) printJson(res);
      else console.log(`job ${res.job.id} ${res.job.status}${res.job.cancelRequested ? ' (cancel requested)' : ''}`);
    });
  jobs
    .command('wait')
    .description('wait until a job ends (progress bar on stderr); exit 1 unless it is done')
    .argument('<id>', 'job id (J-…)')
    .option('--timeout <s>', 'give up after s seconds (exit 1)', int)
    .action(async (id: string, o: { timeout?: number }) => {
      const g = global();
      const bar = progressBar();
      const res = await withApi(g, async (call, _ctx, signal) => {
        try {
          return (await call('waitJob', { id, timeoutS: o.timeout }, { signal, onEvent: bar.onEvent })) as ApiResponse<'waitJob'>;
        } finally {
          bar.stop();
        }
      });
      if (res.job.status !== 'done') {
        process.stderr.write(`gaitlab: job ${res.job.id} ${res.job.status}${res.job.error ? `: ${res.job.error}` : ''}\n`);
        exitCode(1);
      }
      if (g.json) printJson(res);
      else console.log(`job ${res.job.id} ${res.job.status}${res.job.modelId ? `: model ${res.job.modelId}` : ''}`);
    });
}
