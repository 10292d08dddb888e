// The Shimmer3 replay's faults over a real socat pty, seen by the real driver: a pause holds packets and sends them
// late (nothing lost), a dropped link loses exactly the packets due while it was down (a counter jump).
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { Shimmer3Driver } from '../../../src-main/acquisition/shimmer3/shimmer3-driver';
import { runShimmerSimulator } from '../../../src-main/acquisition/shimmer3/device-simulator';
import { readShimmerSd } from '../../../src-main/acquisition/shimmer3/sd-file';
import { calibrateChannels } from '../../../src-main/acquisition/shimmer3/calibration';
import type { DriverStatus } from '../../../src-main/acquisition/driver';
import { sharedData, tempDir } from '../../helpers';
import { PtyPair } from '../pty-pair';

const BIN = sharedData('shimmer3', 'triaxcal_sample.bin');
const rec = readShimmerSd(new Uint8Array(readFileSync(BIN)), BIN);
const expected = calibrateChannels(rec.header.channels, rec.raw, rec.header.calibration).channels;
const dir = tempDir('gaitlab-shimmer3-faults-');
const ptys: PtyPair[] = [];
after(async () => { for (const p of ptys) await p.stop(); });

/** Plays `durationS` simulated seconds at 10× with the given faults; returns what the driver received and was told. */
async function play(name: string, faults: { dropAtS?: number; dropForS?: number; pauseAtS?: number; pauseForS?: number }, durationS: number) {
  const pty = new PtyPair(dir, name);
  ptys.push(pty);
  await pty.start();
  let listening!: () => void;
  const ready = new Promise<void>((r) => { listening = r; });
  const stopDevice = new AbortController();
  const sim = runShimmerSimulator({ from: BIN, port: pty.device, rateX: 10, durationS, signal: stopDevice.signal, onListening: () => listening(), ...faults });
  await ready;
  // A long silence limit: the faults here are shorter than a lost link, and a loaded machine must not make one.
  const driver = new Shimmer3Driver({ path: pty.host, silenceMs: 10_000 });
  const statuses: DriverStatus[] = [];
  const counters: number[] = [];
  driver.on('status', (s) => statuses.push(s));
  driver.on('block', (b) => {
    for (let k = 0; k < b.counter.length; k++) {
      const i = b.counter[k] % rec.samples;
      for (let c = 0; c < b.channelCount; c++) assert.equal(b.values[k * b.channelCount + c], Math.fround(expected[c].values[i]), `counter ${b.counter[k]}`);
      counters.push(b.counter[k]);
    }
  });
  await driver.open();
  await driver.start();
  const total = Math.round(durationS / (rec.header.rateDivisor / 32768));
  const deadline = performance.now() + 20_000;
  while (performance.now() < deadline && (counters.length === 0 || counters[counters.length - 1] < total - 1)) await new Promise((r) => setTimeout(r, 50));
  await driver.stop();
  await driver.close();
  stopDevice.abort();
  const result = await sim;
  const lost = statuses.reduce((a, s) => a + (s.type === 'lost-samples' ? s.missing : 0), 0);
  return { result, counters, lost, total };
}

test('--pause: the packets are held, then sent late; every one arrives once, in order, none lost', async () => {
  const { result, counters, lost, total } = await play('pause', { pauseAtS: 3, pauseForS: 5 }, 12);
  console.log(`pause: ${result.held} packets held and sent late; ${counters.length} of ${total} received`);
  assert.ok(result.held >= 300, `held ${result.held}`);
  assert.equal(result.dropped, 0);
  assert.equal(lost, 0);
  assert.deepEqual(counters, Array.from({ length: total }, (_, i) => i));
});

test('--drop: the packets due while the link is down are lost, exactly those; the rest arrive in order', async () => {
  const { result, counters, lost, total } = await play('drop', { dropAtS: 3, dropForS: 4 }, 12);
  console.log(`drop: ${result.dropped} packets lost on the link; ${counters.length} of ${total} received`);
  assert.ok(result.dropped >= 280 && result.dropped <= 300, `dropped ${result.dropped} (4 s at 73.14 Hz)`);
  assert.equal(lost, result.dropped);
  assert.equal(counters.length + lost, total);
  for (let k = 1; k < counters.length; k++) assert.ok(counters[k] > counters[k - 1]);
  const jump = counters.findIndex((c, k) => k > 0 && c !== counters[k - 1] + 1);
  assert.equal(counters[jump] - counters[jump - 1] - 1, result.dropped, 'one jump over the dropped packets');
});
