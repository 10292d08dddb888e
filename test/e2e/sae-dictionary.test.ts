// The feature dictionary and "walks like this one" in Debian's Chromium (browser mode as a user starts it), on the
// six-walk demo cohort with an SAE trained on its gait cycles. QUICK SETTINGS: 5 epochs. A model's page shows the
// summary, the t-SNE map (one point per subject, a trace per group) and feature cards whose atom is a 101-point
// curve and whose top cycles link to subjects; a subject page lists its nearest subjects with groups and shared
// features, the same as the API answers; no console errors.
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
  const cards = await page.$$eval('[data-testid=feature-card]', (els) => els.map((e) => ({
    atom: e.querySelector('[data-testid=feature-atom] path.atom')?.getAttribute('d') ?? '',
    top: Array.from(e.querySelectorAll('[data-testid=feature-top] li a')).map((a) => a.getAttribute('href')),
  })));
  assert.equal(cards.length, 12, 'the first 12 live features by variance share');
  for (const c of cards) {
    assert.equal((c.atom.match(/[ML]/g) ?? []).length, 101, 'the atom is drawn over 101 points');
    assert.ok(c.top.length >= 1 && c.top.every((h) => subjects.some((s) => h === `#/subjects/${s.id}`)));
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
  await page.screenshot({ path: join(ARTIFACTS, 'sae-dictionary.png'), fullPage: true });

  await page.evaluate((id) => { window.location.hash = `#/subjects/${id}`; }, patient.id);
  await page.waitForSelector('[data-testid=akin-table]', { timeout: 60_000 });
  const rows = await page.$$eval('[data-testid=akin-row]', (els) => els.map((e) => Array.from(e.querySelectorAll('td')).map((td) => td.textContent)));
  assert.equal(rows.length, 5);
  assert.deepEqual(rows.map((r) => r[0]), expected.neighbours.map((n) => n.subject));
  assert.deepEqual(rows.map((r) => r[1]), expected.neighbours.map((n) => n.group));
  assert.deepEqual(rows.map((r) => r[3]), expected.neighbours.map((n) => (n.shared.length ? n.shared.map((s) => `#${s.feature}`).join(', ') : 'none active in both')));
  assert.ok(rows.every((r) => r[0] !== patient.id));
  await page.screenshot({ path: join(ARTIFACTS, 'sae-walks-like-this.png'), fullPage: true });
  assert.deepEqual(problems, []);
});
