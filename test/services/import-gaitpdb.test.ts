// The whole gaitpdb release through the real import path into a real SQLite file.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { readFileSync } from 'node:fs';
import { openServiceContext, closeServiceContext, type ServiceContext } from '../../src-main/services/context';
import { importPaths } from '../../src-main/services/import-service';
import { createDispatcher } from '../../src-main/services/dispatch';
import { checkedDispatch } from '../api-contract';
import { dbFingerprint, sharedData, tempDir } from '../helpers';
import type { ImportSummary } from '../../src-shared/api/schema';

let ctx: ServiceContext;
const dbPath = join(tempDir(), 'gaitpdb.db');
let first: ImportSummary;
const textBytes = readdirSync(sharedData('gaitpdb')).filter((f) => f.endsWith('.txt.gz'))
  .reduce((s, f) => s + gunzipSync(readFileSync(sharedData('gaitpdb', f))).length, 0);

before(async () => {
  ctx = openServiceContext({ dbPath, mode: 'cli' });
  first = await importPaths(ctx, [sharedData('gaitpdb')]);
});
after(() => closeServiceContext(ctx));

test('imports every walk with its subject: 306 walks of 165 subjects, 166 demographics rows', () => {
  assert.deepEqual(first.errors, []);
  assert.equal(first.trialsAdded, 306);
  assert.equal(first.trials, 306);
  assert.equal(first.subjects, 166);
  const withWalks = ctx.db.prepare('SELECT COUNT(DISTINCT se.subject_id) AS n FROM trials t JOIN sessions se ON se.id = t.session_id').get() as { n: number };
  assert.equal(withWalks.n, 165);
  const orphan = ctx.db.prepare(`SELECT i.external_id AS code FROM subjects s JOIN subject_identity i ON i.subject_id = s.id
    WHERE NOT EXISTS (SELECT 1 FROM sessions se WHERE se.subject_id = s.id)`).all() as { code: string }[];
  assert.deepEqual(orphan.map((o) => o.code), ['Juc010']);
  // The documentation files are named as skipped, not silently ignored.
  assert.deepEqual(first.skipped.map((s) => s.file.split('/').pop()).sort(), ['README.md', 'SHA256SUMS', 'SHA256SUMS.txt', 'demographics.html', 'demographics.xls', 'format.txt', 'gaitpd.png']);
});

test('names exactly the three byte-identical pairs of the README, each kept under its own subject', () => {
  const pairs = first.duplicates.map((d) => d.trials.map((t) => t.key).sort().join(' = ')).sort();
  assert.deepEqual(pairs, ['GaPt17_02 = GaPt18_01', 'JuCo26_01 = JuPt01_01', 'JuPt29_02 = JuPt29_03']);
  const jucoPair = first.duplicates.find((d) => d.trials.some((t) => t.key === 'JuCo26_01'))!;
  assert.ok(jucoPair.sha256.startsWith('888d6082218d1e62'));
  assert.deepEqual(jucoPair.trials.map((t) => t.subject).sort(), ['JuCo26', 'JuPt01']);
});

test('demographics became subject attributes with units', async () => {
  const call = checkedDispatch(createDispatcher(ctx));
  const list = await call('listSubjects', { search: 'JuPt20' });
  assert.equal(list.total, 1);
  const s = list.subjects[0];
  assert.equal(s.group, 'PD');
  assert.deepEqual(s.attributes.height, { value: 1.68, unit: 'm' });
  assert.deepEqual(s.attributes.updrs, { value: 33, unit: 'points' });
  assert.deepEqual(s.attributes.speed_walk_01, { value: 1.212, unit: 'm/s' });
  const groups = await call('listSubjects', { group: 'control', limit: 1000 });
  assert.equal(groups.total, 73);
  assert.deepEqual(groups.groups, ['PD', 'control']);
});

test('signals come back as the float32 of every text value, with units, rate and the device clock', async () => {
  const call = checkedDispatch(createDispatcher(ctx));
  const t = await call('listTrials', { subjectId: (await call('listSubjects', { search: 'GaCo01' })).subjects[0].id });
  assert.deepEqual(t.trials.map((x) => x.key), ['GaCo01_01']);
  assert.match(t.trials[0].sourceFile ?? '', /GaCo01_01\.txt\.gz$/);
  const sig = await call('getSignals', { trialId: t.trials[0].id });
  assert.equal(sig.channels.length, 18);
  const text = gunzipSync(readFileSync(sharedData('gaitpdb', 'GaCo01_01.txt.gz'))).toString('latin1').trim().split('\r\n').map((l) => l.split('\t').map(Number));
  for (const [k, c] of sig.channels.entries()) {
    assert.equal(c.unit, 'N');
    const values = c.values ?? [];
    assert.equal(values.length, 12119);
    for (let r = 0; r < text.length; r += 97) assert.equal(values[r], Math.fround(text[r][k + 1]), `${c.name} row ${r}`);
    assert.equal(c.x?.[12118], 121.1715);
  }
  const dec = await call('getSignals', { trialId: t.trials[0].id, channels: ['L_total'], maxPoints: 1000 });
  assert.equal(dec.channels.length, 1);
  const decimated = dec.channels[0].values ?? [];
  assert.ok(decimated.length > 0 && decimated.length <= 1000 && dec.channels[0].decimated);
  assert.equal(Math.max(...decimated), Math.max(...(sig.channels[16].values ?? []))); // peaks survive decimation
});

test('stores float32 signals in well under half the size of the text', () => {
  ctx.db.pragma('wal_checkpoint(TRUNCATE)');
  const size = statSync(dbPath).size;
  assert.ok(size < 0.5 * textBytes, `database ${size} B vs text ${textBytes} B`);
  const encodings = ctx.db.prepare('SELECT DISTINCT encoding FROM signals').all() as { encoding: string }[];
  assert.deepEqual(encodings, [{ encoding: 'f32-deflate' }]);
});

test('a second import adds nothing, reports every file as already present, and leaves the file byte-identical', async () => {
  ctx.db.pragma('wal_checkpoint(TRUNCATE)');
  const before = dbFingerprint(dbPath);
  const second = await importPaths(ctx, [sharedData('gaitpdb')]);
  assert.equal(second.trialsAdded, 0);
  assert.equal(second.subjectsAdded, 0);
  assert.equal(second.trials, 306);
  assert.equal(second.skipped.filter((s) => s.reason.startsWith('already present')).length, 307);
  assert.equal(second.duplicates.length, 3);
  assert.equal(dbFingerprint(dbPath), before);
});

test('every import step is in the audit log and the chain verifies', async () => {
  const r = await checkedDispatch(createDispatcher(ctx))('auditVerify', {});
  assert.equal(r.ok, true);
  const n = (a: string, e: string) => (ctx.db.prepare('SELECT COUNT(*) AS n FROM audit_log WHERE action = ? AND entity = ?').get(a, e) as { n: number }).n;
  assert.equal(n('create', 'trial'), 306);
  assert.equal(n('create', 'subject'), 166);
  assert.equal(n('import', 'source_file'), 307);
});
