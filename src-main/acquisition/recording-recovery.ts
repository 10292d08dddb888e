// Crash recovery of live recordings, run on every open of a database (app, browser mode, any gaitlab command):
// a trial still marked `recording` whose recorder process is gone keeps every committed sample (its chunks are
// folded into signals) and becomes `interrupted`. Gone: on this machine its process no longer exists; anywhere,
// its heartbeat (refreshed with every commit, at least every 250 ms) is older than RECORDER_STALE_S.
import { hostname } from 'node:os';
import { processExists } from '../process-exists';
import type { Db } from '../store/db';
import { finalizeRecording, recordingsWithStatus, type RecordingRow } from '../store/recordings';

export const RECORDER_STALE_S = 10;


export function recorderIsGone(r: RecordingRow, nowMs = Date.now(), host = hostname()): boolean {
  if (r.recorderPid !== null && r.recorderHost === host && r.recorderPid !== process.pid && !processExists(r.recorderPid)) return true;
  const beat = r.heartbeatAt ? Date.parse(r.heartbeatAt) : 0;
  return nowMs - beat > RECORDER_STALE_S * 1000;
}

/** Trials whose recorder is gone (what a read-only open reports; a writable open then recovers them). */
export function orphanedRecordings(db: Db): RecordingRow[] {
  return recordingsWithStatus(db, 'recording').filter((r) => recorderIsGone(r));
}

/** Returns the trial ids it marked interrupted. */
export function recoverInterruptedRecordings(db: Db, actor: string): string[] {
  const marked: string[] = [];
  for (const r of orphanedRecordings(db)) {
    const { samples } = finalizeRecording(db, actor, r.trialId, 'interrupted', 'recorder process gone');
    marked.push(r.trialId);
    process.stderr.write(`gaitlab: recording ${r.trialId} (${r.deviceId}) was interrupted; kept its ${samples} committed samples\n`);
  }
  return marked;
}
