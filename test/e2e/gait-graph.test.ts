// The gait graph page in Debian's Chromium (browser mode as a user starts it) on gait-pig.c3d, with a normative
// reference imported from a shared file: every panel present with its name, the grey band behind, foot-off lines
// per side, the MAP/GPS bars, a panel opening its channel's cycles, and no console errors. The PiG channels' cycles
// are the ones `gaitlab cycles` cuts on the file's own foot strikes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gaitlab, sharedData, tempDir } from '../helpers';
import { referenceToJson } from '../../src-shared/gait-graph/reference-file';
import { GPS_VARIABLES, pigChannelName } from '../../src-shared/gait-graph/pig-variables';
import { ARTIFACTS, useBrowser } from './chromium';

const dir = tempDir();
const chrome = useBrowser();

test('gait graph of gait-pig.c3d: panels, reference band, foot-off lines, MAP/GPS bars, a panel opens its cycles, no console errors', async () => {
  const db = join(dir, 'lab.db');
  assert.equal(gaitlab(['import', sharedData('horst2019-gait-c3d', 'gait-pig.c3d'), '--db', db, '--json']).code, 0);
  // A shared reference with the nine GPS variables per side (as another lab would send it).
  const curves = GPS_VARIABLES.flatMap((v, i) => (['left', 'right'] as const).map((side) => ({
    channel: pigChannelName(v.point, side, v.plane), unit: 'deg', nCycles: 40, nSubjects: 10,
    mean: Array.from({ length: 101 }, (_, t) => 10 * Math.sin((2 * Math.PI * t) / 100 + i)), sd: Array.from({ length: 101 }, () => 3),
  })));
  const file = join(dir, 'shared-controls.json');
  writeFileSync(file, referenceToJson({ name: 'Shared controls', version: 1, method: 'NormativeReference', methodVersion: '1.0.0', params: {}, createdAt: '2026-01-01T00:00:00Z', members: [{ subjectId: 'S-OTHERLAB', trialId: null }], nSubjects: 10, nCycles: 40, curves }));
  const imported = gaitlab(['reference', 'import', file, '--db', db, '--json']);
  assert.equal(imported.code, 0, imported.stderr);
  const trialId = gaitlab(['trials', '--db', db, '--json']).json.trials[0].id as string;
  const kneeCycles = gaitlab(['cycles', trialId, '--kind', 'gait_cycle', '--channel', 'A22:LKneeAngles_x', '--db', db, '--json']).json.cycles as { flags: string[]; side: string }[];
  assert.equal(kneeCycles.filter((c) => c.flags.length === 0 && c.side === 'left').length, 2, 'the file has two full left cycles');

  const { page, problems } = await chrome.open(db, { viewport: { width: 1400, height: 1000 }, warnings: true });
  await page.evaluate((id) => { window.location.hash = `#/trials/${id}`; }, trialId);
  await page.click('[data-testid=gait-graph-link]');
  await page.waitForSelector('[data-testid=gait-graph-grid]');

  // Rows pelvis, hip, knee, ankle (three planes each) and foot progression (transverse).
  const panels = await page.$$eval('[data-testid^=gait-panel-]', (els) => els.map((e) => ({ id: e.getAttribute('data-testid'), data: e.getAttribute('data-has-data'), ref: e.getAttribute('data-reference'), off: e.getAttribute('data-foot-off'), text: e.textContent })));
  assert.equal(panels.length, 13);
  for (const row of ['pelvis', 'hip', 'knee', 'ankle']) for (const col of ['sagittal', 'frontal', 'transverse']) assert.ok(panels.some((p) => p.id === `gait-panel-${row}-${col}`), `${row} ${col}`);
  assert.ok(panels.some((p) => p.id === 'gait-panel-foot-transverse'));
  assert.ok(panels.every((p) => p.ref === 'no'), 'no band before a reference is chosen');
  const withData = panels.filter((p) => p.data === 'yes');
  assert.equal(withData.length, 13, `panels with cycles: ${withData.map((p) => p.id)}`);
  for (const p of withData) assert.equal(p.off, 'left,right', `${p.id}: a foot-off line per side`);
  await page.waitForSelector('[data-testid=gait-panel-knee-sagittal] .shapelayer path', { state: 'attached' });
  assert.equal(await page.$$eval('[data-testid=gait-panel-knee-sagittal] .shapelayer path', (els) => els.length), 2, 'two foot-off lines');

  // Choose the reference: the grey band is drawn behind, and the MAP/GPS section names what is missing.
  const option = await page.$eval('[data-testid=reference-select] option:nth-child(2)', (o) => (o as HTMLOptionElement).value);
  await page.selectOption('[data-testid=reference-select]', option);
  await page.waitForSelector('[data-testid=gait-panel-knee-sagittal][data-reference=yes] .js-fill', { timeout: 30_000 });
  const refs = await page.$$eval('[data-testid^=gait-panel-][data-reference=yes]', (els) => els.length);
  assert.equal(refs, 13 - 4, 'every GPS variable has a band (the 4 other frontal/transverse panels have none)');
  assert.match((await page.textContent('[data-testid=gait-graph-summary]'))!, /Reference: Shared controls v1 \(10 subjects/);
  await page.waitForSelector('[data-testid=map-chart] .plot-container');
  assert.match((await page.textContent('[data-testid=map-chart]'))!, /GPS left \d+\.\d\d°, right \d+\.\d\d°, overall \d+\.\d\d°/);
  assert.equal(await page.$$eval('[data-testid=map-chart] .bars .point', (els) => els.length), 9 * 2 + 2 + 1, 'GVS bars of 9 variables per side, GPS per side and overall');
  await page.click('[data-testid=sheet-kinetics]');
  await page.waitForSelector('[data-testid=gait-panel-knee_moment-sagittal]');
  assert.equal(await page.$$eval('[data-testid^=gait-panel-]', (els) => els.length), 12, 'moments × 3 planes, powers × 1');
  await page.click('[data-testid=sheet-kinematics]');
  await page.screenshot({ path: join(ARTIFACTS, 'e2e-gait-graph.png'), fullPage: true });

  // A panel opens that channel's cycles view on the trial page.
  await page.click('[data-testid=gait-panel-knee-sagittal]');
  await page.waitForSelector('[data-testid=cycles-view]', { timeout: 30_000 });
  assert.match(page.url(), new RegExp(`#/trials/${trialId}/cycles/`));
  await page.waitForSelector('[data-testid=cycles-channel]');
  const chosen = await page.$eval('[data-testid=cycles-channel]', (el) => { const s = el as HTMLSelectElement; return s.options[s.selectedIndex].textContent; });
  assert.match(chosen!, /A22:LKneeAngles_x/, 'the cycles view opens on the panel\'s channel');
  assert.deepEqual(problems, []);
  await page.close();
});
