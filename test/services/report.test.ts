// `gaitlab report` on real gaitpdb walks: the numbers are GaitLab's own parameters, the normal ranges are
// recomputed here from the controls' own figures, the PDF's text layer and pages are checked with poppler, the
// HTML loads nothing from anywhere, methods not run say so, and an issued report never changes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { dbFingerprint, gaitlab, sha256File, sharedData, tempDir } from '../helpers';

const CONTROLS = ['GaCo03_01', 'GaCo04_01', 'GaCo05_01'];

function lab(): { dir: string; db: string } {
  const dir = tempDir();
  const db = join(dir, 'g.db');
  const files = ['GaPt03_01', ...CONTROLS].map((f) => sharedData('gaitpdb', `${f}.txt.gz`));
  assert.equal(gaitlab(['import', ...files, sharedData('gaitpdb', 'demographics.txt'), '--db', db]).code, 0);
  for (const t of gaitlab(['trials', '--db', db, '--json']).json.trials) {
    if (t.subjectCode !== 'GaPt03') assert.equal(gaitlab(['cycles', t.id, '--extract', '--db', db]).code, 0);
  }
  return { dir, db };
}

const meanSd = (v: number[]) => {
  const m = v.reduce((a, b) => a + b, 0) / v.length;
  return { m, sd: Math.sqrt(v.reduce((a, b) => a + (b - m) ** 2, 0) / (v.length - 1)) };
};

test('a PDF report: GaitLab\'s parameters, normal ranges from the controls, every method section honest, research-use statement', () => {
  const { dir, db } = lab();
  const out = join(dir, 'report.pdf');
  const r = gaitlab(['report', '--subject', 'GaPt03', '--out', out, '--db', db, '--json']);
  assert.equal(r.code, 0, r.stderr);
  const report = r.json.report;
  const params = gaitlab(['params', 'GaPt03', '--db', db, '--json']).json;
  const strideLeft = params.parameters.find((p: any) => p.name === 'stride_time' && p.side === 'left');
  const row = report.parameters.find((p: any) => p.name === 'stride_time' && p.side === 'left');
  assert.equal(row.mean, strideLeft.mean.value);
  const controls = CONTROLS.map((c) => gaitlab(['params', c.slice(0, 6), '--db', db, '--json']).json.parameters.find((p: any) => p.name === 'stride_time' && p.side === 'left').mean.value as number);
  const { m, sd } = meanSd(controls);
  assert.ok(Math.abs(row.normal.low - (m - 2 * sd)) < 1e-12 && Math.abs(row.normal.high - (m + 2 * sd)) < 1e-12, 'normal range = mean ± 2 SD of the controls');
  assert.equal(row.normal.subjects, 3);
  assert.equal(row.outside, row.mean > row.normal.high ? 'high' : row.mean < row.normal.low ? 'low' : null);
  assert.equal(report.curves[0].reference.subjects, 3);
  assert.deepEqual(report.methods.map((x: any) => x.status), ['not-run', 'not-run', 'not-run', 'not-run']);
  assert.ok(report.methods.every((x: any) => x.howToRun.startsWith('gaitlab ')));

  const text = execFileSync('pdftotext', ['-layout', out, '-'], { encoding: 'utf8' });
  for (const s of [report.subject.id, 'Spatiotemporal parameters', 'Stride time', 'Gait curves', 'NOT RUN', 'Provenance', 'Research use only, not for diagnosis']) assert.ok(text.includes(s), s);
  assert.ok(!text.includes('GaPt03'), 'the header shows the pseudonym, not the source code');
  execFileSync('pdftoppm', ['-r', '40', '-png', out, join(dir, 'page')]);
  const pages = readdirSync(dir).filter((f) => f.startsWith('page') && f.endsWith('.png'));
  assert.ok(pages.length >= 2, `${pages.length} pages`);
  assert.ok(pages.every((p) => statSync(join(dir, p)).size > 5000), 'pages are drawn');
});

test('HTML is self-contained; an issued report is immutable and audited; bad requests store nothing', () => {
  const { dir, db } = lab();
  const first = gaitlab(['report', '--subject', 'GaPt03', '--out', join(dir, 'a.html'), '--db', db, '--json']);
  assert.equal(first.code, 0, first.stderr);
  const html = readFileSync(join(dir, 'a.html'), 'utf8');
  assert.ok(html.includes('Content-Security-Policy') && html.includes('Plotly.newPlot'));
  assert.doesNotMatch(html, /<(script|link|img|iframe)[^>]+(src|href)=/i, 'nothing loaded from a file or the network');

  // The same snapshot written again is the same file, even after the reference group changed.
  const id = first.json.id;
  assert.equal(gaitlab(['import', sharedData('gaitpdb', 'GaCo06_01.txt.gz'), '--db', db]).code, 0);
  const t = gaitlab(['trials', '--search', 'GaCo06', '--db', db, '--json']).json.trials[0];
  assert.equal(gaitlab(['cycles', t.id, '--extract', '--db', db]).code, 0);
  assert.equal(gaitlab(['report', '--id', id, '--out', join(dir, 'b.html'), '--db', db]).code, 0);
  assert.equal(sha256File(join(dir, 'b.html')), sha256File(join(dir, 'a.html')));
  const second = gaitlab(['report', '--subject', 'GaPt03', '--out', join(dir, 'c.html'), '--db', db, '--json']);
  assert.equal(second.json.report.curves[0].reference.subjects, 4, 'a new report sees the new control');
  assert.deepEqual(gaitlab(['reports', '--db', db, '--json']).json.reports.map((x: any) => x.id).sort(), [id, second.json.id].sort());

  const conn = new Database(db);
  assert.throws(() => conn.prepare("UPDATE reports SET content = '{}' WHERE id = ?").run(id), /an issued report cannot be changed/);
  const audited = conn.prepare("SELECT entity_id FROM audit_log WHERE action = 'create' AND entity = 'report'").all() as { entity_id: string }[];
  conn.close();
  assert.deepEqual(audited.map((a) => a.entity_id).sort(), [id, second.json.id].sort());
  assert.equal(gaitlab(['audit', 'verify', '--db', db]).code, 0);

  const before = dbFingerprint(db);
  for (const [args, pattern] of [[['--subject', 'nobody', '--out', join(dir, 'x.pdf')], /no subject nobody/], [['--subject', 'GaPt03', '--out', join(dir, 'x.docx')], /written as \.pdf or \.html/], [['--subject', 'GaPt03', '--session', 'visit-9', '--out', join(dir, 'x.pdf')], /has no visit visit-9/]] as const) {
    const bad = gaitlab(['report', ...args, '--db', db]);
    assert.equal(bad.code, 1);
    assert.match(bad.stderr, pattern);
    assert.equal(bad.stderr.trim().split('\n').length, 1, bad.stderr);
  }
  assert.equal(dbFingerprint(db), before, 'nothing stored');
  assert.ok(!existsSync(join(dir, 'x.pdf')));
});

test('with a SincPD model (quick settings) the PD section is filled: P(PD) over the subject\'s segments, labelled QUICK and in-sample', () => {
  const { dir, db } = lab();
  const trained = gaitlab(['train', 'sincpd', '--task', 'pd', '--epochs', '1', '--param', 'quick=true', '--db', db, '--json']);
  assert.equal(trained.code, 0, trained.stderr);
  const r = gaitlab(['report', '--subject', 'GaPt03', '--out', join(dir, 'pd.html'), '--db', db, '--json']);
  assert.equal(r.code, 0, r.stderr);
  const section = r.json.report.methods.find((m: any) => m.id === 'pd-severity');
  assert.equal(section.status, 'available');
  assert.equal(section.modelId, trained.json.model.id);
  const m = /P\(PD\) (\d\.\d\d) ± (\d\.\d\d) \(mean ± SD over (\d+) segments/.exec(section.summary);
  assert.ok(m, section.summary);
  assert.ok(Number(m[1]) >= 0 && Number(m[1]) <= 1 && Number(m[3]) >= 10, section.summary);
  assert.match(section.summary, /QUICK settings/);
  assert.match(section.summary, /in-sample: trained on these walks/);
});
