// gaitlab fit-gp: fits the hierarchical heteroscedastic GP (methods-spec §5.4) to a cohort's gait cycles as a
// job (progress bar on stderr, Ctrl+C cancels the job) and prints the model id, bound, convergence, iterations,
// held-out NMSE and MSLL per group and the fit time. gaitlab gp-compare: MMD profile and difference process
// between two nodes of a fitted model. gaitlab asymmetry: limb asymmetry scores, their groups and the
// Mann–Whitney p-value.
import type { Command } from 'commander';
import type { ApiResponse } from '../../../src-shared/api/schema';
import { printJson, progressBar } from '../output';
import { int } from '../parse';
import { withApi, type GlobalOptions } from '../run-context';

interface FitGpOptions {
  signal: string; cohort: string; session?: string; levels: string; noise: string; m: number; tieLevels?: boolean; fixedZ?: boolean;
  maxIterations?: number; seed: number; detach?: boolean;
}

const fmt = (x: number | null | undefined, digits: number) => (typeof x === 'number' ? x.toFixed(digits) : '–');

export function registerGp(program: Command, global: () => GlobalOptions, exitCode: (n: number) => void): void {
  program
    .command('fit-gp')
    .description('fit the hierarchical heteroscedastic GP to a cohort\'s gait cycles as a job; prints the model and held-out NMSE/MSLL per group')
    .requiredOption('--signal <channels>', 'cycle channels as gaitlab cycles --json names them, one per side, comma-separated (e.g. L_total,R_total)')
    .requiredOption('--cohort <name>', 'the cohort whose grouped subjects\' walks are fitted')
    .option('--session <key>', 'only trials of sessions with this key')
    .option('--levels <list>', 'levels of the hierarchy', 'population,group,individual,limb')
    .option('--noise <kind>', 'hetero or homo', 'hetero')
    .option('--m <n>', 'inducing inputs', int, 100)
    .option('--tie-levels', 'one kernel pair per level (faster)')
    .option('--fixed-z', 'keep the inducing inputs fixed (no second phase)')
    .option('--max-iterations <n>', 'iteration cap per phase (quick settings)', int)
    .option('--seed <n>', 'seed of the held-out split', int, 0)
    .option('--detach', 'return at once; the worker keeps running')
    .action(async (o: FitGpOptions) => {
      const g = global();
      const channels = o.signal.split(',').map((s) => s.trim()).filter(Boolean);
      const res = await withApi(g, async (call, _ctx, signal) => {
        const queued = (await call('fitGp', {
          channels, cohort: o.cohort, session: o.session ?? null, levels: o.levels, noise: o.noise, m: o.m, tieLevels: !!o.tieLevels, optimizeZ: !o.fixedZ,
          ...(o.maxIterations !== undefined ? { maxIterations: o.maxIterations } : {}), seed: o.seed, detach: !!o.detach,
        })) as ApiResponse<'fitGp'>;
        if (!g.json) process.stderr.write(`job ${queued.job.id} queued: ${queued.cycles} cycles of ${queued.subjects} subjects (${queued.extracted} trials extracted now)\n`);
        if (o.detach) return { job: queued.job, data: { trials: queued.trials, subjects: queued.subjects, cycles: queued.cycles, extracted: queued.extracted }, model: null };
        const bar = progressBar();
        let ended: ApiResponse<'waitJob'>['job'];
        try {
          ended = ((await call('waitJob', { id: queued.job.id }, { signal, onEvent: bar.onEvent })) as ApiResponse<'waitJob'>).job;
        } catch (e) {
          bar.stop();
          if (signal.aborted) await call('cancelJob', { id: queued.job.id });
          throw e;
        }
        bar.stop();
        const model = ended.modelId ? ((await call('getModel', { id: ended.modelId })) as ApiResponse<'getModel'>).model : null;
        const m = (model?.metrics ?? {}) as Record<string, unknown>;
        return {
          job: ended, data: { trials: queued.trials, subjects: queued.subjects, cycles: queued.cycles, extracted: queued.extracted },
          model: model ? { id: model.id, bound: m.bound, converged: m.converged, iterations: m.iterations, heldOut: m.heldOut, fitSeconds: m.fitSeconds, testPoints: m.testPoints } : null,
        };
      }, 'existing');
      if (res.job.status === 'failed' || res.job.status === 'cancelled') {
        process.stderr.write(`gaitlab: job ${res.job.id} ${res.job.status}${res.job.error ? `: ${res.job.error}` : ''}\n`);
        exitCode(1);
      }
      if (g.json) { printJson(res); return; }
      if (!res.model) { console.log(`job ${res.job.id} ${res.job.status}`); return; }
      const m = res.model;
      console.log(`model ${m.id}: bound ${fmt(m.bound as number, 1)}, ${m.iterations} iterations, ${m.converged ? 'converged' : 'not converged'}, ${fmt(m.fitSeconds as number, 1)} s`);
      for (const h of (m.heldOut ?? []) as { group: string; nmse: number | null; msll: number | null; points: number }[]) {
        console.log(`  ${h.group}: held-out NMSE ${fmt(h.nmse, 2)} %, MSLL ${fmt(h.msll, 3)} (${h.points} points)`);
      }
    });

  program
    .command('gp-compare')
    .description('compare two nodes of a GP model: MMD profile over the cycle and the difference process')
    .argument('<model>', 'model id (M-…)')
    .requiredOption('--a <node>', 'population, a group, a subject id, group/subject or group/subject/L|R')
    .requiredOption('--b <node>', 'the other node')
    .option('--points <n>', 'inputs over the cycle', int, 200)
    .action(async (modelId: string, o: { a: string; b: string; points: number }) => {
      const g = global();
      const res = (await withApi(g, (call) => call('gpCompare', { modelId, a: o.a, b: o.b, points: o.points }), true)) as ApiResponse<'gpCompare'>;
      if (g.json) { printJson(res); return; }
      const n = res.mmdNormalised;
      const peak = n.indexOf(Math.max(...n.map((x) => x ?? -Infinity)));
      console.log(`${res.b} − ${res.a} (model ${res.modelId}): MMD largest at ${(100 * res.grid[peak]).toFixed(0)} % of the cycle`);
      const over = res.grid.filter((_, j) => (n[j] ?? 0) >= 0.5).map((t) => Math.round(100 * t));
      if (over.length) console.log(`  normalised MMD ≥ 0.5 from ${over[0]} % to ${over[over.length - 1]} %`);
    });

  program
    .command('asymmetry')
    .description('limb asymmetry scores (Wasserstein-1 area) of a GP model, their group distributions and the Mann–Whitney p-value')
    .argument('<model>', 'model id (M-…)')
    .option('--subject <id>', 'one subject: its score, profile and place in its group')
    .action(async (modelId: string, o: { subject?: string }) => {
      const g = global();
      const res = (await withApi(g, (call) => call('gpAsymmetry', { modelId, ...(o.subject ? { subjectId: o.subject } : {}) }), true)) as ApiResponse<'gpAsymmetry'>;
      if (g.json) { printJson(res); return; }
      for (const gr of res.groups) console.log(`${gr.group}: n ${gr.n}, median ${gr.median.toFixed(2)} (IQR ${gr.q1.toFixed(2)}–${gr.q3.toFixed(2)})`);
      if (res.mannWhitney) console.log(`Mann–Whitney ${res.mannWhitney.a} vs ${res.mannWhitney.b}: p = ${res.mannWhitney.p.toFixed(4)} (${res.mannWhitney.method})`);
      if (res.subject) console.log(`subject ${res.subject.subject} (${res.subject.group}): score ${res.subject.score.toFixed(2)}, exact ${res.subject.exactScore.toFixed(2)}, at or above ${(100 * res.subject.groupPercentile).toFixed(0)} % of its group`);
    });
}
