// The Shimmer3 LogAndStream Bluetooth-serial protocol, pure: command and response encoders for both sides, and a
// stream decoder that turns the device's bytes into messages. Per the LogAndStream firmware user manual and
// pyshimmer's bluetooth/bt_const.py, bt_commands.py and bt_api.py (docs/devices/shimmer3.md):
//  - the host sends a one-byte command, with its arguments (little-endian) where it has any;
//  - the device answers every command with the ACK byte 0xFF, then the command's response where it has one;
//  - the inquiry response 0x02 carries the rate divisor (uint16), 4 configuration bytes, the channel count, the
//    buffer size and one id per channel: the layout of every data packet that follows;
//  - a data packet is 0x00, the 24-bit little-endian timestamp (32768 Hz ticks, wrapping), then the channels in the
//    inquiry's order, each in its own layout (channels.ts). There is no checksum.
import type { StreamDecoder } from '../driver';
import {
  type ChannelLayout, type ShimmerChannel, SHIMMER_CLOCK_HZ, TIMESTAMP_LAYOUT, TIMESTAMP_MODULUS, channelById, fitsLayout, layoutSize, readInt, writeInt,
} from './channels';
import { type TriaxialCalibration, TRIAXIAL_CALIBRATION_BYTES, encodeTriaxialCalibration, parseTriaxialCalibration } from './calibration';
import type { TriaxialSensor } from './channels';

export const BT = {
  ack: 0xff,
  dataPacket: 0x00,
  inquiryCommand: 0x01,
  inquiryResponse: 0x02,
  getSamplingRateCommand: 0x03,
  samplingRateResponse: 0x04,
  setSamplingRateCommand: 0x05,
  startStreamingCommand: 0x07,
  setSensorsCommand: 0x08,
  stopStreamingCommand: 0x20,
  getAllCalibrationCommand: 0x2c,
  allCalibrationResponse: 0x2d,
  statusResponse: 0x71,
  inStreamResponse: 0x8a,
  batteryResponse: 0x94,
  getBatteryCommand: 0x95,
} as const;

/** The 0x2D response holds four 21-byte blocks in this order. */
export const ALL_CALIBRATION_ORDER: readonly TriaxialSensor[] = ['accel_ln', 'gyro', 'mag', 'accel_wr'];
const ALL_CALIBRATION_BYTES = ALL_CALIBRATION_ORDER.length * TRIAXIAL_CALIBRATION_BYTES;

// ---- host → device -------------------------------------------------------------------------------------------

export type ShimmerCommand =
  | { type: 'inquiry' }
  | { type: 'get-sampling-rate' }
  | { type: 'set-sampling-rate'; rateDivisor: number }
  | { type: 'set-sensors'; bitfield: number }
  | { type: 'start-streaming' }
  | { type: 'stop-streaming' }
  | { type: 'get-all-calibration' }
  | { type: 'get-battery' };

/** The rate divisor the firmware takes: the nearest whole number of 32768 Hz ticks per sample. */
export function rateDivisorFor(rateHz: number): number {
  if (!(rateHz > 0 && rateHz <= SHIMMER_CLOCK_HZ)) throw new RangeError(`sampling rate ${rateHz} Hz is outside 0 < rate ≤ 32768 Hz`);
  return Math.round(SHIMMER_CLOCK_HZ / rateHz);
}

export function encodeCommand(cmd: ShimmerCommand): Uint8Array {
  switch (cmd.type) {
    case 'inquiry': return Uint8Array.of(BT.inquiryCommand);
    case 'get-sampling-rate': return Uint8Array.of(BT.getSamplingRateCommand);
    case 'set-sampling-rate': return Uint8Array.of(BT.setSamplingRateCommand, cmd.rateDivisor & 0xff, cmd.rateDivisor >> 8);
    case 'set-sensors': return Uint8Array.of(BT.setSensorsCommand, cmd.bitfield & 0xff, (cmd.bitfield >> 8) & 0xff, (cmd.bitfield >> 16) & 0xff);
    case 'start-streaming': return Uint8Array.of(BT.startStreamingCommand);
    case 'stop-streaming': return Uint8Array.of(BT.stopStreamingCommand);
    case 'get-all-calibration': return Uint8Array.of(BT.getAllCalibrationCommand);
    case 'get-battery': return Uint8Array.of(BT.getBatteryCommand);
  }
}

/** Bytes of each command after its code. */
const COMMAND_ARGUMENT_BYTES: Record<number, number> = {
  [BT.inquiryCommand]: 0, [BT.getSamplingRateCommand]: 0, [BT.setSamplingRateCommand]: 2, [BT.setSensorsCommand]: 3,
  [BT.startStreamingCommand]: 0, [BT.stopStreamingCommand]: 0, [BT.getAllCalibrationCommand]: 0, [BT.getBatteryCommand]: 0,
};

/** The device side's parser (for the simulator and tests): host bytes → commands; unknown bytes are reported. */
export class ShimmerCommandDecoder implements StreamDecoder<ShimmerCommand | { type: 'unknown'; code: number }> {
  private pending = new Uint8Array(0);
  readonly badCounts = new Map<string, number>();

  push(chunk: Uint8Array): Array<ShimmerCommand | { type: 'unknown'; code: number }> {
    const buf = concat(this.pending, chunk);
    const out: Array<ShimmerCommand | { type: 'unknown'; code: number }> = [];
    let at = 0;
    while (at < buf.length) {
      const code = buf[at];
      const args = COMMAND_ARGUMENT_BYTES[code];
      if (args === undefined) {
        bump(this.badCounts, `unknown command 0x${hex(code)}`);
        out.push({ type: 'unknown', code });
        at++;
        continue;
      }
      if (at + 1 + args > buf.length) break;
      const a = buf.subarray(at + 1, at + 1 + args);
      switch (code) {
        case BT.inquiryCommand: out.push({ type: 'inquiry' }); break;
        case BT.getSamplingRateCommand: out.push({ type: 'get-sampling-rate' }); break;
        case BT.setSamplingRateCommand: out.push({ type: 'set-sampling-rate', rateDivisor: a[0] | (a[1] << 8) }); break;
        case BT.setSensorsCommand: out.push({ type: 'set-sensors', bitfield: a[0] | (a[1] << 8) | (a[2] << 16) }); break;
        case BT.startStreamingCommand: out.push({ type: 'start-streaming' }); break;
        case BT.stopStreamingCommand: out.push({ type: 'stop-streaming' }); break;
        case BT.getAllCalibrationCommand: out.push({ type: 'get-all-calibration' }); break;
        case BT.getBatteryCommand: out.push({ type: 'get-battery' }); break;
      }
      at += 1 + args;
    }
    this.pending = keep(buf, at);
    return out;
  }
}

// ---- device → host -------------------------------------------------------------------------------------------

export interface InquiryResponse {
  rateDivisor: number;
  /** The four configuration-setup bytes, as sent. */
  config: [number, number, number, number];
  bufferSize: number;
  /** Channel ids, in data-packet order. */
  channelIds: number[];
}

export interface DataPacket {
  /** The 24-bit timestamp as sent (wraps every 512 s). */
  timestamp: number;
  /** Raw counts, in the inquiry's channel order. */
  values: number[];
}

export type ShimmerMessage =
  | { type: 'ack' }
  | ({ type: 'inquiry' } & InquiryResponse)
  | { type: 'sampling-rate'; rateDivisor: number }
  | { type: 'calibration'; calibration: Record<TriaxialSensor, TriaxialCalibration> }
  | { type: 'status'; bits: number }
  | { type: 'battery'; raw: number; chargeStatus: number }
  | ({ type: 'data' } & DataPacket);

export const ackBytes = (): Uint8Array => Uint8Array.of(BT.ack);

export function encodeInquiryResponse(r: InquiryResponse): Uint8Array {
  const out = new Uint8Array(9 + r.channelIds.length);
  out[0] = BT.inquiryResponse;
  out[1] = r.rateDivisor & 0xff;
  out[2] = r.rateDivisor >> 8;
  out.set(r.config, 3);
  out[7] = r.channelIds.length;
  out[8] = r.bufferSize;
  out.set(r.channelIds, 9);
  return out;
}

export function encodeAllCalibrationResponse(cal: Record<TriaxialSensor, TriaxialCalibration>): Uint8Array {
  const out = new Uint8Array(1 + ALL_CALIBRATION_BYTES);
  out[0] = BT.allCalibrationResponse;
  ALL_CALIBRATION_ORDER.forEach((s, k) => out.set(encodeTriaxialCalibration(cal[s]), 1 + k * TRIAXIAL_CALIBRATION_BYTES));
  return out;
}

/** The channels and their layouts of a data packet, from the inquiry's channel ids. */
export function packetChannels(channelIds: readonly number[]): ShimmerChannel[] {
  return channelIds.map((id) => {
    const ch = channelById(id);
    if (!ch) throw new RangeError(`channel id 0x${hex(id)} is not a Shimmer3 channel`);
    return ch;
  });
}

export function dataPacketBytes(layouts: readonly ChannelLayout[]): number {
  return 1 + TIMESTAMP_LAYOUT.bytes + layoutSize(layouts);
}

export function encodeDataPacket(layouts: readonly ChannelLayout[], packet: DataPacket): Uint8Array {
  if (packet.values.length !== layouts.length) throw new RangeError(`${packet.values.length} values for ${layouts.length} channels`);
  const out = new Uint8Array(dataPacketBytes(layouts));
  out[0] = BT.dataPacket;
  if (!fitsLayout(packet.timestamp, TIMESTAMP_LAYOUT)) throw new RangeError(`timestamp ${packet.timestamp} does not fit 24 bits`);
  writeInt(out, 1, TIMESTAMP_LAYOUT, packet.timestamp);
  let at = 1 + TIMESTAMP_LAYOUT.bytes;
  layouts.forEach((l, c) => {
    if (!fitsLayout(packet.values[c], l)) throw new RangeError(`value ${packet.values[c]} of channel ${c} does not fit ${l.bytes} bytes`);
    writeInt(out, at, l, packet.values[c]);
    at += l.bytes;
  });
  return out;
}

/** Bytes that may start a message from the device: a data packet is only accepted when one of these follows it. */
const MESSAGE_START = new Set<number>([BT.ack, BT.dataPacket, BT.inStreamResponse, BT.inquiryResponse, BT.allCalibrationResponse, BT.samplingRateResponse]);

/**
 * The host side's decoder: device bytes → messages. The inquiry response sets the data-packet layout (or call
 * `setChannels` when the channel list is known otherwise). Data packets have no checksum, so a packet is accepted
 * only when its timestamp lies on the sampling grid and the byte after it starts a message (or the input ends
 * there); otherwise one byte is dropped and the decoder resynchronises. Dropped bytes are counted in `badCounts`, never returned as data.
 */
export class ShimmerStreamDecoder implements StreamDecoder<ShimmerMessage> {
  private pending = new Uint8Array(0);
  private layouts: ChannelLayout[] | null = null;
  private rateDivisor = 0;
  private lastTimestamp: number | null = null;
  private readonly expected = new Set<number>();
  readonly badCounts = new Map<string, number>();

  /**
   * Announces a response the host asked for (inquiry 0x02, sampling rate 0x04, calibration 0x2D). Unasked-for
   * response codes are treated as corrupt bytes: a stray 0x02 in a damaged stream must not change the packet layout.
   */
  expectResponse(code: number): void {
    this.expected.add(code);
  }

  private unexpected(code: number): boolean {
    return !this.expected.has(code);
  }

  /** The packet layout and the sampling grid (ticks per sample), as an inquiry response gives them. */
  setChannels(channelIds: readonly number[], rateDivisor: number): void {
    this.layouts = packetChannels(channelIds).map((c) => c.layout);
    this.rateDivisor = rateDivisor;
    this.lastTimestamp = null;
  }

  /** Forget the last timestamp (streaming restarts on a new phase of the device clock). */
  resetTiming(): void {
    this.lastTimestamp = null;
  }

  /**
   * A data packet's timestamp must lie on the sampling grid after the last one: a positive whole number of rate
   * divisors later, less than half the 24-bit wrap (256 s). With the look-ahead below, this is what keeps a 0x00
   * inside a damaged stream from being taken for a packet start (a false start passes both with p ≈ 10⁻⁴).
   */
  private onGrid(timestamp: number): boolean {
    if (this.lastTimestamp === null || this.rateDivisor === 0) return true;
    const delta = (timestamp - this.lastTimestamp + TIMESTAMP_MODULUS) % TIMESTAMP_MODULUS;
    return delta > 0 && delta % this.rateDivisor === 0 && delta < TIMESTAMP_MODULUS / 2;
  }

  get channelsKnown(): boolean {
    return this.layouts !== null;
  }

  push(chunk: Uint8Array): ShimmerMessage[] {
    const buf = concat(this.pending, chunk);
    const out: ShimmerMessage[] = [];
    let at = 0;
    while (at < buf.length) {
      const r = this.parseAt(buf, at);
      if (r === 'incomplete') break;
      if (r === 'bad') {
        at++;
        continue;
      }
      out.push(r.message);
      at = r.next;
    }
    this.pending = keep(buf, at);
    return out;
  }

  private bad(reason: string): 'bad' {
    bump(this.badCounts, reason);
    return 'bad';
  }

  private parseAt(buf: Uint8Array, at: number): { message: ShimmerMessage; next: number } | 'incomplete' | 'bad' {
    const code = buf[at];
    const left = buf.length - at;
    switch (code) {
      case BT.ack:
        return { message: { type: 'ack' }, next: at + 1 };
      case BT.dataPacket: {
        if (!this.layouts) return this.bad('data packet before the inquiry response');
        const size = dataPacketBytes(this.layouts);
        if (left < size) return 'incomplete';
        if (left > size && !MESSAGE_START.has(buf[at + size])) return this.bad('data packet not followed by a packet start (resynchronising)');
        let p = at + 1;
        const timestamp = readInt(buf, p, TIMESTAMP_LAYOUT);
        if (!this.onGrid(timestamp)) return this.bad('data packet off the sampling grid (resynchronising)');
        if (this.lastTimestamp === null) {
          // No grid to check against yet: the first packet is confirmed by the next one (on its grid) or by a
          // non-data message after it, so that a first packet is never taken from the middle of damaged bytes.
          if (left < size + 1) return 'incomplete';
          if (buf[at + size] === BT.dataPacket) {
            if (left < 2 * size) return 'incomplete';
            const next = readInt(buf, at + size + 1, TIMESTAMP_LAYOUT);
            const delta = (next - timestamp + TIMESTAMP_MODULUS) % TIMESTAMP_MODULUS;
            if (!(delta > 0 && delta % this.rateDivisor === 0 && delta < TIMESTAMP_MODULUS / 2)) return this.bad('data packet not confirmed by the next one (resynchronising)');
          }
        }
        this.lastTimestamp = timestamp;
        p += TIMESTAMP_LAYOUT.bytes;
        const values: number[] = [];
        for (const l of this.layouts) {
          values.push(readInt(buf, p, l));
          p += l.bytes;
        }
        return { message: { type: 'data', timestamp, values }, next: at + size };
      }
      case BT.inquiryResponse: {
        if (this.unexpected(code)) return this.bad('inquiry response nobody asked for');
        if (left < 9) return 'incomplete';
        const n = buf[at + 7];
        if (left < 9 + n) return 'incomplete';
        const channelIds = Array.from(buf.subarray(at + 9, at + 9 + n));
        const unknown = channelIds.find((id) => !channelById(id));
        if (unknown !== undefined) return this.bad(`inquiry response names unknown channel 0x${hex(unknown)}`);
        const rateDivisor = buf[at + 1] | (buf[at + 2] << 8);
        if (rateDivisor === 0) return this.bad('inquiry response with rate divisor 0');
        this.setChannels(channelIds, rateDivisor);
        this.expected.delete(code);
        const config: [number, number, number, number] = [buf[at + 3], buf[at + 4], buf[at + 5], buf[at + 6]];
        return { message: { type: 'inquiry', rateDivisor, config, bufferSize: buf[at + 8], channelIds }, next: at + 9 + n };
      }
      case BT.samplingRateResponse:
        if (this.unexpected(code)) return this.bad('sampling-rate response nobody asked for');
        if (left < 3) return 'incomplete';
        this.expected.delete(code);
        return { message: { type: 'sampling-rate', rateDivisor: buf[at + 1] | (buf[at + 2] << 8) }, next: at + 3 };
      case BT.allCalibrationResponse: {
        if (this.unexpected(code)) return this.bad('calibration response nobody asked for');
        if (left < 1 + ALL_CALIBRATION_BYTES) return 'incomplete';
        this.expected.delete(code);
        const calibration = {} as Record<TriaxialSensor, TriaxialCalibration>;
        ALL_CALIBRATION_ORDER.forEach((s, k) => { calibration[s] = parseTriaxialCalibration(buf, at + 1 + k * TRIAXIAL_CALIBRATION_BYTES); });
        return { message: { type: 'calibration', calibration }, next: at + 1 + ALL_CALIBRATION_BYTES };
      }
      case BT.inStreamResponse: {
        if (left < 2) return 'incomplete';
        if (buf[at + 1] === BT.statusResponse) {
          if (left < 3) return 'incomplete';
          return { message: { type: 'status', bits: buf[at + 2] }, next: at + 3 };
        }
        if (buf[at + 1] === BT.batteryResponse) {
          if (left < 5) return 'incomplete';
          return { message: { type: 'battery', raw: buf[at + 2] | (buf[at + 3] << 8), chargeStatus: buf[at + 4] }, next: at + 5 };
        }
        return this.bad(`unknown in-stream response 0x8A 0x${hex(buf[at + 1])}`);
      }
      default:
        return this.bad(`unknown byte 0x${hex(code)}`);
    }
  }
}

/**
 * A copy of buf from `at`: the caller's chunk may be a Buffer (whose slice is a view) of a read buffer the driver
 * overwrites with the next read, so the bytes kept for the next push must be our own.
 */
function keep(buf: Uint8Array, at: number): Uint8Array<ArrayBuffer> {
  return new Uint8Array(buf.subarray(at));
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  if (a.length === 0) return b;
  const out = new Uint8Array(a.length + b.length);
  out.set(a, 0);
  out.set(b, a.length);
  return out;
}

function bump(counts: Map<string, number>, reason: string): void {
  counts.set(reason, (counts.get(reason) ?? 0) + 1);
}

const hex = (b: number) => b.toString(16).padStart(2, '0').toUpperCase();
