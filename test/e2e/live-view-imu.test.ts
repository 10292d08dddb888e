// The Record page with an IMU on the right shank, in Debian's Chromium against `gaitlab serve`: `gaitlab simulate
// --device imu` replays a real HuGaDB walk's right-shank sensor over the line protocol on a socat pty pair; the live
// estimate runs on its sagittal gyroscope (one leg: contacts on the right only, a stride counted as two steps).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { sharedData } from '../helpers';
import { registerSubject, stopRecording, useLiveRecording, waitForRecording, waitForText } from './live-recording';

const WALK = sharedData('hugadb', 'HuGaDB_v1_walking_01_01.txt.gz');
const live = useLiveRecording('imu');

test('Record page: a shank IMU records live with the live gait estimate from its gyroscope (right leg contacts, cadence), then Stop', { timeout: 120_000 }, async () => {
  const { page, problems } = await live.openRecordPage();
  await registerSubject(page, 'IMU01');
  await page.selectOption('[data-testid=record-kind-0]', 'imu');
  await page.fill('[data-testid=record-port-0]', live.pty.host);
  await page.click('[data-testid=record-start]');
  live.simulate(['--device', 'imu', '--from', WALK, '--sensor', 'rs', '--rate-x', '2']);
  const panel = '[data-testid=live-device-imu-rs-HuGaDB_v1_walking_01_01]';
  await waitForRecording(page, panel);
  await waitForText(page, `${panel} [data-testid=live-cadence]`, /steps\/min/, 30_000);
  const gait = await page.$eval(`${panel} [data-testid=live-gait]`, (el) => ({
    text: el.textContent ?? '', left: Number(el.getAttribute('data-contacts-left')), right: Number(el.getAttribute('data-contacts-right')),
    cadence: Number(/(\d+) steps\/min/.exec(el.querySelector('[data-testid=live-cadence]')!.textContent ?? '')?.[1]),
  }));
  assert.match(gait.text, /ShankGyroEvents after Stop/);
  assert.equal(gait.left, 0, 'no left-leg sensor, no left contacts');
  assert.ok(gait.right >= 3, `live contacts ${JSON.stringify(gait)}`);
  // This walk's subject steps at ≈ 150/min (ShankGyroEvents on the file, both legs); the estimate runs on the device clock.
  assert.ok(gait.cadence > 120 && gait.cadence < 180, `cadence ${gait.cadence}`);
  await stopRecording(page);
  assert.deepEqual(problems, []);
  await page.close();
});
