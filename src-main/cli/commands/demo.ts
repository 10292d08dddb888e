// gaitlab demo: imports the bundled demo cohort (three PD and three control walks of PhysioNet gaitpdb).
// gaitlab demo --out DIR: a new user's shortest path to what GaitLab does: a database in DIR with the cohort, its
// gait events and cycles, every method that can run on it trained with quick settings (labelled as such), and a
// report for one patient as PDF and HTML. Progress on stderr throughout; a method that cannot run is named with
// its reason, never hidden.
import { existsSync, mkdirSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Command } from 'commander';
import type { ApiResponse, ImportSummary } from '../../../src-shared/api/schema';
import type { Dispatch } from '../../services/dispatch';
import { printJson, progressBar } from '../output';
import { withApi, type GlobalOptions } from '../run-context';
import { describeSummary } from './import';

/** A method the demo runs with quick settings: how to queue its job (the label says "quick" wherever its figures appear). */
interface DemoMethod { label: string; method: string; queue: (call: Dispatch) => Promise<{ job: { id: string } }> }

export const DEMO_METHODS: DemoMethod[] = [
  {
    label: 'hierarchical GP of the total vertical force (quick: M = 10, 150 iterations, inducing inputs fixed)',
    method: 'HierarchicalGP',
    queue: (call) => call('fitGp', { channels: ['L_total', 'R_total'], cohort: 'gaitpdb', m: 10, maxIterations: 150, optimizeZ: false, seed: 0, detach: false }),
  },
  {
    label: 'sparse-autoencoder feature dictionary of the gait cycles, for "walks like this one" (quick: 20 epochs)',
    method: 'sae-kalam2025',
    queue: (call) => call('startTraining', { method: 'sae', params: { epochs: 20 }, seed: 42, data: { cohort: 'gaitpdb', session: null }, detach: false }),
  },
  {
    // Six walks cannot hold out subjects: the model is trained and applied in-sample, which the report says.
    label: "SincPD Parkinson's probability from the insole forces (quick: 2 epochs, in-sample)",
    method: 'sincpd',
    queue: (call) => call('startTraining', { method: 'sincpd', params: { task: 'pd', epochs: 2, quick: true }, seed: 0, data: { cohort: 'gaitpdb', session: null }, detach: false }),
  },
  {
    // PD vs control needs 10 subjects for its subject-grouped folds; six walks allow subject identification only.
    label: 'Horst 2019 subject identification on insole gait cycles (quick: linear SVM, 6 subjects, T-block folds)',
    method: 'Horst',
    queue: (call) => call('startTraining', { method: 'Horst', params: { model: 'linear-svm', task: 'subject' }, seed: 1234, data: { cohort: 'gaitpdb', session: null }, detach: false }),
  },
];

interface DemoResult {
  db: string;
  import: ImportSummary;
  cycles: number;
  methods: { label: string; method: string; status: string; modelId: string | null; detail: string }[];
  report: { id: string; pdf: string | null; html: string; pdfError: string | null } | null;
  seconds: number;
}

export function registerDemo(program: Command, global: () => GlobalOptions, exitCode: (n: number) => void): void {
  program
    .command('demo')
    .description('import the bundled demo cohort (a few PhysioNet gaitpdb subjects); with --out DIR: also cycles, quick method runs and a patient report in DIR')
    .option('--out <dir>', 'a new folder: gaitlab.db, report.pdf and report.html go there')
    .action(async (o: { out?: string }) => {
      const g = global();
      if (!o.out) {
        const bar = progressBar();
        const summary = (await withApi(g, (call, _ctx, signal) => call('loadDemo', {}, { signal, onEvent: bar.onEvent }))) as ImportSummary;
        bar.stop();
        if (g.json) printJson({ import: summary });
        else console.log(describeSummary(summary));
        if (summary.errors.length) exitCode(1);
        return;
      }
      const out = resolve(o.out);
      if (existsSync(out) && readdirSync(out).length > 0) throw new Error(`${out}: exists and is not empty; choose a new folder for the demo`);
      mkdirSync(out, { recursive: true });
      const res = await withApi({ ...g, db: g.db ?? join(out, 'gaitlab.db') }, (call, ctx, signal) => runDemo(call, ctx.dbPath, out, signal));
      if (g.json) printJson(res);
      else {
        console.log(describeSummary(res.import));
        console.log(`${res.cycles} gait cycles; methods: ${res.methods.map((m) => `${m.label} ${m.status}`).join('; ') || 'none'}`);
        if (res.report) console.log(`report ${res.report.id}: ${res.report.pdf ?? `(no PDF: ${res.report.pdfError})`} and ${res.report.html}`);
        console.log(`database ${res.db}; ${res.seconds} s. Open it: gaitlab start --db ${res.db}`);
      }
      if (res.import.errors.length) exitCode(1);
    });
}

const say = (step: number, text: string) => process.stderr.write(`gaitlab demo [${step}/4] ${text}\n`);

async function runDemo(call: Dispatch, db: string, out: string, signal: AbortSignal): Promise<DemoResult> {
  const t0 = Date.now();
  say(1, 'importing the bundled cohort');
  const bar = progressBar();
  const summary = await call('loadDemo', {}, { signal, onEvent: bar.onEvent }).finally(bar.stop);

  say(2, 'gait events and cycles');
  const subjects = (await call('listSubjects', { limit: 1000 })).subjects.filter((s) => s.trials > 0);
  let cycles = 0;
  for (const s of subjects) cycles += (await call('extractCycles', { subjectId: s.id }, { signal })).cycles.filter((c) => c.kind === 'gait_cycle').length;

  say(3, `methods with quick settings: ${DEMO_METHODS.map((m) => m.label).join(', ')}`);
  const methods: DemoResult['methods'] = [];
  for (const m of DEMO_METHODS) methods.push(await trainQuick(call, m, signal));

  say(4, 'a report for one patient');
  const patient = subjects.find((s) => /^pd$/i.test(s.group ?? '')) ?? subjects[0];
  let report: DemoResult['report'] = null;
  if (patient) {
    const issued = await call('issueReport', { subjectId: patient.id }, { signal });
    const html = (await call('writeReport', { id: issued.id, out: join(out, 'report.html') })).file;
    let pdf: string | null = null;
    let pdfError: string | null = null;
    try {
      pdf = (await call('writeReport', { id: issued.id, out: join(out, 'report.pdf') })).file;
    } catch (e) {
      pdfError = (e as Error).message;
    }
    report = { id: issued.id, pdf, html, pdfError };
  }
  return { db, import: summary, cycles, methods, report, seconds: Math.round((Date.now() - t0) / 100) / 10 };
}

async function trainQuick(call: Dispatch, m: DemoMethod, signal: AbortSignal): Promise<DemoResult['methods'][number]> {
  try {
    const { job } = await m.queue(call);
    const bar = progressBar();
    const ended = (await call('waitJob', { id: job.id }, { signal, onEvent: bar.onEvent }).finally(bar.stop)).job as ApiResponse<'waitJob'>['job'];
    return { label: m.label, method: m.method, status: ended.status, modelId: ended.modelId ?? null, detail: ended.error ?? 'quick settings' };
  } catch (e) {
    return { label: m.label, method: m.method, status: 'not available', modelId: null, detail: (e as Error).message };
  }
}
