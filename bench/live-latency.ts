// Sensor-to-screen latency in browser mode, measured with timestamps (part 'latency' of npm run bench:acquisition):
// `gaitlab serve` on a fresh database, Debian's Chromium on its Record page, an insole (a gaitpdb walk) and an IMU
// (HuGaDB) played at 1× real time over socat ptys, the recording started from the page. For every point drawn the
// page keeps (LiveDevicePanel): the sample's host receive time → sent by the acquisition process (sentAtMs) →
// received by the page → the animation frame after plotly drew it. Prints p50/p95/p99 per device; asserts nothing.
// rendererMemory (part 'renderer-memory'): the page's JS heap (after a forced GC) and DOM nodes at 1 simulated minute
// and at the end of a long recording of an insole played fast: the live view's buffers must keep it flat.
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { chromium } from 'playwright-core';
import { PtyPair } from '../test/acquisition/pty-pair';
import { gaitpdbInsoleSource, hugadbImuSource } from '../src-main/acquisition/simulator/replay-source';
import { runSimulator } from '../src-main/acquisition/simulator/simulator';
import { groupSnapshot, growthByType, heapGrowth, takeHeapSnapshot } from '../test/e2e/heap-snapshot';

const root = resolve(__dirname, '..');
const data = resolve(root, '../shared/data');
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function liveLatency(dir: string, seconds: number): Promise<void> {
  const db = join(dir, 'latency.db');
  const server: ChildProcess = spawn(process.execPath, [join(root, 'bin', 'gaitlab.cjs'), 'serve', '--db', db, '--json'], { stdio: ['ignore', 'pipe', 'inherit'] });
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking'] });
  const ptys = [new PtyPair(dir, 'lat-insole'), new PtyPair(dir, 'lat-imu')];
  const abort = new AbortController();
  try {
    for (const p of ptys) await p.start();
    const url = JSON.parse(await new Promise<string>((ok, fail) => {
      createInterface({ input: server.stdout! }).once('line', ok);
      server.once('exit', (code) => fail(new Error(`gaitlab serve exited with ${code}`)));
    })).server.url as string;
    const page = await browser.newPage({ viewport: { width: 1300, height: 1400 } });
    await page.goto(url);
    await page.evaluate(() => { window.location.hash = '#/record'; });
    await page.fill('[data-testid=record-new-code]', 'BENCH01');
    await page.click('[data-testid=record-create-subject]');
    await page.waitForFunction(() => (document.querySelector('[data-testid=record-subject]') as HTMLSelectElement).value !== '');
    await page.click('text=Add device');
    await page.fill('[data-testid=record-port-0]', ptys[0].host);
    await page.selectOption('[data-testid=record-kind-1]', 'imu');
    await page.fill('[data-testid=record-port-1]', ptys[1].host);
    await page.click('[data-testid=record-start]');
    const sims = [
      runSimulator(gaitpdbInsoleSource(join(data, 'gaitpdb', 'GaCo01_01.txt.gz')), { port: ptys[0].device, rateX: 1, durationS: seconds + 30, signal: abort.signal }),
      runSimulator(hugadbImuSource(join(data, 'hugadb', 'HuGaDB_v1_walking_01_01.txt.gz'), 'rs', 128), { port: ptys[1].device, rateX: 1, durationS: seconds + 30, signal: abort.signal }),
    ].map((p) => p.catch(() => null));
    await page.waitForSelector('[data-testid=live-controls][data-state=recording]', { timeout: 30_000 });
    const t0 = Date.now();
    await sleep(seconds * 1000);
    const figures = await page.$$eval('[data-testid^=live-device-]', (els) => els.map((el) => ({
      device: el.getAttribute('data-testid')!.replace('live-device-', ''), points: Number(el.getAttribute('data-points')), n: Number(el.getAttribute('data-latency-n')),
      total: el.getAttribute('data-latency-ms')!, acquisition: el.getAttribute('data-acquisition-ms')!, transport: el.getAttribute('data-transport-ms')!, render: el.getAttribute('data-render-ms')!,
    })));
    const wallS = (Date.now() - t0) / 1000;
    await page.click('[data-testid=record-stop]');
    await page.waitForSelector('[data-testid=record-result]', { timeout: 60_000 });
    abort.abort();
    await Promise.all(sims);
    console.log(`sensor-to-screen latency, browser mode (Chromium headless, 1 insole 100 Hz + 1 IMU 128 Hz at 1× for ${wallS.toFixed(0)} s; load average ${loadavg()[0].toFixed(1)} on this machine):`);
    for (const f of figures) {
      const [p50, p95, p99] = f.total.split(',');
      console.log(`  ${f.device}: ${f.points} points drawn, latency of the last ${f.n}: p50 ${p50} ms, p95 ${p95} ms, p99 ${p99} ms (goal p95 < 100 ms); `
        + `legs p50/p95/p99: sample → sent ${f.acquisition.replaceAll(',', '/')} ms, sent → page ${f.transport.replaceAll(',', '/')} ms, page → on screen ${f.render.replaceAll(',', '/')} ms`);
    }
  } finally {
    abort.abort();
    await browser.close();
    server.kill('SIGTERM');
    for (const p of ptys) await p.stop();
  }
}

/** snapshotDir: where heap snapshots at the first and last checkpoint are written (and what grew between them printed). */
export async function rendererMemory(dir: string, simulatedMin: number, rateX: number, snapshotDir?: string): Promise<void> {
  const db = join(dir, 'renderer-memory.db');
  const server: ChildProcess = spawn(process.execPath, [join(root, 'bin', 'gaitlab.cjs'), 'serve', '--db', db, '--json'], { stdio: ['ignore', 'pipe', 'inherit'] });
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking'] });
  const pty = new PtyPair(dir, 'mem-insole');
  const abort = new AbortController();
  try {
    await pty.start();
    const url = JSON.parse(await new Promise<string>((ok, fail) => {
      createInterface({ input: server.stdout! }).once('line', ok);
      server.once('exit', (code) => fail(new Error(`gaitlab serve exited with ${code}`)));
    })).server.url as string;
    const page = await browser.newPage({ viewport: { width: 1300, height: 1000 } });
    const cdp = await page.context().newCDPSession(page);
    await cdp.send('Performance.enable');
    const sample = async () => {
      await cdp.send('HeapProfiler.collectGarbage');
      const { metrics } = await cdp.send('Performance.getMetrics');
      const m = (name: string) => metrics.find((x) => x.name === name)?.value ?? NaN;
      return { heapMb: m('JSHeapUsedSize') / 2 ** 20, nodes: m('Nodes') };
    };
    // At 30× the page holds 30× a second's samples in flight (socket frames, the batch being drawn), so one sample
    // after a GC can land on a backlog. Three samples 1 s apart at every checkpoint, the first one included; the
    // lowest is the retained heap a leak would raise, and all three are printed.
    const measure = async () => {
      const samples = [];
      for (let i = 0; i < 3; i++) {
        if (i) await sleep(1000);
        samples.push(await sample());
      }
      return { heapMb: Math.min(...samples.map((x) => x.heapMb)), nodes: samples[samples.length - 1].nodes, samplesMb: samples.map((x) => x.heapMb) };
    };
    await page.goto(url);
    await page.evaluate(() => { window.location.hash = '#/record'; });
    await page.fill('[data-testid=record-new-code]', 'BENCH02');
    await page.click('[data-testid=record-create-subject]');
    await page.waitForFunction(() => (document.querySelector('[data-testid=record-subject]') as HTMLSelectElement).value !== '');
    await page.fill('[data-testid=record-port-0]', pty.host);
    await page.click('[data-testid=record-start]');
    const sim = runSimulator(gaitpdbInsoleSource(join(data, 'gaitpdb', 'GaCo01_01.txt.gz')), { port: pty.device, rateX, durationS: simulatedMin * 60 + 60, signal: abort.signal }).catch(() => null);
    await page.waitForSelector('[data-testid=live-controls][data-state=recording]', { timeout: 30_000 });
    const t0 = Date.now();
    const wallFor = (min: number) => (min * 60 * 1000) / rateX;
    // Checkpoints show whether what grows early levels off (plotly's and V8's one-time structures) or keeps growing.
    const checkpoints = [...new Set([1, Math.round(simulatedMin / 6), Math.round(simulatedMin / 2), simulatedMin].filter((m) => m >= 1))].sort((x, y) => x - y);
    const seen: { min: number; heapMb: number; nodes: number; samplesMb: number[] }[] = [];
    const snapshots: string[] = [];
    for (const min of checkpoints) {
      await sleep(Math.max(0, wallFor(min) - (Date.now() - t0)));
      seen.push({ min, ...(await measure()) });
      // After the samples, so that a snapshot's own allocations never reach a figure.
      if (snapshotDir && (min === checkpoints[0] || min === checkpoints[checkpoints.length - 1])) {
        const file = join(snapshotDir, `renderer-${min}min.heapsnapshot`);
        writeFileSync(file, await takeHeapSnapshot(cdp));
        snapshots.push(file);
      }
    }
    const [first, last] = [seen[0], seen[seen.length - 1]];
    const points = Number(await page.getAttribute('[data-testid^=live-device-]', 'data-points'));
    await page.click('[data-testid=record-stop]');
    await page.waitForSelector('[data-testid=record-result]', { timeout: 60_000 });
    abort.abort();
    await sim;
    console.log(`renderer over ${simulatedMin} simulated min of an insole at ${rateX}× (${points} points drawn): JS heap after GC, lowest of 3 samples 1 s apart ${seen.map((x) => `${x.min} min ${x.heapMb.toFixed(1)} MB (${x.samplesMb.map((v) => v.toFixed(1)).join('/')})`).join(', ')} `
      + `(growth ${(100 * (last.heapMb / first.heapMb - 1)).toFixed(1)} % from 1 min, goal < 10 %); DOM nodes ${seen.map((x) => x.nodes).join(' → ')}`);
    if (snapshots.length === 2) {
      const [before, after] = snapshots.map((f) => groupSnapshot(readFileSync(f, 'utf8')));
      const grown = heapGrowth(before, after, 15);
      const kib = (g: { bytes: number }) => `${g.bytes >= 0 ? '+' : ''}${(g.bytes / 1024).toFixed(1)} KiB`;
      console.log(`  heap snapshots ${snapshots.join(', ')}; from ${checkpoints[0]} to ${checkpoints[checkpoints.length - 1]} min by type: ${growthByType(before, after).map((g) => `${g.key} ${kib(g)}`).join(', ')}`);
      console.log('  grown most (type name: objects, bytes):');
      for (const g of grown) console.log(`    ${g.key}: ${g.count >= 0 ? '+' : ''}${g.count}, ${kib(g)}`);
    }
  } finally {
    abort.abort();
    await browser.close();
    server.kill('SIGTERM');
    await pty.stop();
  }
}
