// Patient reports: issued once as immutable snapshots of the report model, listed, read back and written as a
// self-contained HTML file or a PDF.
import { z } from 'zod';
import { reportModel } from '../report/model';

const id = z.string().min(1).max(64).regex(/^[A-Za-z0-9_.:-]+$/, 'ids are letters, digits and _.:-');
const reportSummary = z.object({ id: z.string(), subjectId: z.string().nullable(), kind: z.string(), createdAt: z.string(), title: z.string() });

export const reportsApi = {
  /** Assembles the report for a subject (one visit, optionally compared with another) and stores it, audited. */
  issueReport: {
    request: z.object({ subjectId: id, sessionId: id.optional(), compareSessionId: id.optional() }).strict(),
    response: z.object({ id: z.string(), report: reportModel }),
  },
  getReport: {
    request: z.object({ id }).strict(),
    response: z.object({ id: z.string(), subjectId: z.string().nullable(), createdAt: z.string(), report: reportModel }),
  },
  listReports: {
    request: z.object({ subjectId: id.optional() }).strict(),
    response: z.object({ reports: z.array(reportSummary) }),
  },
  /** Writes an issued report as `.html` (self-contained, offline, interactive plots) or `.pdf` (A4). */
  writeReport: {
    request: z.object({ id, out: z.string().min(1).max(4096) }).strict(),
    response: z.object({ id: z.string(), file: z.string(), format: z.enum(['html', 'pdf']), bytes: z.number(), sha256: z.string() }),
  },
  /** An issued report's file for the app to save (a download in browser mode): base64 of the PDF or HTML. */
  renderReport: {
    request: z.object({ id, format: z.enum(['html', 'pdf']) }).strict(),
    response: z.object({ id: z.string(), fileName: z.string(), mimeType: z.string(), bytes: z.number(), sha256: z.string(), base64: z.string() }),
  },
} as const;
