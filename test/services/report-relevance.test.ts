// The report's relevance section on real gaitpdb walks (one PD patient, three controls): "not run" with the exact
// command until a Horst model holds the subject's walks; the command as printed trains one (linear SVM, subject
// identification on insole gait cycles, T-block folds: quick, no schedule); the next report shows the model with
// its accuracy and protocol, the prediction against the truth, the relevance map over the subject's mean curves
// (the same map as `gaitlab explain --subject`, over the same cycles as the report's own curves) and the phases and
// channels in words, in the PDF's text and the HTML's figures. An earlier report still renders byte for byte.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { api } from '../../src-shared/api/schema';
import { reportModel } from '../../src-shared/report/model';
import { gaitlab, sha256File, sharedData, tempDir } from '../helpers';

const WALKS = ['GaPt03_01', 'GaCo03_01', 'GaCo04_01', 'GaCo05_01'];

test('relevance section: not run with the exact command, then the Horst model\'s prediction and LRP map over the subject\'s mean curves', () => {
  const dir = tempDir();
  const db = join(dir, 'g.db');
  assert.equal(gaitlab(['import', ...WALKS.map((f) => sharedData('gaitpdb', `${f}.txt.gz`)), sharedData('gaitpdb', 'demographics.txt'), '--db', db]).code, 0);

  const before = gaitlab(['report', '--subject', 'GaPt03', '--out', join(dir, 'before.html'), '--db', db, '--json']);
  assert.equal(before.code, 0, before.stderr);
  const notRun = before.json.report.methods.find((m: any) => m.id === 'relevance');
  assert.equal(notRun.status, 'not-run');
  assert.equal(notRun.howToRun, 'gaitlab train horst --model linear-svm --task subject --cohort gaitpdb');
  assert.equal(notRun.relevance, undefined);

  // The command exactly as the report prints it.
  const trained = gaitlab([...notRun.howToRun.split(' ').slice(1), '--db', db, '--json']);
  assert.equal(trained.code, 0, trained.stderr);
  const modelId: string = trained.json.model.id;
  const metrics = trained.json.model.metrics;

  const pdf = join(dir, 'after.pdf');
  const after = gaitlab(['report', '--subject', 'GaPt03', '--out', pdf, '--db', db, '--json']);
  assert.equal(after.code, 0, after.stderr);
  const report = reportModel.parse(after.json.report);
  const section = report.methods.find((m) => m.id === 'relevance')!;
  assert.equal(section.status, 'available', section.summary);
  assert.equal(section.modelId, modelId);
  const rel = section.relevance!;
  assert.deepEqual([rel.model.kind, rel.model.task, rel.model.classes, rel.span, rel.inputs.kind, rel.inputs.trials], ['linear-svm', 'subject', 4, 'gait_cycle', 'gait cycles', 1]);
  assert.deepEqual([rel.model.accuracy.mean, rel.model.accuracy.sd, rel.model.accuracy.runs], [metrics.meanAccuracy, metrics.sdAccuracy, metrics.runs]);
  assert.match(rel.model.protocol, /^T-block folds, k = \d+, each gait cycle a test row in exactly one run/);
  assert.equal(rel.truth, report.subject.id, 'subject identification: the true class is the subject');
  console.log(`relevance section: ${rel.inputs.n} cycles, predicted ${rel.predicted} (truth ${rel.truth}), ${rel.correct} correct; top ${rel.topChannels.map((c) => `${c.channel} ${(100 * c.share).toFixed(1)} %`).join(', ')}; ${rel.phases.map((p) => p.words).join('; ')}`);

  // The subject's cycles in the model: every one explained once, by its test run.
  const [{ data_selection }] = query(db, modelId);
  const byRow = JSON.parse(data_selection).folds.byTrial as Record<string, number>;
  const trialId = report.provenance.trials.find((t) => Object.keys(byRow).some((k) => k.startsWith(`${t.id}@`)))!.id;
  assert.equal(rel.inputs.n, Object.keys(byRow).filter((k) => k.startsWith(`${trialId}@`)).length);

  // The map is the subject's mean map as `gaitlab explain --subject` gives it.
  const sub = api.explainSubject.response.parse(gaitlab(['explain', modelId, '--subject', report.subject.id, '--db', db, '--json']).json).subject;
  assert.equal(sub.cycles, rel.inputs.n);
  assert.equal(rel.panels.length, 18);
  rel.panels.forEach((p, c) => {
    assert.equal(p.channel, sub.channels[c]);
    p.relevance.forEach((v, t) => assert.ok(Math.abs(v - sub.relevance[c][t]) <= 1e-12 * Math.max(1, Math.abs(v)), `${p.channel} ${t}: ${v} vs ${sub.relevance[c][t]}`));
  });
  assert.equal(rel.scale, Math.max(...rel.panels.flatMap((p) => p.relevance.map(Math.abs))));
  const shares = rel.panels.reduce((s, p) => s + p.share, 0);
  assert.ok(Math.abs(shares - 1) <= 1e-9, `shares add up to ${shares}`);
  assert.deepEqual(rel.topChannels.map((c) => c.channel), [...rel.panels].sort((a, b) => b.share - a.share).slice(0, 3).map((p) => p.channel));
  assert.deepEqual(rel.phases.map((p) => p.words), sub.phases.map((p) => p.words));
  for (const p of rel.phases) assert.ok(p.toPct > p.fromPct && p.relevance > 0);

  // The mean curve under the map is the report's own left L_total curve: the same clean cycles.
  const own = report.curves.find((c) => c.channels.left === 'L_total')!.left!;
  const lTotal = rel.panels.find((p) => p.channel === 'L_total')!;
  assert.equal(lTotal.unit, 'N');
  lTotal.mean.forEach((v, t) => assert.ok(Math.abs(v - own.mean[t]) <= 1e-3 * Math.max(1, Math.abs(own.mean[t])), `L_total ${t}: ${v} vs ${own.mean[t]}`));
  assert.equal(own.n, rel.inputs.n);

  const text = execFileSync('pdftotext', [pdf, '-'], { encoding: 'utf8' }).replace(/\s+/g, ' ');
  for (const s of [`Model ${modelId} (linear-svm, subject identification, 4 classes)`, `true class ${rel.truth}`, 'Most relevant:', `${rel.phases[0].phase} (${rel.phases[0].fromPct}–${rel.phases[0].toPct} % of the gait cycle)`, 'Channels carrying the most relevance:']) {
    assert.ok(text.includes(s), s);
  }
  const html = join(dir, 'after.html');
  assert.equal(gaitlab(['report', '--id', after.json.id, '--out', html, '--db', db]).code, 0);
  const page = readFileSync(html, 'utf8');
  const call = page.lastIndexOf('drawFigures(');
  const figures = JSON.parse(page.slice(call + 'drawFigures('.length, page.indexOf(');</script>', call))) as { spec: { data: { type: string; z?: number[][] }[] } }[];
  const heat = figures.flatMap((f) => f.spec.data).filter((d) => d.type === 'heatmap');
  assert.equal(heat.length, 6, 'a heat band under each of the six most relevant channels');
  assert.deepEqual(heat[0].z![0], [...rel.panels].sort((a, b) => b.share - a.share)[0].relevance);

  // The report issued before the model existed is unchanged and renders as it did.
  assert.equal(gaitlab(['report', '--id', before.json.id, '--out', join(dir, 'again.html'), '--db', db]).code, 0);
  assert.equal(sha256File(join(dir, 'again.html')), sha256File(join(dir, 'before.html')));
});

function query(db: string, modelId: string): { data_selection: string }[] {
  const conn = new Database(db, { readonly: true });
  try {
    return conn.prepare('SELECT data_selection FROM models WHERE id = ?').all(modelId) as { data_selection: string }[];
  } finally {
    conn.close();
  }
}
