// An issued report written to a file: HTML as is, PDF through headless Chromium; beside the destination first,
// then renamed, so a failed write leaves no half file.
import { createHash } from 'node:crypto';
import { renameSync, rmSync, writeFileSync } from 'node:fs';
import { extname, resolve } from 'node:path';
import { ApiError } from '../services/api-errors';
import type { ServiceContext } from '../services/context';
import { getReport } from '../services/report-service';
import { renderReportHtml } from './render-html';
import { reportPdf } from './render-pdf';

async function reportBytes(ctx: ServiceContext, id: string, format: 'html' | 'pdf'): Promise<Buffer> {
  const { report } = getReport(ctx, id);
  return format === 'pdf' ? reportPdf(report, id) : Buffer.from(renderReportHtml(report, id), 'utf8');
}

/** The file's bytes for the app to save; named after the pseudonym and the report. */
export async function renderReport(ctx: ServiceContext, req: { id: string; format: 'html' | 'pdf' }): Promise<{ id: string; fileName: string; mimeType: string; bytes: number; sha256: string; base64: string }> {
  const { subjectId } = getReport(ctx, req.id);
  const bytes = await reportBytes(ctx, req.id, req.format);
  return {
    id: req.id, fileName: `${subjectId ?? 'report'}_${req.id}.${req.format}`, mimeType: req.format === 'pdf' ? 'application/pdf' : 'text/html',
    bytes: bytes.length, sha256: createHash('sha256').update(bytes).digest('hex'), base64: bytes.toString('base64'),
  };
}

export async function writeReport(ctx: ServiceContext, req: { id: string; out: string }): Promise<{ id: string; file: string; format: 'html' | 'pdf'; bytes: number; sha256: string }> {
  const file = resolve(req.out);
  const ext = extname(file).toLowerCase();
  if (ext !== '.pdf' && ext !== '.html' && ext !== '.htm') throw new ApiError('input', `${file}: a report is written as .pdf or .html`);
  const bytes = await reportBytes(ctx, req.id, ext === '.pdf' ? 'pdf' : 'html');
  const partial = `${file}.partial-${process.pid}`;
  try {
    writeFileSync(partial, bytes);
    renameSync(partial, file);
  } catch (e) {
    rmSync(partial, { force: true });
    throw new ApiError('input', `${file}: cannot write (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  }
  return { id: req.id, file, format: ext === '.pdf' ? 'pdf' : 'html', bytes: bytes.length, sha256: createHash('sha256').update(bytes).digest('hex') };
}
