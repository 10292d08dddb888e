// gaitlab report --subject S [--session V] [--compare V2] --out report.pdf|.html: issues a patient report (stored,
// immutable, audited) and writes it; gaitlab report --id R --out F writes an issued one again; gaitlab reports lists.
import type { Command } from 'commander';
import type { ApiResponse } from '../../../src-shared/api/schema';
import type { Dispatch } from '../../services/dispatch';
import { printJson, progressBar, table } from '../output';
import { withApi, type GlobalOptions } from '../run-context';
import { resolveSubjectId } from './subjects';

async function resolveSession(call: Dispatch, subjectId: string, keyOrId: string | undefined): Promise<string | undefined> {
  if (keyOrId === undefined) return undefined;
  const s = await call('getSubject', { id: subjectId });
  const found = s.sessions.find((x) => x.id === keyOrId || x.key === keyOrId || x.label === keyOrId);
  if (!found) throw new Error(`subject ${subjectId} has no visit ${keyOrId} (visits: ${s.sessions.map((x) => x.key).join(', ') || 'none'})`);
  return found.id;
}

export function registerReport(program: Command, global: () => GlobalOptions): void {
  program
    .command('report')
    .description('issue a patient report (stored unchanged, audited) and write it as PDF or self-contained HTML; or write an issued one again with --id')
    .option('--subject <id>', 'the subject (id or code)')
    .option('--session <visit>', 'one visit (id, key or label; all visits when omitted)')
    .option('--compare <visit>', 'a second visit to compare with (progress over time)')
    .option('--id <report>', 'an issued report (R-…) to write again, unchanged')
    .requiredOption('--out <file>', 'report.pdf (A4, needs Chromium) or report.html (opens offline)')
    .action(async (o: { subject?: string; session?: string; compare?: string; id?: string; out: string }) => {
      const g = global();
      if (!o.subject === !o.id) throw new Error('give --subject (a new report) or --id (an issued one)');
      // Refused before anything is issued: a report that cannot be written is not stored either.
      if (!/\.(pdf|html?)$/i.test(o.out)) throw new Error(`${o.out}: a report is written as .pdf or .html`);
      const bar = progressBar();
      const res = await withApi(g, async (call, _ctx, signal) => {
        let id = o.id;
        let report: ApiResponse<'issueReport'>['report'] | undefined;
        if (!id) {
          const subjectId = await resolveSubjectId(call, o.subject!);
          const issued = await call('issueReport', { subjectId, sessionId: await resolveSession(call, subjectId, o.session), compareSessionId: await resolveSession(call, subjectId, o.compare) }, { signal, onEvent: bar.onEvent });
          id = issued.id;
          report = issued.report;
        }
        const file = await call('writeReport', { id, out: o.out }, { signal });
        return { ...file, report };
      }, 'existing').finally(bar.stop);
      if (g.json) printJson(res);
      else {
        console.log(`${res.file}: report ${res.id}, ${res.format.toUpperCase()}, ${res.bytes} bytes`);
        if (res.report) {
          const notRun = res.report.methods.filter((m) => m.status !== 'available');
          console.log(`${res.report.parameters.filter((p) => p.outside).length} parameters outside the reference range; ${notRun.length} method sections not run (${notRun.map((m) => m.id).join(', ')})`);
        }
      }
    });

  program
    .command('reports')
    .description('issued reports, newest first')
    .option('--subject <id>', 'only this subject (id or code)')
    .action(async (o: { subject?: string }) => {
      const g = global();
      const res = await withApi(g, async (call) => call('listReports', { subjectId: o.subject ? await resolveSubjectId(call, o.subject) : undefined }), true);
      if (g.json) printJson(res);
      else console.log(table(res.reports.map((r) => ({ id: r.id, subject: r.subjectId, issued: r.createdAt.slice(0, 19), title: r.title })), ['id', 'subject', 'issued', 'title']));
    });
}
