import Database from 'better-sqlite3';
import { accessSync, constants, existsSync, mkdirSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { LATEST_SCHEMA_VERSION, migrations } from './migrations';
import { closeInterruptedImports } from './imports';
import { sqliteNativeBinding } from './native-binding';

export type Db = Database.Database;

// better-sqlite3 reads SQLITE_USE_URI once, when its addon loads (at the first Database): URI names let
// openReadOnly open a database `immutable`. Plain names stay plain: openRaw never passes one that
// starts with "file:" (it becomes "./file:…").
process.env.SQLITE_USE_URI ??= '1';

export class StoreError extends Error {
  constructor(readonly file: string, reason: string) {
    super(`${file}: ${reason}`);
    this.name = 'StoreError';
  }
}

/**
 * - `create` (the default): open for writing, creating the file (and its folders) when missing;
 * - `existing`: open for writing, but never create; a file this process may not write is opened read-only;
 * - `read`: queries only, nothing written; the schema must already be current.
 */
export type DbAccess = 'create' | 'existing' | 'read';

export interface OpenOptions {
  /** Open without writing anything (queries only); the same as access 'read'. */
  readonly?: boolean;
  access?: DbAccess;
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

/**
 * Creates the missing folders above a new database one level at a time, so a path under a pseudo file
 * system (`/proc/x/y.db`, where a recursive mkdir loops forever) fails at once with the folder named.
 */
function makeFolders(path: string, dbPath: string): void {
  const missing: string[] = [];
  let dir = resolve(dirname(path));
  while (!existsSync(dir)) {
    missing.unshift(dir);
    const parent = dirname(dir);
    if (parent === dir) break;
    dir = parent;
  }
  if (existsSync(dir) && !statSync(dir).isDirectory()) throw new StoreError(dbPath, `cannot create the database: ${dir} is not a folder`);
  for (const m of missing) {
    try {
      mkdirSync(m);
    } catch (e) {
      // Another process (four imports at once into a new database) may have made it between the check and here.
      if ((e as NodeJS.ErrnoException).code === 'EEXIST' && statSync(m).isDirectory()) continue;
      throw new StoreError(dbPath, `cannot create the folder ${m} (${(e as NodeJS.ErrnoException).code ?? (e as Error).message}); nothing was created`);
    }
  }
}

/** Opens a GaitLab database: WAL, foreign keys on, migrations applied (see DbAccess for creating and reading). */
export function openDatabase(path: string, options: OpenOptions = {}): Db {
  const access: DbAccess = options.readonly ? 'read' : options.access ?? 'create';
  if (access !== 'create' && !existsSync(path)) {
    throw new StoreError(path, 'no such database (only commands that write create one; check the path)');
  }
  if (access === 'existing' && !isWritable(path)) return openReadOnly(path);
  if (access === 'read') return openReadOnly(path);
  const isNew = !existsSync(path);
  if (isNew) makeFolders(path, path);
  if (!isWritable(path)) {
    throw new StoreError(path, isNew ? `cannot create the database: no write permission in ${dirname(resolve(path))}` : 'database is read-only (no write permission); nothing was changed');
  }
  const db = openRaw(path, {});
  try {
    // Before anything that may wait for a lock: other processes may be opening the same file right now.
    db.pragma('busy_timeout = 10000');
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    db.pragma('foreign_keys = ON');
    migrate(db, path);
    closeInterruptedImports(db);
  } catch (e) {
    db.close();
    if (e instanceof StoreError) throw e;
    throw new StoreError(path, `cannot use this file as a GaitLab database: ${(e as Error).message}`);
  }
  return db;
}

/**
 * Read-only. A WAL database needs its `-shm` file even to be read; in a folder this process cannot write,
 * that file cannot be made, so the database is opened `immutable` instead (no locks, no -shm), which is
 * exact as long as no -wal holds changes not yet in the main file.
 */
function openReadOnly(path: string): Db {
  let db = openRaw(path, { readonly: true, fileMustExist: true });
  let version: number;
  try {
    version = db.pragma('user_version', { simple: true }) as number;
  } catch (e) {
    db.close();
    const code = (e as { code?: string }).code ?? '';
    if (!/^SQLITE_(READONLY|CANTOPEN)/.test(code)) throw new StoreError(path, `cannot use this file as a GaitLab database: ${(e as Error).message}`);
    const wal = `${path}-wal`;
    if (existsSync(wal) && statSync(wal).size > 0) {
      throw new StoreError(path, `cannot be read without write access to its folder: ${wal} holds changes not yet in the database`);
    }
    db = openRaw(path, { readonly: true, fileMustExist: true }, `file:${encodeURI(resolve(path)).replace(/[?#]/g, encodeURIComponent)}?immutable=1`);
    try {
      version = db.pragma('user_version', { simple: true }) as number;
    } catch (e2) {
      db.close();
      throw new StoreError(path, `cannot use this file as a GaitLab database: ${(e2 as Error).message}`);
    }
  }
  if (version !== LATEST_SCHEMA_VERSION) {
    db.close();
    throw new StoreError(path, `schema version ${version}, this GaitLab needs ${LATEST_SCHEMA_VERSION}: open it once for writing to migrate`);
  }
  db.pragma('foreign_keys = ON');
  return db;
}

/** `uri`: the name SQLite opens instead of the path (a `file:` URI with parameters); messages name the path. */
function openRaw(path: string, opts: Database.Options, uri?: string): Db {
  const name = uri ?? (path.startsWith('file:') ? `./${path}` : path);
  try {
    const nativeBinding = sqliteNativeBinding();
    return new Database(name, nativeBinding ? { ...opts, nativeBinding } : opts);
  } catch (e) {
    throw new StoreError(path, `cannot open database: ${(e as Error).message}`);
  }
}

/**
 * Applies the missing migrations under one write lock (BEGIN IMMEDIATE), reading the version again inside
 * it: of several processes opening a new database at once, one migrates and the others find it done.
 */
function migrate(db: Db, path: string): void {
  const check = (version: number) => {
    if (version > LATEST_SCHEMA_VERSION) {
      throw new StoreError(path, `schema version ${version} is newer than this GaitLab (${LATEST_SCHEMA_VERSION}); update GaitLab`);
    }
  };
  const seen = db.pragma('user_version', { simple: true }) as number;
  check(seen);
  if (seen === LATEST_SCHEMA_VERSION) return;
  db.transaction(() => {
    const current = db.pragma('user_version', { simple: true }) as number;
    check(current);
    for (const m of migrations) {
      if (m.version <= current) continue;
      db.exec(m.sql);
      db.pragma(`user_version = ${m.version}`);
    }
  }).immediate();
}

export function schemaVersion(db: Db): number {
  return db.pragma('user_version', { simple: true }) as number;
}
