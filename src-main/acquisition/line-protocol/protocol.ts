// The GaitLab line protocol (docs/line-protocol.md): pure functions from one text line to a header, a sample or a
// reason to skip it, and back. Nothing here touches a port, a clock or the database.
import type { DeviceKind, DriverChannel } from '../driver';
import { crcHex } from './crc16';

export const PROTOCOL_TAG = '#GAITLAB/1';
/** Counter and device timestamp are uint32 on the wire and wrap; the decoder unwraps them. */
export const WIRE_WRAP = 2 ** 32;

export interface LineHeader {
  kind: DeviceKind;
  deviceId: string;
  rateHz: number;
  channels: DriverChannel[];
}

export interface WireSample {
  /** Wire counter, uint32 (wraps). */
  counter: number;
  /** Wire device time in µs, uint32 (wraps). */
  timeUs: number;
  values: Float32Array;
}

export type ParsedLine =
  | { type: 'header'; header: LineHeader }
  | { type: 'sample'; sample: WireSample }
  | { type: 'empty' }
  | { type: 'bad'; reason: BadLineReason; detail: string };

/** Why a line was skipped: the keys of the bad-line counts. */
export type BadLineReason = 'crc' | 'no-crc' | 'field-count' | 'non-numeric' | 'header' | 'no-header' | 'too-long';

export const MAX_LINE_BYTES = 4096;
const KINDS: readonly DeviceKind[] = ['insole', 'imu', 'shimmer3', 'movella-dot'];
const UINT = /^\d{1,10}$/;
// Plain decimals, optional exponent: what printf("%g") and JS number formatting write. No hex, no "Infinity".
const DECIMAL = /^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/;
const CHANNEL_NAME = /^[A-Za-z0-9_.-]{1,32}$/;

/** Splits "<body>*<crc>" and checks the CRC. */
function checkCrc(line: string): { body: string } | { bad: BadLineReason; detail: string } {
  const star = line.lastIndexOf('*');
  if (star < 0) return { bad: 'no-crc', detail: 'no "*" before a CRC' };
  const given = line.slice(star + 1);
  const body = line.slice(0, star);
  if (!/^[0-9A-Fa-f]{4}$/.test(given)) return { bad: 'crc', detail: `CRC field "${given.slice(0, 8)}" is not 4 hex digits` };
  const want = crcHex(body);
  if (given.toUpperCase() !== want) return { bad: 'crc', detail: `CRC ${given.toUpperCase()}, computed ${want}` };
  return { body };
}

export function parseHeader(body: string): LineHeader | string {
  const parts = body.split(' ').filter((p) => p.length > 0);
  if (parts[0] !== PROTOCOL_TAG) return `header starts with "${parts[0]}", expected ${PROTOCOL_TAG}`;
  const fields = new Map<string, string>();
  for (const p of parts.slice(1)) {
    const eq = p.indexOf('=');
    if (eq <= 0) return `header field "${p}" is not key=value`;
    fields.set(p.slice(0, eq), p.slice(eq + 1));
  }
  const kind = fields.get('kind') as DeviceKind | undefined;
  if (!kind || !KINDS.includes(kind)) return `header kind "${kind ?? ''}" is not one of ${KINDS.join(', ')}`;
  const deviceId = fields.get('id') ?? '';
  if (!/^[A-Za-z0-9_.:-]{1,64}$/.test(deviceId)) return `header id "${deviceId}" must be 1–64 letters, digits or _.:-`;
  const rateHz = Number(fields.get('rate'));
  if (!(rateHz > 0 && rateHz <= 10000)) return `header rate "${fields.get('rate') ?? ''}" must be a rate in Hz, 0 < rate ≤ 10000`;
  const channelText = fields.get('channels') ?? '';
  const channels: DriverChannel[] = [];
  for (const c of channelText.split(',')) {
    const m = /^([^:]+):([^:]*)(?::(left|right|both))?$/.exec(c);
    if (!m || !CHANNEL_NAME.test(m[1])) return `header channel "${c}" must be name:unit[:side]`;
    channels.push({ name: m[1], unit: m[2], side: (m[3] as DriverChannel['side']) ?? null });
  }
  if (channels.length === 0 || channels.length > 256) return `header declares ${channels.length} channels (1–256)`;
  if (new Set(channels.map((c) => c.name)).size !== channels.length) return 'header declares a channel twice';
  return { kind, deviceId, rateHz, channels };
}

/**
 * One line (without its line ending) → what it is. `header` is the header in force: sample lines are checked
 * against its channel count and are bad without one.
 */
export function parseLine(line: string, header: LineHeader | null): ParsedLine {
  if (line.length === 0) return { type: 'empty' };
  if (line.length > MAX_LINE_BYTES) return { type: 'bad', reason: 'too-long', detail: `line of ${line.length} bytes (limit ${MAX_LINE_BYTES})` };
  const checked = checkCrc(line);
  if ('bad' in checked) return { type: 'bad', reason: checked.bad, detail: checked.detail };
  const body = checked.body;
  if (body.startsWith('#')) {
    const h = parseHeader(body);
    return typeof h === 'string' ? { type: 'bad', reason: 'header', detail: h } : { type: 'header', header: h };
  }
  if (!header) return { type: 'bad', reason: 'no-header', detail: 'sample line before any header line' };
  const fields = body.split(',');
  const want = 2 + header.channels.length;
  if (fields.length !== want) return { type: 'bad', reason: 'field-count', detail: `${fields.length} fields, expected ${want} (counter, time, ${header.channels.length} values)` };
  if (!UINT.test(fields[0]) || Number(fields[0]) >= WIRE_WRAP) return { type: 'bad', reason: 'non-numeric', detail: `counter "${fields[0].slice(0, 16)}" is not a uint32` };
  if (!UINT.test(fields[1]) || Number(fields[1]) >= WIRE_WRAP) return { type: 'bad', reason: 'non-numeric', detail: `time "${fields[1].slice(0, 16)}" is not a uint32 of µs` };
  const values = new Float32Array(header.channels.length);
  for (let c = 0; c < values.length; c++) {
    const f = fields[c + 2];
    if (!DECIMAL.test(f)) return { type: 'bad', reason: 'non-numeric', detail: `value of ${header.channels[c].name} "${f.slice(0, 16)}" is not a number` };
    values[c] = Number(f);
  }
  return { type: 'sample', sample: { counter: Number(fields[0]), timeUs: Number(fields[1]), values } };
}

export function formatHeader(h: LineHeader): string {
  const channels = h.channels.map((c) => `${c.name}:${c.unit}${c.side ? `:${c.side}` : ''}`).join(',');
  const body = `${PROTOCOL_TAG} kind=${h.kind} id=${h.deviceId} rate=${h.rateHz} channels=${channels}`;
  return `${body}*${crcHex(body)}\n`;
}

/** `values` as the device's own decimal text (kept verbatim by the simulator, so the float32 round trip is exact). */
export function formatSample(counter: number, timeUs: number, values: readonly (string | number)[]): string {
  const body = `${counter % WIRE_WRAP},${Math.round(timeUs) % WIRE_WRAP},${values.join(',')}`;
  return `${body}*${crcHex(body)}\n`;
}

/**
 * Unwraps a uint32 that counts up and wraps: a step back of more than half the range is a wrap.
 * Returns the monotonic value; `last` is the previous unwrapped value (NaN at the start).
 */
export function unwrapUint32(wire: number, last: number): number {
  if (Number.isNaN(last)) return wire;
  const base = last - (last % WIRE_WRAP);
  let v = base + wire;
  if (v < last - WIRE_WRAP / 2) v += WIRE_WRAP;
  else if (v > last + WIRE_WRAP / 2) v -= WIRE_WRAP;
  return v;
}
