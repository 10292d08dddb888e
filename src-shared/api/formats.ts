// File formats: what the importer reads (listed from the format registry, never by hand) and trial export.
import { z } from 'zod';

const trialId = z.string().min(1).max(64).regex(/^[A-Za-z0-9_.:-]+$/, 'ids are letters, digits and _.:-');

export const formatInfo = z.object({
  id: z.string(),
  description: z.string(),
});
export type FormatInfo = z.infer<typeof formatInfo>;

export const exportFormat = z.enum(['c3d']);

export const formatsApi = {
  /** Every format the importer detects, in the order files are imported (metadata first). */
  listFormats: { request: z.object({}).strict(), response: z.object({ formats: z.array(formatInfo) }) },
  /**
   * Writes one trial to a file: C3D (Intel, float) with points, analog channels, FORCE_PLATFORM and the EVENT
   * group. Channels C3D cannot hold (curves over % stance, NaN in analog data, other rates) are named in leftOut.
   */
  exportTrial: {
    request: z.object({ trialId, format: exportFormat, out: z.string().min(1).max(4096) }).strict(),
    response: z.object({
      trialId: z.string(),
      format: exportFormat,
      file: z.string(),
      bytes: z.number(),
      sha256: z.string(),
      points: z.number(),
      analogs: z.number(),
      plates: z.number(),
      events: z.number(),
      frames: z.number(),
      pointRateHz: z.number(),
      analogRateHz: z.number(),
      leftOut: z.array(z.string()),
    }),
  },
} as const;
