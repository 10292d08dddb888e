// The Record page with a Shimmer3, in Debian's Chromium against `gaitlab serve`: `gaitlab simulate --device shimmer`
// replays the real SD-log binary over the Bluetooth protocol on a socat pty pair; the kind chosen on the page, its
// motion channels drawn live (not the battery), its battery as health, Stop; a Movella DOT refused with one line where
// BLE is unavailable.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { useBrowser } from './chromium';
import { gaitlab, sharedData, tempDir } from '../helpers';
import { PtyPair } from '../acquisition/pty-pair';
import { startGaitlab, type LiveCommand } from '../acquisition/live-cli';

const BIN = sharedData('shimmer3', 'triaxcal_sample.bin');
const dir = tempDir();
const chrome = useBrowser();
let sim: LiveCommand | undefined;
const pty = new PtyPair(dir, 'shimmer');

before(async () => {
  await pty.start();
});
after(async () => {
  sim?.proc.kill('SIGTERM');
  await pty.stop();
});

test('Record page: a Shimmer3 chosen as the device kind records live (motion channels drawn, battery shown), a Movella DOT is refused "BLE unavailable: …"', { timeout: 120_000 }, async () => {
  const db = join(dir, 'live.db');
  assert.equal(gaitlab(['--db', db, 'import', BIN, '--subject', 'triaxcal_sample']).code, 0);
  const { page, problems } = await chrome.open(db, { viewport: { width: 1300, height: 1100 }, warnings: true });
  await page.click('[data-testid=nav-record]');
  await page.waitForSelector('[data-testid=record-page]');
  await page.waitForFunction(() => (document.querySelector('[data-testid=record-subject]') as HTMLSelectElement | null)?.options.length! > 1);
  await page.selectOption('[data-testid=record-subject]', { label: 'triaxcal_sample' });

  const doctor = gaitlab(['doctor', '--json']).json;
  await page.selectOption('[data-testid=record-kind-0]', 'movella-dot');
  assert.equal(await page.getAttribute('[data-testid=record-port-0]', 'aria-label'), 'BLE address');
  assert.equal(await page.$('[data-testid=record-legacy-0]'), null, 'plain lines are offered for insoles and IMUs only');
  if (!doctor.ble.available) {
    await page.fill('[data-testid=record-port-0]', 'any');
    await page.click('[data-testid=record-start]');
    const refused = await page.waitForSelector('[data-testid=error-banner]', { timeout: 30_000 });
    const message = (await refused.textContent()) ?? '';
    assert.ok(message.includes(`BLE unavailable: ${doctor.ble.reason}`), message);
  }

  await page.selectOption('[data-testid=record-kind-0]', 'shimmer3');
  assert.equal(await page.getAttribute('[data-testid=record-port-0]', 'aria-label'), 'Serial port');
  sim = startGaitlab(['--json', 'simulate', '--device', 'shimmer', '--from', BIN, '--rate-x', '5', '--duration', '60', '--port', pty.device]);
  await sim.waitFor(/Shimmer3 replay listening on/);
  await page.fill('[data-testid=record-port-0]', pty.host);
  await page.click('[data-testid=record-start]');
  await page.waitForSelector('[data-testid=live-controls][data-state=recording]', { timeout: 30_000 });
  const panel = '[data-testid="live-device-Shimmer3 shimmer-host"]';
  await page.waitForSelector(panel);
  const plot = `${panel} [data-testid=live-plot]`;
  await page.waitForFunction((sel) => ((document.querySelector(sel) as unknown as { data?: { x: number[] }[] })?.data?.[0]?.x.length ?? 0) > 100, plot, { timeout: 20_000 });
  const traces = await page.$eval(plot, (el) => (el as unknown as { data: { name: string }[] }).data.map((t) => t.name));
  assert.deepEqual(traces, ['accel_ln_x', 'accel_ln_y', 'accel_ln_z', 'gyro_x', 'gyro_y', 'gyro_z']);
  await page.waitForFunction((sel) => / %$/.test(document.querySelector(sel)?.textContent ?? ''), `${panel} [data-testid=live-battery]`, { timeout: 15_000 });
  await page.waitForFunction((sel) => Number(/^(\d+)/.exec(document.querySelector(sel)?.textContent ?? '')?.[1]) > 250, `${panel} [data-testid=live-rate]`, { timeout: 10_000 });
  const health = await page.$eval(panel, (el) => ({
    link: el.querySelector('[data-testid=live-link]')!.textContent, bad: el.querySelector('[data-testid=live-bad-lines]')!.textContent,
    lost: el.querySelector('[data-testid=live-lost]')!.textContent, battery: el.querySelector('[data-testid=live-battery]')!.textContent,
  }));
  assert.equal(health.link, 'streaming');
  assert.equal(health.bad, '0');
  assert.equal(health.lost, '0 (0 gaps)');
  const percent = Number(/^(\d+) %$/.exec(health.battery ?? '')?.[1]);
  assert.ok(percent > 0 && percent <= 100, `battery ${health.battery}`);

  await page.click('[data-testid=record-stop]');
  await page.waitForSelector('[data-testid=record-result][data-state=stopped]', { timeout: 60_000 });
  const result = (await page.textContent('[data-testid=record-result]')) ?? '';
  assert.ok(Number(/: (\d+) samples/.exec(result)?.[1]) > 200, result);
  assert.deepEqual(problems, []);
  await page.close();
});
