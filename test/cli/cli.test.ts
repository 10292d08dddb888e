// The gaitlab command end to end, as a technician's script or a researcher uses it: --json on stdout.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { gaitlab, REPO, sharedData, tempDir } from '../helpers';

const dir = tempDir();
const db = join(dir, 'x.db');
let imported: any;

before(() => {
  const r = gaitlab(['import', sharedData('gaitpdb'), '--db', db, '--json']);
  assert.equal(r.code, 0, r.stderr);
  imported = r.json.import;
});

test('import --json prints one document with the summary: subjects, sessions, trials, skipped, errors, duplicates', () => {
  assert.equal(imported.subjects, 166);
  assert.equal(imported.sessions, 165);
  assert.equal(imported.trials, 306);
  assert.equal(imported.errors.length, 0);
  assert.equal(imported.duplicates.length, 3);
  for (const d of imported.duplicates) {
    assert.equal(d.trials.length, 2);
    for (const t of d.trials) assert.match(t.file, /\.txt\.gz$/);
  }
});

test('a second run adds nothing', () => {
  const r = gaitlab(['import', sharedData('gaitpdb'), '--db', db, '--json']);
  assert.equal(r.code, 0);
  assert.equal(r.json.import.trialsAdded, 0);
  assert.equal(r.json.import.subjectsAdded, 0);
  assert.equal(r.json.import.skipped.filter((s: any) => /^already present/.test(s.reason)).length, 307);
});

test('subjects --json lists every subject with demographics', () => {
  const r = gaitlab(['subjects', '--db', db, '--json']);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.json.subjects.length, 166);
  assert.equal(r.json.total, 166);
  const s = r.json.subjects.find((x: any) => x.code === 'GaPt03');
  assert.match(s.id, /^S-[0-9A-Z]{8}$/);
  assert.equal(s.group, 'PD');
  assert.equal(s.sex, 'female');
  assert.deepEqual(s.attributes.age, { value: 82, unit: 'years' });
  assert.deepEqual(s.attributes.hoehn_yahr, { value: 3, unit: 'stage' });
  assert.equal(s.trials, 1); // GaPt03_01 only
  const pd = gaitlab(['subjects', '--group', 'PD', '--db', db, '--json']);
  assert.equal(pd.json.subjects.length, 93);
});

test('trials [--subject] --json lists trials with id and source file', () => {
  const all = gaitlab(['trials', '--db', db, '--json']);
  assert.equal(all.json.trials.length, 306);
  const mine = gaitlab(['trials', '--subject', 'JuPt26', '--db', db, '--json']);
  assert.equal(mine.code, 0, mine.stderr);
  assert.deepEqual(mine.json.trials.map((t: any) => t.key), ['JuPt26_01', 'JuPt26_03', 'JuPt26_04', 'JuPt26_05', 'JuPt26_06', 'JuPt26_07']);
  for (const t of mine.json.trials) {
    assert.match(t.id, /^T-/);
    assert.match(t.sourceFile, new RegExp(`${t.key}\\.txt\\.gz$`));
    assert.equal(t.channels, 18);
  }
  const byId = gaitlab(['trials', '--subject', mine.json.trials[0].subjectId, '--db', db, '--json']);
  assert.equal(byId.json.trials.length, 6);
  const found = gaitlab(['trials', '--search', 'JuPt26_0', '--db', db, '--json']);
  assert.deepEqual(found.json.trials.map((t: any) => t.key), ['JuPt26_01', 'JuPt26_03', 'JuPt26_04', 'JuPt26_05', 'JuPt26_06', 'JuPt26_07']);
  assert.equal(gaitlab(['trials', '--search', '100%_', '--db', db, '--json']).json.total, 0); // LIKE wildcards are literal
});

test('signals <trial> --json prints every channel with name, unit, rate and values', () => {
  const t = gaitlab(['trials', '--subject', 'SiCo01', '--db', db, '--json']).json.trials[0];
  const r = gaitlab(['signals', t.id, '--db', db, '--json']);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.json.channels.length, 18);
  for (const c of r.json.channels) {
    assert.equal(c.unit, 'N');
    assert.ok(Math.abs(c.rateHz - 100.007) < 0.01, String(c.rateHz));
    assert.equal(c.values.length, c.samples);
    assert.equal(c.x.length, c.samples);
  }
  assert.deepEqual(r.json.channels.map((c: any) => c.name).slice(-2), ['L_total', 'R_total']);
  const missing = gaitlab(['signals', 'T-NOSUCHXX', '--db', db, '--json']);
  assert.equal(missing.code, 1);
  assert.equal(missing.stderr, 'gaitlab: no trial T-NOSUCHXX\n');
});

test('a reader that stops early (| head) ends the command quietly with 141, like git, not with a stack trace', () => {
  const t = gaitlab(['trials', '--subject', 'SiCo01', '--db', db, '--json']).json.trials[0];
  // A real shell pipe: head reads 100 bytes of several megabytes and closes its end.
  const r = spawnSync('bash', ['-c', `"${process.execPath}" "${join(REPO, 'bin', 'gaitlab.cjs')}" signals ${t.id} --db "${db}" --json 2>"${join(dir, 'pipe.err')}" | head -c 100 >/dev/null; echo "\${PIPESTATUS[0]}"`], { encoding: 'utf8' });
  assert.equal(r.stdout.trim(), '141');
  assert.equal(readFileSync(join(dir, 'pipe.err'), 'utf8'), '');
});

test('audit verify --json checks the chain', () => {
  const r = gaitlab(['audit', 'verify', '--db', db, '--json']);
  assert.equal(r.code, 0);
  assert.equal(r.json.audit.ok, true);
  assert.ok(r.json.audit.rows > 306 + 166);
});

test('GAITLAB_DB chooses the database when --db is absent', () => {
  const r = gaitlab(['info', '--json'], { GAITLAB_DB: db });
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.json.info.dbPath, db);
  assert.equal(r.json.info.counts.trials, 306);
});

test('human output is a readable table', () => {
  const r = gaitlab(['subjects', '--cohort', 'gaitpdb', '--limit', '3', '--db', db]);
  assert.equal(r.code, 0);
  const lines = r.stdout.trim().split('\n');
  assert.match(lines[0], /^id\s+code\s+cohort\s+group\s+sex\s+age\s+sessions\s+trials$/);
  assert.equal(lines.length, 6);
  assert.equal(lines[5], '3 of 166 subjects');
});
