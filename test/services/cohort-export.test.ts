// `gaitlab export`: a cohort of real gaitpdb walks written as tidy CSV, Parquet and HDF5 and read back; the
// pseudonymisation (what must not leave without --identifying); the audit row with the files' hashes; bad filters
// and destinations refused with nothing written; and a GaitRec round trip into a fresh database.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { parse } from 'csv-parse/sync';
import { importEsm } from '../../src-main/esm-import';
import { loadH5wasm } from '../../src-main/formats/apdm-opal';
import { dbFingerprint, fixture, gaitlab, sharedData, tempDir } from '../helpers';

const WALKS = ['GaPt03_01.txt.gz', 'GaCo03_01.txt.gz'].map((f) => sharedData('gaitpdb', f));

function cohortDb(): { dir: string; db: string } {
  const dir = tempDir();
  const db = join(dir, 'g.db');
  const r = gaitlab(['import', ...WALKS, sharedData('gaitpdb', 'demographics.txt'), '--db', db, '--json']);
  assert.equal(r.code, 0, r.stderr);
  return { dir, db };
}

const readCsv = (file: string): Record<string, string>[] => parse(readFileSync(file), { columns: true });
const allText = (dir: string) => readdirSync(dir).map((f) => readFileSync(join(dir, f)).toString('latin1')).join('\n');

test('CSV export: cycles equal `gaitlab cycles`, parameters equal `gaitlab params`, a data dictionary names every column', () => {
  const { dir, db } = cohortDb();
  const out = join(dir, 'csv');
  const r = gaitlab(['export', '--db', db, '--out', out, '--format', 'csv', '--json']);
  assert.equal(r.code, 0, r.stderr);
  const res = r.json.export;
  assert.deepEqual([res.subjects, res.sessions, res.trials], [2, 2, 2]);
  const subjects = readCsv(join(out, 'subjects.csv'));
  assert.deepEqual(subjects.map((s) => s.group).sort(), ['PD', 'control']);
  const trials = gaitlab(['trials', '--db', db, '--json']).json.trials as { id: string; subjectId: string }[];
  const cycles = readCsv(join(out, 'cycles.csv'));
  assert.equal(cycles.length, res.cycles);
  for (const t of trials) {
    const stored = gaitlab(['cycles', t.id, '--db', db, '--json']).json.cycles as { channel: string; side: string; kind: string; startS: number; curve: number[] }[];
    const mine = cycles.filter((c) => c.trial === t.id);
    assert.equal(mine.length, stored.length, `cycles of ${t.id}`);
    assert.ok(mine.every((c) => c.subject === t.subjectId));
    const exported = mine.find((c) => c.channel === stored[5].channel && c.side === stored[5].side && c.kind === stored[5].kind && Number(c.start) === stored[5].startS)!;
    assert.ok(exported, 'the stored cycle is in the export');
    assert.deepEqual(Array.from({ length: 101 }, (_, k) => Number(exported[`p${String(k).padStart(3, '0')}`])), stored[5].curve);
    const params = gaitlab(['params', t.id, '--db', db, '--json']).json.parameters as { name: string; side: string | null; mean: { value: number } }[];
    const rows = readCsv(join(out, 'parameters.csv')).filter((p) => p.trial === t.id);
    assert.equal(rows.length, params.length);
    const stride = params.find((p) => p.name === 'stride_time' && p.side === 'left')!;
    assert.equal(Number(rows.find((p) => p.parameter === 'stride_time' && p.side === 'left')!.mean), stride.mean.value);
  }
  const dictionary = readCsv(join(out, 'data-dictionary.csv'));
  for (const table of ['subjects', 'sessions', 'trials', 'cycles', 'parameters']) {
    const header = Object.keys(readCsv(join(out, `${table}.csv`))[0]);
    assert.deepEqual(dictionary.filter((d) => d.file === `${table}.csv`).map((d) => d.column), header, `dictionary of ${table}.csv`);
  }
  assert.equal(dictionary.find((d) => d.file === 'parameters.csv' && d.column === 'cv')!.unit, '%');
});

test('pseudonymised by default; --identifying adds identity fields and both exports are audited with their content hash', () => {
  const { dir, db } = cohortDb();
  const pd = gaitlab(['subjects', '--db', db, '--json']).json.subjects.find((s: any) => s.group === 'PD');
  const edit = gaitlab(['subject', 'edit', pd.id, '--name', 'Erika Mustermann', '--birth-date', '1941-03-02', '--notes', 'lives alone', '--db', db, '--json']);
  assert.equal(edit.code, 0, edit.stderr);
  const plain = join(dir, 'plain');
  const r1 = gaitlab(['export', '--db', db, '--out', plain, '--json']);
  assert.equal(r1.code, 0, r1.stderr);
  const text = allText(plain);
  for (const secret of ['Erika', '1941-03-02', 'lives alone', 'GaPt03', 'GaCo03']) assert.ok(!text.includes(secret), `${secret} must not leave`);
  assert.ok(text.includes(pd.id), 'the pseudonym is the subject key');

  const ident = join(dir, 'ident');
  const r2 = gaitlab(['export', '--db', db, '--out', ident, '--identifying', '--json']);
  assert.equal(r2.code, 0, r2.stderr);
  const subjects = readCsv(join(ident, 'subjects.csv'));
  const row = subjects.find((s) => s.subject === pd.id)!;
  assert.equal(row.identity_display_name, 'Erika Mustermann');
  assert.equal(row.identity_external_id, 'GaPt03');

  const conn = new Database(db, { readonly: true });
  const audits = conn.prepare("SELECT entity_id, new_value FROM audit_log WHERE action = 'export' ORDER BY seq").all() as { entity_id: string; new_value: string }[];
  conn.close();
  assert.deepEqual(audits.map((a) => a.entity_id), [r1.json.export.exportId, r2.json.export.exportId]);
  const logged = audits.map((a) => JSON.parse(a.new_value));
  assert.deepEqual(logged.map((v) => [v.identifying, v.contentSha256]), [[false, r1.json.export.contentSha256], [true, r2.json.export.contentSha256]]);
  assert.ok(!audits[1].new_value.includes('Erika'), 'the audit row names that identity left, not the identity');
  assert.equal(gaitlab(['audit', 'verify', '--db', db]).code, 0);
});

test('filters select visits; a bad filter, an unknown field or a used folder is refused in one line and nothing is written', () => {
  const { dir, db } = cohortDb();
  const pd = gaitlab(['export', '--db', db, '--out', join(dir, 'pd'), '--cohort', 'group=PD hy>=2 age > 70', '--json']);
  assert.equal(pd.code, 0, pd.stderr);
  assert.equal(pd.json.export.subjects, 1);
  assert.equal(pd.json.export.cohort, 'group=PD hoehn_yahr>=2 age>70');
  const before = dbFingerprint(db);
  for (const [cohort, pattern] of [['agee>>3', /agee>>3.*one operator/], ['group', /group.*expected field=value/], ['updrs_total>3', /no visit has updrs_total/], ['date>=yesterday', /dates are YYYY/]] as const) {
    const out = join(dir, `bad-${cohort.length}`);
    const r = gaitlab(['export', '--db', db, '--out', out, '--cohort', cohort]);
    assert.equal(r.code, 1, cohort);
    assert.match(r.stderr, pattern);
    assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
    assert.ok(!existsSync(out), 'nothing written');
  }
  const used = gaitlab(['export', '--db', db, '--out', join(dir, 'pd')]);
  assert.equal(used.code, 1);
  assert.match(used.stderr, /exists and is not an empty folder/);
  assert.equal(dbFingerprint(db), before, 'refusals change nothing stored');
  assert.deepEqual(readdirSync(dir).filter((f) => f.includes('partial')), [], 'no staging folder left behind');
});

test('Parquet and HDF5 read back with the values of the CSV export', async () => {
  const { dir, db } = cohortDb();
  for (const format of ['csv', 'parquet', 'hdf5']) assert.equal(gaitlab(['export', '--db', db, '--out', join(dir, format), '--format', format, '--cohort', 'group=control']).code, 0, format);
  const csv = readCsv(join(dir, 'csv', 'cycles.csv'));
  const { parquetReadObjects } = await importEsm<{ parquetReadObjects(o: { file: ArrayBuffer }): Promise<Record<string, unknown>[]> }>('hyparquet');
  const bytes = readFileSync(join(dir, 'parquet', 'cycles.parquet'));
  const pq = await parquetReadObjects({ file: bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) });
  assert.equal(pq.length, csv.length);
  for (const k of [0, 17, csv.length - 1]) {
    assert.equal(pq[k].channel, csv[k].channel);
    assert.equal(pq[k].p050, Number(csv[k].p050));
    assert.equal(pq[k].cycle, Number(csv[k].cycle));
  }
  const h5 = await loadH5wasm();
  const f = new h5.File(join(dir, 'hdf5', 'cohort.h5'), 'r');
  try {
    const curve = f.get('cycles/curve') as any;
    assert.deepEqual(curve.shape, [csv.length, 101]);
    const values = curve.value as Float32Array;
    for (const k of [0, 17, csv.length - 1]) assert.equal(values[k * 101 + 50], Math.fround(Number(csv[k].p050)));
    assert.deepEqual((f.get('cycles/channel') as any).value.slice(0, 3), csv.slice(0, 3).map((c) => c.channel));
    assert.equal((f.get('parameters/cv') as any).attrs.unit.value, '%');
  } finally {
    f.close();
  }
});

test('GaitRec export: the curve files re-import into a fresh database with identical curves', () => {
  const dir = tempDir();
  const db = join(dir, 'g.db');
  const files = ['GRF_F_V_PRO_left.csv', 'GRF_F_V_PRO_right.csv', 'GRF_F_AP_PRO_left.csv', 'GRF_F_AP_PRO_right.csv'].map((f) => fixture('gaitrec', f));
  assert.equal(gaitlab(['import', ...files, '--db', db]).code, 0);
  const out = join(dir, 'gaitrec');
  const r = gaitlab(['export', '--db', db, '--out', out, '--format', 'gaitrec', '--json']);
  assert.equal(r.code, 0, r.stderr);
  const written = readdirSync(out);
  for (const f of ['GRF_F_V_PRO_left.csv', 'GRF_F_AP_PRO_right.csv', 'keys.csv', 'subjects.csv', 'data-dictionary.csv']) assert.ok(written.includes(f), f);
  const db2 = join(dir, 'again.db');
  const again = gaitlab(['import', ...written.filter((f) => f.startsWith('GRF_') && f !== 'GRF_metadata.csv').map((f) => join(out, f)), '--db', db2, '--json']);
  assert.equal(again.code, 0, again.stderr);
  const keys = new Map(readCsv(join(out, 'keys.csv')).map((k) => [k.SESSION_ID, k.session]));
  const original = gaitlab(['trials', '--db', db, '--json']).json.trials as { id: string; sessionId: string; key: string }[];
  const copies = gaitlab(['trials', '--db', db2, '--json']).json.trials as { id: string; session: string; key: string }[];
  assert.equal(copies.length, original.length);
  const signals = (database: string, id: string) => new Map((gaitlab(['signals', id, '--db', database, '--json']).json.channels as { name: string; values: number[] }[]).map((c) => [c.name, c.values]));
  for (const c of copies) {
    const o = original.find((t) => t.sessionId === keys.get(c.session) && t.key === c.key)!;
    assert.ok(o, `trial ${c.session}/${c.key} maps back`);
    assert.deepEqual(signals(db2, c.id), signals(db, o.id), `curves of ${o.id}`);
  }
});
