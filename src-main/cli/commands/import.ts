import type { Command } from 'commander';
import type { ImportSummary } from '../../../src-shared/api/schema';
import { printJson, progressBar } from '../output';
import { withApi, type GlobalOptions } from '../run-context';

export function describeSummary(s: ImportSummary): string {
  const present = s.skipped.filter((k) => k.reason.startsWith('already present')).length;
  const lines = [
    `subjects ${s.subjects} (${s.subjectsAdded} new), sessions ${s.sessions}, trials ${s.trials} (${s.trialsAdded} new)`,
    `files ${s.files} read, ${present} already present, ${s.skipped.length - present} skipped, ${s.errors.length} errors; ${(s.bytes / 1e6).toFixed(1)} MB in ${s.seconds} s`,
  ];
  for (const d of s.duplicates) lines.push(`identical content (sha256 ${d.sha256.slice(0, 16)}…): ${d.trials.map((t) => `${t.key} [${t.subject}]`).join(' = ')}`);
  for (const w of s.warnings) lines.push(`warning: ${w}`);
  return lines.join('\n');
}

export function registerImport(program: Command, global: () => GlobalOptions, exitCode: (n: number) => void): void {
  program
    .command('import')
    .description('import files or folders (format detected by content; .gz read transparently); re-importing adds nothing')
    .argument('<paths...>', 'files or folders')
    .action(async (paths: string[]) => {
      const g = global();
      const bar = progressBar();
      const summary = (await withApi(g, (call, _ctx, signal) => call('importPaths', { paths }, { signal, onEvent: bar.onEvent }))) as ImportSummary;
      bar.stop();
      if (g.json) printJson({ import: summary });
      else console.log(describeSummary(summary));
      for (const e of summary.errors) console.error(`error: ${e.message}`);
      if (summary.errors.length) exitCode(1);
    });

  program
    .command('demo')
    .description('import the bundled demo cohort (a few PhysioNet gaitpdb subjects)')
    .action(async () => {
      const g = global();
      const bar = progressBar();
      const summary = (await withApi(g, (call, _ctx, signal) => call('loadDemo', {}, { signal, onEvent: bar.onEvent }))) as ImportSummary;
      bar.stop();
      if (g.json) printJson({ import: summary });
      else console.log(describeSummary(summary));
      if (summary.errors.length) exitCode(1);
    });
}
