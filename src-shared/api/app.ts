// The app itself: version, database, counts.
import { z } from 'zod';

export const appInfo = z.object({
  version: z.string(),
  dbPath: z.string(),
  schemaVersion: z.number(),
  counts: z.object({ subjects: z.number(), sessions: z.number(), trials: z.number(), signals: z.number() }),
  demoAvailable: z.boolean(),
  mode: z.enum(['electron', 'browser', 'cli']),
});
export type AppInfo = z.infer<typeof appInfo>;

export const appApi = {
  info: { request: z.object({}).strict(), response: appInfo },
} as const;
