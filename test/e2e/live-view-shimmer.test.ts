// The Record page with a Shimmer3, in Debian's Chromium against `gaitlab serve`: `gaitlab simulate --device shimmer`
// replays the real SD-log binary over the Bluetooth protocol on a socat pty pair; the kind chosen on the page, its
// motion channels drawn live (not the battery), its battery as health, Stop; a Movella DOT refused with one line where
// BLE is unavailable.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { gaitlab, sharedData } from '../helpers';
import { stopRecording, useLiveRecording, waitForNumberAbove, waitForPlotPoints, waitForRecording, waitForText } from './live-recording';

const BIN = sharedData('shimmer3', 'triaxcal_sample.bin');
const live = useLiveRecording('shimmer');

test('Record page: a Shimmer3 chosen as the device kind records live (motion channels drawn, battery shown), a Movella DOT is refused "BLE unavailable: …"', { timeout: 120_000 }, async () => {
  assert.equal(gaitlab(['--db', live.db, 'import', BIN, '--subject', 'triaxcal_sample']).code, 0);
  const { page, problems } = await live.openRecordPage();
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
  const sim = live.simulate(['--device', 'shimmer', '--from', BIN, '--rate-x', '5', '--duration', '60']);
  await sim.waitFor(/Shimmer3 replay listening on/);
  await page.fill('[data-testid=record-port-0]', live.pty.host);
  await page.click('[data-testid=record-start]');
  const panel = '[data-testid="live-device-Shimmer3 shimmer-host"]';
  await waitForRecording(page, panel);
  const plot = `${panel} [data-testid=live-plot]`;
  await waitForPlotPoints(page, plot, 100, 20_000);
  const traces = await page.$eval(plot, (el) => (el as unknown as { data: { name: string }[] }).data.map((t) => t.name));
  assert.deepEqual(traces, ['accel_ln_x', 'accel_ln_y', 'accel_ln_z', 'gyro_x', 'gyro_y', 'gyro_z']);
  await waitForText(page, `${panel} [data-testid=live-battery]`, / %$/, 15_000);
  await waitForNumberAbove(page, `${panel} [data-testid=live-rate]`, 250, 10_000);
  const health = await page.$eval(panel, (el) => ({
    link: el.querySelector('[data-testid=live-link]')!.textContent, bad: el.querySelector('[data-testid=live-bad-lines]')!.textContent,
    lost: el.querySelector('[data-testid=live-lost]')!.textContent, battery: el.querySelector('[data-testid=live-battery]')!.textContent,
  }));
  assert.equal(health.link, 'streaming');
  assert.equal(health.bad, '0');
  assert.equal(health.lost, '0 (0 gaps)');
  const percent = Number(/^(\d+) %$/.exec(health.battery ?? '')?.[1]);
  assert.ok(percent > 0 && percent <= 100, `battery ${health.battery}`);

  await stopRecording(page);
  const result = (await page.textContent('[data-testid=record-result]')) ?? '';
  assert.ok(Number(/: (\d+) samples/.exec(result)?.[1]) > 200, result);
  assert.deepEqual(problems, []);
  await page.close();
});
