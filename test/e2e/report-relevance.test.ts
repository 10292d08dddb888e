// The report's relevance section in the app (Debian's Chromium against a real `gaitlab serve`): with a Horst model
// of the cohort's gait cycles (linear SVM, subject identification: quick, no schedule), the issued report page
// draws the relevance map over the subject's mean curves, one figure per channel with the most relevance: the
// curve's markers and the heat band under it carry the same relevance on one scale centred at 0, as the report
// model stores it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { ARTIFACTS, useBrowser } from './chromium';
import { gaitlab, sharedData, tempDir } from '../helpers';

const dir = tempDir();
const chrome = useBrowser();


interface Trace { type: string; z?: number[][]; zmin?: number; zmax?: number; marker?: { color?: number[]; cmin?: number; cmax?: number } }

test('issued report page: the Horst section with the relevance map coloured onto the subject\'s mean curves', async () => {
  const db = join(dir, 'r.db');
  const walks = ['GaPt03_01', 'GaCo03_01', 'GaCo04_01', 'GaCo05_01'].map((f) => sharedData('gaitpdb', `${f}.txt.gz`));
  assert.equal(gaitlab(['import', ...walks, sharedData('gaitpdb', 'demographics.txt'), '--db', db]).code, 0);
  const trained = gaitlab(['train', 'horst', '--model', 'linear-svm', '--task', 'subject', '--cohort', 'gaitpdb', '--db', db, '--json']);
  assert.equal(trained.code, 0, trained.stderr);
  const { page, problems } = await chrome.open(db);

  await page.click('[data-testid=subject-row]:has-text("GaPt03")');
  await page.waitForSelector('[data-testid=subject-reports]');
  await page.click('[data-testid=issue-report]');
  await page.waitForSelector('[data-testid=report-view]', { timeout: 90_000 });
  await page.waitForFunction(() => document.querySelectorAll('[data-testid=report-relevance][data-plot-state=ready] .main-svg').length > 0 && document.querySelectorAll('[data-testid=report-relevance][data-plot-state=ready]').length === 6, undefined, { timeout: 30_000 });
  const section = (await page.$$eval('[data-testid=report-method]', (els) => els.map((e) => e.textContent ?? ''))).find((t) => t.includes('Horst 2019'))!;
  assert.match(section, /^available/i);
  assert.match(section, new RegExp(`Model ${trained.json.model.id} \\(linear-svm, subject identification, 4 classes\\)`));
  assert.match(section, /Most relevant: [a-z -]+ \(\d+–\d+ % of the gait cycle\)/);

  // Each figure: the curve's markers and the heat band carry the same relevance, on one scale centred at 0.
  const figures = await page.$$eval('[data-testid=report-relevance] .js-plotly-plot', (els) => els.map((el) => (el as unknown as { data: Trace[] }).data));
  const scales = new Set<number>();
  for (const data of figures) {
    const markers = data.find((t) => t.type === 'scatter' && t.marker?.color)!;
    const band = data.find((t) => t.type === 'heatmap')!;
    assert.deepEqual(band.z![0], markers.marker!.color);
    assert.equal(band.zmin, -band.zmax!);
    assert.deepEqual([markers.marker!.cmin, markers.marker!.cmax], [band.zmin, band.zmax]);
    scales.add(band.zmax!);
  }
  assert.equal(scales.size, 1, 'one colour scale for every channel');
  // The scale is the largest |R| of the whole map (18 channels), so at least that of the six drawn.
  assert.ok([...scales][0] >= Math.max(...figures.flatMap((d) => d.find((t) => t.type === 'heatmap')!.z![0].map(Math.abs))));
  await page.screenshot({ path: join(ARTIFACTS, 'e2e-report-relevance.png'), fullPage: true });
  assert.deepEqual(problems, []);
  await page.close();
});
