// What services need to know of a trial and its subject without decoding samples: channel names and units (to choose
// a detector in a read), the content hash (for run inputs).
import type { Db } from './db';
import { stmt } from './statements';

export interface ChannelMetaRow {
  name: string;
  unit: string;
  rateHz: number | null;
  domain: string;
}

export function readChannelMeta(db: Db, trialId: string): ChannelMetaRow[] {
  return stmt(db, 'SELECT channel AS name, unit, rate_hz AS rateHz, domain FROM signals WHERE trial_id = ? ORDER BY position').all(trialId) as ChannelMetaRow[];
}

/** The trial's content hash as imported (null for trials made without one). */
export function trialContentHash(db: Db, trialId: string): string | null {
  const r = stmt(db, 'SELECT content_sha256 FROM trials WHERE id = ?').get(trialId) as { content_sha256: string | null } | undefined;
  return r?.content_sha256 ?? null;
}

export function subjectExists(db: Db, subjectId: string): boolean {
  return stmt(db, 'SELECT 1 FROM subjects WHERE id = ?').get(subjectId) !== undefined;
}
