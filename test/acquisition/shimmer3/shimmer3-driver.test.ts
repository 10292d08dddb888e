// The Shimmer3 driver over a real serial link: a socat pty pair, the device side played by the Shimmer simulator
// (it answers the inquiry and the calibration command, ACKs, and streams packets made from the real SD file).
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Shimmer3Driver, batteryPercent } from '../../../src-main/acquisition/shimmer3/shimmer3-driver';
import { runShimmerSimulator } from '../../../src-main/acquisition/shimmer3/device-simulator';
import { readShimmerSd } from '../../../src-main/acquisition/shimmer3/sd-file';
import { calibrateChannels } from '../../../src-main/acquisition/shimmer3/calibration';
import type { DriverStatus, SampleBlock } from '../../../src-main/acquisition/driver';
import { sharedData, tempDir } from '../../helpers';

const BIN = sharedData('shimmer3', 'triaxcal_sample.bin');
const rec = readShimmerSd(new Uint8Array(readFileSync(BIN)), BIN);
const expected = calibrateChannels(rec.header.channels, rec.raw, rec.header.calibration).channels;
const dir = tempDir('gaitlab-shimmer3-pty-');
const children: ChildProcess[] = [];
after(() => { for (const c of children) c.kill('SIGKILL'); });

/** A socat pty pair: `device` for the simulator, `host` for the driver. Resolves once both links exist. */
async function ptyPair(name: string): Promise<{ device: string; host: string; socat: ChildProcess }> {
  const device = join(dir, `${name}-device`);
  const host = join(dir, `${name}-host`);
  const socat = spawn('socat', [`pty,raw,echo=0,link=${device}`, `pty,raw,echo=0,link=${host}`], { stdio: 'ignore' });
  children.push(socat);
  for (let i = 0; i < 200 && !(existsSync(device) && existsSync(host)); i++) await new Promise((r) => setTimeout(r, 10));
  assert.ok(existsSync(device) && existsSync(host), 'socat made no pty pair');
  return { device, host, socat };
}

/** Starts the simulated device on `port` and resolves, once its end of the link is open, with its run. */
async function startDevice(o: Omit<Parameters<typeof runShimmerSimulator>[0], 'from'>): Promise<{ run: ReturnType<typeof runShimmerSimulator> }> {
  let listening!: () => void;
  const ready = new Promise<void>((r) => { listening = r; });
  const run = runShimmerSimulator({ from: BIN, ...o, onListening: () => listening() });
  await ready;
  return { run };
}

async function collect(driver: Shimmer3Driver, samples: number, timeoutMs: number): Promise<SampleBlock[]> {
  const blocks: SampleBlock[] = [];
  let n = 0;
  await new Promise<void>((resolve, reject) => {
    const lost: unknown[] = [];
    driver.on('status', (s) => { if (s.type === 'lost-samples') lost.push(s); });
    const timer = setTimeout(() => reject(new Error(`only ${n} of ${samples} samples after ${timeoutMs} ms; bad bytes: ${JSON.stringify([...driver.badCounts])}; lost: ${JSON.stringify(lost)}`)), timeoutMs);
    driver.on('block', (b) => {
      blocks.push(b);
      n += b.counter.length;
      if (n >= samples) { clearTimeout(timer); resolve(); }
    });
  });
  return blocks;
}

test('the whole SD recording streamed at 5×: every sample arrives once, in order, equal to the calibrated file (float32)', async () => {
  const { device, host } = await ptyPair('full');
  const stopDevice = new AbortController();
  // 5× (7 s): a pty holds about 4 KB, so on a loaded machine a driver stalled for longer than the buffer lasts loses
  // bytes in the pty itself (at 20× that was 140 ms); the loss would be reported as lost samples, as it should.
  const { run: simulator } = await startDevice({ port: device, rateX: 5, signal: stopDevice.signal });
  // A long silence limit: on a loaded machine a stalled event loop must not pass for a dead link here.
  const driver = new Shimmer3Driver({ path: host, deviceId: 'Shimmer 952D', silenceMs: 10000 });
  const statuses: DriverStatus[] = [];
  driver.on('status', (s) => statuses.push(s));
  const description = await driver.open();
  assert.equal(description.kind, 'shimmer3');
  assert.ok(Math.abs(description.rateHz - 73.142857) < 1e-5);
  assert.deepEqual(description.channels.map((c) => c.name), rec.header.channels);
  assert.deepEqual(description.channels.map((c) => c.unit), expected.map((c) => c.unit));
  const received = collect(driver, rec.samples, 40000);
  const t0 = performance.now();
  await driver.start();
  const blocks = await received;
  const seconds = (performance.now() - t0) / 1000;
  await driver.stop();
  await driver.close();
  stopDevice.abort();
  const result = await simulator;
  console.log(`${rec.samples} samples in ${blocks.length} blocks over ${seconds.toFixed(2)} s (5× real time: ${(29.37 / 5).toFixed(2)} s); device got ${result.commands} commands`);

  assert.equal(result.sent, rec.samples);
  // Battery health from the streamed battery channel, at most every 10 s: here once, from the first block's last sample.
  assert.deepEqual(statuses.map((s) => s.type), ['connected', 'battery']);
  const batteryMv = expected.find((c) => c.name === 'battery')!.values[blocks[0].counter.length - 1];
  assert.deepEqual(statuses[1], { type: 'battery', deviceId: 'Shimmer 952D', percent: batteryPercent(batteryMv) });
  assert.ok(batteryMv > 3200 && batteryMv < 4300, `battery ${batteryMv} mV`);
  assert.equal(driver.badCounts.size, 0);
  let i = 0;
  for (const b of blocks) {
    assert.equal(b.channelCount, 13);
    assert.equal(b.deviceId, 'Shimmer 952D');
    for (let k = 0; k < b.counter.length; k++, i++) {
      assert.equal(b.counter[k], i, 'counter');
      assert.equal(b.deviceTimeUs[k], (rec.timestampTicks[i] / 32768) * 1e6);
      for (let c = 0; c < 13; c++) assert.equal(b.values[k * 13 + c], Math.fround(expected[c].values[i]), `sample ${i} ${rec.header.channels[c]}`);
    }
  }
  assert.equal(i, rec.samples);
  for (const b of blocks) for (let k = 1; k < b.hostTimeMs.length; k++) assert.ok(b.hostTimeMs[k] >= b.hostTimeMs[k - 1]);
});

test('configure: set-sensors to the gyro only, then a fresh inquiry; junk bytes on the link are counted, never data', async () => {
  const { device, host } = await ptyPair('gyro');
  const stopDevice = new AbortController();
  const { run: simulator } = await startDevice({ port: device, rateX: 40, durationS: 5, corruptEvery: 50, signal: stopDevice.signal });
  const driver = new Shimmer3Driver({ path: host });
  const bad: DriverStatus[] = [];
  driver.on('status', (s) => { if (s.type === 'bad-input' || s.type === 'lost-samples') bad.push(s); });
  await driver.open();
  const description = await driver.configure({ channels: ['gyro_x'] });
  assert.deepEqual(description.channels.map((c) => `${c.name} ${c.unit}`), ['gyro_x deg/s', 'gyro_y deg/s', 'gyro_z deg/s']);
  await assert.rejects(driver.configure({ channels: ['heart_rate'] }), /field channels: heart_rate is not a Shimmer3 channel/);
  const wanted = Math.round(5 * 73.142857);
  const received = collect(driver, wanted - 20, 10000);
  await driver.start();
  const blocks = await received;
  await new Promise((r) => setTimeout(r, 300));
  await driver.stop();
  await driver.close();
  stopDevice.abort();
  const result = await simulator;
  const gyro = expected.filter((c) => c.name.startsWith('gyro_'));
  let samples = 0;
  for (const b of blocks) {
    assert.equal(b.channelCount, 3);
    for (let k = 0; k < b.counter.length; k++) {
      const i = b.counter[k] % rec.samples;
      for (let c = 0; c < 3; c++) assert.equal(b.values[k * 3 + c], Math.fround(gyro[c].values[i]), `counter ${b.counter[k]}`);
      samples++;
    }
  }
  assert.ok(result.corrupted >= 5, `corrupted ${result.corrupted}`);
  const badCount = bad.filter((s) => s.type === 'bad-input').reduce((a, s) => a + (s.type === 'bad-input' ? s.count : 0), 0);
  assert.ok(badCount >= result.corrupted, `bad bytes reported: ${badCount}`);
  // A packet followed by junk is dropped, never guessed: what is missing shows as lost samples, the rest arrives.
  const lost = bad.filter((s) => s.type === 'lost-samples').reduce((a, s) => a + (s.type === 'lost-samples' ? s.missing : 0), 0);
  console.log(`gyro only: ${samples} samples, ${result.corrupted} junk bytes, ${badCount} bad bytes reported, ${lost} samples lost`);
  assert.ok(lost <= result.corrupted);
});

test('link dropped mid-stream (socat killed, then restarted): detected within 2 s, the driver reconnects by itself, the gap is lost samples', async () => {
  const first = await ptyPair('drop');
  const stopDevice = new AbortController();
  const { run: simulator } = await startDevice({ port: first.device, rateX: 10, durationS: 30, signal: stopDevice.signal });
  const driver = new Shimmer3Driver({ path: first.host });
  const statuses: Array<DriverStatus & { atMs: number }> = [];
  driver.on('status', (s) => statuses.push({ ...s, atMs: performance.now() }));
  const counters: number[] = [];
  driver.on('block', (b) => {
    for (let k = 0; k < b.counter.length; k++) {
      const i = b.counter[k] % rec.samples;
      for (let c = 0; c < 13; c++) assert.equal(b.values[k * 13 + c], Math.fround(expected[c].values[i]), `counter ${b.counter[k]}`);
      counters.push(b.counter[k]);
    }
  });
  await driver.open();
  await driver.start();
  await new Promise((r) => setTimeout(r, 800));
  const before = counters.length;
  first.socat.kill('SIGKILL');
  const killedAt = performance.now();
  await new Promise((r) => setTimeout(r, 700));
  // The same links again: what a re-paired Bluetooth port looks like to the host.
  await ptyPair('drop');
  const deadline = performance.now() + 8000;
  while (performance.now() < deadline && !(statuses.filter((s) => s.type === 'connected').length >= 2 && counters.length > before + 50)) await new Promise((r) => setTimeout(r, 50));
  await driver.stop();
  await driver.close();
  stopDevice.abort();
  const result = await simulator;

  const disconnected = statuses.find((s) => s.type === 'disconnected');
  assert.ok(disconnected, `no disconnect reported: ${JSON.stringify(statuses.map((s) => s.type))}`);
  const detectMs = disconnected.atMs - killedAt;
  const reconnected = statuses.filter((s) => s.type === 'connected')[1];
  assert.ok(reconnected, `no reconnect: ${JSON.stringify(statuses.map((s) => s.type))}`);
  const lost = statuses.filter((s) => s.type === 'lost-samples').reduce((a, s) => a + (s.type === 'lost-samples' ? s.missing : 0), 0);
  console.log(`link drop: detected after ${detectMs.toFixed(0)} ms (${disconnected.type === 'disconnected' ? disconnected.reason : ''}), reconnected after ${(reconnected.atMs - killedAt).toFixed(0)} ms; ${counters.length} samples received, ${lost} lost, device dropped ${result.dropped}`);
  assert.ok(detectMs <= 2000, `detected after ${detectMs} ms`);
  for (let k = 1; k < counters.length; k++) assert.ok(counters[k] > counters[k - 1], 'counters strictly increase: no duplicate, no reordering');
  assert.ok(counters.length > before + 50, 'samples arrive again after the reconnect');
  // Every counter value up to the last is either received or reported lost.
  assert.equal(counters.length + lost, counters[counters.length - 1] + 1);
});
