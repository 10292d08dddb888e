// gaitlab subject add|edit|find|merge|delete, session add|edit|move, trial exclude|include through the real
// command: --json documents, one-line errors with a byte-identical database, and `gaitlab audit verify`
// clean (exit 0) after each kind of write.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync, utimesSync } from 'node:fs';
import { join } from 'node:path';
import { dbFingerprint, gaitlab, sharedData, tempDir } from '../helpers';

const dir = tempDir('gaitlab-records-cli-');
const db = join(dir, 'lab.db');
const env = { GAITLAB_AUDIT_KEY_FILE: join(dir, 'audit-anchor.key') };
const run = (...args: string[]) => gaitlab([...args, '--db', db, '--json'], env);

function verifyClean(context: string): void {
  const r = run('audit', 'verify');
  assert.equal(r.code, 0, `${context}: ${r.stdout.slice(0, 2000)} ${r.stderr}`);
  assert.deepEqual(r.json.audit.findings, [], context);
  assert.equal(r.json.audit.ok, true, context);
}

before(() => {
  const r = run('import', sharedData('gaitpdb', 'GaCo02_01.txt.gz'), sharedData('gaitpdb', 'GaCo02_02.txt.gz'));
  assert.equal(r.code, 0, r.stderr);
});

test('subject add, edit, find and show; a bad value exits 1 with one line and leaves the database byte-identical', () => {
  const add = run('subject', 'add', '--code', 'P017', '--sex', 'male', '--name', 'John Doe', '--record-number', 'MRN-1234', '--birth-date', '1950-06-30',
    '--set', 'body_mass=81', '--set', 'leg_length=905', '--set', 'edss=3.5', '--taken', 'edss=2026-10-01');
  assert.equal(add.code, 0, add.stderr);
  const id = add.json.subject.id;
  assert.deepEqual(add.json.subject.attributes.edss, { value: 3.5, unit: 'points', takenOn: '2026-10-01' });
  verifyClean('after add');

  const before = dbFingerprint(db);
  const bad = run('subject', 'edit', 'P017', '--set', 'height=17.5');
  assert.equal(bad.code, 1);
  assert.deepEqual(bad.stderr.trim().split('\n'), [`gaitlab: subject ${id} field height: 17.5 m is outside the plausible range 0.4–2.6 m`]);
  // A misspelt or unit-suffixed known field is refused, not stored unchecked as a free attribute beside it.
  const misspelt = run('subject', 'edit', 'P017', '--set', 'height_m=17.5');
  assert.equal(misspelt.code, 1);
  assert.deepEqual(misspelt.stderr.trim().split('\n'),
    [`gaitlab: subject ${id} field height_m: not a known field; did you mean height? (a new free attribute must not look like one)`]);
  const usage = run('subject', 'edit', 'P017', '--clear', 'shoe');
  assert.equal(usage.code, 2);
  assert.match(usage.stderr, /--clear shoe: expected group, sex or one of display_name/);
  assert.equal(dbFingerprint(db), before, 'a refused edit changed the database');

  const edit = run('subject', 'edit', 'P017', '--set', 'height=1.81', '--clear', 'sex');
  assert.equal(edit.code, 0, edit.stderr);
  assert.deepEqual(edit.json.changed.sort(), ['height', 'sex']);
  const found = run('subject', 'find', '--record-number', 'MRN-1234');
  assert.deepEqual(found.json.subjects.map((s: { id: string }) => s.id), [id]);
  // `gaitlab subject <code>` still shows one subject.
  const show = run('subject', 'P017');
  assert.equal(show.code, 0, show.stderr);
  assert.equal(show.json.subject.id, id);
  verifyClean('after edit');
});

test('session add and edit, trial exclude and include, subject merge and delete on request', () => {
  const visit = run('session', 'add', 'P017', '--label', 'Follow-up', '--date', '2026-11-20', '--set', 'footwear=shoes', '--set', 'walking_aid=cane', '--tag', 'post-op');
  assert.equal(visit.code, 0, visit.stderr);
  const edited = run('session', 'edit', visit.json.sessionId, '--set', 'walking_aid=', '--set', 'assessor=MB');
  assert.deepEqual(edited.json.changed.sort(), ['assessor', 'walking_aid']);
  verifyClean('after visit');

  const trials = run('trials', '--subject', 'GaCo02').json.trials;
  const ex = run('trial', 'exclude', trials[0].id, '--reason', 'sensor came loose');
  assert.deepEqual(ex.json, { trialId: trials[0].id, excluded: 'sensor came loose', changed: true });
  verifyClean('after exclude');
  assert.equal(run('trial', 'include', trials[0].id).json.changed, true);

  assert.equal(run('subject', 'edit', 'GaCo02', '--set', 'height=1.74').code, 0);
  const before = dbFingerprint(db);
  const refusedMerge = run('subject', 'merge', 'GaCo02', 'P017');
  assert.equal(refusedMerge.code, 1);
  assert.match(refusedMerge.stderr, /^gaitlab: subject S-\w+ field take: 1 conflicting field to choose \(source or target\): height \(1\.74 m in S-\w+, 1\.81 m in S-\w+\)\n$/);
  assert.equal(dbFingerprint(db), before, 'a refused merge changed the database');
  const dry = run('subject', 'merge', 'GaCo02', 'P017', '--dry-run');
  assert.equal(dry.json.merged, false);
  assert.deepEqual(dry.json.conflicts.map((c: { field: string }) => c.field), ['height']);
  const take = dry.json.conflicts.flatMap((c: { field: string }) => ['--take', `${c.field}=target`]);
  const merged = run('subject', 'merge', 'GaCo02', 'P017', ...take);
  assert.equal(merged.code, 0, merged.stderr);
  assert.equal(merged.json.merged, true);
  assert.equal(run('trials', '--subject', 'P017').json.total, 2);
  verifyClean('after merge');

  const ask = run('subject', 'delete', 'P017');
  assert.equal(ask.code, 0);
  assert.equal(ask.json.deleted, false);
  assert.deepEqual([ask.json.plan.sessions, ask.json.plan.trials, ask.json.plan.signals], [2, 2, 36]);
  // Its own three attributes and the ones the merge brought from GaCo02 (age, …).
  const attributes = Object.keys(run('subject', 'P017').json.subject.attributes).length;
  assert.ok(attributes > 3, `${attributes}`);
  const everything = gaitlab(['subject', 'delete', 'P017', '--db', db], env);
  assert.match(everything.stdout, new RegExp(`^would delete S-\\w+ with its identity \\(display_name, birth_date, record_number, code\\), 2 sessions, 2 trials, 36 signals, 0 events and ${attributes} attributes; nothing deleted: add --yes\n$`));
  const human = gaitlab(['subject', 'delete', 'P017', '--identity-only', '--db', db], env);
  assert.match(human.stdout, /^would delete the identity of S-\w+ \(display_name, birth_date, record_number\); its sessions and trials stay; nothing deleted: add --yes\n$/);
  const gone = run('subject', 'delete', 'P017', '--identity-only', '--yes');
  assert.equal(gone.json.deleted, true);
  const audit = run('audit', 'verify');
  assert.equal(audit.code, 0);
  assert.doesNotMatch(gaitlab(['subject', 'find', '--record-number', 'MRN-1234', '--db', db], env).stdout, /John Doe/);
  verifyClean('after identity deletion');
});

test('gaitlab import --subject --session files a C3D walk into a registered subject\'s named visit', () => {
  const p = run('subject', 'add', '--code', 'P020');
  assert.equal(p.code, 0, p.stderr);
  const r = run('import', sharedData('horst2019-gait-c3d', 'gait-raw.c3d'), '--subject', 'P020', '--session', 'Gait lab 1');
  assert.equal(r.code, 0, r.stderr);
  assert.deepEqual([r.json.import.trialsAdded, r.json.import.subjectsAdded], [1, 0]);
  const shown = run('subject', 'P020');
  assert.deepEqual(shown.json.sessions.map((s: { key: string; trials: { key: string }[] }) => [s.key, s.trials.map((t) => t.key)]), [['Gait lab 1', ['gait-raw']]]);
  const bad = run('import', sharedData('horst2019-gait-c3d', 'gait-pig.c3d'), '--session', 'a/b');
  assert.equal(bad.code, 1);
  assert.match(bad.stderr, /session name is letters, digits, spaces and _\.:\(\)-/);
  verifyClean('after import into a visit');
});

test('gaitlab import of a visit folder says how it filed the files; gaitlab subject shows the visit\'s date and rule', () => {
  const visit = join(dir, 'Visit 7');
  mkdirSync(visit);
  const mac = sharedData('forceplate-file-formats', 'motion-analysis-anc-cal');
  for (const n of ['Gait.anc', 'Forcepla.cal', 'Gait.trc']) copyFileSync(join(mac, n), join(visit, n));
  for (const n of ['Gait.anc', 'Gait.trc']) utimesSync(join(visit, n), new Date('2026-03-09T11:00:00'), new Date('2026-03-09T11:00:00'));
  const json = run('import', visit);
  assert.equal(json.code, 0, json.stderr);
  assert.deepEqual(json.json.import.visits, [{ rule: 'folder Visit 7, subject Visit 7 (the file names none)', files: 2 }]);
  const shown = gaitlab(['subject', 'Visit 7', '--db', db], env);
  assert.equal(shown.code, 0, shown.stderr);
  assert.match(shown.stdout, /^Visit 7 \(S-\w+\) — folder, no group, sex unknown$/m);
  assert.match(shown.stdout, /^session Visit 7: Visit 7 · 2026-03-09 · grouped by folder · date from newest file modification time in the folder$/m);
  // A trial added to the folder later joins the visit; the human summary names the rule.
  copyFileSync(sharedData('forceplate-file-formats', 'amti-asc', 'Trial1-FxFyFzMxMyMz.asc'), join(visit, 'Trial1.asc'));
  const human = gaitlab(['import', visit, '--db', db], env);
  assert.equal(human.code, 0, human.stderr);
  assert.match(human.stdout, /^visit: folder Visit 7, subject Visit 7 \(the file names none\) \(1 file\)$/m);
  assert.match(human.stdout, /trials 2 \(1 new\)/);
  verifyClean('after a visit folder import');
});
