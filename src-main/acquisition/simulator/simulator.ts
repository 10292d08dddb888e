// The device simulator: replays a ReplaySource over a serial port (one end of a socat pty pair) in the GaitLab
// line protocol, at real time or rateX× faster, with injected faults. The device's own clock runs on: samples
// "taken" while the link is down are lost (their counter values never arrive), as with a real wearable.
import { SerialPort } from 'serialport';
import { formatHeader, formatSample } from '../line-protocol/protocol';
import type { ReplaySource } from './replay-source';

export interface SimulatorFaults {
  /** Corrupt every n-th sample line (one digit changed, CRC kept, so the host must refuse it). */
  corruptEvery?: number;
  /** Stop sending for dropForS (simulated s) from dropAtS: the samples of that window are lost. */
  dropAtS?: number;
  dropForS?: number;
  /** Hold the samples for pauseForS from pauseAtS, then send them late (nothing lost). */
  pauseAtS?: number;
  pauseForS?: number;
  /** The device clock runs fast by this many ppm (negative: slow). */
  driftPpm?: number;
  /** Device clock reading at the first sample, µs (wraps at 2³² on the wire). */
  clockStartUs?: number;
}

export interface SimulatorOptions extends SimulatorFaults {
  port: string;
  rateX?: number;
  /** Simulated seconds to play (the recording loops to fill them); the whole recording once when absent. */
  durationS?: number;
  /** Header repeated every this many lines (and on every reopen). */
  headerEvery?: number;
  signal?: AbortSignal;
  /** Keep the link open this long after the last sample, so the host reads what is still in flight (default 1000). */
  lingerMs?: number;
  onProgress?: (sentS: number, totalS: number) => void;
}

export interface SimulatorResult { samples: number; sent: number; dropped: number; corrupted: number; reconnects: number; durationS: number }

const TICK_MS = 2;
const now = () => performance.timeOrigin + performance.now();

/** Changes one digit of the first value so the line no longer matches its CRC. */
function corrupt(line: string): string {
  const comma = line.indexOf(',', line.indexOf(',') + 1);
  const i = line.slice(comma + 1).search(/\d/) + comma + 1;
  const d = line.charCodeAt(i) - 48;
  return line.slice(0, i) + String((d + 1) % 10) + line.slice(i + 1);
}

export async function runSimulator(src: ReplaySource, o: SimulatorOptions): Promise<SimulatorResult> {
  const rateX = o.rateX ?? 1;
  const nRows = src.rows.length;
  const period = src.timeS[nRows - 1] + 1 / src.rateHz;
  const total = o.durationS !== undefined ? Math.max(1, Math.round(o.durationS * src.rateHz)) : nRows;
  const timeOf = (i: number) => Math.floor(i / nRows) * period + src.timeS[i % nRows];
  const drift = 1 + (o.driftPpm ?? 0) * 1e-6;
  const header = formatHeader({ kind: src.kind, deviceId: src.deviceId, rateHz: src.rateHz, channels: src.channels });
  const headerEvery = o.headerEvery ?? 1000;
  const res: SimulatorResult = { samples: total, sent: 0, dropped: 0, corrupted: 0, reconnects: 0, durationS: timeOf(total - 1) };

  let port: SerialPort | null = null;
  let opening = false;
  let lastTry = 0;
  let needHeader = true;
  let sinceHeader = 0;
  const open = () => {
    if (opening || port || now() - lastTry < 100) return;
    opening = true;
    lastTry = now();
    const p = new SerialPort({ path: o.port, baudRate: 115200, autoOpen: false });
    p.open((err) => {
      opening = false;
      if (err) return;
      port = p;
      needHeader = true;
      const lost = () => { if (port === p) { port = null; res.reconnects++; } };
      p.on('error', lost);
      p.on('close', lost);
    });
  };
  open();
  // Wait for the first open (the pty exists once socat runs).
  const t0wait = now();
  while (!port && now() - t0wait < 5000) { open(); await sleep(20); }
  if (!port) throw new Error(`${o.port}: cannot open the port to send on`);

  const start = now();
  let next = 0;
  while (next < total) {
    if (o.signal?.aborted) break;
    await sleep(TICK_MS);
    const simS = ((now() - start) / 1000) * rateX;
    const paused = o.pauseAtS !== undefined && simS >= o.pauseAtS && simS < o.pauseAtS + (o.pauseForS ?? 0);
    if (paused) continue;
    if (!port) open();
    let out = '';
    while (next < total && timeOf(next) <= simS) {
      const t = timeOf(next);
      const dropped = o.dropAtS !== undefined && t >= o.dropAtS && t < o.dropAtS + (o.dropForS ?? 0);
      if (dropped || !port) {
        res.dropped++;
      } else {
        if (needHeader || sinceHeader >= headerEvery) { out += header; needHeader = false; sinceHeader = 0; }
        let line = formatSample(next, (o.clockStartUs ?? 0) + t * 1e6 * drift, src.rows[next % nRows]);
        if (o.corruptEvery && (next + 1) % o.corruptEvery === 0) { line = corrupt(line); res.corrupted++; }
        out += line;
        sinceHeader++;
        res.sent++;
      }
      next++;
    }
    if (out && port) {
      const p: SerialPort = port;
      p.write(out, (err) => { if (err && port === p) { port = null; res.reconnects++; } });
    }
    o.onProgress?.(simS, res.durationS);
  }
  const p = port as SerialPort | null;
  if (p) {
    // A host that stopped reading must not hold the device for ever: drain and close each get a deadline.
    await withDeadline(new Promise<void>((resolve) => p.drain(() => resolve())), 5000);
    // Closing ends socat's side of the pair, which may drop what the host has not read yet.
    const until = now() + (o.lingerMs ?? 1000);
    while (!o.signal?.aborted && now() < until) await sleep(20);
    await withDeadline(new Promise<void>((resolve) => p.close(() => resolve())), 2000);
  }
  return res;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function withDeadline(p: Promise<void>, ms: number): Promise<void> {
  let t: NodeJS.Timeout | undefined;
  return Promise.race([p, new Promise<void>((r) => { t = setTimeout(r, ms); })]).finally(() => clearTimeout(t));
}
