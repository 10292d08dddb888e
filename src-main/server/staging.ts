// Browser mode's scratch space for uploads: one folder per server run, named `<pid>-<random>` so that the
// next start can tell the folders of runs that were killed (their pid is gone) from those of runs still
// serving, and remove the former. Uploaded files are in the database once imported; nothing here is kept.
import { randomBytes } from 'node:crypto';
import { readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { processExists } from '../process-exists';

const RUN_FOLDER = /^(\d{1,10})-[0-9a-f]+$/;

/**
 * Removes the run folders under `stagingRoot` whose server process is gone (a run killed before it could
 * clean up); returns the names removed. Folders of live runs, and anything not named like a run folder,
 * are left alone.
 */
export function removeStaleStaging(stagingRoot: string, alive: (pid: number) => boolean = processExists): string[] {
  let entries: string[];
  try {
    entries = readdirSync(stagingRoot);
  } catch {
    return []; // no staging folder yet
  }
  const removed: string[] = [];
  for (const name of entries) {
    const m = RUN_FOLDER.exec(name);
    if (!m) continue;
    const pid = Number(m[1]);
    if (pid === process.pid || alive(pid)) continue;
    rmSync(join(stagingRoot, name), { recursive: true, force: true });
    removed.push(name);
  }
  return removed;
}

/** This run's staging folder (created on the first upload) and its removal, safe to call more than once. */
export function runStagingFolder(stagingRoot: string): { dir: string; remove: () => void } {
  const dir = join(stagingRoot, `${process.pid}-${randomBytes(4).toString('hex')}`);
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}
