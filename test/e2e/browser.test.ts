// End to end in Debian's Chromium: browser mode started as a user starts it, the UI driven as a user
// drives it. Screenshots are kept in test-artifacts/.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { REPO, gaitlab, sharedData, tempDir } from '../helpers';
import { ARTIFACTS, useBrowser } from './chromium';
import { formats } from '../../src-main/formats/registry';
import { removedItems } from '../../src-shared/domain/deletion-plan';

const dir = tempDir();
const chrome = useBrowser();
/** Every page of this file also counts console warnings, failed requests and CSP violations as problems. */
const open = (db: string) => chrome.open(db, { warnings: true, network: true });

test('a new user loads the demo cohort from the empty screen and sees real gait data', async () => {
  const { page, problems } = await open(join(dir, 'demo.db'));
  await page.waitForSelector('[data-testid=empty-state]');
  assert.doesNotMatch(page.url(), /token=/, 'the token stays out of the visible URL');
  // The supported formats are the format registry's, every one of them, with its description.
  await page.waitForSelector('[data-testid=supported-format]');
  const listed = await page.$$eval('[data-testid=empty-state] [data-testid=supported-format]', (items) => items.map((li) => [li.getAttribute('data-format-id'), li.textContent]));
  assert.deepEqual(listed.map(([id]) => id).sort(), formats.map((f) => f.id).sort());
  for (const [id, text] of listed) assert.equal(text, formats.find((f) => f.id === id)!.description);
  await page.screenshot({ path: join(ARTIFACTS, 'e2e-1-empty-state.png') });
  await page.click('[data-testid=load-demo]');
  await page.waitForSelector('[data-testid=subject-row]', { timeout: 60_000 });
  const rows = await page.$$('[data-testid=subject-row]');
  assert.equal(rows.length, 6);
  const listText = await page.textContent('[data-testid=subject-list]');
  for (const code of ['GaPt05', 'GaCo03', 'JuPt20', 'JuCo01', 'SiPt02', 'SiCo01']) assert.match(listText!, new RegExp(code));
  await page.screenshot({ path: join(ARTIFACTS, 'e2e-2-demo-subjects.png') });
  assert.deepEqual(problems, []);
  await page.close();
});

test('import through the UI (upload and a path), find a subject, open a trial and see every channel plotted', async () => {
  const { page, problems } = await open(join(dir, 'lab.db'));
  await page.waitForSelector('[data-testid=empty-state]');

  // Upload three files, as a browser user picks them.
  await page.click('[data-testid=import-button]');
  await page.waitForSelector('[data-testid=import-dialog]');
  await page.setInputFiles('[data-testid=import-file-input]', [
    sharedData('gaitpdb', 'demographics.txt'), sharedData('gaitpdb', 'GaPt03_01.txt.gz'), sharedData('gaitpdb', 'GaCo01_01.txt.gz'),
  ]);
  await page.waitForSelector('[data-testid=import-summary]', { timeout: 60_000 });
  const summary = (await page.textContent('[data-testid=import-summary]'))!;
  assert.match(summary, /166/); // subjects from demographics.txt
  await page.screenshot({ path: join(ARTIFACTS, 'e2e-3-import-summary.png') });
  await page.click('text=Done');

  // And a MATLAB file by its path on this computer.
  await page.click('[data-testid=import-button]');
  await page.fill('[data-testid=import-path-input]', sharedData('slijepcevic2021-clinical-grf-mat', '2021_acm_small_dataset_v3_aff-unaff-nonorm_1-2_.mat'));
  await page.click('[data-testid=import-path-submit]');
  await page.waitForSelector('[data-testid=import-summary]', { timeout: 60_000 });
  assert.match((await page.textContent('[data-testid=import-summary]'))!, /525/);
  await page.click('text=Done');

  // Find GaPt03 by search, open it.
  await page.waitForSelector('[data-testid=subject-row]');
  await page.fill('[data-testid=subject-search]', 'GaPt03');
  await page.waitForFunction(() => document.querySelectorAll('[data-testid=subject-row]').length === 1);
  await page.click('[data-testid=subject-row]');
  await page.waitForSelector('[data-testid=subject-page]');
  const subjectText = (await page.textContent('[data-testid=subject-page]'))!;
  assert.match(subjectText, /GaPt03/);
  assert.match(subjectText, /82 years/);
  assert.match(subjectText, /1\.45 m/);
  assert.match(subjectText, /GaPt03_01\.txt\.gz/);

  // The trial: 18 channels drawn, force in N over time in s.
  await page.click('[data-testid=trial-link]');
  await page.waitForSelector('[data-testid=trial-plot] .scatterlayer .trace path.js-line', { timeout: 30_000 });
  await page.waitForTimeout(300);
  const traces = await page.$$eval('[data-testid=trial-plot] .scatterlayer .trace path.js-line', (p) => p.length);
  assert.equal(traces, 18);
  const svgText = await page.$$eval('[data-testid=trial-plot] svg text', (n) => n.map((e) => e.textContent ?? ''));
  assert.equal(svgText.filter((t) => t === 'Force (N)').length, 3, `axis titles: ${svgText.join('|')}`); // left, right, totals
  assert.ok(svgText.includes('Time (s)'), `x axis title: ${svgText.join('|')}`);
  // One legend per subplot: plotly names their items legendtext, legend2text, legend3text.
  const legend = await page.$$eval('[data-testid=trial-plot] .legendtext, [data-testid=trial-plot] .legend2text, [data-testid=trial-plot] .legend3text', (n) => n.map((e) => e.textContent));
  assert.equal(legend.length, 18);
  for (const name of ['L1', 'R8', 'L_total', 'R_total']) assert.ok(legend.includes(name), `legend has ${name}: ${legend}`);
  await page.setViewportSize({ width: 1366, height: 1400 });
  await page.waitForTimeout(300);
  await page.screenshot({ path: join(ARTIFACTS, 'e2e-4-trial.png') });

  // Gait events, detected on first view, drawn on the curves and listed with their detector.
  await page.waitForSelector('[data-testid=event-row]', { timeout: 30_000 });
  assert.match((await page.textContent('[data-testid=detector]'))!, /InsoleEvents/);
  const eventRows = await page.$$('[data-testid=event-row]');
  assert.ok(eventRows.length > 100, `event rows ${eventRows.length}`);
  assert.ok((await page.$$('[data-testid=trial-plot] .shapelayer path')).length > 0, 'event markers on the plot');

  // Correct one event by hand: it becomes manual, and the change is in the audit log (checked by the CLI tests).
  const row = page.locator('[data-testid=event-row]').nth(1);
  const eventId = (await row.getAttribute('data-event-id'))!;
  await row.click();
  await page.fill('[data-testid=event-time-input]', '1.234');
  await page.click('[data-testid=event-save]');
  await page.waitForSelector(`[data-testid=event-row][data-event-id="${eventId}"][data-manual=true]`);
  assert.match((await page.textContent(`[data-testid=event-row][data-event-id="${eventId}"]`))!, /^1\.234/);

  // Parameters with units and symmetry; the cycles overlay with mean ± SD per side.
  await page.waitForSelector('[data-testid=params-table] [data-param=stride_time]', { timeout: 30_000 });
  assert.match((await page.textContent('[data-testid=params-table] [data-param=stride_time]'))!, /\d\.\d{3} ± \d\.\d{3} s/);
  await page.waitForSelector('[data-testid=cycles-plot] .scatterlayer .trace', { timeout: 30_000 });
  assert.ok((await page.$$('[data-testid=cycles-plot] .scatterlayer .trace')).length >= 6);
  assert.match((await page.textContent('[data-testid=cycles-counts]'))!, /Left: \d+ · Right: \d+/);
  await page.screenshot({ path: join(ARTIFACTS, 'e2e-5-events-cycles.png'), fullPage: true });

  // The detector's parameters as a form from their declarations: a value out of range is refused in one line
  // before anything is sent; a valid one runs the detector again, and the manual event stays.
  await page.click('.detector-params > summary');
  const onField = page.locator('.param-field', { hasText: 'on fraction' }).locator('input');
  await onField.fill('3');
  assert.equal(await page.textContent('[data-testid=detector-params-problem]'), 'InsoleEvents: parameter onFraction = 3 is out of range (0 < onFraction ≤ 1)');
  assert.equal(await page.isDisabled('[data-testid=redetect-with-params]'), true);
  await onField.fill('0.12');
  await page.click('[data-testid=redetect-with-params]');
  await page.waitForFunction(() => /on fraction 0\.12/.test(document.querySelector('[data-testid=detector]')?.textContent ?? ''), undefined, { timeout: 30_000 });
  await page.waitForSelector(`[data-testid=event-row][data-event-id="${eventId}"][data-manual=true]`);
  await page.waitForSelector('[data-testid=cycles-plot] .scatterlayer .trace', { timeout: 30_000 });

  // Every trial, paged and virtualised.
  await page.click('[data-testid=nav-trials]');
  await page.waitForSelector('[data-testid=trial-row]');
  assert.match((await page.textContent('[data-testid=trial-count]'))!, /527 trials/);
  assert.ok((await page.$$('[data-testid=trial-row]')).length < 80, 'rows are virtualised');
  await page.fill('[data-testid=trial-search]', 'GaPt03');
  await page.waitForFunction(() => /^1 trial$/.test(document.querySelector('[data-testid=trial-count]')?.textContent ?? ''));
  assert.match((await page.textContent('[data-testid=trial-row]'))!, /GaPt03_01/);
  assert.deepEqual(problems, []);
  await page.close();
});

test('train a model from the UI: progress bars with stage and ETA, Cancel, the model with its confusion matrix, audited delete', async () => {
  // The clinical GRF set (6 channels, 4 classes) imported by the CLI, as a lab would before training.
  const db = join(dir, 'grf.db');
  const files = ['2021_acm_small_dataset_v3_aff-unaff-nonorm_1-2_.mat', '2021_acm_small_dataset_v3_aff-unaff-nonorm_2-3-4_.mat'];
  const imported = gaitlab(['import', ...files.map((f) => sharedData('slijepcevic2021-clinical-grf-mat', f)), '--db', db, '--json']);
  assert.equal(imported.code, 0, imported.stderr);
  const { page, problems } = await open(db);
  await page.waitForSelector('[data-testid=subject-row]');
  await page.click('[data-testid=nav-jobs]');
  await page.waitForSelector('[data-testid=train-form]');
  assert.equal(await page.inputValue('[data-testid=train-method]'), 'LogisticRegression');
  assert.match((await page.textContent('[data-testid=train-cohort]'))!, /slijepcevic2021 \(970 trials\)/);

  // A job long enough to watch: its bar moves, with the epoch as stage and an ETA.
  await page.fill('[data-testid=train-param-epochs]', '300');
  await page.fill('[data-testid=train-seed]', '5');
  await page.click('[data-testid=train-submit]');
  const item = page.locator('[data-testid=job-item]').first();
  await page.waitForSelector('[data-testid=job-item][data-status=running] [role=progressbar][aria-valuenow]', { timeout: 60_000 });
  await page.waitForFunction(() => Number(document.querySelector('[data-testid=job-item] [role=progressbar]')?.getAttribute('aria-valuenow')) >= 5, undefined, { timeout: 60_000 });
  const running = (await item.textContent())!;
  assert.match(running, /epoch \d+\/300 \(loss \d\.\d{4}\)/);
  assert.match(running, /ETA (\d+ min )?\d+ s/);
  assert.equal(await page.textContent('[data-testid=active-jobs]'), '1');
  // Its log, live: what the worker read, then its epochs, then the model.
  await item.locator('[data-testid=job-log-toggle]').click();
  await page.waitForFunction(() => /data: 970 trials × 606 features \(6 channels × 101 points\)/.test(document.querySelector('[data-testid=job-log]')?.textContent ?? ''));
  await page.screenshot({ path: join(ARTIFACTS, 'e2e-6-job-running.png') });
  await page.waitForSelector('[data-testid=job-item][data-status=done] [data-testid=job-model-link]', { timeout: 120_000 });
  await page.waitForFunction(() => /model M-\w+: test accuracy \d+\.\d %/.test(document.querySelector('[data-testid=job-log]')?.textContent ?? ''));
  assert.match((await page.textContent('[data-testid=job-log]'))!, /epoch 300\/300/);
  await item.locator('[data-testid=job-log-toggle]').click();

  // A second job, cancelled mid-way from the panel: it ends cancelled and leaves no model.
  await page.fill('[data-testid=train-param-epochs]', '20000');
  await page.click('[data-testid=train-submit]');
  await page.waitForFunction(() => {
    const first = document.querySelector('[data-testid=job-item]');
    return first?.getAttribute('data-status') === 'running' && Number(first.querySelector('[role=progressbar]')?.getAttribute('aria-valuenow')) >= 1;
  }, undefined, { timeout: 60_000 });
  await page.click('[data-testid=job-item] >> nth=0 >> [data-testid=job-cancel]');
  await page.waitForSelector('[data-testid=job-item]:first-child[data-status=cancelled]', { timeout: 30_000 });
  await page.screenshot({ path: join(ARTIFACTS, 'e2e-7-jobs.png'), fullPage: true });

  // The model: its metrics and confusion matrix over the 4 classes, as stored.
  await page.click('[data-testid=job-model-link]');
  await page.waitForSelector('[data-testid=model-view] [data-testid=confusion-matrix]');
  const models = gaitlab(['models', '--db', db, '--json']).json.models as { id: string; metrics: { testAccuracy: number; confusion: number[][] } }[];
  assert.equal(models.length, 1);
  assert.equal((await page.textContent('[data-testid=model-test-accuracy]'))!, `${(models[0].metrics.testAccuracy * 100).toFixed(1)} %`);
  const cells = await page.$$eval('[data-testid=confusion-matrix] tbody tr', (rows) => rows.map((r) => Array.from(r.querySelectorAll('td')).slice(0, -1).map((td) => Number(td.textContent))));
  // Each row: the predicted counts, then the row's total (the class's test trials).
  assert.deepEqual(cells, models[0].metrics.confusion.map((row) => [...row, row.reduce((a, b) => a + b, 0)]));
  assert.match((await page.textContent('[data-testid=model-view]'))!, /970 trials/);
  await page.screenshot({ path: join(ARTIFACTS, 'e2e-8-model.png'), fullPage: true });

  // Delete it (two steps); the CLI sees it gone and the deletion audited.
  await page.click('[data-testid=model-delete]');
  await page.click('[data-testid=model-delete-confirm]');
  await page.waitForSelector('text=No models yet');
  assert.equal(gaitlab(['models', '--db', db, '--json']).json.models.length, 0);
  assert.equal(gaitlab(['audit', 'verify', '--db', db, '--json']).json.audit.ok, true);
  assert.deepEqual(problems, []);
  await page.close();
});

test('a trial\'s LRP relevance map coloured onto its curves: diverging scale centred at 0, the most relevant phases in words', async () => {
  const db = join(dir, 'grf-relevance.db');
  const files = ['2021_acm_small_dataset_v3_aff-unaff-nonorm_1-2_.mat', '2021_acm_small_dataset_v3_aff-unaff-nonorm_2-3-4_.mat'];
  assert.equal(gaitlab(['import', ...files.map((f) => sharedData('slijepcevic2021-clinical-grf-mat', f)), '--db', db, '--json']).code, 0);
  const trained = gaitlab(['train', 'horst', '--model', 'linear-svm', '--task', 'class', '--db', db, '--json']);
  assert.equal(trained.code, 0, trained.stderr);
  const modelId: string = trained.json.model.id;
  const trialId: string = gaitlab(['trials', '--db', db, '--json']).json.trials[42].id;
  const cli = gaitlab(['explain', modelId, '--trial', trialId, '--db', db, '--json']).json.explanation as { relevance: number[][]; phases: { words: string }[]; target: { label: string } };
  const { page, problems } = await open(db);
  await page.evaluate((id) => { window.location.hash = `#/trials/${id}`; }, trialId);
  await page.waitForSelector('[data-testid=relevance-plot] .main-svg', { timeout: 60_000 });
  assert.equal(await page.inputValue('[data-testid=relevance-model]'), modelId);
  assert.equal((await page.textContent('[data-testid=relevance-phases]'))!.trim(), `Most relevant: ${cli.phases.map((p) => p.words).join('; ')}`);
  assert.match((await page.textContent('[data-testid=relevance-summary]'))!, new RegExp(`true class ${cli.target.label}`));
  const traces = await page.evaluate(() => {
    const el = document.querySelector('[data-testid=relevance-plot] .js-plotly-plot') as unknown as { data: { name: string; marker: { color: number[]; cmin: number; cmid: number; cmax: number } }[] };
    return el.data.map((t) => ({ name: t.name, color: t.marker.color, cmin: t.marker.cmin, cmid: t.marker.cmid, cmax: t.marker.cmax }));
  });
  const max = Math.max(...cli.relevance.flat().map(Math.abs));
  assert.equal(traces.length, 6);
  traces.forEach((t, c) => {
    assert.deepEqual(t.color, cli.relevance[c]);
    assert.deepEqual([t.cmin, t.cmid, t.cmax], [-max, 0, max]);
  });
  await page.locator('[data-testid=relevance-panel]').screenshot({ path: join(ARTIFACTS, 'trial-relevance.png') });

  // The subject: its mean map, TP rate and CV as gaitlab explain --subject gives them.
  const subjectId: string = gaitlab(['trials', '--db', db, '--json']).json.trials[42].subjectId;
  const sub = gaitlab(['explain', modelId, '--subject', subjectId, '--db', db, '--json']).json.subject as { phases: { words: string }[]; trials: string[]; truePositiveRate: number };
  await page.evaluate((id) => { window.location.hash = `#/subjects/${id}`; }, subjectId);
  await page.waitForSelector('[data-testid=subject-relevance-plot] .main-svg', { timeout: 60_000 });
  assert.equal((await page.textContent('[data-testid=subject-relevance-panel] [data-testid=relevance-phases]'))!.trim(), `Most relevant: ${sub.phases.map((p) => p.words).join('; ')}`);
  assert.match((await page.textContent('[data-testid=subject-relevance-summary]'))!, new RegExp(`^${sub.trials.length} trials, TP rate ${(sub.truePositiveRate * 100).toFixed(0)} %`));

  // The model: the perturbation plot in the quick setting, labelled, random vs relevance order.
  await page.evaluate((id) => { window.location.hash = `#/models/${id}`; }, modelId);
  await page.click('[data-testid=perturb-run]');
  await page.waitForSelector('[data-testid=perturbation-plot] .main-svg', { timeout: 120_000 });
  assert.match((await page.textContent('[data-testid=perturbation-summary]'))!, /^quick \(2 repetitions, steps 0–9 %\).*; 970 test trials; random: AOPC .* relevanceDescending: AOPC/);
  const curves = await page.evaluate(() => (document.querySelector('[data-testid=perturbation-plot] .js-plotly-plot') as unknown as { data: { name: string; y: number[] }[] }).data.map((t) => ({ name: t.name, y: t.y })));
  assert.deepEqual(curves.map((c) => c.name), ['gauss1, random', 'gauss1, relevanceDescending']);
  assert.equal(curves[0].y[0], curves[1].y[0], 'both start at the clean accuracy');
  await page.locator('[data-testid=perturbation-panel]').screenshot({ path: join(ARTIFACTS, 'model-perturbation.png') });
  assert.deepEqual(problems, []);
  await page.close();
});

test('the lab registers and edits a patient, records and edits a visit, merges an imported subject choosing a conflict, excludes and moves a trial, moves a session, finds the patient by record number and name, and deletes on request', async () => {
  const db = join(dir, 'records.db');
  const imported = spawnSync(process.execPath, [join(REPO, 'bin', 'gaitlab.cjs'), 'import', sharedData('gaitpdb', 'GaCo01_01.txt.gz'), '--db', db], { encoding: 'utf8' });
  assert.equal(imported.status, 0, imported.stderr);
  const registered = spawnSync(process.execPath, [join(REPO, 'bin', 'gaitlab.cjs'), 'subject', 'add', '--code', 'P002', '--db', db], { encoding: 'utf8' });
  assert.equal(registered.status, 0, registered.stderr);
  const { page, problems } = await open(db);
  await page.waitForSelector('[data-testid=subject-row]');

  // A value out of its plausible range is refused in one line naming the field and range; nothing is created.
  await page.click('[data-testid=new-subject]');
  await page.waitForSelector('[data-testid=subject-form]');
  await page.fill('[data-testid=field-code]', 'P001');
  await page.fill('[data-testid=field-display_name]', 'Jane Roe');
  await page.fill('[data-testid=field-record_number]', 'MRN-4471');
  await page.fill('[data-testid=field-birth_date]', '1961-04-02');
  await page.fill('[data-testid=field-body_mass]', '1000');
  await page.fill('[data-testid=field-height]', '1.68');
  await page.click('[data-testid=subject-form-submit]');
  await page.waitForSelector('[data-testid=subject-form] [data-testid=error-banner]');
  assert.match((await page.textContent('[data-testid=subject-form] [data-testid=error-banner]'))!, /field body_mass: 1000 kg is outside the plausible range 2–400 kg$/);
  assert.match((await page.textContent('[data-testid=subject-form]'))!, /kg.*2–400 kg/);
  await page.screenshot({ path: join(ARTIFACTS, 'e2e-records-1-refused.png') });
  await page.fill('[data-testid=field-body_mass]', '72');
  await page.click('[data-testid=subject-form-submit]');
  await page.waitForSelector('[data-testid=subject-page] #subject-title:has-text("P001")');
  assert.match((await page.textContent('[data-testid=subject-page]'))!, /Jane Roe/);

  // A visit with its conditions.
  await page.click('[data-testid=new-session]');
  await page.fill('[data-testid=session-label]', 'Baseline');
  await page.fill('[data-testid=session-date]', '2026-11-02');
  await page.fill('[data-testid=session-footwear]', 'barefoot');
  await page.click('[data-testid=session-form-submit]');
  await page.waitForSelector('section[aria-label="Session Baseline"]');
  assert.match((await page.textContent('section[aria-label="Session Baseline"]'))!, /2026-11-02 · age 65 · 0 trials.*barefoot/s);

  // The edit form: a height out of range is refused in one line and changes nothing; a good one is kept.
  await page.click('[data-testid=edit-subject]');
  await page.waitForSelector('[data-testid=subject-form]');
  await page.fill('[data-testid=field-height]', '17.5');
  await page.click('[data-testid=subject-form-submit]');
  await page.waitForSelector('[data-testid=subject-form] [data-testid=error-banner]');
  assert.match((await page.textContent('[data-testid=subject-form] [data-testid=error-banner]'))!, /field height: 17\.5 m is outside the plausible range 0\.4–2\.6 m$/);
  await page.fill('[data-testid=field-height]', '1.71');
  await page.click('[data-testid=subject-form-submit]');
  await page.waitForSelector('[data-testid=subject-form]', { state: 'detached' });
  await page.waitForFunction(() => /1\.71/.test(document.querySelector('[data-testid=subject-page]')?.textContent ?? ''));
  // The session editor: the visit's conditions and tags change.
  await page.click('section[aria-label="Session Baseline"] [data-testid=edit-session]');
  await page.waitForSelector('[data-testid=session-form]');
  await page.fill('[data-testid=session-footwear]', 'shoes');
  await page.fill('[data-testid=session-tags]', 'pre-op, baseline');
  await page.click('[data-testid=session-form-submit]');
  await page.waitForSelector('[data-testid=session-form]', { state: 'detached' });
  await page.waitForFunction(() => /shoes/.test(document.querySelector('section[aria-label="Session Baseline"]')?.textContent ?? ''));
  assert.match((await page.textContent('section[aria-label="Session Baseline"]'))!, /pre-op/);

  // The imported GaCo01 is the same person: merge it into P001; its walk moves.
  await page.goto(page.url().replace(/#.*$/, '#/'));
  await page.fill('[data-testid=subject-search]', 'GaCo01');
  await page.waitForFunction(() => document.querySelectorAll('[data-testid=subject-row]').length === 1);
  await page.click('[data-testid=subject-row]');
  await page.waitForSelector('[data-testid=subject-page] #subject-title:has-text("GaCo01")');
  // Someone measured the imported subject too: its height differs from P001's, a conflict the merge lists.
  await page.click('[data-testid=edit-subject]');
  await page.waitForSelector('[data-testid=subject-form]');
  await page.fill('[data-testid=field-height]', '1.65');
  await page.click('[data-testid=subject-form-submit]');
  await page.waitForSelector('[data-testid=subject-form]', { state: 'detached' });
  await page.click('[data-testid=merge-subject]');
  await page.fill('[data-testid=merge-target]', 'P001');
  await page.click('[data-testid=merge-dialog-submit]');
  await page.waitForSelector('[data-testid=merge-conflicts]');
  assert.equal(await page.textContent('[data-testid=merge-moves]'), '1 session moves.');
  assert.match((await page.textContent('[data-testid=merge-conflicts]'))!, /height\s*1\.65 m\s*1\.71 m/);
  // Nothing merges until the conflict is chosen.
  await page.click('[data-testid=merge-dialog-submit]');
  await page.waitForSelector('[data-testid=merge-dialog] [data-testid=error-banner]');
  assert.match((await page.textContent('[data-testid=merge-dialog] [data-testid=error-banner]'))!, /1 conflicting field to choose/);
  await page.check('[data-testid=take-height-target]');
  await page.click('[data-testid=merge-dialog-submit]');
  await page.waitForSelector('[data-testid=subject-page] #subject-title:has-text("P001")');
  await page.waitForFunction(() => /1\.71/.test(document.querySelector('[data-testid=subject-page]')?.textContent ?? '') && !/1\.65/.test(document.querySelector('[data-testid=subject-page]')?.textContent ?? ''));
  await page.waitForSelector('[data-testid=trial-link]');

  // A failed walk is excluded with its reason: kept, flagged.
  await page.click('[data-testid=exclude-trial]');
  await page.fill('[data-testid=exclude-reason]', 'sensor came loose');
  await page.click('[data-testid=exclude-confirm]');
  await page.waitForSelector('[data-testid=trial-excluded]');
  assert.equal(await page.textContent('[data-testid=trial-excluded]'), 'excluded: sensor came loose');
  // The walk belongs to the Baseline visit: move it there.
  await page.click('[data-testid=move-trial]');
  await page.click('[data-testid=move-trial-dialog-submit]');
  await page.selectOption('[data-testid=move-trial-session]', { label: 'Baseline' });
  await page.click('[data-testid=move-trial-dialog-submit]');
  await page.waitForSelector('section[aria-label="Session Baseline"] [data-testid=trial-link]');
  await page.screenshot({ path: join(ARTIFACTS, 'e2e-records-2-subject.png'), fullPage: true });
  // The imported walk's visit, now empty, was another patient's: move it to P002.
  const others = await page.$$eval('section.session', (s) => s.map((x) => x.getAttribute('aria-label')).filter((l) => l !== 'Session Baseline'));
  assert.equal(others.length, 1);
  await page.click(`section[aria-label="${others[0]}"] [data-testid=move-session]`);
  await page.fill('[data-testid=move-target]', 'P002');
  await page.click('[data-testid=move-dialog-submit]');
  await page.waitForSelector('[data-testid=subject-page] #subject-title:has-text("P002")');
  await page.waitForSelector(`section[aria-label="${others[0]}"]`);

  // The patient is found by record number.
  await page.goto(page.url().replace(/#.*$/, '#/'));
  await page.fill('[data-testid=patient-find]', 'MRN-4471');
  await page.press('[data-testid=patient-find]', 'Enter');
  await page.waitForSelector('[data-testid=patient-results] a');
  assert.match((await page.textContent('[data-testid=patient-results]'))!, /Jane Roe · MRN-4471 · P001/);
  // … and by name (typing clears the results until the search answers).
  await page.fill('[data-testid=patient-find]', 'Jane');
  assert.equal(await page.$('[data-testid=patient-results]'), null);
  await page.press('[data-testid=patient-find]', 'Enter');
  await page.waitForSelector('[data-testid=patient-results] a');
  assert.match((await page.textContent('[data-testid=patient-results]'))!, /^Jane Roe · MRN-4471 · P001$/);
  await page.click('[data-testid=patient-results] a');
  await page.waitForSelector('[data-testid=subject-page] #subject-title:has-text("P001")');

  // A force-plate export recorded at the Baseline visit, filed there at import (the visit rule overridden).
  await page.click('[data-testid=import-button]');
  await page.click('.import-visit summary');
  await page.fill('[data-testid=import-session]', 'Baseline');
  await page.fill('[data-testid=import-subject]', 'P001');
  await page.fill('[data-testid=import-path-input]', sharedData('forceplate-file-formats', 'amti-asc', 'Trial1-FxFyFzMxMyMz.asc'));
  await page.click('[data-testid=import-path-submit]');
  await page.waitForSelector('[data-testid=import-visits]', { timeout: 60_000 });
  assert.equal(await page.textContent('[data-testid=import-visits] li'), 'subject P001 (--subject), session Baseline (--session) · 1 file');
  await page.click('text=Done');
  await page.waitForFunction(() => document.querySelectorAll('section[aria-label="Session Baseline"] [data-testid=trial-link]').length === 2);

  // Delete on request: the confirmation says exactly what goes before anything does.
  await page.click('[data-testid=delete-subject]');
  await page.waitForSelector('[data-testid=delete-plan]:has-text("Removes the identity")');
  assert.match((await page.textContent('[data-testid=delete-plan]'))!, /^Removes the identity of P001 \(display_name, birth_date, record_number\) and replaces its code by the pseudonym S-\w+\. Its sessions, trials and attributes stay, pseudonymised\.$/);
  await page.click('[data-testid=delete-all]');
  await page.waitForSelector('[data-testid=delete-plan]:has-text("Removes P001")');
  // The same dry run through the CLI: the dialog names every count of it (attributes and analysis runs included).
  const dry = JSON.parse(spawnSync(process.execPath, [join(REPO, 'bin', 'gaitlab.cjs'), 'subject', 'delete', 'P001', '--db', db, '--json'], { encoding: 'utf8' }).stdout).plan;
  assert.deepEqual([dry.sessions, dry.trials], [1, 2]);
  assert.ok(dry.signals > 18, 'the walk\'s 18 channels and the plate\'s');
  assert.ok(dry.attributes >= 2, 'body mass and height at least');
  assert.equal(await page.textContent('[data-testid=delete-plan]'), `Removes P001 (${dry.subjectId}) with its identity, ${removedItems(dry)}. This cannot be undone.`);
  await page.screenshot({ path: join(ARTIFACTS, 'e2e-records-3-delete.png') });
  await page.click('[data-testid=delete-dialog-submit]');
  // Back on the list: P002 with the visit moved to it is all that is left.
  await page.waitForSelector('[aria-label="Database contents"]:has-text("1 subject1 session0 trials")');
  await page.fill('[data-testid=subject-search]', '');
  await page.waitForFunction(() => Array.from(document.querySelectorAll('[data-testid=subject-row]')).map((r) => r.textContent ?? '').join('|').match(/^[^|]*P002[^|]*$/));
  assert.deepEqual(problems, []);
  await page.close();
  const verify = spawnSync(process.execPath, [join(REPO, 'bin', 'gaitlab.cjs'), 'audit', 'verify', '--db', db], { encoding: 'utf8' });
  assert.equal(verify.status, 0, verify.stdout + verify.stderr);
});

test('hierarchical GP on a subject: fit from the UI with progress, then the limb bands over the group band, the MMD strip, noise variance and asymmetry score', async () => {
  // The demo cohort (six gaitpdb walks, PD and control) imported by the CLI. QUICK SETTINGS: M = 10, 150 iterations, Z fixed.
  const db = join(dir, 'gp.db');
  assert.equal(gaitlab(['demo', '--db', db, '--json']).code, 0);
  const subjects = gaitlab(['subjects', '--db', db, '--json']).json.subjects as { id: string; code: string; group: string }[];
  const subject = subjects.find((s) => s.code === 'GaPt05')!;
  const { page, problems } = await open(db);
  await page.waitForSelector('[data-testid=subject-row]');
  await page.evaluate((id) => { window.location.hash = `#/subjects/${id}/cycles`; }, subject.id);
  await page.waitForSelector('[data-testid=gp-fit-form]', { timeout: 30_000 });
  assert.match((await page.textContent('[data-testid=gp-panel]'))!, /No GP model holds this subject yet/);
  await page.fill('[data-testid=gp-m]', '10');
  await page.fill('[data-testid=gp-iterations]', '150');
  // The job's progress bar, seen by an observer set before the click: with the compiled SIMD kernels a quick fit can
  // end before a poll for the bar would find it (CI once waited 30 s for a bar that had come and gone).
  await page.evaluate(() => {
    const form = document.querySelector('[data-testid=gp-fit-form]')!;
    const w = window as unknown as { gpProgressSeen: string[] };
    w.gpProgressSeen = [];
    new MutationObserver(() => {
      const bar = form.querySelector('[role=progressbar]');
      if (bar) w.gpProgressSeen.push(bar.closest('[data-testid=gp-fit-form]')?.textContent ?? '');
    }).observe(form, { childList: true, subtree: true, characterData: true });
  });
  await page.click('[data-testid=gp-fit]');
  await page.waitForSelector('[data-testid=gp-view] [data-testid=gp-curves] .scatterlayer .trace', { timeout: 120_000 });
  const progressSeen = await page.evaluate(() => (window as unknown as { gpProgressSeen: string[] }).gpProgressSeen);
  assert.ok(progressSeen.length > 0, 'no progress bar was shown while the GP was fitted');
  assert.ok(progressSeen.some((t) => /Fitting the GP/.test(t)), progressSeen.join(' | '));
  const models = gaitlab(['models', '--db', db, '--json']).json.models as { id: string; method: string }[];
  assert.deepEqual(models.map((m) => m.method), ['HierarchicalGP']);
  assert.equal(await page.inputValue('[data-testid=gp-model]'), models[0].id);
  // Group band (2 traces), the subject's clean cycles, and per limb a band (2) and a mean.
  const cycles = (gaitlab(['cycles', gaitlab(['trials', '--subject', subject.id, '--db', db, '--json']).json.trials[0].id, '--db', db, '--json']).json.cycles as { channel: string; kind: string; flags: string[] }[])
    .filter((c) => c.kind === 'gait_cycle' && c.flags.length === 0 && (c.channel === 'L_total' || c.channel === 'R_total'));
  const traces = (await page.$$('[data-testid=gp-curves] .scatterlayer .trace')).length;
  assert.equal(traces, 2 + Math.min(60, cycles.length) + 2 * 3);
  await page.waitForSelector('[data-testid=gp-mmd-strip] .heatmaplayer .hm, [data-testid=gp-mmd-strip] .heatmaplayer image', { timeout: 30_000 });
  assert.equal((await page.$$('[data-testid=gp-noise] .scatterlayer .trace')).length, 2);
  // The asymmetry score as the API computes it, placed among the PD group's scores.
  const asym = gaitlab(['asymmetry', models[0].id, '--subject', subject.id, '--db', db, '--json']).json;
  const text = (await page.textContent('[data-testid=gp-asymmetry]'))!;
  assert.match(text, new RegExp(`Asymmetry score .* ${asym.subject.score.toFixed(2)}: at or above ${Math.round(asym.subject.groupPercentile * 100)} % of group PD \\(3 subjects`));
  await page.screenshot({ path: join(ARTIFACTS, 'e2e-10-gp-subject.png'), fullPage: true });
  await page.locator('[data-testid=gp-panel]').screenshot({ path: join(ARTIFACTS, 'e2e-11-gp-panel.png') });
  assert.deepEqual(problems, []);
  await page.close();
});
