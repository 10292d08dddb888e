// The feature dictionary and "walks like this one" in Debian's Chromium (browser mode as a user starts it), on the
// six-walk demo cohort with an SAE trained on its gait cycles. QUICK SETTINGS: 5 epochs. A model's page shows the
// summary, the t-SNE and PCA maps (one point per subject, a trace per group; recoloured by k-means cluster and by
// age), the strongest metadata correlations as the CLI gives them, and feature cards with an activation histogram,
// a 101-point atom, correlations, the subjects and cycles that fire it most and the top cycle's reconstruction; a
// subject page lists its nearest subjects with groups and shared features, the same as the API answers; no console
// errors.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { chromium, type Browser } from 'playwright-core';
import { REPO, gaitlab, tempDir } from '../helpers';

const ARTIFACTS = join(REPO, 'test-artifacts');
const dir = tempDir();
let browser: Browser;
let server: ChildProcess;

before(async () => {
  assert.ok(existsSync(join(REPO, 'dist', 'renderer', 'index.html')), 'the renderer is not built: npm run build');
  mkdirSync(ARTIFACTS, { recursive: true });
  browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking'] });
});
after(async () => {
  await browser?.close();
  server?.kill('SIGTERM');
});

test('SAE model page: dictionary cards with atoms and top cycles, the latent map by group; subject page: walks like this one', async () => {
  const db = join(dir, 'demo.db');
  assert.equal(gaitlab(['demo', '--db', db, '--json']).code, 0);
  const trained = gaitlab(['train', 'sae', '--cohort', 'gaitpdb', '--epochs', '5', '--db', db, '--json']);
  assert.equal(trained.code, 0, trained.stderr);
  const modelId = trained.json.model.id as string;
  const subjects = gaitlab(['subjects', '--db', db, '--json']).json.subjects as { id: string; group: string }[];
  const patient = subjects.find((s) => s.group === 'PD')!;
  const expected = gaitlab(['akin', modelId, '--subject', patient.id, '--k', '5', '--db', db, '--json']).json as { neighbours: { subject: string; group: string; shared: { feature: number }[] }[] };

  server = spawn(process.execPath, [join(REPO, 'bin', 'gaitlab.cjs'), 'serve', '--db', db, '--json'], { stdio: ['ignore', 'pipe', 'inherit'] });
  const url = JSON.parse(await new Promise<string>((resolve, reject) => {
    createInterface({ input: server.stdout! }).once('line', resolve);
    server.once('exit', (code) => reject(new Error(`gaitlab serve exited with ${code}`)));
  })).server.url as string;
  const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
  const problems: string[] = [];
  page.on('console', (m) => { if (m.type() === 'error' || m.type() === 'warning') problems.push(`console.${m.type()}: ${m.text()}`); });
  page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
  await page.goto(url);
  await page.evaluate((id) => { window.location.hash = `#/models/${id}`; }, modelId);

  const summary = await page.waitForSelector('[data-testid=dictionary-summary]', { timeout: 60_000 });
  const rowsLine = (await page.textContent('[data-testid=model-cycle-rows]'))!;
  const samples = Number(/^ · (\d+) gait cycles, each side a row, in ×BW$/.exec(rowsLine)?.[1]);
  assert.ok(samples > 500, rowsLine);
  assert.match((await summary.textContent())!, new RegExp(`^100 features over ${samples} gait cycles`));
  assert.match((await summary.textContent())!, /^100 features over \d+ gait cycles \(each side a sample\); mean firing rate 0\.\d{3} \(Kalam 2025: ≈ 0\.07\); \d+ dead$/);
  // The analyses were stored by the training job: the page says when, and on which data version.
  const stored = gaitlab(['features', modelId, '--db', db, '--json']).json as { analyses: { computedAt: string; dataVersion: string; trigger: string } };
  assert.equal(stored.analyses.trigger, 'training');
  assert.equal(await page.textContent('[data-testid=analyses-provenance]'),
    `Analyses of ${samples} samples, computed ${stored.analyses.computedAt} (training) on data version ${stored.analyses.dataVersion}; the cohort's data is unchanged since.`);
  await page.waitForSelector('[data-testid=sae-correlations]', { timeout: 60_000 });
  const cards = await page.$$eval('[data-testid=feature-card]', (els) => els.map((e) => ({
    index: Number(e.getAttribute('data-feature')),
    atom: e.querySelector('[data-testid=feature-atom] path.atom')?.getAttribute('d') ?? '',
    top: Array.from(e.querySelectorAll('[data-testid=feature-top] li a')).map((a) => a.getAttribute('href')),
    histogramTotal: Number(e.querySelector('[data-testid=feature-histogram]')?.getAttribute('data-total')),
    bars: e.querySelectorAll('[data-testid=feature-histogram] rect').length,
    detail: Array.from(e.querySelectorAll('[data-testid=feature-top-detail] path')).map((p) => p.getAttribute('class')),
    correlations: Array.from(e.querySelectorAll('[data-testid=feature-correlations] li')).map((li) => li.textContent),
    firedBy: Array.from(e.querySelectorAll('[data-testid=feature-subjects] a')).map((a) => a.getAttribute('href')),
  })));
  assert.equal(cards.length, 12, 'the first 12 live features by variance share');
  for (const c of cards) {
    assert.equal((c.atom.match(/[ML]/g) ?? []).length, 101, 'the atom is drawn over 101 points');
    assert.ok(c.top.length >= 1 && c.top.every((h) => subjects.some((s) => h === `#/subjects/${s.id}`)));
    // The histogram counts every sample once (a bar for the zeros, 20 bins for the rest).
    assert.equal(c.histogramTotal, samples);
    assert.equal(c.bars, 21);
    assert.deepEqual(c.detail, ['top-cycle', 'reconstruction', 'contribution'], 'the top cycle with its reconstruction and the feature contribution');
    assert.ok(c.firedBy.length >= 1 && c.firedBy.every((h) => subjects.some((s) => h === `#/subjects/${s.id}`)));
  }
  // Correlations on the page are the CLI's: the strongest row of the table, and each card's strongest pairs.
  const features = gaitlab(['features', modelId, '--db', db, '--json']).json as { correlations: { feature: number; attribute: string; r: number; ciLow: number; ciHigh: number; unstable: boolean }[] };
  const attributes = new Set(features.correlations.map((c) => c.attribute));
  for (const a of ['age', 'height', 'body weight', 'sex (male = 1)', 'group = PD']) assert.ok(attributes.has(a), `correlated with ${a}`);
  const firstRow = await page.$$eval('[data-testid=sae-correlations] tbody tr:first-child td', (tds) => tds.map((td) => td.textContent));
  const best = features.correlations[0];
  assert.deepEqual(firstRow.slice(0, 4), [`#${best.feature}`, best.attribute, best.r.toFixed(3), `[${best.ciLow.toFixed(3)}, ${best.ciHigh.toFixed(3)}]${best.unstable ? ' (unstable)' : ''}`]);
  for (const c of cards) {
    const mine = features.correlations.filter((x) => x.feature === c.index).slice(0, 2);
    assert.deepEqual(c.correlations.map((t) => t!.split(':')[0]), mine.map((x) => x.attribute));
  }
  const more = await page.$('[data-testid=dictionary-show-all]');
  if (more) {
    await more.click();
    assert.ok((await page.$$('[data-testid=feature-card]')).length > 12);
  }

  await page.waitForSelector('[data-testid=latent-map-plot][data-plot-state=ready]', { timeout: 60_000 });
  assert.equal(await page.getAttribute('[data-testid=latent-map]', 'data-points'), '6');
  const traces = await page.$$eval('[data-testid=latent-map-plot] .scatterlayer .trace', (els) => els.map((e) => e.querySelectorAll('.point').length));
  assert.deepEqual(traces, [3, 3], 'one trace per group (PD, control), three subjects each');
  const legend = await page.$$eval('[data-testid=latent-map-plot] .legendtext', (els) => els.map((e) => e.textContent));
  assert.deepEqual(legend, ['PD', 'control']);
  // PCA beside t-SNE, the same subjects by group; k-means clusters and a metadata attribute as colours.
  await page.waitForSelector('[data-testid=latent-pca-plot][data-plot-state=ready]', { timeout: 60_000 });
  assert.deepEqual(await page.$$eval('[data-testid=latent-pca-plot] .scatterlayer .trace', (els) => els.map((e) => e.querySelectorAll('.point').length)), [3, 3]);
  const note = (await page.textContent('[data-testid=latent-map-note]'))!;
  const k = Number(/k-means on the full codes: k = (\d+) by the largest mean silhouette/.exec(note)?.[1]);
  assert.ok(k >= 2 && k <= 5, note);
  await page.selectOption('[data-testid=latent-map-colour]', 'cluster');
  await page.waitForFunction((n) => Array.from(document.querySelectorAll('[data-testid=latent-pca-plot] .legendtext')).filter((e) => e.textContent?.startsWith('cluster ')).length === n, k, { timeout: 30_000 });
  const clusterPoints = await page.$$eval('[data-testid=latent-pca-plot] .scatterlayer .trace', (els) => els.map((e) => e.querySelectorAll('.point').length));
  assert.equal(clusterPoints.length, k);
  assert.equal(clusterPoints.reduce((a, b) => a + b, 0), 6);
  await page.selectOption('[data-testid=latent-map-colour]', 'age');
  await page.waitForFunction(() => document.querySelectorAll('[data-testid=latent-map-plot] .scatterlayer .trace').length === 1, undefined, { timeout: 30_000 });
  assert.equal(await page.$$eval('[data-testid=latent-map-plot] .scatterlayer .trace .point', (els) => els.length), 6, 'every demo subject has an age');
  await page.selectOption('[data-testid=latent-map-colour]', 'group');
  await page.screenshot({ path: join(ARTIFACTS, 'sae-dictionary.png'), fullPage: true });

  await page.evaluate((id) => { window.location.hash = `#/subjects/${id}`; }, patient.id);
  await page.waitForSelector('[data-testid=akin-table]', { timeout: 60_000 });
  const rows = await page.$$eval('[data-testid=akin-row]', (els) => els.map((e) => Array.from(e.querySelectorAll('td')).map((td) => td.textContent)));
  assert.equal(rows.length, 5);
  assert.deepEqual(rows.map((r) => r[0]), expected.neighbours.map((n) => n.subject));
  assert.deepEqual(rows.map((r) => r[1]), expected.neighbours.map((n) => n.group));
  assert.deepEqual(rows.map((r) => r[3]), expected.neighbours.map((n) => (n.shared.length ? n.shared.map((s) => `#${s.feature}`).join(', ') : 'none active in both')));
  assert.ok(rows.every((r) => r[0] !== patient.id));
  // The neighbours' mean cycles against this subject's: one line each, the subject's last and named.
  await page.waitForSelector('[data-testid=akin-plot][data-plot-state=ready]', { timeout: 60_000 });
  const akinLegend = await page.$$eval('[data-testid=akin-plot] .legendtext', (els) => els.map((e) => e.textContent));
  assert.equal(akinLegend.length, 6);
  assert.equal(akinLegend[5], 'this subject (PD)');
  assert.equal(await page.$$eval('[data-testid=akin-plot] .scatterlayer .trace', (els) => els.length), 6);
  await page.screenshot({ path: join(ARTIFACTS, 'sae-walks-like-this.png'), fullPage: true });

  // The cohort changes (a walk excluded): the model page says the analyses are of the old data and recomputes on request.
  const walk = (gaitlab(['trials', '--db', db, '--json']).json.trials as { id: string }[])[0].id;
  assert.equal(gaitlab(['trial', 'exclude', walk, '--reason', 'e2e: stale analyses', '--db', db, '--json']).code, 0);
  await page.evaluate((id) => { window.location.hash = `#/models/${id}`; }, modelId);
  await page.waitForSelector('[data-testid=analyses-recompute]', { timeout: 60_000 });
  assert.match((await page.textContent('[data-testid=analyses-provenance]'))!, /the cohort's data changed since .*Recompute them: gaitlab features M-\S+ --recompute/);
  await page.click('[data-testid=analyses-recompute]');
  await page.waitForFunction(() => /\(recompute\) on data version/.test(document.querySelector('[data-testid=analyses-provenance]')?.textContent ?? ''), undefined, { timeout: 120_000 });
  const after = gaitlab(['features', modelId, '--db', db, '--json']).json as { samples: number; analyses: { trigger: string; current: boolean } };
  assert.equal(after.analyses.trigger, 'recompute');
  assert.equal(after.analyses.current, true);
  assert.ok(after.samples < samples, `${after.samples} samples without the excluded walk (${samples} before)`);
  assert.match((await page.textContent('[data-testid=dictionary-summary]'))!, new RegExp(`^100 features over ${after.samples} gait cycles`));
  assert.deepEqual(problems, []);
});
