// A service context on a fresh SQLite file for tests that call the API in-process, and the audit check they end with.
import assert from 'node:assert/strict';
import { after } from 'node:test';
import { closeServiceContext, openServiceContext, type ServiceContext } from '../../src-main/services/context';
import { createDispatcher, type Dispatch } from '../../src-main/services/dispatch';
import { verifyAuditLog } from '../../src-main/store/audit-verify';
import { checkedDispatch } from '../api-contract';

/** Opened in CLI mode, closed after the file's tests; calls go through the response-schema check. */
export function openTestService(dbPath: string): { ctx: ServiceContext; call: Dispatch } {
  const ctx = openServiceContext({ dbPath, mode: 'cli' });
  after(() => closeServiceContext(ctx));
  return { ctx, call: checkedDispatch(createDispatcher(ctx)) };
}

/** The audit log verifies (chain, entity hashes, anchor) once pending writes have settled. */
export async function assertAuditClean(ctx: ServiceContext, context = 'audit'): Promise<void> {
  await new Promise((resolve) => setImmediate(resolve));
  const r = verifyAuditLog(ctx.db);
  assert.ok(r.ok, `${context}: ${r.reason}`);
  assert.deepEqual(r.findings, [], `${context}: ${JSON.stringify(r.findings)}`);
  assert.equal(r.anchor.failed, false, `${context}: ${r.anchor.message}`);
}
