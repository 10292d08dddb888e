// npm run bench:acquisition — the live recording path with real parts (socat ptys, the acquisition process, SQLite):
//   1. ingest rate for 2 insoles (100 Hz) + 2 IMUs (128 Hz) played N× faster than real time, with the loss;
//   2. the acquisition process's CPU at 1× real time (utime + stime from /proc, over the recording);
//   3. its resident memory at 1 and at 60 simulated minutes of a long recording (played fast);
//   4. kill -9 of the acquisition process mid-recording, 20 times: integrity, loss before the kill, interrupted;
//   5. sensor-to-screen latency in browser mode, Chromium on the Record page (live-latency.ts);
//   6. the Record page's JS heap at 1 and at 60 simulated minutes of a recording played fast;
//   7. (shimmer-memory) the acquisition process's RSS recording one Shimmer3 for 60 simulated minutes at 30×.
// Prints figures; asserts nothing. BENCH_QUICK=1 shortens every part (for a smoke run); BENCH_PARTS=ingest,cpu,memory,shimmer-memory,kill,latency,renderer-memory
// picks parts.
import { appendFileSync, readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { spawnSync } from 'node:child_process';
import Database from 'better-sqlite3';
import { PtyPair } from '../test/acquisition/pty-pair';
import { spawnAcquisition, type AcquisitionHandle } from '../src-main/acquisition/spawn-acquisition';
import type { AcquisitionToHost, HostToAcquisition } from '../src-main/acquisition/acquisition-protocol';
import { gaitpdbInsoleSource, hugadbImuSource, type ReplaySource } from '../src-main/acquisition/simulator/replay-source';
import { runSimulator } from '../src-main/acquisition/simulator/simulator';
import { runShimmerSimulator } from '../src-main/acquisition/shimmer3/device-simulator';
import { decodeSamples } from '../src-main/store/sample-codec';
import { liveLatency, rendererMemory } from './live-latency';

const root = resolve(__dirname, '..');
const data = resolve(root, '../shared/data');
const quick = process.env.BENCH_QUICK === '1';
const hostNow = () => performance.timeOrigin + performance.now();
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function sources(): ReplaySource[] {
  const imu = join(data, 'hugadb', 'HuGaDB_v1_walking_01_01.txt.gz');
  return [
    gaitpdbInsoleSource(join(data, 'gaitpdb', 'GaCo01_01.txt.gz')),
    gaitpdbInsoleSource(join(data, 'gaitpdb', 'GaCo02_01.txt.gz')),
    hugadbImuSource(imu, 'rs', 128),
    hugadbImuSource(imu, 'ls', 128),
  ];
}

function newDb(dir: string): { db: string; subjectId: string } {
  const db = join(dir, 'bench.db');
  const r = spawnSync(process.execPath, [join(root, 'bin', 'gaitlab.cjs'), '--db', db, 'import', join(data, 'gaitpdb', 'GaCo01_01.txt.gz')], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(r.stderr);
  const sq = new Database(db, { readonly: true });
  const { subject_id } = sq.prepare("SELECT subject_id FROM subject_identity WHERE external_id = 'GaCo01'").get() as { subject_id: string };
  sq.close();
  return { db, subjectId: subject_id };
}

interface Session { child: AcquisitionHandle; messages: AcquisitionToHost[]; exited: Promise<string | null> }

async function startRecording(db: string, subjectId: string, ptys: PtyPair[], srcs: ReplaySource[], live: boolean): Promise<Session> {
  const messages: AcquisitionToHost[] = [];
  const child = spawnAcquisition({ dbPath: db, actor: 'bench', subjectId, live, devices: ptys.map((p, i) => ({ port: p.host, kind: srcs[i].kind })) });
  child.onMessage((m) => messages.push(m));
  const exited = new Promise<string | null>((r) => child.onExit((code, sig) => r(sig ?? String(code))));
  const t0 = Date.now();
  while (messages.filter((m) => m.type === 'listening').length < ptys.length) {
    if (Date.now() - t0 > 30000) throw new Error(`acquisition process not listening: ${JSON.stringify(messages)}`);
    await sleep(10);
  }
  return { child, messages, exited };
}

async function stopRecording(s: Session): Promise<Extract<AcquisitionToHost, { type: 'stopped' }>['summary']> {
  s.child.send({ type: 'stop' });
  await s.exited;
  const stopped = s.messages.find((m) => m.type === 'stopped');
  if (!stopped || stopped.type !== 'stopped') throw new Error(`no summary: ${JSON.stringify(s.messages.filter((m) => m.type === 'failed'))}`);
  return stopped.summary;
}

function cpuTicks(pid: number): number {
  const f = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return Number(f[11]) + Number(f[12]); // utime, stime (fields 14, 15)
}
function rssMb(pid: number): number {
  return Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))![1]) / 1024;
}
/** RSS split by the kernel: anonymous (heaps, malloc) and file-backed (the node binary's and libraries' code pages). */
function rssPartsMb(pid: number): { anon: number; file: number } {
  const st = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (key: string) => Number(new RegExp(`${key}:\\s+(\\d+)`).exec(st)?.[1] ?? NaN);
  return { anon: kb('RssAnon') / 1024, file: (kb('RssFile') + kb('RssShmem')) / 1024 };
}
const CLK_TCK = Number(spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).stdout.trim()) || 100;

async function withPtys<T>(dir: string, n: number, fn: (ptys: PtyPair[]) => Promise<T>): Promise<T> {
  const ptys = Array.from({ length: n }, (_, i) => new PtyPair(dir, `p${i}-${Math.random().toString(36).slice(2, 6)}`));
  for (const p of ptys) await p.start();
  try { return await fn(ptys); } finally { for (const p of ptys) await p.stop(); }
}

async function ingest(dir: string, rateX: number, simulatedS: number): Promise<void> {
  const { db, subjectId } = newDb(dir);
  const srcs = sources();
  await withPtys(dir, 4, async (ptys) => {
    const s = await startRecording(db, subjectId, ptys, srcs, true);
    const t0 = hostNow();
    const ticks0 = cpuTicks(s.child.pid!);
    const expected = srcs.reduce((a, src) => a + Math.round(simulatedS * src.rateHz), 0);
    const received = () => s.messages.reduce((a, m) => a + (m.type === 'live' ? m.batch.samples : 0), 0);
    const linger = new AbortController();
    const sims = Promise.all(srcs.map((src, i) => runSimulator(src, { port: ptys[i].device, rateX, durationS: simulatedS, lingerMs: 30000, signal: linger.signal })));
    // Ingest ends when the recorder has taken every sample (or 30 s after the last was sent).
    while (received() < expected && hostNow() - t0 < (simulatedS / rateX) * 1000 + 30000) await sleep(5);
    const wallS = (hostNow() - t0) / 1000;
    const cpuS = (cpuTicks(s.child.pid!) - ticks0) / CLK_TCK;
    const summary = await stopRecording(s);
    linger.abort();
    const sent = (await sims).reduce((a, r) => a + r.sent, 0);
    const stored = summary.trials.reduce((a, t) => a + t.samples, 0);
    console.log(`ingest ${rateX}× real time: ${stored} of ${sent} samples stored (loss ${sent - stored}) in ${wallS.toFixed(1)} s = ${(stored / wallS).toFixed(0)} samples/s `
      + `(${(stored / wallS / (2 * 100 + 2 * 128)).toFixed(1)}× the real-time rate of 2 insoles + 2 IMUs); acquisition CPU ${((100 * cpuS) / wallS).toFixed(1)} % of a core`);
  });
}

async function cpuAtRealTime(dir: string, seconds: number): Promise<void> {
  const { db, subjectId } = newDb(dir);
  const srcs = sources();
  await withPtys(dir, 4, async (ptys) => {
    const s = await startRecording(db, subjectId, ptys, srcs, true);
    const sims = Promise.all(srcs.map((src, i) => runSimulator(src, { port: ptys[i].device, rateX: 1, durationS: seconds })));
    await sleep(2000); // past start-up (tsx compiling the entry)
    const t0 = hostNow();
    const ticks0 = cpuTicks(s.child.pid!);
    await sleep((seconds - 4) * 1000);
    const cpuS = (cpuTicks(s.child.pid!) - ticks0) / CLK_TCK;
    const wallS = (hostNow() - t0) / 1000;
    await sims;
    await stopRecording(s);
    console.log(`acquisition process at 1× (2 insoles + 2 IMUs, live samples on): ${((100 * cpuS) / wallS).toFixed(1)} % of a core over ${wallS.toFixed(0)} s (goal < 10 %)`);
  });
}

/** One memory sample of the acquisition process: RSS from /proc, the rest from process.memoryUsage() inside it. */
interface MemorySample { min: number; rssMb: number; anonMb: number; fileMb: number; heapUsedMb: number; heapTotalMb: number; externalMb: number; arrayBuffersMb: number }
const MB = 1024 * 1024;

/** process.memoryUsage() of an acquisition process started with the probe (bench/memory-probe.cjs) preloaded. */
type MemoryProbe = () => Promise<NodeJS.MemoryUsage | null>;
function memoryProbe(s: Session): MemoryProbe {
  let waiter: ((u: NodeJS.MemoryUsage) => void) | null = null;
  s.child.onMessage((m) => {
    const r = m as unknown as { type: string; usage?: NodeJS.MemoryUsage };
    if (r.type === 'bench-memory' && r.usage && waiter) { waiter(r.usage); waiter = null; }
  });
  return () => new Promise((resolve) => {
    const timeout = setTimeout(() => { waiter = null; resolve(null); }, 2000);
    waiter = (u) => { clearTimeout(timeout); resolve(u); };
    s.child.send({ type: 'bench-memory' } as unknown as HostToAcquisition);
  });
}

/**
 * Memory of a process at simulated minute 1, then every `everyMin` simulated minutes, and at stop(); with a session,
 * also its V8 heap, external and array-buffer memory (native = RSS − heapTotal − external: malloc, SQLite, code).
 */
function memorySampler(pid: number, simulatedMin: number, rateX: number, everyMin: number, probe?: MemoryProbe, log?: (line: string) => void): { stop: () => Promise<MemorySample[]> } {
  const samples: MemorySample[] = [];
  const t0 = hostNow();
  let busy = false;
  const take = async (min: number) => {
    const rss = rssMb(pid);
    const parts = rssPartsMb(pid);
    const u = probe ? await probe() : null;
    const m: MemorySample = { min, rssMb: rss, anonMb: parts.anon, fileMb: parts.file, heapUsedMb: (u?.heapUsed ?? NaN) / MB, heapTotalMb: (u?.heapTotal ?? NaN) / MB, externalMb: (u?.external ?? NaN) / MB, arrayBuffersMb: (u?.arrayBuffers ?? NaN) / MB };
    samples.push(m);
    log?.(`${new Date().toISOString()} sim-min ${min.toFixed(2)} ${formatSample(m)}`);
  };
  const timer = setInterval(() => {
    if (busy) return;
    const simMin = ((hostNow() - t0) / 60000) * rateX;
    const next = samples.length === 0 ? 1 : samples[samples.length - 1].min + everyMin;
    if (simMin >= next) {
      busy = true;
      void take(samples.length === 0 ? 1 : Math.round(simMin / everyMin) * everyMin).finally(() => { busy = false; });
    }
  }, 200);
  return {
    stop: async () => {
      clearInterval(timer);
      while (busy) await sleep(10);
      await take(simulatedMin);
      return samples;
    },
  };
}

function formatSample(m: MemorySample): string {
  const native = m.rssMb - m.heapTotalMb - m.externalMb;
  return `rss ${m.rssMb.toFixed(1)} MB (anon ${m.anonMb.toFixed(1)} file ${m.fileMb.toFixed(1)}) heapUsed ${m.heapUsedMb.toFixed(1)} heapTotal ${m.heapTotalMb.toFixed(1)} external ${m.externalMb.toFixed(1)} arrayBuffers ${m.arrayBuffersMb.toFixed(1)} native ${native.toFixed(1)}`;
}

/** Every sixth of the run (and the first and last sample) for the one-line summary. */
function summaryPoints(samples: MemorySample[], simulatedMin: number): MemorySample[] {
  const picked = samples.filter((m, i) => i === 0 || i === samples.length - 1 || Math.abs(m.min / (simulatedMin / 6) - Math.round(m.min / (simulatedMin / 6))) < 1e-9);
  return picked.filter((m, i) => i === picked.length - 1 || m.min !== picked[i + 1].min); // the sample at stop() replaces the timer's at the same minute
}

async function memoryOverLongRecording(dir: string, simulatedMin: number, rateX: number, logFile?: string): Promise<void> {
  const { db, subjectId } = newDb(dir);
  const srcs = sources();
  const log = logFile ? (line: string) => appendFileSync(logFile, `${line}\n`) : undefined;
  log?.(`# bench:acquisition memory: 2 insoles + 2 IMUs, ${simulatedMin} simulated min at ${rateX}×, started ${new Date().toISOString()}, load ${loadavg().map((x) => x.toFixed(2)).join(' ')}`);
  await withPtys(dir, 4, async (ptys) => {
    const probe = `--require ${join(__dirname, 'memory-probe.cjs')}`;
    const nodeOptions = process.env.NODE_OPTIONS;
    process.env.NODE_OPTIONS = nodeOptions ? `${nodeOptions} ${probe}` : probe;
    let s: Session;
    try { s = await startRecording(db, subjectId, ptys, srcs, true); } finally {
      if (nodeOptions === undefined) delete process.env.NODE_OPTIONS; else process.env.NODE_OPTIONS = nodeOptions;
    }
    // The live batches are kept by nobody here: drop them, or the bench's own list of messages grows for an hour.
    const keep = (m: AcquisitionToHost) => m.type !== 'live' && (m as { type: string }).type !== 'bench-memory';
    s.child.onMessage(() => { if (s.messages.length > 1000) s.messages.splice(0, s.messages.length, ...s.messages.filter(keep)); });
    const sampler = memorySampler(s.child.pid!, simulatedMin, rateX, Math.max(1, simulatedMin / 60), memoryProbe(s), log);
    await Promise.all(srcs.map((src, i) => runSimulator(src, { port: ptys[i].device, rateX, durationS: simulatedMin * 60 })));
    const mem = await sampler.stop();
    const summary = await stopRecording(s);
    const first = mem[0];
    const last = mem[mem.length - 1];
    const line = `acquisition RSS over ${simulatedMin} simulated min at ${rateX}×: ${summaryPoints(mem, simulatedMin).map((r) => `${r.min} min ${r.rssMb.toFixed(0)} MB`).join(', ')}; `
      + `growth ${(100 * (last.rssMb / first.rssMb - 1)).toFixed(1)} % (goal < 10 %); ${summary.trials.reduce((a, t) => a + t.samples, 0)} samples\n`
      + `  at 1 min: ${formatSample(first)}\n  at ${simulatedMin} min: ${formatSample(last)}`;
    console.log(line);
    log?.(line);
  });
}

/** A Shimmer3 (its SD file replayed over the Bluetooth protocol) recorded for a long simulated time: RSS at 1 min and at the end. */
async function shimmerMemory(dir: string, simulatedMin: number, rateX: number): Promise<void> {
  const { db, subjectId } = newDb(dir);
  await withPtys(dir, 1, async ([pty]) => {
    let listening!: () => void;
    const ready = new Promise<void>((r) => { listening = r; });
    const sim = runShimmerSimulator({ from: join(data, 'shimmer3', 'triaxcal_sample.bin'), port: pty.device, rateX, durationS: simulatedMin * 60, onListening: () => listening() });
    await ready;
    const messages: AcquisitionToHost[] = [];
    const child = spawnAcquisition({ dbPath: db, actor: 'bench', subjectId, live: true, devices: [{ port: pty.host, kind: 'shimmer3' }] });
    child.onMessage((m) => messages.push(m));
    const s: Session = { child, messages, exited: new Promise<string | null>((r) => child.onExit((code, sig) => r(sig ?? String(code)))) };
    while (!messages.some((m) => m.type === 'started' || m.type === 'failed')) await sleep(10);
    const sampler = memorySampler(child.pid!, simulatedMin, rateX, simulatedMin / 6);
    const played = await sim;
    const rss = summaryPoints(await sampler.stop(), simulatedMin).map((m) => ({ min: m.min, mb: m.rssMb }));
    const summary = await stopRecording(s);
    const stored = summary.trials.reduce((a, t) => a + t.samples, 0);
    console.log(`acquisition RSS, one Shimmer3 over ${simulatedMin} simulated min at ${rateX}×: ${rss.map((r) => `${r.min} min ${r.mb.toFixed(0)} MB`).join(', ')}; `
      + `growth ${(100 * (rss[rss.length - 1].mb / rss[0].mb - 1)).toFixed(1)} %; ${stored} of ${played.sent} packets stored`);
  });
}

async function killLoop(dir: string, iterations: number): Promise<void> {
  const { db, subjectId } = newDb(dir);
  const src = sources()[0];
  const lost: number[] = [];
  let integrityOk = 0;
  let interrupted = 0;
  for (let i = 0; i < iterations; i++) {
    await withPtys(dir, 1, async ([pty]) => {
      const abort = new AbortController();
      const s = await startRecording(db, subjectId, [pty], [src], false);
      const sim = runSimulator(src, { port: pty.device, rateX: 1, signal: abort.signal });
      while (!s.messages.some((m) => m.type === 'started')) await sleep(10);
      await sleep(500 + ((i * 137) % 1000));
      const killedAt = hostNow();
      process.kill(s.child.pid!, 'SIGKILL');
      await s.exited;
      abort.abort();
      await sim;
      const started = s.messages.find((m) => m.type === 'started') as Extract<AcquisitionToHost, { type: 'started' }>;
      const trialId = started.trials[0].trialId;
      const r = spawnSync(process.execPath, [join(root, 'bin', 'gaitlab.cjs'), '--db', db, '--json', 'trials'], { encoding: 'utf8', maxBuffer: 1 << 26 });
      if (JSON.parse(r.stdout).trials.find((t: { id: string }) => t.id === trialId)?.recordingStatus === 'interrupted') interrupted++;
      const sq = new Database(db, { readonly: true });
      if (sq.pragma('integrity_check', { simple: true }) === 'ok') integrityOk++;
      const origin = (sq.prepare('SELECT origin_host_ms FROM recordings WHERE trial_id = ?').get(trialId) as { origin_host_ms: number }).origin_host_ms;
      const host = sq.prepare("SELECT samples, encoding, data FROM trial_clocks WHERE trial_id = ? AND clock = 'host'").get(trialId) as { samples: number; encoding: string; data: Buffer } | undefined;
      sq.close();
      const hostS = host ? decodeSamples(host.data, host.encoding, host.samples) : new Float64Array(0);
      lost.push(hostS.length ? killedAt - (origin + hostS[hostS.length - 1] * 1000) : NaN);
    });
  }
  const sorted = [...lost].sort((a, b) => a - b);
  console.log(`kill -9 × ${iterations}: integrity_check ok ${integrityOk}/${iterations}, reopened as interrupted ${interrupted}/${iterations}, `
    + `time lost before the kill: median ${sorted[sorted.length >> 1].toFixed(0)} ms, max ${sorted[sorted.length - 1].toFixed(0)} ms (limit 250 ms)`);
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'gaitlab-bench-acq-'));
  try {
    console.log(`bench:acquisition${quick ? ' (BENCH_QUICK)' : ''} on ${process.platform}, node ${process.version}`);
    const parts = (process.env.BENCH_PARTS ?? 'ingest,cpu,memory,shimmer-memory,kill,latency,renderer-memory').split(',');
    if (parts.includes('ingest')) for (const x of [50, 100, 200, 400]) await ingest(dir, x, quick ? 60 : 300);
    if (parts.includes('cpu')) await cpuAtRealTime(dir, quick ? 10 : 30);
    // BENCH_RENDERER_MINUTES / BENCH_RENDERER_RATE: the renderer-memory part's simulated minutes and speed (30× by default; 1×: a true hour); BENCH_HEAP_SNAPSHOTS=DIR: heap snapshots there at its
    // first and last checkpoint, and what grew between them.
    // BENCH_RSS_MINUTES / BENCH_RSS_RATE: a longer or slower (1×: an hour of wall time) recording; BENCH_RSS_LOG: a file
    // that gets every sample (each simulated minute) with its heap / external / native breakdown.
    if (parts.includes('memory')) await memoryOverLongRecording(dir, Number(process.env.BENCH_RSS_MINUTES ?? (quick ? 10 : 60)), Number(process.env.BENCH_RSS_RATE ?? 60), process.env.BENCH_RSS_LOG);
    if (parts.includes('shimmer-memory')) await shimmerMemory(dir, quick ? 10 : 60, 30);
    if (parts.includes('kill')) await killLoop(dir, quick ? 3 : 20);
    if (parts.includes('latency')) await liveLatency(dir, quick ? 20 : 60);
    if (parts.includes('renderer-memory')) await rendererMemory(dir, Number(process.env.BENCH_RENDERER_MINUTES ?? (quick ? 10 : 60)), Number(process.env.BENCH_RENDERER_RATE ?? 30), process.env.BENCH_HEAP_SNAPSHOTS);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

void main();
