// A Shimmer3 (LogAndStream firmware) over Bluetooth serial (an rfcomm port, or one end of a pty pair in tests and
// with the simulator): serialport for the link, the pure protocol of bt-protocol.ts for the bytes.
// open → inquiry (channels, rate) and all-calibration (raw → physical); configure → set-sampling-rate / set-sensors
// and a fresh inquiry; start/stop → start/stop streaming. Every command waits for its ACK.
// Link loss (port error or close, or 1.5 s without a byte while streaming) → 'disconnected', then the
// driver reopens the port by itself, inquires again and restarts streaming; the device's 24-bit clock keeps running,
// so the samples missed in between show as a jump of the counter ('lost-samples').
import { SerialPort } from 'serialport';
import { InputError } from '../../../src-shared/domain/errors';
import type { AcquisitionDriver, DeviceDescription, DriverConfig, DriverStatus, SampleBlock } from '../driver';
import { DEVICE_OPEN_TIMEOUT_MS } from '../driver';
import { DriverEmitter } from '../drivers/driver-emitter';
import { BT, type InquiryResponse, type ShimmerCommand, type ShimmerMessage, ShimmerStreamDecoder, encodeCommand, packetChannels, rateDivisorFor } from './bt-protocol';
import { type TriaxialCalibration, calibrateChannels, scalarConversion } from './calibration';
import { SHIMMER_CLOCK_HZ, SHIMMER_SENSORS, TIMESTAMP_MODULUS, type TriaxialSensor, bitfieldFromSensors } from './channels';
import { readSerial } from '../drivers/serial-reader';

export const RESPONSE_TIMEOUT_MS = 2000;
/** How long open() keeps asking for the inquiry (a device may be switched on, or paired, after the recorder starts). */
export const OPEN_TIMEOUT_MS = DEVICE_OPEN_TIMEOUT_MS;
/** Battery health from the streamed battery channel at most this often. */
const BATTERY_EVERY_MS = 10_000;
/** Silence while streaming that counts as a lost link (a pty or rfcomm port whose far end vanished reports nothing). */
export const STREAM_SILENCE_MS = 1500;
const RETRY_MS = 250;
const BAUD_RATE = 115200;

export interface Shimmer3DriverOptions {
  path: string;
  /** The label within the session; `Shimmer3 <path>` when absent. */
  deviceId?: string;
  baudRate?: number;
  responseTimeoutMs?: number;
  /** Silence while streaming that counts as a lost link; STREAM_SILENCE_MS by default. */
  silenceMs?: number;
  /** How long open() keeps asking a silent device for its inquiry; OPEN_TIMEOUT_MS by default. */
  openTimeoutMs?: number;
  /** Called once the port is open, before the device has described itself. */
  onListening?: () => void;
}

type Waiter = { type: 'ack' | 'inquiry' | 'calibration'; resolve: (m: ShimmerMessage) => void; reject: (e: Error) => void };

const hostNowMs = (): number => performance.timeOrigin + performance.now();

export class Shimmer3Driver extends DriverEmitter implements AcquisitionDriver {
  readonly kind = 'shimmer3' as const;
  private port: SerialPort | null = null;
  private readonly decoder = new ShimmerStreamDecoder();
  private waiters: Waiter[] = [];
  private inquiry: InquiryResponse | null = null;
  private calibration: Partial<Record<TriaxialSensor, TriaxialCalibration>> = {};
  private description: DeviceDescription | null = null;
  private streaming = false;
  private closed = false;
  private reconnecting = false;
  private lastByteMs = 0;
  private watchdog: NodeJS.Timeout | null = null;
  // Unwrapping of the 24-bit timestamp and the sample counter derived from it.
  private lastRawTimestamp = -1;
  private wraps = 0;
  private firstTicks: number | null = null;
  private lastCounter: number | null = null;
  private badReported = 0;
  private batteryReportedMs = -Infinity;

  constructor(readonly options: Shimmer3DriverOptions) {
    super();
  }

  get deviceId(): string {
    return this.options.deviceId ?? `Shimmer3 ${this.options.path}`;
  }

  get badCounts(): ReadonlyMap<string, number> {
    return this.decoder.badCounts;
  }

  async open(signal?: AbortSignal): Promise<DeviceDescription> {
    if (signal?.aborted) throw new Error('cancelled');
    await this.openPort();
    this.options.onListening?.();
    // A Bluetooth serial link can swallow the first command while it settles, and a device may be switched on after
    // the recorder: ask again until it answers or the open timeout passes.
    const deadline = hostNowMs() + (this.options.openTimeoutMs ?? OPEN_TIMEOUT_MS);
    for (;;) {
      try {
        await this.describe();
        break;
      } catch (e) {
        if (!this.port || signal?.aborted || this.closed || hostNowMs() >= deadline) {
          await this.close();
          throw e;
        }
      }
    }
    this.status({ type: 'connected', deviceId: this.deviceId, description: this.description! });
    return this.description!;
  }

  async configure(config: DriverConfig): Promise<DeviceDescription> {
    if (config.rateHz !== undefined) {
      let divisor: number;
      try {
        divisor = rateDivisorFor(config.rateHz);
      } catch (e) {
        throw new InputError(this.options.path, null, 'rateHz', (e as Error).message);
      }
      await this.command({ type: 'set-sampling-rate', rateDivisor: divisor });
    }
    if (config.channels) {
      const sensors = SHIMMER_SENSORS.filter((s) => s.channels.some((c) => config.channels!.includes(c)));
      const known = new Set(sensors.flatMap((s) => s.channels));
      const unknown = config.channels.find((c) => !known.has(c));
      if (unknown) throw new InputError(this.options.path, null, 'channels', `${unknown} is not a Shimmer3 channel (e.g. accel_ln_x, gyro_z, mag_y, battery)`);
      await this.command({ type: 'set-sensors', bitfield: bitfieldFromSensors(sensors.map((s) => s.name)) });
    }
    await this.describe();
    return this.description!;
  }

  async start(): Promise<void> {
    this.decoder.resetTiming();
    // Streaming from the moment the command goes out: the device's first packets can arrive in the same read as its
    // ACK, and were dropped (uncounted) when the flag waited for the ACK's promise (seen on a loaded machine).
    this.streaming = true;
    try {
      await this.command({ type: 'start-streaming' });
    } catch (e) {
      this.streaming = false;
      throw e;
    }
    this.lastByteMs = hostNowMs();
  }

  async stop(): Promise<void> {
    this.streaming = false;
    if (this.port) await this.command({ type: 'stop-streaming' });
  }

  async close(): Promise<void> {
    this.closed = true;
    this.streaming = false;
    if (this.watchdog) clearInterval(this.watchdog);
    this.failWaiters(new Error('driver closed'));
    const port = this.port;
    this.port = null;
    if (port?.isOpen) await new Promise<void>((resolve) => port.close(() => resolve()));
    this.queue.end();
  }

  // ---- link ----------------------------------------------------------------------------------------------------

  private openPort(): Promise<void> {
    return new Promise((resolve, reject) => {
      const port = new SerialPort({ path: this.options.path, baudRate: this.options.baudRate ?? BAUD_RATE, autoOpen: false });
      port.open((err) => {
        if (err) {
          reject(new InputError(this.options.path, null, null, `cannot open the Shimmer3 port: ${err.message}`));
          return;
        }
        this.port = port;
        this.lastByteMs = hostNowMs();
        const lost = (reason: string) => { if (this.port === port) this.linkLost(reason); };
        // One reused read buffer (see serial-reader.ts): the decoder copies the partial packet it keeps.
        readSerial(port, (bytes) => this.onBytes(bytes), lost);
        port.on('error', (e) => lost(e.message));
        port.on('close', () => lost('port closed'));
        if (!this.watchdog) {
          this.watchdog = setInterval(() => {
            // At least three sample periods, so that a slow rate is not taken for a dead link.
            const silenceMs = Math.max(this.options.silenceMs ?? STREAM_SILENCE_MS, this.inquiry ? (3000 * this.inquiry.rateDivisor) / SHIMMER_CLOCK_HZ : 0);
            if (this.streaming && this.port && hostNowMs() - this.lastByteMs > silenceMs) this.linkLost(`no byte for ${Math.round(silenceMs)} ms`);
          }, 100);
          this.watchdog.unref();
        }
        resolve();
      });
    });
  }

  private linkLost(reason: string): void {
    if (this.closed || this.reconnecting) return;
    const port = this.port;
    this.port = null;
    if (port?.isOpen) port.close(() => undefined);
    this.failWaiters(new Error(`link lost: ${reason}`));
    this.status({ type: 'disconnected', deviceId: this.deviceId, reason });
    void this.reconnect();
  }

  private async reconnect(): Promise<void> {
    this.reconnecting = true;
    const wasStreaming = this.streaming;
    for (let attempt = 1; !this.closed; attempt++) {
      this.status({ type: 'reconnecting', deviceId: this.deviceId, attempt });
      try {
        await this.openPort();
        await this.describe();
        if (wasStreaming) {
          this.decoder.resetTiming();
          await this.command({ type: 'start-streaming' });
        }
        this.reconnecting = false;
        this.status({ type: 'connected', deviceId: this.deviceId, description: this.description! });
        return;
      } catch {
        const port = this.port;
        this.port = null;
        if (port?.isOpen) await new Promise<void>((r) => port.close(() => r()));
        await new Promise((r) => setTimeout(r, RETRY_MS));
      }
    }
    this.reconnecting = false;
  }

  // ---- commands ------------------------------------------------------------------------------------------------

  /** Sends a command and waits for its ACK and, where it has one, its response. */
  private async command(cmd: ShimmerCommand): Promise<ShimmerMessage | null> {
    const port = this.port;
    if (!port) throw new InputError(this.options.path, null, null, 'the Shimmer3 link is down');
    const responseType = cmd.type === 'inquiry' ? 'inquiry' : cmd.type === 'get-all-calibration' ? 'calibration' : null;
    if (responseType === 'inquiry') this.decoder.expectResponse(BT.inquiryResponse);
    if (responseType === 'calibration') this.decoder.expectResponse(BT.allCalibrationResponse);
    const ack = this.waitFor('ack', cmd.type);
    const response = responseType ? this.waitFor(responseType, cmd.type) : Promise.resolve(null);
    port.write(Buffer.from(encodeCommand(cmd)));
    const [, r] = await Promise.all([ack, response]);
    return r;
  }

  private waitFor(type: Waiter['type'], command: string): Promise<ShimmerMessage> {
    return new Promise((resolve, reject) => {
      const timeoutMs = this.options.responseTimeoutMs ?? RESPONSE_TIMEOUT_MS;
      const waiter: Waiter = {
        type,
        resolve: (m) => { clearTimeout(timer); resolve(m); },
        reject: (e) => { clearTimeout(timer); reject(e); },
      };
      const timer = setTimeout(() => {
        this.waiters = this.waiters.filter((w) => w !== waiter);
        reject(new InputError(this.options.path, null, command, `no ${type === 'ack' ? 'ACK' : `${type} response`} from the Shimmer3 within ${timeoutMs} ms`));
      }, timeoutMs);
      this.waiters.push(waiter);
    });
  }

  private failWaiters(e: Error): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const w of waiters) w.reject(e);
  }

  /** Inquiry, then the calibration (a firmware without the all-calibration command streams raw counts). */
  private async describe(): Promise<void> {
    const inq = (await this.command({ type: 'inquiry' })) as Extract<ShimmerMessage, { type: 'inquiry' }>;
    this.inquiry = inq;
    try {
      const cal = (await this.command({ type: 'get-all-calibration' })) as Extract<ShimmerMessage, { type: 'calibration' }>;
      this.calibration = cal.calibration;
    } catch (e) {
      if (!this.port) throw e;
      this.calibration = {};
      this.status({ type: 'warning', deviceId: this.deviceId, message: `no calibration from the device (${(e as Error).message}); inertial channels stay raw counts` });
    }
    const names = packetChannels(inq.channelIds).map((c) => c.name);
    const probe = calibrateChannels(names, names.map(() => new Float64Array(1)), this.calibration).channels;
    this.description = {
      kind: 'shimmer3',
      deviceId: this.deviceId,
      rateHz: SHIMMER_CLOCK_HZ / inq.rateDivisor,
      channels: probe.map((c) => ({ name: c.name, unit: c.unit, side: null })),
      firmware: null,
    };
  }

  // ---- bytes in --------------------------------------------------------------------------------------------------

  private onBytes(chunk: Buffer): void {
    const hostMs = hostNowMs();
    this.lastByteMs = hostMs;
    const messages = this.decoder.push(chunk);
    const data: Array<Extract<ShimmerMessage, { type: 'data' }>> = [];
    for (const m of messages) {
      if (m.type === 'data') {
        data.push(m);
        continue;
      }
      if (m.type === 'battery') {
        this.status({ type: 'battery', deviceId: this.deviceId, percent: batteryPercent(m.raw * (scalarConversion('battery')?.scale ?? 0)) });
        continue;
      }
      if (m.type === 'status') continue;
      const i = this.waiters.findIndex((w) => w.type === m.type);
      if (i >= 0) {
        const [w] = this.waiters.splice(i, 1);
        w.resolve(m);
      }
    }
    const bad = [...this.decoder.badCounts.values()].reduce((a, b) => a + b, 0);
    if (bad > this.badReported) {
      const reason = [...this.decoder.badCounts.entries()].map(([r, n]) => `${r} ×${n}`).join('; ');
      this.status({ type: 'bad-input', deviceId: this.deviceId, reason, count: bad - this.badReported });
      this.badReported = bad;
    }
    if (data.length && this.streaming && this.inquiry) this.emitBlock(data, hostMs);
  }

  private emitBlock(data: Array<Extract<ShimmerMessage, { type: 'data' }>>, hostMs: number): void {
    const n = data.length;
    const channelCount = data[0].values.length;
    const divisor = this.inquiry!.rateDivisor;
    const counter = new Float64Array(n);
    const deviceTimeUs = new Float64Array(n);
    const hostTimeMs = new Float64Array(n).fill(hostMs);
    const raw = Array.from({ length: channelCount }, () => new Float64Array(n));
    data.forEach((m, i) => {
      if (this.lastRawTimestamp >= 0 && m.timestamp < this.lastRawTimestamp) this.wraps++;
      this.lastRawTimestamp = m.timestamp;
      const ticks = m.timestamp + this.wraps * TIMESTAMP_MODULUS;
      if (this.firstTicks === null) this.firstTicks = ticks;
      counter[i] = Math.round((ticks - this.firstTicks) / divisor);
      deviceTimeUs[i] = (ticks / SHIMMER_CLOCK_HZ) * 1e6;
      m.values.forEach((v, c) => { raw[c][i] = v; });
      if (this.lastCounter !== null && counter[i] > this.lastCounter + 1) {
        this.status({ type: 'lost-samples', deviceId: this.deviceId, fromCounter: this.lastCounter + 1, missing: counter[i] - this.lastCounter - 1 });
      }
      this.lastCounter = counter[i];
    });
    const names = packetChannels(this.inquiry!.channelIds).map((c) => c.name);
    const { channels } = calibrateChannels(names, raw, this.calibration);
    const values = new Float32Array(n * channelCount);
    for (let i = 0; i < n; i++) for (let c = 0; c < channelCount; c++) values[i * channelCount + c] = channels[c].values[i];
    const battery = names.indexOf('battery');
    if (battery >= 0 && hostMs - this.batteryReportedMs >= BATTERY_EVERY_MS && channels[battery].unit === 'mV') {
      this.batteryReportedMs = hostMs;
      this.status({ type: 'battery', deviceId: this.deviceId, percent: batteryPercent(channels[battery].values[n - 1]) });
    }
    const block: SampleBlock = { deviceId: this.deviceId, counter, deviceTimeUs, hostTimeMs, values, channelCount };
    this.emit('block', block);
    this.queue.push(block);
  }

  private status(s: DriverStatus): void {
    this.emit('status', s);
  }
}


/** LiPo: 3.2 V empty … 4.2 V full, linear between (a health hint, not a fuel gauge); whole percent. */
export function batteryPercent(mV: number): number {
  return Math.round(Math.max(0, Math.min(100, (mV - 3200) / 10)));
}
