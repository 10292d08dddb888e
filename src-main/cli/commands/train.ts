// gaitlab train <method>: queues a training job, runs it in a worker process and waits for it (progress bar
// on stderr), or leaves the worker running with --detach. Ctrl+C cancels the job.
import type { Command } from 'commander';
import type { ApiResponse } from '../../../src-shared/api/schema';
import { printJson, progressBar } from '../output';
import { int, keyValue, type ParamValue } from '../parse';
import { withApi, type GlobalOptions } from '../run-context';
import { NOT_MERGED } from '../../methods/sincpd/seam';
import { parseSincPdTrainOptions } from '../../methods/sincpd/train-options';

interface TrainOptions { param?: Record<string, ParamValue>; seed?: number; cohort?: string; config?: string; protocol?: string; walks?: string; session?: string; detach?: boolean; model?: string; preset?: string; epochs?: number; task?: string; schedule?: string; signal?: string }

const SHORTHANDS = ['model', 'preset', 'epochs', 'task', 'schedule', 'config', 'protocol', 'walks'] as const;

/** The run seed where none is given: the authors' value where the spec fixes one (Horst §5.1.4: 1234; SAE §5.2.5: 42). */
function defaultSeed(method: string): number {
  const m = method.toLowerCase();
  return m === 'horst' ? 1234 : m === 'sae' || m === 'sae-kalam2025' ? 42 : 0;
}

export function registerTrain(program: Command, global: () => GlobalOptions, exitCode: (n: number) => void): void {
  program
    .command('train')
    .description('train a model as a job in a worker process; prints the job, then the model id and its metrics')
    .argument('<method>', 'a trainable method, e.g. LogisticRegression')
    .option('--param <name=value>', 'a method parameter, e.g. epochs=200 (repeatable)', keyValue)
    .option('--seed <n>', 'seed of the split and the batch order (default 0; Horst 1234, spec §5.1.4; sae 42, spec §5.2.5)', int)
    .option('--cohort <name>', 'train on the labelled trials of this cohort (label: subject group; default slijepcevic2021, gaitpdb for sincpd)')
    .option('--session <key>', 'only trials of sessions with this key (e.g. full)')
    .option('--signal <names>', 'sae on walks: left/right pairs of cycle channels, comma-separated (default: L_total,R_total where the trials have them)')
    .option('--detach', 'return at once; the worker keeps running after this command exits')
    .option('--model <kind>', 'same as --param model=<kind>: Horst linear-sgd, linear-svm, mlp3-64, mlp3-256, mlp3-1024, cnn-a, cnn-c3; sae sae, sae-disent, svae')
    .option('--preset <name>', 'same as --param preset=<name> (sae: gaitlab-default or kalam2025-replication)')
    .option('--epochs <n>', 'same as --param epochs=<n> (sae: at most this many epochs)', int)
    .option('--task <task>', 'same as --param task=<task> (Horst: subject, class, or pd on insole walks; sincpd: pd or severity)')
    .option('--config <name>', 'same as --param config=<name> (sincpd: sincnet-gait, the default, or sincpd-2024)')
    .option('--walks <which>', 'same as --param walks=<which> (sincpd: all, the default, or usual-only: walk 01 only)')
    .option('--protocol <name>', 'same as --param protocol=<name> (sincpd: subject-cv, the default, or segment: the paper\'s leaky split)')
    .option('--schedule <name>', 'same as --param schedule=<name> (Horst: paper, or smoke for CI figures, labelled smoke)')
    .action(async (method: string, o: TrainOptions) => {
      const g = global();
      const sincpd = method.toLowerCase() === 'sincpd';
      let checked: ApiResponse<'sincpdCheckTraining'> | null = null;
      if (sincpd) {
        const parsed = parseSincPdTrainOptions(o);
        if ('error' in parsed) { process.stderr.write(`gaitlab: train sincpd: ${parsed.error}\n`); exitCode(2); return; }
        // The cohort is checked (curves, labels, duplicates, the protocol) before any job is queued.
        checked = (await withApi(g, (call) => call('sincpdCheckTraining', { cohort: o.cohort ?? 'gaitpdb', task: parsed.task, config: parsed.config, protocol: o.protocol ?? 'subject-cv', walks: parsed.walks, ...(o.epochs ? { epochs: o.epochs } : {}), seed: o.seed ?? 0 }), true)) as ApiResponse<'sincpdCheckTraining'>;
        for (const d of checked.duplicates) process.stderr.write(`gaitlab: ${d.name} is identical to ${d.duplicateOf}: left out before any split\n`);
        for (const e of checked.severityExcluded) process.stderr.write(`gaitlab: left out of severity: ${e}\n`);
        const table = Object.entries(checked.studyStageTable).map(([study, row]) => `${study} ${['0', '2', '2.5', '3', 'excluded'].map((k) => `${k}: ${row[k] ?? 0}`).join(', ')}`).join('; ');
        process.stderr.write(`gaitlab: ${checked.segments} segments of ${checked.subjects} subjects from ${checked.walks} walks; subjects by study and H&Y: ${table}\n`);
        if (checked.label) process.stderr.write(`gaitlab: ${checked.label} (${checked.sharedSubjects} test subjects also in training)\n`);
        if (!checked.implementationAvailable) throw new Error(NOT_MERGED);
      }
      // Shorthands for method parameters; the method's own parser refuses those it does not have, in one line.
      const params: Record<string, ParamValue> = { ...(o.param ?? {}) };
      for (const key of SHORTHANDS) if (o[key] !== undefined) params[key] = o[key]!;
      const res = await withApi(g, async (call, _ctx, signal) => {
        const { job } = (await call('startTraining', { method, params, seed: o.seed ?? defaultSeed(method), data: { cohort: o.cohort ?? (sincpd ? 'gaitpdb' : 'slijepcevic2021'), session: o.session ?? null, ...(o.signal ? { channels: o.signal.split(',').map((c) => c.trim()).filter(Boolean) } : {}) }, detach: !!o.detach })) as ApiResponse<'startTraining'>;
        if (!g.json) process.stderr.write(`job ${job.id} queued (${job.method})\n`);
        if (o.detach) return { job, model: null };
        const bar = progressBar();
        let ended: ApiResponse<'waitJob'>['job'];
        try {
          ended = ((await call('waitJob', { id: job.id }, { signal, onEvent: bar.onEvent })) as ApiResponse<'waitJob'>).job;
        } catch (e) {
          bar.stop();
          // Ctrl+C: cancel the job itself, not only our wait for it.
          if (signal.aborted) await call('cancelJob', { id: job.id });
          throw e;
        }
        bar.stop();
        const model = ended.modelId ? ((await call('getModel', { id: ended.modelId })) as ApiResponse<'getModel'>).model : null;
        return { job: ended, model: model ? { id: model.id, metrics: model.metrics } : null };
      });
      if (res.job.status === 'failed' || res.job.status === 'cancelled') {
        process.stderr.write(`gaitlab: job ${res.job.id} ${res.job.status}${res.job.error ? `: ${res.job.error}` : ''}\n`);
        exitCode(1);
      }
      if (g.json) printJson(res);
      else if (res.model) {
        const m = res.model.metrics ?? {};
        console.log(`job ${res.job.id} done: model ${res.model.id}`);
        for (const [k, v] of Object.entries(m)) if (typeof v === 'number') console.log(`  ${k}: ${Number.isInteger(v) ? v : v.toFixed(4)}`);
        const subjectLevel = m.subjectLevel as { subjects: number; accuracy: number; balancedAccuracy: number; auc: number | null } | null | undefined;
        if (subjectLevel) console.log(`  subject level (${subjectLevel.subjects} subjects, mean P per subject): accuracy ${subjectLevel.accuracy.toFixed(4)}, balanced accuracy ${subjectLevel.balancedAccuracy.toFixed(4)}, AUC ${subjectLevel.auc === null ? '–' : subjectLevel.auc.toFixed(4)}`);
      } else console.log(`job ${res.job.id} ${res.job.status}`);
    });
}
