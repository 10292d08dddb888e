// The Record page in Debian's Chromium against `gaitlab serve` (browser mode as a user starts it), with `gaitlab
// simulate` playing a gaitpdb walk as an insole at 5× over a socat pty pair: a subject registered on the page, the
// recording started from the UI, samples appended to the live plot (its window bounded), the live gait estimate,
// leaving the page and coming back, a marker and a note, a dropped link, Stop; then the trial in the database with every sample and the marker events; no console
// errors; a screenshot in test-artifacts/.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { sharedData, tempDir } from '../helpers';
import { ARTIFACTS, useBrowser } from './chromium';
import { PtyPair } from '../acquisition/pty-pair';
import { startGaitlab, type LiveCommand } from '../acquisition/live-cli';
import { closeServiceContext, openServiceContext } from '../../src-main/services/context';
import { createDispatcher } from '../../src-main/services/dispatch';
import { checkedDispatch } from '../api-contract';

const WALK = sharedData('gaitpdb', 'GaCo01_01.txt.gz');
/** The plot's bounded window: LIVE_WINDOW_S (10 s) × 60 points/s (LiveDevicePanel's MAX_POINTS). */
const MAX_POINTS = 600;
const dir = tempDir();
const chrome = useBrowser();
let sim: LiveCommand | undefined;
const pty = new PtyPair(dir, 'insole');

before(async () => {
  await pty.start();
});
after(async () => {
  sim?.proc.kill('SIGTERM');
  await pty.stop();
});

test('Record page: start from the UI, samples appended to a bounded live plot, live cadence, marker and note, stop; the trial holds every sample and the markers', { timeout: 120_000 }, async () => {
  const db = join(dir, 'live.db');
  const { page, problems } = await chrome.open(db, { viewport: { width: 1300, height: 1100 }, warnings: true });
  await page.click('[data-testid=nav-record]');
  await page.waitForSelector('[data-testid=record-page]');

  // A subject registered on the page, chosen at once.
  await page.fill('[data-testid=record-new-code]', 'LIVE01');
  await page.click('[data-testid=record-create-subject]');
  await page.waitForFunction(() => (document.querySelector('[data-testid=record-subject]') as HTMLSelectElement).value !== '');
  await page.click('[data-testid=record-list-ports]');
  await page.waitForSelector('[data-testid=record-ports]');
  // A port that does not exist: a one-line error naming it, and the form stays.
  await page.fill('[data-testid=record-port-0]', join(dir, 'no-such-port'));
  await page.click('[data-testid=record-start]');
  const refused = await page.waitForSelector('[data-testid=error-banner]', { timeout: 30_000 });
  const message = (await refused.textContent()) ?? '';
  assert.ok(message.includes(join(dir, 'no-such-port')), message);
  assert.ok(!message.includes('\n'), message);
  await page.fill('[data-testid=record-port-0]', pty.host);
  await page.click('[data-testid=record-start]');
  // The device starts sending once the recorder waits for its header (as one switched on after Start).
  // The link drops for 20 simulated s (4 s at 5×) from 40 s: what the device takes meanwhile is lost.
  sim = startGaitlab(['--json', 'simulate', '--device', 'insole', '--from', WALK, '--rate-x', '5', '--port', pty.device, '--drop-at', '40', '--drop-for', '20']);
  await page.waitForSelector('[data-testid=live-controls][data-state=recording]', { timeout: 30_000 });
  const panel = '[data-testid=live-device-insole-GaCo01_01]';
  await page.waitForSelector(panel);

  // Points arrive in the plot while the simulator plays: counted in plotly's own traces (L_total and R_total).
  const tracePoints = () => page.$eval(`${panel} [data-testid=live-plot]`, (el) => (el as unknown as { data?: { name: string; x: number[] }[] }).data?.map((t) => ({ name: t.name, n: t.x.length })) ?? []);
  await page.waitForFunction((sel) => ((document.querySelector(sel) as unknown as { data?: { x: number[] }[] })?.data?.[0]?.x.length ?? 0) > 100, `${panel} [data-testid=live-plot]`, { timeout: 20_000 });
  const early = await tracePoints();
  assert.deepEqual(early.map((t) => t.name), ['L_total', 'R_total']);
  // Leaving the page leaves the recording running; coming back shows it again, appending anew.
  await page.click('[data-testid=nav-trials]');
  await page.waitForSelector('[data-testid=record-page]', { state: 'detached' });
  await page.click('[data-testid=nav-record]');
  await page.waitForSelector('[data-testid=live-controls][data-state=recording]');
  await page.waitForFunction((sel) => ((document.querySelector(sel) as unknown as { data?: { x: number[] }[] })?.data?.[0]?.x.length ?? 0) > 50, `${panel} [data-testid=live-plot]`, { timeout: 20_000 });
  await page.click('[data-testid=record-marker]');
  await page.fill('[data-testid=record-note]', 'patient turns');
  await page.click('[data-testid=record-add-note]');
  await page.waitForFunction(() => document.querySelectorAll('[data-testid=live-markers] li').length === 2);

  // The drop: the link shows silent, then streaming again with the lost samples counted.
  const link = `${panel} [data-testid=live-link]`;
  await page.waitForFunction((sel) => document.querySelector(sel)?.textContent === 'silent', link, { timeout: 20_000 });
  await page.waitForFunction((sel) => document.querySelector(sel)?.textContent === 'streaming', link, { timeout: 20_000 });
  await page.waitForFunction((sel) => Number(/^(\d+)/.exec(document.querySelector(sel)?.textContent ?? '')?.[1]) > 500, `${panel} [data-testid=live-lost]`, { timeout: 10_000 });

  // At 5× the display stream is ~250 points/s: within a few seconds the plot holds its full window and no more,
  // while the points drawn keep growing; the live gait estimate has found contacts on both feet and a cadence.
  await page.waitForFunction((sel) => Number(document.querySelector(sel)?.getAttribute('data-points')) > 2 * 600, panel, { timeout: 30_000 });
  const late = await tracePoints();
  for (const t of late) assert.equal(t.n, MAX_POINTS, `${t.name} holds ${t.n} points`);
  // The live estimate restarts after the hole (1.5 s of warm-up and three contacts of device time).
  await page.waitForFunction((sel) => /steps\/min/.test(document.querySelector(sel)?.textContent ?? ''), `${panel} [data-testid=live-cadence]`, { timeout: 10_000 });
  const gait = await page.$eval(`${panel} [data-testid=live-gait]`, (el) => ({ left: Number(el.getAttribute('data-contacts-left')), right: Number(el.getAttribute('data-contacts-right')), cadence: el.querySelector('[data-testid=live-cadence]')!.textContent }));
  assert.ok(gait.left >= 3 && gait.right >= 3, `live contacts ${JSON.stringify(gait)}`);
  const cadence = Number(/^(\d+) steps\/min$/.exec(gait.cadence ?? '')?.[1]);
  // GaCo01_01 walks at about 100 steps/min (InsoleEvents on the file); the estimate runs on the device clock.
  assert.ok(cadence > 80 && cadence < 120, `live cadence ${gait.cadence}`);
  // The measured rate is that of the last second (5 × 100 Hz here), polled each second: the first poll after the drop
  // may still count part of it.
  await page.waitForFunction((sel) => Number(/^(\d+)/.exec(document.querySelector(sel)?.textContent ?? '')?.[1]) > 250, `${panel} [data-testid=live-rate]`, { timeout: 10_000 });
  const health = await page.$eval(panel, (el) => ({
    link: el.querySelector('[data-testid=live-link]')!.textContent, rate: el.querySelector('[data-testid=live-rate]')!.textContent,
    bad: el.querySelector('[data-testid=live-bad-lines]')!.textContent, latency: el.getAttribute('data-latency-ms')?.split(',')[1],
  }));
  assert.equal(health.link, 'streaming');
  const rate = Number(/^(\d+)/.exec(health.rate ?? '')?.[1]);
  assert.ok(rate > 250 && rate < 750, `measured rate ${health.rate} (5 × 100 Hz expected)`);
  assert.equal(health.bad, '0');
  assert.ok(Number(health.latency) > 0, `latency p95 ${health.latency}`);
  await page.screenshot({ path: join(ARTIFACTS, 'live-view.png'), fullPage: true });

  await page.click('[data-testid=record-stop]');
  await page.waitForSelector('[data-testid=record-result][data-state=stopped]', { timeout: 60_000 });
  sim.proc.kill('SIGTERM');
  const result = await page.$eval('[data-testid=record-result]', (el) => ({ text: el.textContent ?? '', href: el.querySelector('a')?.getAttribute('href') ?? '' }));
  const trialId = decodeURIComponent(result.href.replace('#/trials/', ''));
  const shownSamples = Number(/: (\d+) samples/.exec(result.text)?.[1]);
  assert.ok(shownSamples > 1000, result.text);
  assert.ok(Number(/(\d+) gaps/.exec(result.text)?.[1]) >= 1, `the dropped link is a recorded gap: ${result.text}`);
  assert.deepEqual(problems, []);
  await page.close();

  const ctx = openServiceContext({ dbPath: db, mode: 'cli' });
  try {
    const call = checkedDispatch(createDispatcher(ctx));
    const trial = (await call('listTrials', { offset: 0, limit: 10 })).trials.find((t) => t.id === trialId);
    assert.ok(trial, `trial ${trialId} in the database`);
    assert.equal(trial.recordingStatus, 'closed');
    const signals = await call('getSignals', { trialId, channels: ['L_total', 'R_total'], valuesIncluded: false });
    for (const c of signals.channels) assert.equal(c.samples, shownSamples, c.name);
    const markers = (await call('getEvents', { trialId })).events.filter((e) => e.label === 'marker');
    assert.equal(markers.length, 2);
    assert.deepEqual(markers.map((m) => (m.params as { text?: string }).text), ['Marker 1', 'patient turns']);
  } finally {
    closeServiceContext(ctx);
  }
});
