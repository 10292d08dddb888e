// The audit chain's head (sequence and hash) anchored outside the database: `<db>.audit-anchor` beside the
// file, authenticated with HMAC-SHA256 under a per-installation key kept in the user data folder. A hash
// chain alone shows an edited or removed middle row, not a log cut short at its end or emptied: the anchor
// remembers how far the log went. Someone holding both the key and the files can rewrite both (README).
import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { linkSync, mkdirSync, readFileSync, renameSync, unlinkSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
// The per-user folder is the one the CLI and Electron already share; it is a path, nothing of the CLI.
import { userDataDir } from '../cli/data-dir';
import type { Db } from './db';
import { stmt } from './statements';

const FORMAT = 'gaitlab-audit-anchor/1';

/** `GAITLAB_AUDIT_KEY_FILE` overrides the key's place (tests, a lab's managed installation). */
export function auditKeyPath(): string {
  return process.env.GAITLAB_AUDIT_KEY_FILE ?? join(userDataDir(), 'audit-anchor.key');
}

export function anchorPath(dbPath: string): string {
  return `${dbPath}.audit-anchor`;
}

/** The installation's 32-byte key; made on first use (mode 0600) when `create`, else null when there is none. */
export function loadAuditKey(create: boolean, path = auditKeyPath()): Buffer | null {
  try {
    const key = readFileSync(path);
    if (key.length !== 32) throw new Error(`${path}: the audit key must be 32 bytes, found ${key.length}`);
    return key;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
    if (!create) return null;
  }
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  // Made beside the place and linked into it: link fails when another process made the key first, and
  // then everyone uses that one.
  const tmp = `${path}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  writeFileSync(tmp, randomBytes(32), { mode: 0o600 });
  try {
    linkSync(tmp, path);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
  } finally {
    unlinkSync(tmp);
  }
  return loadAuditKey(false, path);
}

/** Names a key without revealing it, so that an anchor made elsewhere is recognised as such. */
function keyId(key: Buffer): string {
  return createHash('sha256').update('gaitlab-audit-key-id\u001f').update(key).digest('hex').slice(0, 16);
}

export interface Anchor { format: string; databaseId: string; seq: number; hash: string; at: string; keyId: string; hmac: string }

function mac(key: Buffer, a: Omit<Anchor, 'hmac' | 'keyId' | 'format'>): string {
  return createHmac('sha256', key).update(JSON.stringify([FORMAT, a.databaseId, a.seq, a.hash, a.at])).digest('hex');
}

function macMatches(key: Buffer, a: Anchor): boolean {
  const want = Buffer.from(mac(key, a), 'hex');
  const got = Buffer.from(typeof a.hmac === 'string' ? a.hmac : '', 'hex');
  return got.length === want.length && timingSafeEqual(got, want);
}

type SidecarRead = { kind: 'absent' } | { kind: 'unreadable'; reason: string } | { kind: 'anchor'; anchor: Anchor };

function readSidecar(path: string): SidecarRead {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return { kind: 'absent' };
    return { kind: 'unreadable', reason: (e as Error).message };
  }
  try {
    const a = JSON.parse(text) as Anchor;
    if (a.format !== FORMAT || typeof a.seq !== 'number' || typeof a.hash !== 'string' || typeof a.databaseId !== 'string' || typeof a.keyId !== 'string') {
      return { kind: 'unreadable', reason: `not a ${FORMAT} document` };
    }
    return { kind: 'anchor', anchor: a };
  } catch (e) {
    return { kind: 'unreadable', reason: (e as Error).message };
  }
}

export function databaseId(db: Db): string | null {
  const r = stmt(db, "SELECT value FROM audit_meta WHERE key = 'database_id'").get() as { value: string } | undefined;
  return r?.value ?? null;
}

function logHead(db: Db): { seq: number; hash: string } | null {
  return (stmt(db, 'SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1').get() as { seq: number; hash: string } | undefined) ?? null;
}

function rowHashAt(db: Db, seq: number): string | null {
  return (stmt(db, 'SELECT hash FROM audit_log WHERE seq = ?').get(seq) as { hash: string } | undefined)?.hash ?? null;
}

function isFileDatabase(db: Db): boolean {
  return db.open && db.name !== '' && db.name !== ':memory:';
}

/** The database's file, also when it was opened by URI (`file:…?immutable=1`): SQLite knows its real path. */
function databaseFile(db: Db): string {
  const main = (db.pragma('database_list') as { name: string; file: string }[]).find((d) => d.name === 'main');
  return main?.file || db.name;
}

/**
 * Brings the anchor up to the log's head. Runs in an IMMEDIATE transaction, so it holds the database's write
 * lock: two processes writing one database anchor one after the other, each the head it reads, and the
 * anchor never goes back. An anchor that disagrees with the log (the log cut short or rewritten, a forged
 * anchor) is left in place as evidence for `audit verify`; one made under another installation's key, or
 * for another database, is replaced (the database was copied here).
 */
export function anchorAuditHead(db: Db): void {
  if (!isFileDatabase(db) || db.readonly || db.inTransaction) return;
  db.transaction(() => {
    const head = logHead(db);
    const id = databaseId(db);
    if (!head || !id) return;
    const key = loadAuditKey(true)!;
    const path = anchorPath(databaseFile(db));
    const side = readSidecar(path);
    if (side.kind === 'unreadable') return;
    if (side.kind === 'anchor' && side.anchor.keyId === keyId(key) && side.anchor.databaseId === id) {
      const a = side.anchor;
      if (!macMatches(key, a)) return;
      if (a.seq >= head.seq) return;
      if (rowHashAt(db, a.seq) !== a.hash) return;
    }
    const at = new Date().toISOString();
    const anchor: Anchor = { format: FORMAT, databaseId: id, seq: head.seq, hash: head.hash, at, keyId: keyId(key), hmac: mac(key, { databaseId: id, seq: head.seq, hash: head.hash, at }) };
    const tmp = `${path}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
    writeFileSync(tmp, JSON.stringify(anchor, null, 1) + '\n');
    renameSync(tmp, path);
  }).immediate();
}

const pending = new WeakSet<Db>();

/**
 * Anchors once the caller's transaction is over: appendAudit runs inside it, and an anchor written before
 * the commit would be ahead of the log if the transaction rolled back. better-sqlite3's transactions are
 * synchronous, so a microtask runs after the commit (or rollback); a transaction still open is waited out.
 */
export function scheduleAnchor(db: Db): void {
  if (pending.has(db) || !isFileDatabase(db) || db.readonly) return;
  pending.add(db);
  const run = () => {
    if (!db.open) return void pending.delete(db);
    if (db.inTransaction) return void setImmediate(run);
    pending.delete(db);
    try {
      anchorAuditHead(db);
    } catch (e) {
      // The write itself is committed; the anchor lags and is brought forward by the next write.
      process.emitWarning(`${anchorPath(databaseFile(db))}: the audit anchor was not updated: ${(e as Error).message}`);
    }
  };
  queueMicrotask(run);
}

export type AnchorStatus =
  | 'ok' | 'behind' | 'none' | 'no-key' | 'other-key'
  | 'missing' | 'truncated' | 'rewritten' | 'forged' | 'other-database' | 'unreadable';

export interface AnchorCheck {
  status: AnchorStatus;
  /** True when the anchor shows that the log was cut short, rewritten, or the anchor itself tampered with. */
  failed: boolean;
  anchoredSeq: number | null;
  logSeq: number;
  message: string;
}

/**
 * Compares the log with its anchor, reading only. `contentRows`: whether the log holds rows written since
 * anchoring began (schema 2); without them a missing anchor is a log never anchored, not a removed one.
 */
export function checkAnchor(db: Db, contentRows: boolean, keyPath = auditKeyPath()): AnchorCheck {
  const head = logHead(db);
  const logSeq = head?.seq ?? 0;
  const path = isFileDatabase(db) ? anchorPath(databaseFile(db)) : '';
  const res = (status: AnchorStatus, failed: boolean, anchoredSeq: number | null, message: string): AnchorCheck => ({ status, failed, anchoredSeq, logSeq, message });
  if (!isFileDatabase(db)) return res('none', false, null, 'an in-memory database has no anchor');
  const side = readSidecar(path);
  if (side.kind === 'absent') {
    return contentRows
      ? res('missing', true, null, `anchor ${path} is missing: a log cut short cannot be told from a whole one`)
      : res('none', false, null, 'no anchor yet (the log holds no rows written since anchoring began)');
  }
  if (side.kind === 'unreadable') return res('unreadable', true, null, `anchor ${path} cannot be read: ${side.reason}`);
  const a = side.anchor;
  let key: Buffer | null;
  try {
    key = loadAuditKey(false, keyPath);
  } catch (e) {
    return res('no-key', false, a.seq, `anchor cannot be checked: ${(e as Error).message}`);
  }
  if (!key) return res('no-key', false, a.seq, `anchor cannot be checked (no key at ${keyPath})`);
  if (a.keyId !== keyId(key)) return res('other-key', false, a.seq, "anchor cannot be checked (no key): it was made under another installation's key");
  if (!macMatches(key, a)) return res('forged', true, a.seq, `anchor ${path} does not match its signature: it was edited`);
  if (a.databaseId !== databaseId(db)) return res('other-database', true, a.seq, `anchor ${path} belongs to another database (${a.databaseId})`);
  if (a.seq > logSeq) {
    return res('truncated', true, a.seq, logSeq === 0 ? `the log is empty but the anchor says ${a.seq}` : `log ends at row ${logSeq} but the anchor says ${a.seq}`);
  }
  if (rowHashAt(db, a.seq) !== a.hash) return res('rewritten', true, a.seq, `row ${a.seq} is not the row the anchor recorded: the log was rewritten from there`);
  if (a.seq < logSeq) return res('behind', false, a.seq, `anchored at row ${a.seq} of ${logSeq}: brought forward at the next write`);
  return res('ok', false, a.seq, `anchored at row ${a.seq}`);
}
