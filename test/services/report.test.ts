// `gaitlab report` on real gaitpdb walks: the numbers are GaitLab's own parameters, the normal ranges are
// recomputed here from the controls' own figures, the PDF's text layer and pages are checked with poppler, the
// HTML loads nothing from anywhere, methods not run say so, and an issued report never changes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { dbFingerprint, gaitlab, sha256File, sharedData, tempDir } from '../helpers';
import { reportModel } from '../../src-shared/report/model';
import { renderReportHtml } from '../../src-main/report/render-html';
import { closePdfBrowser, reportPdf } from '../../src-main/report/render-pdf';

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
  const pdEvidence = report.methods.find((x: any) => x.id === 'pd-severity').sincEvidence;
  assert.equal(pdEvidence.status, 'not-run');
  assert.match(pdEvidence.howToRun, /^gaitlab train sincpd --task pd/);
  assert.deepEqual([pdEvidence.filters, pdEvidence.sensors], [[], []]);
  assert.equal(report.compare, null);
  assert.ok(report.curves.every((c: any) => c.compare === undefined), 'no compared visit, no compared curves');

  const text = execFileSync('pdftotext', ['-layout', out, '-'], { encoding: 'utf8' });
  for (const s of [report.subject.id, 'Spatiotemporal parameters', 'Stride time', 'Gait curves', 'NOT RUN', 'Provenance', 'Research use only, not for diagnosis']) assert.ok(text.includes(s), s);
  assert.ok(!text.includes('GaPt03'), 'the header shows the pseudonym, not the source code');
  execFileSync('pdftoppm', ['-r', '40', '-png', out, join(dir, 'page')]);
  const pages = readdirSync(dir).filter((f) => f.startsWith('page') && f.endsWith('.png'));
  assert.ok(pages.length >= 2, `${pages.length} pages`);
  assert.ok(pages.every((p) => statSync(join(dir, p)).size > 5000), 'pages are drawn');
});

test('a record id never breaks across lines in the PDF, wherever the line ends', async () => {
  const { dir, db } = lab();
  const r = gaitlab(['report', '--subject', 'GaPt03', '--out', join(dir, 'r.html'), '--db', db, '--json']);
  assert.equal(r.code, 0, r.stderr);
  // One id after a growing prefix: across 120 offsets, some land the id's hyphen at the end of a line.
  const ids = ['S-WXBFVWG2', 'T-0123ABCD', 'SE-7KQ2M9XC', 'M-ZZZZZZZZ'];
  const words = Array.from({ length: 120 }, (_, i) => `${'x'.repeat(i % 11 + 1)} ${ids[i % ids.length]}`);
  const model = reportModel.parse(r.json.report);
  model.methods[0].summary = words.join(' ');
  const pdf = join(dir, 'ids.pdf');
  try {
    writeFileSync(pdf, await reportPdf(model, r.json.id));
  } finally {
    await closePdfBrowser();
  }
  const raw = execFileSync('pdftotext', [pdf, '-'], { encoding: 'utf8' });
  const found = (raw.match(/\b[A-Z]{1,2}-[0-9A-Z]{8}\b/g) ?? []).filter((id) => ids.includes(id)).length;
  const broken = raw.match(/\b[A-Z]{1,2}-\n/g) ?? [];
  assert.deepEqual(broken, [], 'an id split at its hyphen');
  assert.ok(found >= 120, `${found} whole ids of the 120 in the summary`);
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

  // The filters and sensors are the model's own explanation, as `gaitlab explain` gives it.
  const evidence = section.sincEvidence;
  assert.equal(evidence.status, 'available', evidence.summary);
  assert.equal(evidence.modelId, trained.json.model.id);
  const explained = gaitlab(['explain', trained.json.model.id, '--db', db, '--json']);
  assert.equal(explained.code, 0, explained.stderr);
  const e = explained.json.explanation;
  const top = [...e.filters].sort((a: any, b: any) => a.rank - b.rank).slice(0, 3);
  assert.deepEqual(evidence.filters.map((f: any) => [f.rank, f.sensor, f.filter, f.f1Hz, f.f2Hz, f.aliased, f.deltaE]), top.map((f: any) => [f.rank, f.sensor, f.filter, f.f1Hz, f.f2Hz, f.aliased, f.deltaE]));
  assert.deepEqual(evidence.filters.map((f: any) => f.measuredBandsHz), top.map((f: any) => f.measuredBandsHz));
  assert.deepEqual(evidence.filters.map((f: any) => f.rank), [1, 2, 3]);
  const total = e.sensors.reduce((a: number, x: any) => a + x.sumAbsDeltaE, 0);
  assert.equal(evidence.sensors.length, 8);
  for (const s of evidence.sensors) {
    const own = e.sensors.find((x: any) => x.sensor === s.sensor);
    assert.equal(s.rank, own.rank);
    assert.ok(Math.abs(s.share - own.sumAbsDeltaE / total) < 1e-12, `sensor ${s.sensor} share`);
    assert.equal(s.channel, `L${s.sensor}−R${s.sensor}`);
  }
  assert.ok(Math.abs(evidence.sensors.reduce((a: number, x: any) => a + x.share, 0) - 1) < 1e-9, 'the shares add up to 1');
  assert.deepEqual(evidence.sensors.map((x: any) => x.rank), [1, 2, 3, 4, 5, 6, 7, 8], 'strongest first');
  assert.match(evidence.summary, new RegExp(`on ${explained.json.segments.n} segments`));

  const html = readFileSync(join(dir, 'pd.html'), 'utf8');
  assert.ok(html.includes('Sinc filters and sensors that carried the evidence'));
  const f1 = evidence.filters[0];
  assert.ok(html.includes(`${f1.channel} ${f1.region}`), 'the top filter\'s sensor pair is named');
  assert.equal((html.match(/<span class="flag">aliased<\/span>/g) ?? []).length, evidence.filters.filter((f: any) => f.aliased).length, 'aliased filters flagged, and only they');
  assert.ok(html.includes('share of Σ|ΔE| over all filters (%)'), 'the share figure is drawn');
  // A filter whose band folds over the Nyquist frequency is flagged in its row (this quick model may have none).
  const folded = JSON.parse(JSON.stringify(r.json.report));
  const pd = folded.methods.find((x: any) => x.id === 'pd-severity');
  pd.sincEvidence.filters = pd.sincEvidence.filters.map((f: any) => ({ ...f, aliased: f.rank === 2 }));
  const rows = renderReportHtml(reportModel.parse(folded), r.json.id).split('<tr>').filter((t) => t.includes('<span class="flag">aliased</span>'));
  assert.equal(rows.length, 1);
  assert.match(rows[0], /^<td class="num">2<\/td>/);
});

test('a compared visit: its curves are the mean ± SD of its own clean cycles, dashed and named with its date in the HTML and PDF legend; older reports still render', () => {
  // GaPt07's two walks as two visits of one subject (gaitpdb's _01/_02 numbering), dated as a lab would.
  const dir = tempDir();
  const db = join(dir, 'v.db');
  for (const [walk, visit] of [['GaPt07_01', 'Visit 1'], ['GaPt07_02', 'Visit 2']]) {
    assert.equal(gaitlab(['import', sharedData('gaitpdb', `${walk}.txt.gz`), '--session', visit, '--db', db]).code, 0);
  }
  const sessions = gaitlab(['subject', 'GaPt07', '--db', db, '--json']).json.sessions;
  const byKey = new Map<string, any>(sessions.map((s: any) => [s.key, s]));
  assert.equal(gaitlab(['session', 'edit', byKey.get('Visit 1').id, '--date', '2025-09-01', '--db', db]).code, 0);
  assert.equal(gaitlab(['session', 'edit', byKey.get('Visit 2').id, '--date', '2026-03-02', '--db', db]).code, 0);

  const out = join(dir, 'progress.pdf');
  const r = gaitlab(['report', '--subject', 'GaPt07', '--session', 'Visit 2', '--compare', 'Visit 1', '--out', out, '--db', db, '--json']);
  assert.equal(r.code, 0, r.stderr);
  const report = r.json.report;
  assert.deepEqual([report.visit.label, report.compare.label, report.compare.date], ['Visit 2', 'Visit 1', '2025-09-01']);

  // The compared visit's own cycles, as `gaitlab cycles` gives them (extracted by the report).
  const visitCycles = (visit: string) => gaitlab(['cycles', byKey.get(visit).trials[0].id, '--db', db, '--json']).json.cycles
    .filter((c: any) => c.kind === 'gait_cycle' && c.flags.length === 0);
  const before = visitCycles('Visit 1');
  const after = visitCycles('Visit 2');
  const panel = report.curves.find((c: any) => c.channels.left === 'L_total' && c.channels.right === 'R_total');
  assert.ok(panel, report.curves.map((c: any) => c.title).join(', '));
  assert.equal(panel.compare.visit, 'Visit 1 (2025-09-01)');
  for (const side of ['left', 'right'] as const) {
    const own = before.filter((c: any) => c.channel === panel.channels[side] && c.side === side).map((c: any) => c.curve as number[]);
    assert.equal(panel.compare[side].n, own.length);
    assert.ok(own.length > 30, `${own.length} ${side} cycles`);
    const mean = own[0].map((_: number, k: number) => own.reduce((a: number, c: number[]) => a + c[k], 0) / own.length);
    const sd = mean.map((m: number, k: number) => Math.sqrt(own.reduce((a: number, c: number[]) => a + (c[k] - m) ** 2, 0) / (own.length - 1)));
    assert.equal(panel.compare[side].mean.length, 101);
    assert.ok(panel.compare[side].mean.every((v: number, k: number) => Math.abs(v - mean[k]) < 1e-9), `${side}: the compared mean is the mean of Visit 1's own cycles`);
    assert.ok(panel.compare[side].sd.every((v: number, k: number) => Math.abs(v - sd[k]) < 1e-9), `${side}: and its SD`);
    // The visit's own curves are Visit 2's: a different walk, a different mean.
    const now = after.filter((c: any) => c.channel === panel.channels[side] && c.side === side);
    assert.equal(panel[side].n, now.length);
    assert.notDeepEqual(panel[side].mean, panel.compare[side].mean);
  }

  const text = execFileSync('pdftotext', ['-layout', out, '-'], { encoding: 'utf8' });
  for (const s of ['Compared with Visit 1 (2025-09-01)', 'Dashed: the compared visit, Visit 1 (2025-09-01).',
    `Visit 1 (2025-09-01): left mean ± SD (${panel.compare.left.n} cycles)`, `Visit 1 (2025-09-01): right mean ± SD (${panel.compare.right.n} cycles)`]) assert.ok(text.includes(s), s);
  const html = join(dir, 'progress.html');
  assert.equal(gaitlab(['report', '--id', r.json.id, '--out', html, '--db', db]).code, 0);
  const page = readFileSync(html, 'utf8');
  assert.ok(page.includes('Dashed: the compared visit, Visit 1 (2025-09-01).'));
  assert.ok(page.includes(`"name":"Visit 1 (2025-09-01): left mean ± SD (${panel.compare.left.n} cycles)"`), 'the legend entry is in the figure');

  // A report issued before these fields existed (no compared curves, no SincPD evidence) still reads and renders.
  const old = JSON.parse(JSON.stringify(report));
  for (const c of old.curves) delete c.compare;
  for (const m of old.methods) delete m.sincEvidence;
  const parsed = reportModel.parse(old);
  const oldHtml = renderReportHtml(parsed, 'R-OLD00000');
  assert.ok(oldHtml.includes('Compared with') && !oldHtml.includes('Dashed: the compared visit') && !oldHtml.includes('Sinc filters and sensors'));
});
