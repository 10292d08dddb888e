// Bytes from a serial link → decoded lines, keeping partial input between chunks. Two dialects:
// - GaitLab line protocol (protocol.ts): header, CRC-checked sample lines, counters and device µs unwrapped;
// - legacy DIY lines (plain numbers separated by commas or semicolons, no counter, no device clock): samples are
//   numbered on arrival and timed at the nominal rate, and the host inter-arrival jitter is watched instead.
// Bad lines are counted by reason and returned as 'bad' items: the caller reports them, never stores them.
import { MAX_LINE_BYTES, parseLine, unwrapUint32, type BadLineReason, type LineHeader } from './protocol';

export type DecodedItem =
  | { type: 'header'; header: LineHeader }
  | { type: 'sample'; counter: number; deviceTimeUs: number; hostTimeMs: number; values: Float32Array }
  | { type: 'bad'; reason: BadLineReason; detail: string }
  /** Legacy only: the p95 of |inter-arrival − period| over the last window exceeds half a period. */
  | { type: 'jitter'; p95Ms: number; nominalPeriodMs: number };

const NEWLINE = 10;
const CR = 13;

/**
 * Splits bytes into lines; a line longer than MAX_LINE_BYTES is cut and reported as too long. Only the partial line
 * at a chunk's end is copied (and joined to the next chunk's first line): copying whole chunks doubled the
 * ArrayBuffer garbage per byte read, which is what the acquisition process's RSS grew with.
 */
class LineSplitter {
  private pending: Buffer | null = null;
  private overflow = false;

  push(chunk: Uint8Array, onLine: (line: string | null) => void): void {
    const buf = Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    let start = 0;
    let i = buf.indexOf(NEWLINE);
    if (this.pending && i >= 0) {
      // The line begun in an earlier chunk: joined with its end (bounded by MAX_LINE_BYTES).
      const line = Buffer.concat([this.pending, buf.subarray(0, i)]);
      this.pending = null;
      this.emit(line, 0, line.length, onLine);
      start = i + 1;
      i = buf.indexOf(NEWLINE, start);
    }
    for (; i >= 0; i = buf.indexOf(NEWLINE, start)) {
      this.emit(buf, start, i, onLine);
      start = i + 1;
    }
    const rest = buf.length - start;
    const pendingLength = (this.pending?.length ?? 0) + rest;
    if (pendingLength > MAX_LINE_BYTES) {
      this.overflow = true;
      this.pending = null;
    } else if (rest > 0) {
      this.pending = this.pending ? Buffer.concat([this.pending, buf.subarray(start)]) : Buffer.from(buf.subarray(start));
    }
  }

  /** The line buf[start, end) (its CR dropped), or null for a line that overflowed. */
  private emit(buf: Buffer, start: number, end: number, onLine: (line: string | null) => void): void {
    if (this.overflow) onLine(null);
    else onLine(buf.toString('utf8', start, end > start && buf[end - 1] === CR ? end - 1 : end));
    this.overflow = false;
  }
}

export class BadLineCounts {
  readonly counts = new Map<string, number>();
  add(reason: string): number {
    const n = (this.counts.get(reason) ?? 0) + 1;
    this.counts.set(reason, n);
    return n;
  }
  get total(): number {
    let t = 0;
    for (const v of this.counts.values()) t += v;
    return t;
  }
}

export class GaitlabLineDecoder {
  private readonly lines = new LineSplitter();
  readonly bad = new BadLineCounts();
  header: LineHeader | null = null;
  private lastCounter = NaN;
  private lastTimeUs = NaN;

  get badCounts(): ReadonlyMap<string, number> {
    return this.bad.counts;
  }

  /** `hostTimeMs`: when these bytes arrived (host monotonic clock, ms). */
  push(chunk: Uint8Array, hostTimeMs: number): DecodedItem[] {
    const out: DecodedItem[] = [];
    this.lines.push(chunk, (line) => {
      if (line === null) {
        this.bad.add('too-long');
        out.push({ type: 'bad', reason: 'too-long', detail: `line longer than ${MAX_LINE_BYTES} bytes` });
        return;
      }
      const p = parseLine(line, this.header);
      if (p.type === 'empty') return;
      if (p.type === 'bad') {
        this.bad.add(p.reason);
        out.push(p);
      } else if (p.type === 'header') {
        const same = this.header && this.header.deviceId === p.header.deviceId && this.header.channels.length === p.header.channels.length;
        if (!same) {
          this.lastCounter = NaN;
          this.lastTimeUs = NaN;
        }
        this.header = p.header;
        out.push(p);
      } else {
        const counter = unwrapUint32(p.sample.counter, this.lastCounter);
        const timeUs = unwrapUint32(p.sample.timeUs, this.lastTimeUs);
        this.lastCounter = counter;
        this.lastTimeUs = timeUs;
        out.push({ type: 'sample', counter, deviceTimeUs: timeUs, hostTimeMs, values: p.sample.values });
      }
    });
    return out;
  }
}

/** Lines of plain numbers split by ',' or ';' (spaces around them allowed): what DIY Arduino/FSR insoles print. */
export function parseLegacyLine(line: string, channelCount: number | null): { values: Float32Array } | { reason: BadLineReason; detail: string } | null {
  const t = line.trim();
  if (t.length === 0 || t.startsWith('#')) return null;
  const fields = t.split(/\s*[,;]\s*/);
  if (channelCount !== null && fields.length !== channelCount) return { reason: 'field-count', detail: `${fields.length} values, expected ${channelCount}` };
  const values = new Float32Array(fields.length);
  for (let i = 0; i < fields.length; i++) {
    const v = Number(fields[i]);
    if (fields[i] === '' || !Number.isFinite(v)) return { reason: 'non-numeric', detail: `value ${i + 1} "${fields[i].slice(0, 16)}" is not a number` };
    values[i] = v;
  }
  return { values };
}

export const JITTER_WINDOW = 200;

export class LegacyLineDecoder {
  private readonly lines = new LineSplitter();
  readonly bad = new BadLineCounts();
  private count = 0;
  private lastHostMs = NaN;
  private readonly gaps: number[] = [];
  channelCount: number | null;

  constructor(readonly rateHz: number, channelCount: number | null = null) {
    this.channelCount = channelCount;
  }

  get badCounts(): ReadonlyMap<string, number> {
    return this.bad.counts;
  }

  push(chunk: Uint8Array, hostTimeMs: number): DecodedItem[] {
    const out: DecodedItem[] = [];
    const periodMs = 1000 / this.rateHz;
    this.lines.push(chunk, (line) => {
      if (line === null) {
        this.bad.add('too-long');
        out.push({ type: 'bad', reason: 'too-long', detail: `line longer than ${MAX_LINE_BYTES} bytes` });
        return;
      }
      const p = parseLegacyLine(line, this.channelCount);
      if (p === null) return;
      if ('reason' in p) {
        this.bad.add(p.reason);
        out.push({ type: 'bad', reason: p.reason, detail: p.detail });
        return;
      }
      this.channelCount ??= p.values.length;
      // No device clock: the sample is placed where the nominal rate says; arrival jitter is what can be checked.
      out.push({ type: 'sample', counter: this.count, deviceTimeUs: (this.count * 1e6) / this.rateHz, hostTimeMs, values: p.values });
      this.count++;
      if (!Number.isNaN(this.lastHostMs)) this.gaps.push(Math.abs(hostTimeMs - this.lastHostMs - periodMs));
      this.lastHostMs = hostTimeMs;
      if (this.gaps.length >= JITTER_WINDOW) {
        const sorted = this.gaps.splice(0).sort((a, b) => a - b);
        const p95 = sorted[Math.floor(0.95 * (sorted.length - 1))];
        if (p95 > periodMs / 2) out.push({ type: 'jitter', p95Ms: p95, nominalPeriodMs: periodMs });
      }
    });
    return out;
  }
}
