// Importing files and the demo cohort.
import { z } from 'zod';

export const importSummary = z.object({
  subjects: z.number(),
  subjectsAdded: z.number(),
  sessions: z.number(),
  trials: z.number(),
  trialsAdded: z.number(),
  files: z.number(),
  skipped: z.array(z.object({ file: z.string(), reason: z.string() })),
  errors: z.array(z.object({ file: z.string(), message: z.string() })),
  duplicates: z.array(z.object({ sha256: z.string(), trials: z.array(z.object({ trialId: z.string(), subject: z.string(), key: z.string(), file: z.string() })) })),
  warnings: z.array(z.string()),
  /** How the files written were filed into visits (services/visit-grouping.ts), each rule with its number of files. */
  visits: z.array(z.object({ rule: z.string(), files: z.number() })),
  bytes: z.number(),
  seconds: z.number(),
});
export type ImportSummary = z.infer<typeof importSummary>;

export const importsApi = {
  importPaths: {
    request: z.object({ paths: z.array(z.string().min(1).max(4096)).min(1).max(10_000), maxFileMb: z.number().int().min(1).max(1 << 20).optional() }).strict(),
    response: importSummary,
  },
  loadDemo: { request: z.object({}).strict(), response: importSummary },
} as const;
