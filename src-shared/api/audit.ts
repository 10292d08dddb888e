// The audit log: its chain, the content it vouches for, and its anchor.
import { z } from 'zod';

export const auditVerifyResult = z.object({
  ok: z.boolean(),
  rows: z.number(),
  firstBadSeq: z.number().nullable(),
  reason: z.string().nullable(),
  entities: z.object({ checked: z.number(), unverifiable: z.number() }),
  // Every entity whose rows no longer match the audit log's last word on it.
  findings: z.array(z.object({
    kind: z.enum(['changed', 'missing', 'unaudited', 'resurrected']),
    entity: z.string(),
    id: z.string(),
    label: z.string().nullable(),
    auditSeq: z.number().nullable(),
    message: z.string(),
  })),
  // The log's head against the anchor beside the database; failed: cut short, rewritten or the anchor forged.
  anchor: z.object({ status: z.string(), failed: z.boolean(), anchoredSeq: z.number().nullable(), logSeq: z.number(), message: z.string() }),
});

export const auditApi = {
  auditVerify: { request: z.object({}).strict(), response: auditVerifyResult },
} as const;
