// A progress report in the app, in Debian's Chromium against a real `gaitlab serve`: one visit compared with an
// earlier one draws the earlier visit's curves beside the current ones, named with its date in the plot's legend;
// the SincPD section says plainly that no PD model exists and how to train one.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { ARTIFACTS, useBrowser } from './chromium';
import { gaitlab, sharedData, tempDir } from '../helpers';

const dir = tempDir();
const chrome = useBrowser();


test('subject → Visit 2 compared with Visit 1 → Issue report: the compared curves are dashed and named with the visit\'s date', async () => {
  const db = join(dir, 'c.db');
  for (const [walk, visit] of [['GaPt07_01', 'Visit 1'], ['GaPt07_02', 'Visit 2']]) {
    assert.equal(gaitlab(['import', sharedData('gaitpdb', `${walk}.txt.gz`), '--session', visit, '--db', db]).code, 0);
  }
  const sessions = gaitlab(['subject', 'GaPt07', '--db', db, '--json']).json.sessions as { id: string; key: string }[];
  const id = (key: string) => sessions.find((s) => s.key === key)!.id;
  assert.equal(gaitlab(['session', 'edit', id('Visit 1'), '--date', '2025-09-01', '--db', db]).code, 0);

  const { page, problems } = await chrome.open(db);

  await page.click('[data-testid=subject-row]:has-text("GaPt07")');
  await page.waitForSelector('[data-testid=subject-reports]');
  await page.selectOption('[data-testid=report-session]', id('Visit 2'));
  await page.selectOption('[data-testid=report-compare]', id('Visit 1'));
  await page.click('[data-testid=issue-report]');
  await page.waitForSelector('[data-testid=report-view]', { timeout: 60_000 });
  await page.waitForFunction(() => document.querySelectorAll('[data-testid=report-curve] .main-svg').length > 0, undefined, { timeout: 30_000 });

  assert.equal(await page.textContent('[data-testid=report-compared-visit]'), 'Dashed: the compared visit, Visit 1 (2025-09-01).');
  const legend = await page.$$eval('[data-testid=report-curve] .legendtext', (els) => els.map((e) => e.textContent ?? ''));
  for (const side of ['left', 'right']) {
    assert.ok(legend.some((t) => new RegExp(`^Visit 1 \\(2025-09-01\\): ${side} mean ± SD \\(\\d+ cycles\\)$`).test(t)), `${side} in ${legend.join(' | ')}`);
  }
  const dashed = await page.$$eval('[data-testid=report-curve] .scatterlayer .js-line', (els) => els.filter((e) => /stroke-dasharray/.test(e.getAttribute('style') ?? '')).length);
  assert.equal(dashed, 2, 'one dashed mean per side of the compared visit');
  const sinc = (await page.textContent('[data-testid=report-sinc-evidence]'))!;
  assert.match(sinc, /Sinc filters and sensors that carried the evidence/);
  assert.match(sinc, /not run.*No SincPD model of the PD task has been trained/);
  await page.screenshot({ path: join(ARTIFACTS, 'e2e-report-compare.png'), fullPage: true });
  assert.deepEqual(problems, []);
  await page.close();
});
