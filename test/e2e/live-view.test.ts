// The Record page in Debian's Chromium against `gaitlab serve` (browser mode as a user starts it), with `gaitlab
// simulate` playing a gaitpdb walk as an insole at 5× over a socat pty pair: a subject registered on the page, the
// recording started from the UI, samples appended to the live plot (its window bounded), the live gait estimate,
// leaving the page and coming back, a marker and a note, a dropped link, Stop; then the trial in the database with every sample and the marker events; no console
// errors; a screenshot in test-artifacts/.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { sharedData } from '../helpers';
import { ARTIFACTS } from './chromium';
import { registerSubject, stopRecording, useLiveRecording, waitForNumberAbove, waitForPlotPoints, waitForRecording, waitForText } from './live-recording';
import { closeServiceContext, openServiceContext } from '../../src-main/services/context';
import { createDispatcher } from '../../src-main/services/dispatch';
import { checkedDispatch } from '../api-contract';

const WALK = sharedData('gaitpdb', 'GaCo01_01.txt.gz');
/** The plot's bounded window: LIVE_WINDOW_S (10 s) × 60 points/s (LiveDevicePanel's MAX_POINTS). */
const MAX_POINTS = 600;
const live = useLiveRecording('insole');

test('Record page: start from the UI, samples appended to a bounded live plot, live cadence, marker and note, stop; the trial holds every sample and the markers', { timeout: 120_000 }, async () => {
  const { page, problems } = await live.openRecordPage();

  // A subject registered on the page, chosen at once.
  await registerSubject(page, 'LIVE01');
  await page.click('[data-testid=record-list-ports]');
  await page.waitForSelector('[data-testid=record-ports]');
  // A port that does not exist: a one-line error naming it, and the form stays.
  await page.fill('[data-testid=record-port-0]', join(live.dir, 'no-such-port'));
  await page.click('[data-testid=record-start]');
  const refused = await page.waitForSelector('[data-testid=error-banner]', { timeout: 30_000 });
  const message = (await refused.textContent()) ?? '';
  assert.ok(message.includes(join(live.dir, 'no-such-port')), message);
  assert.ok(!message.includes('\n'), message);
  await page.fill('[data-testid=record-port-0]', live.pty.host);
  await page.click('[data-testid=record-start]');
  // The device starts sending once the recorder waits for its header (as one switched on after Start).
  // The link drops for 20 simulated s (4 s at 5×) from 40 s: what the device takes meanwhile is lost.
  const sim = live.simulate(['--device', 'insole', '--from', WALK, '--rate-x', '5', '--drop-at', '40', '--drop-for', '20']);
  const panel = '[data-testid=live-device-insole-GaCo01_01]';
  await waitForRecording(page, panel);

  // Points arrive in the plot while the simulator plays: counted in plotly's own traces (L_total and R_total).
  const plot = `${panel} [data-testid=live-plot]`;
  const tracePoints = () => page.$eval(plot, (el) => (el as unknown as { data?: { name: string; x: number[] }[] }).data?.map((t) => ({ name: t.name, n: t.x.length })) ?? []);
  await waitForPlotPoints(page, plot, 100, 20_000);
  const early = await tracePoints();
  assert.deepEqual(early.map((t) => t.name), ['L_total', 'R_total']);
  // Leaving the page leaves the recording running; coming back shows it again, appending anew.
  await page.click('[data-testid=nav-trials]');
  await page.waitForSelector('[data-testid=record-page]', { state: 'detached' });
  await page.click('[data-testid=nav-record]');
  await page.waitForSelector('[data-testid=live-controls][data-state=recording]');
  await waitForPlotPoints(page, plot, 50, 20_000);
  await page.click('[data-testid=record-marker]');
  await page.fill('[data-testid=record-note]', 'patient turns');
  await page.click('[data-testid=record-add-note]');
  await page.waitForFunction(() => document.querySelectorAll('[data-testid=live-markers] li').length === 2);

  // The drop: the link shows silent, then streaming again with the lost samples counted.
  const link = `${panel} [data-testid=live-link]`;
  await waitForText(page, link, /^silent$/, 20_000);
  await waitForText(page, link, /^streaming$/, 20_000);
  await waitForNumberAbove(page, `${panel} [data-testid=live-lost]`, 500, 10_000);

  // At 5× the display stream is ~250 points/s: within a few seconds the plot holds its full window and no more,
  // while the points drawn keep growing; the live gait estimate has found contacts on both feet and a cadence.
  await page.waitForFunction((sel) => Number(document.querySelector(sel)?.getAttribute('data-points')) > 2 * 600, panel, { timeout: 30_000 });
  const late = await tracePoints();
  for (const t of late) assert.equal(t.n, MAX_POINTS, `${t.name} holds ${t.n} points`);
  // The live estimate restarts after the hole (1.5 s of warm-up and three contacts of device time).
  await waitForText(page, `${panel} [data-testid=live-cadence]`, /steps\/min/, 10_000);
  const gait = await page.$eval(`${panel} [data-testid=live-gait]`, (el) => ({ left: Number(el.getAttribute('data-contacts-left')), right: Number(el.getAttribute('data-contacts-right')), cadence: el.querySelector('[data-testid=live-cadence]')!.textContent }));
  assert.ok(gait.left >= 3 && gait.right >= 3, `live contacts ${JSON.stringify(gait)}`);
  const cadence = Number(/^(\d+) steps\/min$/.exec(gait.cadence ?? '')?.[1]);
  // GaCo01_01 walks at about 100 steps/min (InsoleEvents on the file); the estimate runs on the device clock.
  assert.ok(cadence > 80 && cadence < 120, `live cadence ${gait.cadence}`);
  // The measured rate is that of the last second (5 × 100 Hz here), polled each second: the first poll after the drop
  // may still count part of it.
  await waitForNumberAbove(page, `${panel} [data-testid=live-rate]`, 250, 10_000);
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

  await stopRecording(page);
  sim.proc.kill('SIGTERM');
  const result = await page.$eval('[data-testid=record-result]', (el) => ({ text: el.textContent ?? '', href: el.querySelector('a')?.getAttribute('href') ?? '' }));
  const trialId = decodeURIComponent(result.href.replace('#/trials/', ''));
  const shownSamples = Number(/: (\d+) samples/.exec(result.text)?.[1]);
  assert.ok(shownSamples > 1000, result.text);
  assert.ok(Number(/(\d+) gaps/.exec(result.text)?.[1]) >= 1, `the dropped link is a recorded gap: ${result.text}`);
  assert.deepEqual(problems, []);
  await page.close();

  const ctx = openServiceContext({ dbPath: live.db, mode: 'cli' });
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
