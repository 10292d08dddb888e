// Cohort exports for researchers: a filtered set of subjects and visits as tidy tables (CSV, Parquet, HDF5) or as
// GaitRec-compatible files, pseudonymised unless identifying fields are asked for explicitly.
import { z } from 'zod';

export const cohortExportFormat = z.enum(['csv', 'parquet', 'hdf5', 'gaitrec']);

export const exportsApi = {
  /** What a cohort filter selects, before exporting: counts, groups, and the filter as GaitLab read it. */
  previewCohort: {
    request: z.object({ cohort: z.string().max(2000).default('') }).strict(),
    response: z.object({ cohort: z.string(), subjects: z.number(), sessions: z.number(), trials: z.number(), groups: z.record(z.string(), z.number()), cohorts: z.array(z.string()) }),
  },
  /**
   * Writes the cohort into a new folder `out` (refused when it exists and is not empty). Cycles are extracted first
   * where missing (as `extractCycles` would). Every export is audited with the SHA-256 of each file written.
   */
  exportCohort: {
    request: z.object({
      cohort: z.string().max(2000).default(''),
      format: cohortExportFormat,
      out: z.string().min(1).max(4096),
      /** Only these cycle channels (all when omitted). */
      channels: z.array(z.string().min(1).max(128)).max(256).optional(),
      identifying: z.boolean().default(false),
      parameters: z.boolean().default(true),
    }).strict(),
    response: z.object({
      exportId: z.string(),
      out: z.string(),
      format: cohortExportFormat,
      cohort: z.string(),
      identifying: z.boolean(),
      subjects: z.number(),
      sessions: z.number(),
      trials: z.number(),
      cycles: z.number(),
      parameters: z.number(),
      files: z.array(z.object({ name: z.string(), bytes: z.number(), sha256: z.string() })),
      /** SHA-256 over the files' names and hashes: the export's identity in the audit log. */
      contentSha256: z.string(),
      trialsLeftOut: z.array(z.object({ trialId: z.string(), reason: z.string() })),
      leftOut: z.array(z.string()),
    }),
  },
} as const;
