// Trials and their signals.
import { z } from 'zod';
import { attributeValue, id, page } from './common';

export const trialSummary = z.object({
  id: z.string(),
  subjectId: z.string(),
  subjectCode: z.string(),
  sessionId: z.string(),
  session: z.string(),
  key: z.string(),
  label: z.string(),
  sourceFile: z.string().nullable(),
  sourceFormat: z.string().nullable(),
  contentSha256: z.string().nullable(),
  durationS: z.number().nullable(),
  channels: z.number(),
  attributes: z.record(z.string(), attributeValue),
  /** Live recordings only: 'recording' while samples arrive, then 'closed', or 'interrupted' after a crash. */
  recordingStatus: z.enum(['recording', 'closed', 'interrupted']).optional(),
});
export type TrialSummary = z.infer<typeof trialSummary>;

export const channelData = z.object({
  name: z.string(),
  unit: z.string(),
  rateHz: z.number().nullable(),
  domain: z.enum(['time', 'stance', 'cycle']),
  side: z.string().nullable(),
  samples: z.number(),
  /** Present unless the request asked for metadata only; decimated when maxPoints < samples. */
  values: z.array(z.number()).optional(),
  /** x of each value: seconds (time domain) or percent (stance/cycle). */
  x: z.array(z.number()).optional(),
  decimated: z.boolean().optional(),
});
export type ChannelData = z.infer<typeof channelData>;

export const trialsApi = {
  listTrials: {
    request: z.object({ subjectId: id.optional(), search: z.string().max(200).optional(), ...page }).strict(),
    response: z.object({ trials: z.array(trialSummary), total: z.number() }),
  },
  getSignals: {
    request: z.object({ trialId: id, channels: z.array(z.string().max(128)).max(256).optional(), maxPoints: z.number().int().min(2).max(10_000_000).optional(), valuesIncluded: z.boolean().default(true) }).strict(),
    response: z.object({ trial: trialSummary, channels: z.array(channelData) }),
  },
} as const;
