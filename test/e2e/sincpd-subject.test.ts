// SincPD on the subject page, in Debian's Chromium against a real `gaitlab serve` on a real database: a QUICK
// SincPD model (labelled: 6 filters per sensor, 1 epoch per stage; wiring, not the method's figures) trained by the
// real command, then the subject page predicts the subject's stored walks and draws the PD probability with its
// spread over segments, the top filters' frequency responses and the foot map of the 8 sensors.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { gaitlab, sharedData, tempDir } from '../helpers';
import { query } from '../compute/grf-db';
import { ARTIFACTS, useBrowser } from './chromium';

const WALKS = ['GaCo01_01', 'GaCo02_01', 'GaPt03_01', 'GaPt04_01'];
const dir = tempDir();
const db = join(dir, 'sincpd-ui.db');
const chrome = useBrowser();

before(async () => {
  const imported = gaitlab(['import', sharedData('gaitpdb', 'demographics.txt'), ...WALKS.map((w) => sharedData('gaitpdb', `${w}.txt.gz`)), '--db', db, '--json']);
  assert.equal(imported.code, 0, imported.stderr);
  const trained = gaitlab(['train', 'sincpd', '--task', 'pd', '--protocol', 'segment', '--epochs', '1', '--param', 'quick=true', '--db', db, '--json']);
  assert.equal(trained.code, 0, trained.stderr);
});

test('the subject page predicts the subject\'s walks with the SincPD model: P(PD) ± spread, top filter responses, foot map', async () => {
  const subject = query<{ subject_id: string }>(db, "SELECT subject_id FROM subject_identity WHERE external_id = 'GaPt03'")[0].subject_id;
  const { page, problems } = await chrome.open(db, { viewport: { width: 1366, height: 1200 }, warnings: true });
  await page.goto(page.url().replace(/#.*$/, `#/subjects/${encodeURIComponent(subject)}`));
  await page.waitForSelector('[data-testid=sincpd-predict]', { timeout: 30_000 });
  await page.click('[data-testid=sincpd-predict]');
  await page.waitForSelector('[data-testid=sincpd-headline]', { timeout: 60_000 });
  assert.match((await page.textContent('[data-testid=sincpd-headline]'))!, /^P\(PD\) 0\.\d{3} ± 0\.\d{3} over 12 segments of 1 walk\(s\): (PD|control)$/);
  await page.waitForSelector('[data-testid=sincpd-responses] .main-svg', { timeout: 30_000 });
  await page.waitForSelector('[data-testid=sincpd-foot] .main-svg', { timeout: 30_000 });
  // The foot map: two traces (left, right) of 8 sensors each.
  assert.equal(await page.locator('[data-testid=sincpd-foot] .scatterlayer .trace').count(), 2);
  assert.ok(await page.locator('[data-testid=sincpd-responses] .scatterlayer .trace').count() >= 1);
  await page.locator('[data-testid=sincpd-panel]').screenshot({ path: join(ARTIFACTS, 'e2e-sincpd-subject.png') });
  // The explanation is the one the training job kept with the model.
  assert.match((await page.textContent('[data-testid=sincpd-explanation-provenance]'))!, /^Explanation kept with the model, computed \S+ \(training\)\.$/);
  assert.equal(await page.locator('[data-testid=sincpd-explanation-recompute]').count(), 0, 'no recompute offered while the walks are unchanged');
  // A walk it read excluded (not the subject's own): the panel says so, keeps the kept values, and recomputes on request.
  const read = query<{ t: string }>(db, "SELECT json_extract(inputs, '$.trials') AS t FROM method_runs WHERE role = 'model-analyses' ORDER BY id DESC LIMIT 1")[0];
  const own = new Set(query<{ id: string }>(db, 'SELECT t.id FROM trials t JOIN sessions se ON se.id = t.session_id WHERE se.subject_id = ?', subject).map((r) => r.id));
  const other = (JSON.parse(read.t) as { trialId: string }[]).map((x) => x.trialId).find((id) => !own.has(id))!;
  assert.ok(other, read.t);
  assert.equal(gaitlab(['trial', 'exclude', other, '--reason', 'e2e', '--db', db]).code, 0);
  await page.click('[data-testid=sincpd-predict]');
  await page.waitForSelector('[data-testid=sincpd-explanation-recompute]', { timeout: 60_000 });
  assert.match((await page.textContent('[data-testid=sincpd-explanation-provenance]'))!, /^NOTE: this explanation was computed on \S+ on data version \S+; the walks it read changed since .*Recompute it: gaitlab explain M-\S+ --recompute$/);
  await page.click('[data-testid=sincpd-explanation-recompute]');
  await page.waitForSelector('[data-testid=sincpd-explanation-recompute]', { state: 'detached', timeout: 60_000 });
  assert.match((await page.textContent('[data-testid=sincpd-explanation-provenance]'))!, /^Explanation kept with the model, computed \S+ \(recompute\)\.$/);
  assert.deepEqual(problems, []);
  await page.close();
});
