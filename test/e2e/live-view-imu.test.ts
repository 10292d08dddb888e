// The Record page with an IMU on the right shank, in Debian's Chromium against `gaitlab serve`: `gaitlab simulate
// --device imu` replays a real HuGaDB walk's right-shank sensor over the line protocol on a socat pty pair; the live
// estimate runs on its sagittal gyroscope (one leg: contacts on the right only, a stride counted as two steps).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { useBrowser } from './chromium';
import { sharedData, tempDir } from '../helpers';
import { PtyPair } from '../acquisition/pty-pair';
import { startGaitlab, type LiveCommand } from '../acquisition/live-cli';

const WALK = sharedData('hugadb', 'HuGaDB_v1_walking_01_01.txt.gz');
const dir = tempDir();
const chrome = useBrowser();
let sim: LiveCommand | undefined;
const pty = new PtyPair(dir, 'imu');

before(async () => {
  await pty.start();
});
after(async () => {
  sim?.proc.kill('SIGTERM');
  await pty.stop();
});

test('Record page: a shank IMU records live with the live gait estimate from its gyroscope (right leg contacts, cadence), then Stop', { timeout: 120_000 }, async () => {
  const db = join(dir, 'live.db');
  const { page, problems } = await chrome.open(db, { viewport: { width: 1300, height: 1100 }, warnings: true });
  await page.click('[data-testid=nav-record]');
  await page.waitForSelector('[data-testid=record-page]');
  await page.fill('[data-testid=record-new-code]', 'IMU01');
  await page.click('[data-testid=record-create-subject]');
  await page.waitForFunction(() => (document.querySelector('[data-testid=record-subject]') as HTMLSelectElement).value !== '');
  await page.selectOption('[data-testid=record-kind-0]', 'imu');
  await page.fill('[data-testid=record-port-0]', pty.host);
  await page.click('[data-testid=record-start]');
  sim = startGaitlab(['--json', 'simulate', '--device', 'imu', '--from', WALK, '--sensor', 'rs', '--rate-x', '2', '--port', pty.device]);
  await page.waitForSelector('[data-testid=live-controls][data-state=recording]', { timeout: 30_000 });
  const panel = '[data-testid=live-device-imu-rs-HuGaDB_v1_walking_01_01]';
  await page.waitForSelector(panel);
  await page.waitForFunction((sel) => /steps\/min/.test(document.querySelector(sel)?.textContent ?? ''), `${panel} [data-testid=live-cadence]`, { timeout: 30_000 });
  const gait = await page.$eval(`${panel} [data-testid=live-gait]`, (el) => ({
    text: el.textContent ?? '', left: Number(el.getAttribute('data-contacts-left')), right: Number(el.getAttribute('data-contacts-right')),
    cadence: Number(/(\d+) steps\/min/.exec(el.querySelector('[data-testid=live-cadence]')!.textContent ?? '')?.[1]),
  }));
  assert.match(gait.text, /ShankGyroEvents after Stop/);
  assert.equal(gait.left, 0, 'no left-leg sensor, no left contacts');
  assert.ok(gait.right >= 3, `live contacts ${JSON.stringify(gait)}`);
  // This walk's subject steps at ≈ 150/min (ShankGyroEvents on the file, both legs); the estimate runs on the device clock.
  assert.ok(gait.cadence > 120 && gait.cadence < 180, `cadence ${gait.cadence}`);
  await page.click('[data-testid=record-stop]');
  await page.waitForSelector('[data-testid=record-result][data-state=stopped]', { timeout: 60_000 });
  assert.deepEqual(problems, []);
  await page.close();
});
