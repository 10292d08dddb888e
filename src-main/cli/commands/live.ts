// gaitlab simulate (a device replaying a real recording over a serial port) and gaitlab record (the acquisition
// process recording devices into the store until --duration or Ctrl+C).
import type { Command } from 'commander';
import { InvalidArgumentError } from 'commander';
import { printJson } from '../output';
import { withApi, type GlobalOptions } from '../run-context';
import { resolveSubjectId } from './subjects';
import { loadReplaySource } from '../../acquisition/simulator/replay-source';
import { runSimulator } from '../../acquisition/simulator/simulator';
import { spawnAcquisition } from '../../acquisition/spawn-acquisition';
import type { AcquisitionToHost } from '../../acquisition/acquisition-protocol';
import type { DeviceKind } from '../../acquisition/driver';
import { ANY_BLE_ADDRESS, LINE_PROTOCOL_KINDS, RECORDABLE_KINDS } from '../../acquisition/device-drivers';
import { runShimmerSimulator } from '../../acquisition/shimmer3/device-simulator';
import type { RecorderSummary } from '../../acquisition/recorder';
import { escapeControl } from '../../../src-shared/text/escape';

function num(value: string): number {
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n)) throw new InvalidArgumentError(`"${value}" is not a number`);
  return n;
}

const collect = (v: string, prev: string[] = []) => [...prev, v];
const orList = (xs: readonly string[]) => `${xs.slice(0, -1).join(', ')} or ${xs[xs.length - 1]}`;
/** A bad --device is bad usage (exit 2), refused before anything opens. */
const deviceKinds = (v: string, prev: string[] = []) => {
  if (!RECORDABLE_KINDS.includes(v as DeviceKind)) throw new InvalidArgumentError(`expected ${orList(RECORDABLE_KINDS)}, found "${v}"`);
  return [...prev, v];
};
/** What `simulate` can play: a line-protocol insole or IMU, or a Shimmer3 replaying an SD-log binary. */
const SIMULATED = ['insole', 'imu', 'shimmer'] as const;
const simulatedKind = (v: string) => {
  if (!(SIMULATED as readonly string[]).includes(v)) throw new InvalidArgumentError(`expected ${orList(SIMULATED)}, found "${v}"`);
  return v;
};

export function registerLive(program: Command, global: () => GlobalOptions): void {
  program
    .command('simulate')
    .description('replay a real recording as a device speaking the GaitLab line protocol on a serial port (e.g. one end of a socat pty pair)')
    .requiredOption('--device <kind>', 'insole (a gaitpdb walk .txt[.gz]), imu (a HuGaDB file) or shimmer (a Shimmer3 SD-log .bin, over its Bluetooth protocol)', simulatedKind)
    .requiredOption('--from <recording>', 'the recording file to replay')
    .requiredOption('--port <path>', 'serial port to send on')
    .option('--rate-x <n>', 'play n times faster than real time', num, 1)
    .option('--rate-hz <n>', 'nominal rate to declare and time the rows at (default: the recording\'s)', num)
    .option('--sensor <code>', 'imu: which HuGaDB sensor (rf, rs, rt, lf, ls, lt)', 'rs')
    .option('--duration <s>', 'simulated seconds to play, looping the recording (default: once through)', num)
    .option('--corrupt-every <n>', 'fault: corrupt every n-th line', num)
    .option('--drop-at <s>', 'fault: drop the link at this simulated time', num)
    .option('--drop-for <s>', 'fault: for this long (simulated s)', num, 2)
    .option('--pause-at <s>', 'fault: hold the samples at this simulated time', num)
    .option('--pause-for <s>', 'fault: for this long (simulated s), then send them late', num, 2)
    .option('--drift-ppm <ppm>', 'fault: device clock drift in ppm', num, 0)
    .option('--clock-start-us <µs>', 'device clock reading at the first sample', num, 0)
    .action(async (o: { device: string; from: string; port: string; rateX: number; rateHz?: number; sensor: string; duration?: number; corruptEvery?: number;
      dropAt?: number; dropFor: number; pauseAt?: number; pauseFor: number; driftPpm: number; clockStartUs: number }) => {
      const g = global();
      if (!(o.rateX > 0)) throw new Error(`--rate-x ${o.rateX}: must be > 0`);
      if (o.device === 'shimmer') return simulateShimmer(o, g);
      const src = loadReplaySource(o.device, o.from, { sensor: o.sensor, rateHz: o.rateHz });
      const abort = new AbortController();
      const onSignal = () => abort.abort();
      process.on('SIGINT', onSignal);
      process.on('SIGTERM', onSignal);
      try {
        const r = await runSimulator(src, {
          port: o.port, rateX: o.rateX, durationS: o.duration, corruptEvery: o.corruptEvery, dropAtS: o.dropAt, dropForS: o.dropFor,
          pauseAtS: o.pauseAt, pauseForS: o.pauseFor, driftPpm: o.driftPpm, clockStartUs: o.clockStartUs, signal: abort.signal,
        });
        if (g.json) printJson({ simulation: { deviceId: src.deviceId, kind: src.kind, rateHz: { value: src.rateHz, unit: 'Hz' }, ...r, durationS: { value: r.durationS, unit: 's' } } });
        else console.log(`${src.deviceId}: sent ${r.sent} of ${r.samples} samples (${r.dropped} dropped, ${r.corrupted} corrupted, ${r.reconnects} link losses) over ${r.durationS.toFixed(1)} simulated s`);
      } finally {
        process.off('SIGINT', onSignal);
        process.off('SIGTERM', onSignal);
        // A port whose far end vanished can leave its handle open: the simulation is over, so is the process.
        setTimeout(() => process.exit(process.exitCode ?? 0), 3000).unref();
      }
    });

  program
    .command('record')
    .description('record devices on serial ports into a new trial per device, in the acquisition process, until --duration or Ctrl+C')
    .requiredOption('--port <path>', `serial port (repeat for several devices); a Movella DOT's BLE address, or ${ANY_BLE_ADDRESS}`, collect)
    .requiredOption('--device <kind>', `${orList(RECORDABLE_KINDS)}, one per --port (or one for all)`, deviceKinds)
    .requiredOption('--subject <id or code>', 'the subject recorded')
    .option('--duration <s>', 'stop after this many seconds', num)
    .option('--legacy', 'plain comma/semicolon-separated lines (DIY devices) instead of the GaitLab line protocol', false)
    .option('--rate <Hz>', 'legacy: the nominal sampling rate', num)
    .action(async (o: { port: string[]; device: string[]; subject: string; duration?: number; legacy: boolean; rate?: number }) => {
      const g = global();
      if (o.device.length !== 1 && o.device.length !== o.port.length) throw new Error(`--device given ${o.device.length} times for ${o.port.length} ports: give one per port, or one for all`);
      if (o.legacy && !(o.rate && o.rate > 0)) throw new Error('--legacy needs --rate <Hz> (the device sends no clock)');
      if (o.legacy && o.device.some((k) => !LINE_PROTOCOL_KINDS.includes(k as DeviceKind))) throw new Error(`--legacy is for ${orList(LINE_PROTOCOL_KINDS)} devices sending plain lines`);
      const summary = await withApi(g, async (call, ctx, signal) => {
        const subjectId = await resolveSubjectId(call, o.subject);
        ctx.db.close(); // the acquisition process is the writer from here on
        return recordInChild({
          dbPath: ctx.dbPath, actor: ctx.actor, subjectId, durationS: o.duration,
          devices: o.port.map((port, i) => ({ port, kind: (o.device[i] ?? o.device[0]) as DeviceKind, legacy: o.legacy ? { rateHz: o.rate! } : undefined })),
        }, signal, !g.json);
      });
      if (g.json) printJson({ recording: summary });
      else for (const t of summary.trials) console.log(`${t.trialId} ${t.deviceId}: ${t.samples} samples, ${t.gaps} gaps, bad lines ${JSON.stringify(t.badLines)}`);
    });
}

interface SimulateOptions { from: string; port: string; rateX: number; duration?: number; corruptEvery?: number; dropAt?: number; dropFor: number; pauseAt?: number; pauseFor: number; driftPpm: number; clockStartUs: number; rateHz?: number }

/** A Shimmer3 replaying an SD-log binary over its Bluetooth serial protocol (device-simulator.ts). */
async function simulateShimmer(o: SimulateOptions, g: GlobalOptions): Promise<void> {
  // The SD file carries its own rate and clock: options that would change them are refused rather than ignored.
  if (o.rateHz !== undefined) throw new Error('--rate-hz: a Shimmer3 replay streams at the rate its SD file was recorded at');
  if (o.driftPpm !== 0) throw new Error('--drift-ppm: a Shimmer3 replay keeps the device clock its SD file recorded');
  if (o.clockStartUs !== 0) throw new Error('--clock-start-us: a Shimmer3 replay keeps the device clock its SD file recorded');
  const abort = new AbortController();
  const onSignal = () => abort.abort();
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  try {
    const r = await runShimmerSimulator({
      from: o.from, port: o.port, rateX: o.rateX, durationS: o.duration, corruptEvery: o.corruptEvery, dropAtS: o.dropAt, dropForS: o.dropFor,
      pauseAtS: o.pauseAt, pauseForS: o.pauseFor, stopSignal: abort.signal,
      onListening: () => process.stderr.write(`gaitlab: Shimmer3 replay listening on ${escapeControl(o.port)}\n`),
    });
    if (g.json) printJson({ simulation: { kind: 'shimmer3', ...r, rateHz: { value: r.rateHz, unit: 'Hz' }, durationS: { value: r.durationS, unit: 's' } } });
    else console.log(`Shimmer3: sent ${r.sent} of ${r.packets} packets (${r.dropped} dropped, ${r.corrupted} corrupted) over ${r.durationS.toFixed(1)} simulated s; ${r.commands} commands answered`);
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    setTimeout(() => process.exit(process.exitCode ?? 0), 3000).unref();
  }
}

function recordInChild(config: Parameters<typeof spawnAcquisition>[0], signal: AbortSignal, verbose: boolean): Promise<RecorderSummary> {
  return new Promise((resolve, reject) => {
    const child = spawnAcquisition(config);
    let summary: RecorderSummary | null = null;
    let failure: string | null = null;
    signal.addEventListener('abort', () => child.send({ type: 'stop' }), { once: true });
    child.onMessage((m: AcquisitionToHost) => {
      if (m.type === 'listening') process.stderr.write(`gaitlab: listening on ${escapeControl(m.port)}\n`);
      else if (m.type === 'started') process.stderr.write(`gaitlab: recording ${m.trials.map((t) => `${t.deviceId} (${t.rateHz} Hz) → ${t.trialId}`).join(', ')}\n`);
      else if (m.type === 'stopped') summary = m.summary;
      else if (m.type === 'failed') failure = m.error;
      else if (m.type === 'gap') process.stderr.write(`gaitlab: ${m.deviceId}: ${m.kind === 'silence' ? `silent, detected after ${Math.round(m.detectedMs ?? 0)} ms` : `${m.missing} samples lost on the link`}\n`);
      else if (verbose && m.type === 'status' && m.status.type !== 'bad-input') process.stderr.write(`gaitlab: ${escapeControl(JSON.stringify(m.status))}\n`);
    });
    child.onExit((code, sig) => {
      if (summary) resolve(summary);
      else reject(new Error(failure ?? `the acquisition process ended without closing its recording (exit ${code ?? sig}); the next open of the database marks it interrupted`));
    });
  });
}
