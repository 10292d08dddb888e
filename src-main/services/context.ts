import { existsSync } from 'node:fs';
import { userInfo } from 'node:os';
import { join, resolve } from 'node:path';
import { recoverInterruptedJobs } from '../compute/recovery';
import { orphanedRecordings, recoverInterruptedRecordings } from '../acquisition/recording-recovery';
import { openDatabase, type Db, type DbAccess } from '../store/db';
import { EventBus } from './event-bus';

export type { ProgressSink } from './call-context';

export type Mode = 'electron' | 'browser' | 'cli';

/** What every service needs: the open store, who is acting, and where the app's resources are. */
export interface ServiceContext {
  db: Db;
  dbPath: string;
  mode: Mode;
  actor: string;
  resourcesDir: string;
  /** Folder for files uploaded in browser mode before they are imported. */
  stagingDir: string;
  /** Topic events (jobs) for the faces that subscribed. */
  events: EventBus;
}


/** The `resources/` folder: beside the sources in a checkout, in `process.resourcesPath` when packaged. */
export function findResourcesDir(): string {
  const packaged = (process as { resourcesPath?: string }).resourcesPath;
  const candidates = [
    resolve(__dirname, '../../resources'),
    resolve(__dirname, '../../../resources'),
    ...(packaged ? [join(packaged, 'resources')] : []),
  ];
  return candidates.find((c) => existsSync(join(c, 'demo'))) ?? candidates[0];
}

export function openServiceContext(options: { dbPath: string; mode: Mode; readonly?: boolean; access?: DbAccess; stagingDir?: string }): ServiceContext {
  let user = 'unknown';
  try {
    user = userInfo().username;
  } catch {
    /* no passwd entry (containers): keep 'unknown' */
  }
  let db = openDatabase(options.dbPath, { readonly: options.readonly, access: options.access });
  if (!db.readonly) recoverInterruptedJobs(db);
  if (!db.readonly) recoverInterruptedRecordings(db, `${user}@${options.mode}`);
  else if (orphanedRecordings(db).length) {
    // A crashed recording is closed by the next open, even of a command that only reads: briefly for writing
    // (where this process may write the file), then read-only again as asked.
    db.close();
    try {
      const rw = openDatabase(options.dbPath, { access: 'existing' });
      if (!rw.readonly) recoverInterruptedRecordings(rw, `${user}@${options.mode}`);
      rw.close();
    } finally {
      db = openDatabase(options.dbPath, { readonly: options.readonly, access: options.access });
    }
  }
  return {
    db,
    dbPath: resolve(options.dbPath),
    mode: options.mode,
    actor: `${user}@${options.mode}`,
    resourcesDir: findResourcesDir(),
    stagingDir: options.stagingDir ?? join(resolve(options.dbPath, '..'), '.gaitlab-staging'),
    events: new EventBus(),
  };
}

export function closeServiceContext(ctx: ServiceContext): void {
  if (ctx.db.open) ctx.db.close();
}
