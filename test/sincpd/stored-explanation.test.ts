// The SincPD explanation kept with the model (issue 15, §5.3.6): the default explanation (on the model's held-out
// subjects' walks) is computed by the training job as its last phase and stored in the transaction that stores the
// model; read back by `gaitlab explain` and the report without reading a walk; equal to a recompute; computed once
// for a model stored without it; walks changed since said so, the kept values kept until --recompute; kill -9 in
// that phase keeps neither model nor explanation. Explanations on given walks are computed and never kept. Real CLI
// processes and worker, a real SQLite file of real gaitpdb walks. QUICK SETTINGS (6 filters per sensor, 1 epoch per
// stage): wiring checks, never the method's figures.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { api } from '../../src-shared/api/schema';
import { closeServiceContext, openServiceContext } from '../../src-main/services/context';
import { createDispatcher } from '../../src-main/services/dispatch';
import { rankExplanation } from '../../src-shared/methods/sincpd/explain';
import { checkedDispatch } from '../api-contract';
import { gaitlab, sharedData, tempDir } from '../helpers';
import { jobRow, killWorkerOfJob, query, sleep } from '../compute/grf-db';

// Two controls and two PD subjects of two studies, one walk each (12 segments of 10 s per walk).
const WALKS = ['GaCo01_01', 'GaCo02_01', 'GaPt03_01', 'GaPt04_01'];
const QUICK = ['--epochs', '1', '--param', 'quick=true'];
const dir = tempDir();
const db = join(dir, 'stored-explanation.db');
const imported = gaitlab(['import', sharedData('gaitpdb', 'demographics.txt'), ...WALKS.map((w) => sharedData('gaitpdb', `${w}.txt.gz`)), '--db', db, '--json']);
assert.equal(imported.code, 0, imported.stderr);
const trained = gaitlab(['train', 'sincpd', '--task', 'pd', ...QUICK, '--seed', '3', '--db', db, '--json']);
assert.equal(trained.code, 0, trained.stderr);
const modelId = trained.json.model.id as string;
const selection = JSON.parse(query<{ s: string }>(db, 'SELECT data_selection AS s FROM models WHERE id = ?', modelId)[0].s) as
  { trials: { id: string; subject: string }[]; finalModel: { trainSubjects: string[]; validationSubjects: string[] } };
const heldOut = new Set(selection.finalModel.validationSubjects);
/** The held-out subjects' walks, in the order the default explanation reads them (by trial key). */
const heldTrials = query<{ id: string; key: string }>(db, `SELECT id, key FROM trials WHERE id IN (SELECT value FROM json_each(?)) ORDER BY key, id`,
  JSON.stringify(selection.trials.filter((t) => heldOut.has(t.subject)).map((t) => t.id)));
/** A subject the final model trained on: its report reads its own walks, never the held-out ones. */
const reportSubject = selection.finalModel.trainSubjects[0];

const ctx = openServiceContext({ dbPath: db, mode: 'browser' });
after(() => closeServiceContext(ctx));
const call = checkedDispatch(createDispatcher(ctx));

type RunRow = { id: number; trigger: string; version: string; finished_at: string; walks: number };
const keptRuns = (model = modelId, path = db) => query<RunRow>(path, `SELECT id, json_extract(inputs, '$.trigger') AS trigger, json_extract(inputs, '$.dataVersion') AS version,
  json_extract(inputs, '$.walks') AS walks, finished_at FROM method_runs WHERE role = 'model-analyses' AND json_extract(inputs, '$.modelId') = ? ORDER BY id`, model);
const allKeptRuns = () => query<{ n: number }>(db, "SELECT COUNT(*) AS n FROM method_runs WHERE role = 'model-analyses'")[0].n;
const write = (path: string, sql: string, ...args: unknown[]) => {
  const w = new Database(path);
  try { w.prepare(sql).run(...args); } finally { w.close(); }
};
function explain(extra: string[] = [], path = db) {
  const r = gaitlab(['explain', modelId, ...extra, '--db', path, '--json']);
  assert.equal(r.code, 0, r.stderr);
  return api.sincpdExplain.response.parse(r.json);
}
/** What an explanation says, without where it comes from. */
const values = (r: ReturnType<typeof explain>) => {
  const { stored: _where, ...rest } = r;
  return rest;
};
function timed<T>(fn: () => T): { value: T; seconds: number } {
  const t0 = process.hrtime.bigint();
  const value = fn();
  return { value, seconds: Number(process.hrtime.bigint() - t0) / 1e9 };
}
async function timedAsync<T>(fn: () => Promise<T>): Promise<{ value: T; seconds: number }> {
  const t0 = process.hrtime.bigint();
  const value = await fn();
  return { value, seconds: Number(process.hrtime.bigint() - t0) / 1e9 };
}
function report(subject = reportSubject, path = db) {
  const r = gaitlab(['report', '--subject', subject, '--out', join(dir, `r-${Date.now()}.html`), '--db', path, '--json']);
  assert.equal(r.code, 0, r.stderr);
  const section = r.json.report.methods.find((m: { id: string }) => m.id === 'pd-severity');
  return section.sincEvidence as { status: string; modelId: string; summary: string; filters: { rank: number; sensor: number; filter: number; deltaE: number; f1Hz: number; f2Hz: number }[]; sensors: { sensor: number; share: number }[] };
}

test('the training job explains the model as its last phase and keeps the explanation with it', () => {
  assert.ok(heldTrials.length >= 2, `held-out walks of both classes: ${JSON.stringify(heldTrials)}`);
  const runs = keptRuns();
  assert.equal(runs.length, 1);
  assert.equal(runs[0].trigger, 'training');
  const log = query<{ line: string }>(db, 'SELECT line FROM job_log WHERE job_id = ? ORDER BY id', trained.json.job.id).map((l) => l.line);
  assert.ok(log.includes('analyses: reading the walks'), log.join('\n'));
  assert.ok(log.includes(`analyses: filter energies of ${12 * heldTrials.length} segments`), log.join('\n'));
  const done = log.find((l) => /^analyses computed in [\d.]+ s on data version \d+:\d+:\d+:\d+$/.test(l));
  assert.ok(done, log.join('\n'));
  console.log(`  job log: ${done}`);
  const r = explain();
  assert.deepEqual(r.stored && [r.stored.runId, r.stored.trigger, r.stored.current, r.stored.note, r.stored.dataVersion, r.stored.computedAt, r.stored.walks],
    [String(runs[0].id), 'training', true, null, runs[0].version, runs[0].finished_at, heldTrials.length]);
  assert.match(r.stored!.dataFingerprint, /^[0-9a-f]{64}$/);
  assert.deepEqual([r.segments.source, r.segments.heldOut, r.segments.n, r.segments.walks], ['held-out subjects', true, 12 * heldTrials.length, heldTrials.map((t) => t.key)]);
  const stages = JSON.parse(query<{ m: string }>(db, 'SELECT metrics AS m FROM models WHERE id = ?', modelId)[0].m).filters as { filtersPerSensor: number[] }[];
  assert.equal(r.explanation.filters.length, stages[1].filtersPerSensor.reduce((a, b) => a + b, 0), 'the pruned front end');
  const text = gaitlab(['explain', modelId, '--db', db]);
  assert.equal(text.code, 0, text.stderr);
  assert.match(text.stdout.split('\n')[0], new RegExp(`^explanation kept with the model, computed \\S+ \\(training\\) on data version \\d+:\\d+:\\d+:\\d+; the ${heldTrials.length} walks it read are unchanged since$`));
  assert.equal(keptRuns().length, 1, 'reads add no run');
});

test('kept = recomputed: --recompute reads the walks again, gives the same values and keeps a newer run; a signed ranking re-ranks the kept one exactly', () => {
  const kept = explain();
  const keptSigned = explain(['--rank-by', 'signed']);
  const r = explain(['--recompute']);
  assert.equal(r.stored!.trigger, 'recompute');
  const runs = keptRuns();
  assert.equal(runs.length, 2);
  assert.equal(r.stored!.runId, String(runs[1].id));
  assert.deepEqual(values(r), values(kept));
  assert.deepEqual(values(explain()), values(kept));
  assert.equal(explain().stored!.runId, String(runs[1].id), 'the newest run is the model\'s');
  assert.deepEqual(values(explain(['--rank-by', 'signed'])), values(keptSigned));
  assert.deepEqual(keptSigned.explanation, rankExplanation(kept.explanation, 'signed'));
  // The same walks given as trial ids: computed now (signed, by the energies), never kept, and equal.
  const given = explain([...heldTrials.map((t) => t.id), '--rank-by', 'signed']);
  assert.equal(given.stored, null);
  assert.equal(given.segments.source, 'inputs');
  assert.deepEqual([given.explanation, given.responses], [keptSigned.explanation, keptSigned.responses]);
  assert.equal(keptRuns().length, 2, 'an explanation on given walks is not kept');
  const both = gaitlab(['explain', modelId, heldTrials[0].id, '--recompute', '--db', db, '--json']);
  assert.notEqual(both.code, 0);
  assert.equal(both.stderr.trim().split('\n').length, 1, both.stderr);
  assert.match(both.stderr, /recompute applies to the default explanation/);
});

test('a model stored before explanations were kept: explained on its first read, kept once (also when two reads come at once), then read', async () => {
  const before = explain();
  write(db, "DELETE FROM method_runs WHERE role = 'model-analyses' AND json_extract(inputs, '$.modelId') = ?", modelId);
  assert.equal(keptRuns().length, 0);
  const [a, b] = await Promise.all([call('sincpdExplain', { modelId, inputs: [] }), call('sincpdExplain', { modelId, inputs: [], rankBy: 'abs' })]);
  assert.equal(a.stored!.trigger, 'first-read');
  assert.equal(b.stored!.runId, a.stored!.runId);
  assert.equal(keptRuns().length, 1);
  const first = explain();
  assert.equal(first.stored!.runId, a.stored!.runId);
  assert.equal(first.stored!.trigger, 'first-read');
  assert.deepEqual(values(first), values(before));
  assert.equal(keptRuns().length, 1);
});

test('the report\'s SincPD evidence is the kept explanation; report and explain timed with and without it', async () => {
  const kept = explain();
  const withKept = timed(() => report());
  const e = withKept.value;
  assert.equal(e.status, 'available', e.summary);
  assert.equal(e.modelId, modelId);
  const top = [...kept.explanation.filters].sort((a, b) => a.rank - b.rank).slice(0, 3);
  assert.deepEqual(e.filters.map((f) => [f.rank, f.sensor, f.filter, f.f1Hz, f.f2Hz, f.deltaE]), top.map((f) => [f.rank, f.sensor, f.filter, f.f1Hz, f.f2Hz, f.deltaE]));
  assert.ok(e.summary.endsWith(` Explanation kept with the model, computed ${kept.stored!.computedAt}.`), e.summary);
  const runs = keptRuns().length;
  // Without: the kept run removed, so the report explains the model itself (on its first read, and keeps it).
  write(db, "DELETE FROM method_runs WHERE role = 'model-analyses' AND json_extract(inputs, '$.modelId') = ?", modelId);
  const without = timed(() => report());
  assert.deepEqual([without.value.filters, without.value.sensors], [e.filters, e.sensors]);
  assert.equal(keptRuns().length, runs);
  const again = timed(() => report());
  assert.deepEqual(again.value.filters, e.filters);
  const explainKept = timed(() => explain());
  const explainRecomputed = timed(() => explain(['--recompute']));
  assert.deepEqual(values(explainRecomputed.value), values(explainKept.value));
  // The same in one process (browser mode, the app): the call itself, without starting a CLI process.
  const subjectId = query<{ id: string }>(db, 'SELECT subject_id AS id FROM subject_identity WHERE external_id = ?', reportSubject)[0].id;
  const issue = () => timedAsync(() => call('issueReport', { subjectId }));
  const callKept = await timedAsync(() => call('sincpdExplain', { modelId, inputs: [] }));
  const callRecomputed = await timedAsync(() => call('sincpdExplain', { modelId, inputs: [], recompute: true }));
  const issuedKept = await issue();
  write(db, "DELETE FROM method_runs WHERE role = 'model-analyses' AND json_extract(inputs, '$.modelId') = ?", modelId);
  const issuedWithout = await issue();
  const evidenceOf = (r: { report: { methods: { id: string; sincEvidence?: unknown }[] } }) => r.report.methods.find((m) => m.id === 'pd-severity')!.sincEvidence as { filters: unknown[]; summary: string };
  assert.deepEqual(evidenceOf(issuedWithout.value).filters, evidenceOf(issuedKept.value).filters);
  assert.deepEqual(values(callRecomputed.value), values(callKept.value));
  // What a kept explanation saves at the scale of a full release (≈ 300 held-out segments): the same model explained
  // on 25 walk files given (12 controls, 13 PD; computed each time, never kept).
  const files = readdirSync(sharedData('gaitpdb')).filter((f) => /^Ga(Co|Pt)\d+_01\.txt\.gz$/.test(f)).sort();
  const given = [...files.filter((f) => f.startsWith('GaCo')).slice(0, 12), ...files.filter((f) => f.startsWith('GaPt')).slice(0, 13)].map((f) => sharedData('gaitpdb', f));
  const large = await timedAsync(() => call('sincpdExplain', { modelId, inputs: given }));
  assert.equal(large.value.stored, null);
  assert.equal(large.value.segments.walks.length, 25);
  const size = `${kept.segments.n} segments, ${kept.explanation.filters.length} filters, QUICK`;
  console.log(`  bench: gaitlab report (CLI process) ${withKept.seconds.toFixed(2)} s and ${again.seconds.toFixed(2)} s with the kept explanation, ${without.seconds.toFixed(2)} s computing it (${size})`);
  console.log(`  bench: gaitlab explain ${modelId} --json (CLI process) ${explainKept.seconds.toFixed(2)} s kept, ${explainRecomputed.seconds.toFixed(2)} s with --recompute`);
  console.log(`  bench: in one process: explaining on ${large.value.segments.n} segments of 25 given walk files (read, segmented, filtered; never kept) ${large.seconds.toFixed(2)} s`);
  console.log(`  bench: in one process: issueReport ${(issuedKept.seconds * 1000).toFixed(0)} ms kept, ${(issuedWithout.seconds * 1000).toFixed(0)} ms computing it; sincpdExplain ${(callKept.seconds * 1000).toFixed(0)} ms kept, ${(callRecomputed.seconds * 1000).toFixed(0)} ms recompute`);
});

test('reads do not touch the walks: the held-out walks\' signals emptied behind the store\'s back, explain and the report still answer; --recompute then fails in one line', () => {
  const kept = explain();
  const evidence = report();
  // A copy, so that the later tests keep their walks; no audit row, so the data version stays.
  const copy = join(tempDir(), 'blank.db');
  write(db, 'VACUUM INTO ?', copy);
  write(copy, "UPDATE signals SET data = X'00', samples = 1 WHERE trial_id IN (SELECT value FROM json_each(?))", JSON.stringify(heldTrials.map((t) => t.id)));
  const runs = keptRuns(modelId, copy).length;
  const fromCopy = explain([], copy);
  assert.deepEqual(fromCopy, kept);
  const signed = explain(['--rank-by', 'signed'], copy);
  assert.deepEqual(signed.explanation, rankExplanation(kept.explanation, 'signed'));
  const copied = report(reportSubject, copy);
  assert.deepEqual([copied.status, copied.filters, copied.sensors], ['available', evidence.filters, evidence.sensors]);
  assert.equal(keptRuns(modelId, copy).length, runs);
  // Proof that the reads above would have failed had they read the walks:
  const recompute = gaitlab(['explain', modelId, '--recompute', '--db', copy, '--json']);
  assert.notEqual(recompute.code, 0);
  assert.equal(recompute.stderr.trim().split('\n').length, 1, recompute.stderr);
  assert.match(recompute.stderr, /^gaitlab: \S+\.db: trial T-\S+ channel \S+: the stored samples are damaged \(.+\)\n$/, 'the damaged blob is named by its trial and channel');
  console.log(`  recompute on the emptied walks: ${recompute.stderr.trim()}`);
  assert.equal(keptRuns(modelId, copy).length, runs);
});

test('the walks changed since (a held-out walk excluded): explain and the report say so and keep the kept values until --recompute', () => {
  const before = explain();
  const beforeEvidence = report();
  const excluded = gaitlab(['trial', 'exclude', heldTrials[0].id, '--reason', 'stored-explanation test', '--db', db, '--json']);
  assert.equal(excluded.code, 0, excluded.stderr);
  const stale = explain();
  assert.equal(stale.stored!.current, false);
  assert.equal(stale.stored!.runId, before.stored!.runId);
  assert.match(stale.stored!.note!, new RegExp(`^this explanation was computed on \\S+ on data version \\d+:\\d+:\\d+:\\d+; the walks it read changed since \\(${heldTrials.length} walks then, 3 of training subjects now; data version now \\d+:\\d+:\\d+:\\d+\\): it describes the walks as they were then\\. Recompute it: gaitlab explain ${modelId} --recompute$`));
  assert.deepEqual(values(stale), values(before), 'the kept values, not a mix with the changed walks');
  const text = gaitlab(['explain', modelId, '--db', db]);
  assert.match(text.stdout.split('\n')[0], /^NOTE: this explanation was computed on/);
  const staleEvidence = report();
  assert.deepEqual(staleEvidence.filters, beforeEvidence.filters);
  assert.ok(staleEvidence.summary.endsWith(` NOTE: ${stale.stored!.note}.`), staleEvidence.summary);
  const fresh = explain(['--recompute']);
  assert.deepEqual([fresh.stored!.current, fresh.stored!.trigger, fresh.stored!.walks], [true, 'recompute', 3]);
  // One class is left among the held-out walks: the model's training walks are explained, and said to be.
  assert.deepEqual([fresh.segments.source, fresh.segments.heldOut, fresh.segments.n], ['training subjects', false, 36]);
  assert.deepEqual(values(explain()), values(fresh));
  assert.match(report().summary, /of the model's training subjects \(seen in training\)\./);
});

test('kill -9 of the worker in the explanation phase: no model, no kept explanation, the job failed "interrupted"', async () => {
  const runsBefore = allKeptRuns();
  const modelsBefore = query<{ n: number }>(db, 'SELECT COUNT(*) AS n FROM models')[0].n;
  const r = gaitlab(['train', 'sincpd', '--task', 'pd', ...QUICK, '--seed', '5', '--detach', '--db', db, '--json']);
  assert.equal(r.code, 0, r.stderr);
  const id = r.json.job.id as string;
  // The phase lasts well under a second with these four walks: one connection, polled every 5 ms.
  const watch = new Database(db, { readonly: true, fileMustExist: true });
  const stageOf = watch.prepare('SELECT status, stage, progress, worker_pid FROM jobs WHERE id = ?');
  type Row = { status: string; stage: string | null; progress: number; worker_pid: number | null };
  let seen: Row | undefined;
  try {
    const end = Date.now() + 180_000;
    for (;;) {
      const j = stageOf.get(id) as Row;
      assert.notEqual(j.status, 'done', 'the job finished before its explanation phase was seen');
      assert.ok(j.status === 'queued' || j.status === 'running', `job ${j.status}`);
      if (j.status === 'running' && j.stage?.startsWith('analyses: ')) { seen = j; break; }
      assert.ok(Date.now() < end, 'timed out waiting for the explanation phase');
      await sleep(5);
    }
  } finally {
    watch.close();
  }
  assert.ok(seen);
  console.log(`  killed at ${(seen.progress * 100).toFixed(0)} %: ${seen.stage}`);
  assert.ok(seen.progress >= 0.9);
  await killWorkerOfJob(db, id, seen.worker_pid!);
  assert.equal(jobRow(db, id).model_id, null);
  assert.equal(query<{ n: number }>(db, 'SELECT COUNT(*) AS n FROM models')[0].n, modelsBefore);
  assert.equal(allKeptRuns(), runsBefore);
});

test('deleting the model deletes its kept explanations', async () => {
  assert.ok(keptRuns().length > 0);
  await call('deleteModel', { id: modelId });
  assert.equal(keptRuns().length, 0);
});
