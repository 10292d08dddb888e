// gaitlab perturb <model>: the noise perturbation curves of a Horst model (methods-spec §1.7, §5.1.9) —
// random vs relevance-descending order, the seven noises, 0–49 % in 1 % steps, 10 repetitions (--quick: 0–9 %
// and 2 repetitions, labelled as such) — with AOPC, AOC and the relevance consistency CV per subject (§5.1.10).
// Progress bar on stderr; Ctrl+C cancels. Without --quick the analysis is a job of the compute engine (a worker
// process; cancel and kill -9 as for training) whose result is stored as a method run.
import type { Command } from 'commander';
import type { ApiResponse } from '../../../src-shared/api/schema';
import { DEFAULT_COMPOSITE } from '../../../src-shared/lrp/composites';
import { NOISES, type Noise, type PerturbationOrder } from '../../../src-shared/methods/horst/perturbation';
import { printJson, progressBar } from '../output';
import { withApi, type GlobalOptions } from '../run-context';

const ORDERS: PerturbationOrder[] = ['random', 'relevanceDescending'];

export function registerPerturb(program: Command, global: () => GlobalOptions): void {
  program
    .command('perturb')
    .description('noise perturbation curves of a Horst model: AOPC, AOC and relevance CV')
    .argument('<model>', 'model id (M-…)')
    .option('--noise <name...>', `noises (default all: ${NOISES.join(', ')})`)
    .option('--order <name...>', 'random and/or relevanceDescending (default both)')
    .option('--composite <rules>', 'LRP composite of the relevance order', DEFAULT_COMPOSITE)
    .option('--quick', 'quick setting for tests: 2 repetitions, steps 0–9 % (labelled as such), in this call; without it the full analysis runs as a job')
    .action(async (modelId: string, o: { noise?: string[]; order?: string[]; composite: string; quick?: boolean }) => {
      const g = global();
      for (const n of o.noise ?? []) if (!(NOISES as readonly string[]).includes(n)) throw new Error(`perturb: noise "${n}" is unknown (${NOISES.join(', ')})`);
      for (const n of o.order ?? []) if (!(ORDERS as string[]).includes(n)) throw new Error(`perturb: order "${n}" is unknown (${ORDERS.join(', ')})`);
      const bar = progressBar();
      let res: ApiResponse<'perturbModel'> & { job?: ApiResponse<'waitJob'>['job']; runId?: string };
      const noises = o.noise as Noise[] | undefined, orders = o.order as PerturbationOrder[] | undefined;
      try {
        res = await withApi(g, async (call, _ctx, signal) => {
          // --quick runs in this call; the full analysis (minutes) is a job of the compute engine: progress from its
          // worker, Ctrl+C cancels the job, and its result is stored as a method run.
          if (o.quick) return (await call('perturbModel', { modelId, composite: o.composite, quick: true, noises, orders }, { signal, onEvent: bar.onEvent })) as ApiResponse<'perturbModel'>;
          const { job } = (await call('startPerturbation', { modelId, composite: o.composite, noises, orders, detach: false })) as ApiResponse<'startPerturbation'>;
          if (!g.json) process.stderr.write(`job ${job.id} queued (${job.method})\n`);
          let ended: ApiResponse<'waitJob'>['job'];
          try {
            ended = ((await call('waitJob', { id: job.id }, { signal, onEvent: bar.onEvent })) as ApiResponse<'waitJob'>).job;
          } catch (e) {
            if (signal.aborted) await call('cancelJob', { id: job.id });
            throw e;
          }
          if (ended.status !== 'done') throw new Error(`perturb: job ${ended.id} ${ended.status}${ended.error ? `: ${ended.error}` : ''}`);
          return { job: ended, ...((await call('perturbationResult', { jobId: ended.id })) as ApiResponse<'perturbationResult'>) };
        }, o.quick ? true : 'existing');
      } finally {
        bar.stop();
      }
      if (g.json) { printJson(res); return; }
      if (res.job) console.log(`job ${res.job.id} done: stored as run ${res.runId}`);
      const p = res.perturbation;
      console.log(`model ${p.modelId} (${p.kind}, task ${p.task}, ${p.selection}), ${p.trials} test trials, setting ${p.setting.label}; composite ${p.composite} (maps ${p.relevanceMaps})`);
      for (const c of p.curves) {
        console.log(`  ${c.noise.padEnd(9)} ${c.order.padEnd(19)} acc ${(c.accuracy[0] * 100).toFixed(1)} → ${(c.accuracy[c.accuracy.length - 1] * 100).toFixed(1)} %  AOPC ${c.aopc.toFixed(2)}  AOC ${c.aoc.toFixed(2)} pp`);
      }
      console.log(`  relevance CV ${p.relevanceCV ? `${p.relevanceCV.mean.toFixed(3)} ± ${p.relevanceCV.sd.toFixed(3)} over ${p.relevanceCV.n} subjects` : '–'}`);
    });
}
