import { SingleBar } from 'cli-progress';
import type { ApiEvent } from '../../src-shared/api/schema';

/** Exactly one JSON document on stdout. */
export function printJson(doc: unknown): void {
  process.stdout.write(JSON.stringify(doc, null, 2) + '\n');
}

/** A progress bar on stderr when it is a terminal; silent otherwise (scripts, CI, --json pipes). */
export function progressBar(): { onEvent: (e: ApiEvent) => void; stop: () => void } {
  if (!process.stderr.isTTY) return { onEvent: () => {}, stop: () => {} };
  const bar = new SingleBar({
    stream: process.stderr,
    format: ' {stage} [{bar}] {percentage}% | ETA {eta_formatted} | {detail}',
    hideCursor: true,
    clearOnComplete: true,
  });
  let started = false;
  return {
    onEvent: (event) => {
      if (event.type !== 'progress') return;
      const e = event.progress;
      const detail = (e.detail ?? '').split(/[\\/]/).pop() ?? '';
      if (!started) { bar.start(Math.max(e.total, 1), e.done, { stage: e.stage, detail }); started = true; }
      bar.setTotal(Math.max(e.total, 1));
      bar.update(e.done, { stage: e.stage, detail });
    },
    stop: () => { if (started) bar.stop(); },
  };
}

/** A plain text table for human output. */
export function table(rows: Record<string, unknown>[], columns: string[]): string {
  const cells = rows.map((r) => columns.map((c) => (r[c] === null || r[c] === undefined ? '' : String(r[c]))));
  const widths = columns.map((c, k) => Math.max(c.length, ...cells.map((row) => row[k].length)));
  const line = (vals: string[]) => vals.map((v, k) => v.padEnd(widths[k])).join('  ').trimEnd();
  return [line(columns), line(widths.map((w) => '-'.repeat(w))), ...cells.map(line)].join('\n');
}
