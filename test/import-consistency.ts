// What a cancelled or interrupted import must leave behind: a sound database in which every stored trial is
// whole. Shared by the cancellation tests of every face (WebSocket, HTTP, IPC, CLI).
import assert from 'node:assert/strict';
import Database from 'better-sqlite3';

/** gaitpdb walks: 8 sensors under each foot + the two totals (format.txt of the release). */
export const GAITPDB_CHANNELS = 18;

export interface StoredCounts { trials: number; subjects: number; sourceFiles: number }

/**
 * Opens `dbPath` read-only and asserts: integrity_check ok, no foreign key violation, every trial has
 * `channelsPerTrial` signals and its device clock, and every stored source file has its trial. Returns counts.
 */
export function assertWholeTrials(dbPath: string, channelsPerTrial = GAITPDB_CHANNELS): StoredCounts {
  const db = new Database(dbPath, { readonly: true });
  try {
    assert.equal(db.pragma('integrity_check', { simple: true }), 'ok');
    assert.deepEqual(db.pragma('foreign_key_check'), []);
    const partial = db.prepare(`SELECT t.key, COUNT(s.id) AS n FROM trials t LEFT JOIN signals s ON s.trial_id = t.id GROUP BY t.id HAVING n <> ?`).all(channelsPerTrial);
    assert.deepEqual(partial, [], 'every stored trial has all its signals');
    const noClock = db.prepare(`SELECT t.key FROM trials t WHERE NOT EXISTS (SELECT 1 FROM trial_clocks c WHERE c.trial_id = t.id)`).all();
    assert.deepEqual(noClock, [], 'every stored trial has its clock');
    const orphanFiles = db.prepare(`SELECT f.name FROM source_files f WHERE f.format <> 'gaitpdb-demographics' AND NOT EXISTS (SELECT 1 FROM trials t WHERE t.source_file_id = f.id)`).all();
    assert.deepEqual(orphanFiles, [], 'every stored recording file has its trial');
    const count = (sql: string) => (db.prepare(sql).get() as { n: number }).n;
    return { trials: count('SELECT COUNT(*) AS n FROM trials'), subjects: count('SELECT COUNT(*) AS n FROM subjects'), sourceFiles: count('SELECT COUNT(*) AS n FROM source_files') };
  } finally {
    db.close();
  }
}
