import type { Command } from 'commander';
import type { ImportSummary } from '../../../src-shared/api/schema';
import { printJson, progressBar } from '../output';
import { withApi, type GlobalOptions } from '../run-context';
import { int } from '../parse';
import { escapeControl } from '../../../src-shared/text/escape';

export function describeSummary(s: ImportSummary): string {
  const present = s.skipped.filter((k) => k.reason.startsWith('already present')).length;
  const lines = [
    `subjects ${s.subjects} (${s.subjectsAdded} new), sessions ${s.sessions}, trials ${s.trials} (${s.trialsAdded} new)`,
    `files ${s.files} read, ${present} already present, ${s.skipped.length - present} skipped, ${s.errors.length} errors; ${(s.bytes / 1e6).toFixed(1)} MB in ${s.seconds} s`,
  ];
  // Files skipped inside a folder (empty, of no known format) are named, so nothing is dropped unseen.
  for (const k of s.skipped) if (!k.reason.startsWith('already present')) lines.push(`skipped: ${k.file}: ${k.reason}`);
  for (const d of s.duplicates) lines.push(`identical content (sha256 ${d.sha256.slice(0, 16)}…): ${d.trials.map((t) => `${t.key} [${t.subject}]`).join(' = ')}`);
  for (const v of s.visits) lines.push(`visit: ${v.rule} (${v.files} file${v.files === 1 ? '' : 's'})`);
  for (const w of s.warnings) lines.push(`warning: ${w}`);
  return lines.map(escapeControl).join('\n');
}

export function registerImport(program: Command, global: () => GlobalOptions, exitCode: (n: number) => void): void {
  program
    .command('import')
    .description('import files or folders (format detected by content; .gz read transparently); re-importing adds nothing')
    .argument('<paths...>', 'files or folders')
    .option('--max-file-mb <n>', 'most MiB a file may hold once decompressed (default $GAITLAB_MAX_FILE_MB or 1024)', int)
    .option('--session <name>', 'every file into this session (visit), instead of one session per folder')
    .option('--subject <id or code>', 'every file of this subject (a stored subject\'s pseudonym or code, else a new code)')
    .action(async (paths: string[], o: { maxFileMb?: number; session?: string; subject?: string }) => {
      const g = global();
      const bar = progressBar();
      const summary = await withApi(g, (call, _ctx, signal) => (o.session || o.subject
        ? call('importVisit', { paths, maxFileMb: o.maxFileMb, session: o.session, subject: o.subject }, { signal, onEvent: bar.onEvent })
        : call('importPaths', { paths, maxFileMb: o.maxFileMb }, { signal, onEvent: bar.onEvent })));
      bar.stop();
      if (g.json) printJson({ import: summary });
      else console.log(describeSummary(summary));
      for (const e of summary.errors) console.error(`error: ${escapeControl(e.message)}`);
      if (summary.errors.length) exitCode(1);
    });

}
