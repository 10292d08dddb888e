import Database from 'better-sqlite3';
import { accessSync, constants, existsSync, mkdirSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import { LATEST_SCHEMA_VERSION, migrations } from './migrations';
import { sqliteNativeBinding } from './native-binding';

export type Db = Database.Database;

export class StoreError extends Error {
  constructor(readonly file: string, reason: string) {
    super(`${file}: ${reason}`);
    this.name = 'StoreError';
  }
}

export interface OpenOptions {
  /** Open without writing anything (queries only); the schema must already be current. */
  readonly?: boolean;
}

/** True when the file (or, for a new file, its folder) may be written by this process and its owner. */
function isWritable(path: string): boolean {
  const target = existsSync(path) ? path : dirname(path);
  try {
    accessSync(target, constants.W_OK);
  } catch {
    return false;
  }
  // root passes access(2) for every file: honour the mode bits, so a database made read-only stays so.
  return (statSync(target).mode & 0o222) !== 0;
}

/** Opens (creating if needed) a GaitLab database: WAL, foreign keys on, migrations applied. */
export function openDatabase(path: string, options: OpenOptions = {}): Db {
  if (options.readonly) {
    if (!existsSync(path)) throw new StoreError(path, 'no such database');
    const db = openRaw(path, { readonly: true, fileMustExist: true });
    let version: number;
    try {
      version = db.pragma('user_version', { simple: true }) as number;
    } catch (e) {
      db.close();
      throw new StoreError(path, `cannot use this file as a GaitLab database: ${(e as Error).message}`);
    }
    if (version !== LATEST_SCHEMA_VERSION) {
      db.close();
      throw new StoreError(path, `schema version ${version}, this GaitLab needs ${LATEST_SCHEMA_VERSION}: open it once for writing to migrate`);
    }
    db.pragma('foreign_keys = ON');
    return db;
  }
  if (!existsSync(dirname(path))) mkdirSync(dirname(path), { recursive: true });
  if (!isWritable(path)) throw new StoreError(path, 'database is read-only (no write permission); nothing was changed');
  const db = openRaw(path, {});
  try {
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    db.pragma('foreign_keys = ON');
    db.pragma('busy_timeout = 5000');
    migrate(db, path);
  } catch (e) {
    db.close();
    if (e instanceof StoreError) throw e;
    throw new StoreError(path, `cannot use this file as a GaitLab database: ${(e as Error).message}`);
  }
  return db;
}

function openRaw(path: string, opts: Database.Options): Db {
  try {
    const nativeBinding = sqliteNativeBinding();
    return new Database(path, nativeBinding ? { ...opts, nativeBinding } : opts);
  } catch (e) {
    throw new StoreError(path, `cannot open database: ${(e as Error).message}`);
  }
}

function migrate(db: Db, path: string): void {
  const current = db.pragma('user_version', { simple: true }) as number;
  if (current > LATEST_SCHEMA_VERSION) {
    throw new StoreError(path, `schema version ${current} is newer than this GaitLab (${LATEST_SCHEMA_VERSION}); update GaitLab`);
  }
  for (const m of migrations) {
    if (m.version <= current) continue;
    db.transaction(() => {
      db.exec(m.sql);
      db.pragma(`user_version = ${m.version}`);
    })();
  }
}

export function schemaVersion(db: Db): number {
  return db.pragma('user_version', { simple: true }) as number;
}
