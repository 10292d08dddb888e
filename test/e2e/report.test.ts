// From the subject list to an issued report to its PDF, in Debian's Chromium against a real `gaitlab serve`:
// the report page draws the curves and says which methods were not run; the saved PDF's text layer holds the
// pseudonym and the research-use statement.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { ARTIFACTS, useBrowser } from './chromium';
import { gaitlab, sharedData, tempDir } from '../helpers';

const dir = tempDir();
const chrome = useBrowser();


test('subject list → subject → Issue report → report page → Save as PDF; the cohort export wizard', async () => {
  const db = join(dir, 'r.db');
  const walks = ['GaPt03_01', 'GaCo03_01', 'GaCo04_01', 'GaCo05_01'].map((f) => sharedData('gaitpdb', `${f}.txt.gz`));
  assert.equal(gaitlab(['import', ...walks, '--db', db]).code, 0);
  for (const t of gaitlab(['trials', '--db', db, '--json']).json.trials) assert.equal(gaitlab(['cycles', t.id, '--extract', '--db', db]).code, 0);
  const { page, problems } = await chrome.open(db, { acceptDownloads: true });

  await page.click('[data-testid=subject-row]:has-text("GaPt03")');
  await page.waitForSelector('[data-testid=subject-reports]');
  await page.click('[data-testid=issue-report]');
  await page.waitForSelector('[data-testid=report-view]', { timeout: 60_000 });
  await page.waitForFunction(() => document.querySelectorAll('[data-testid=report-curve] .main-svg').length > 0, undefined, { timeout: 30_000 });
  const methods = await page.$$eval('[data-testid=report-method]', (els) => els.map((e) => e.textContent ?? ''));
  assert.equal(methods.length, 4);
  assert.ok(methods.every((m) => /not run/i.test(m) && /gaitlab /.test(m)), 'each method section says it was not run and how to run it');
  assert.match((await page.textContent('[data-testid=report-parameters]'))!, /Stride time/);
  await page.screenshot({ path: join(ARTIFACTS, 'e2e-report.png'), fullPage: true });

  const [download] = await Promise.all([page.waitForEvent('download', { timeout: 60_000 }), page.click('[data-testid=report-save-pdf]')]);
  const pdf = join(dir, download.suggestedFilename());
  await download.saveAs(pdf);
  assert.match(download.suggestedFilename(), /^S-[0-9A-Z]{8}_R-[0-9A-F]{8}\.pdf$/);
  const text = execFileSync('pdftotext', [pdf, '-'], { encoding: 'utf8' });
  assert.ok(text.includes(download.suggestedFilename().slice(0, 10)), 'the PDF names the pseudonym');
  assert.match(text, /Research use only, not for diagnosis/);

  await page.click('[data-testid=nav-reports]');
  await page.waitForSelector('[data-testid=reports-page] table');

  // The cohort export wizard: a filter previewed live, then the files written and listed.
  await page.click('[data-testid=nav-export]');
  await page.fill('[data-testid=export-filter]', 'group=PD');
  await page.waitForFunction(() => /^1 subjects, 1 visits, 1 trials/.test(document.querySelector('[data-testid=export-preview]')?.textContent ?? ''));
  const out = join(dir, 'pd-export');
  await page.fill('[data-testid=export-out]', out);
  await page.click('[data-testid=export-run]');
  await page.waitForSelector('[data-testid=export-result]', { timeout: 60_000 });
  assert.match((await page.textContent('[data-testid=export-result]'))!, /cycles\.csv.*parameters\.csv.*data-dictionary\.csv/s);
  assert.ok(existsSync(join(out, 'cycles.csv')));
  await page.screenshot({ path: join(ARTIFACTS, 'e2e-export.png'), fullPage: true });
  assert.deepEqual(problems, []);
  await page.close();
});
