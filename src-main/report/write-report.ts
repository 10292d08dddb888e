// An issued report written to a file: HTML as is, PDF through headless Chromium; beside the destination first,
// then renamed, so a failed write leaves no half file.
import { createHash } from 'node:crypto';
import { renameSync, rmSync, writeFileSync } from 'node:fs';
import { extname, resolve } from 'node:path';
import { ApiError } from '../services/api-errors';
import type { ServiceContext } from '../services/context';
import { getReport } from '../services/report-service';
import { renderReportHtml } from './render-html';
import { htmlToPdf } from './render-pdf';

export async function writeReport(ctx: ServiceContext, req: { id: string; out: string }): Promise<{ id: string; file: string; format: 'html' | 'pdf'; bytes: number; sha256: string }> {
  const file = resolve(req.out);
  const ext = extname(file).toLowerCase();
  if (ext !== '.pdf' && ext !== '.html' && ext !== '.htm') throw new ApiError('input', `${file}: a report is written as .pdf or .html`);
  const { report } = getReport(ctx, req.id);
  const html = renderReportHtml(report, req.id);
  const bytes = ext === '.pdf' ? await htmlToPdf(html) : Buffer.from(html, 'utf8');
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
