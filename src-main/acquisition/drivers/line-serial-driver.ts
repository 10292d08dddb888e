// The GaitLab line protocol (or legacy DIY lines) over a serial port: serialport for the link, the pure line
// decoder for the bytes. Reconnects by itself: after a link error, and after SILENCE_REOPEN_MS without a byte
// (a pty whose far end vanished, a Bluetooth SPP link that died, report nothing: silence is the only sign).
import { SerialPort } from 'serialport';
import { InputError } from '../../../src-shared/domain/errors';
import type { AcquisitionDriver, DeviceDescription, DeviceKind, DriverConfig, SampleBlock } from '../driver';
import { DEVICE_OPEN_TIMEOUT_MS } from '../driver';
import { GaitlabLineDecoder, LegacyLineDecoder, type DecodedItem } from '../line-protocol/line-decoder';
import { BlockQueue } from './block-queue';
import { DriverEmitter } from './driver-emitter';
import { readSerial } from './serial-reader';

export const SILENCE_REOPEN_MS = 2000;
const RETRY_MS = 250;
const OPEN_TIMEOUT_MS = DEVICE_OPEN_TIMEOUT_MS;
const BEFORE_START_MAX = 100_000;

export interface LineSerialOptions {
  path: string;
  /** What the recorder expects; the header's kind must match. */
  kind: DeviceKind;
  baudRate?: number;
  /** Plain numbers per line, no header, no counter, no device clock. */
  legacy?: { rateHz: number; deviceId?: string; channelCount?: number; unit?: string };
  /** Called once the port is open and read, before the device has described itself. */
  onListening?: () => void;
}

export const hostNowMs = (): number => performance.timeOrigin + performance.now();

export class LineSerialDriver extends DriverEmitter implements AcquisitionDriver {
  readonly kind: DeviceKind;
  private port: SerialPort | null = null;
  private decoder: GaitlabLineDecoder | LegacyLineDecoder;
  private description: DeviceDescription | null = null;
  private streaming = false;
  private closed = false;
  private lastByteMs = 0;
  private lastCounter = NaN;
  private timer: NodeJS.Timeout | null = null;
  private reopening = false;
  private attempts = 0;
  /** Samples decoded after the device described itself but before start(), at most BEFORE_START_MAX. */
  private readonly beforeStart: Extract<DecodedItem, { type: 'sample' }>[] = [];
  private describeWaiter: ((d: DeviceDescription) => void) | null = null;

  constructor(readonly options: LineSerialOptions) {
    super(new BlockQueue(1024)); // a live consumer that falls behind loses the oldest blocks, the store none
    this.kind = options.kind;
    this.decoder = options.legacy ? new LegacyLineDecoder(options.legacy.rateHz, options.legacy.channelCount ?? null) : new GaitlabLineDecoder();
  }

  get badCounts(): ReadonlyMap<string, number> {
    return this.decoder.badCounts;
  }

  async open(signal?: AbortSignal): Promise<DeviceDescription> {
    let timeout: NodeJS.Timeout | undefined;
    const described = new Promise<DeviceDescription>((resolve, reject) => {
      this.describeWaiter = (d) => { clearTimeout(timeout); resolve(d); };
      timeout = setTimeout(() => reject(new InputError(this.options.path, null, null,
        this.options.legacy ? `no line of numbers within ${OPEN_TIMEOUT_MS / 1000} s` : `no GaitLab header line within ${OPEN_TIMEOUT_MS / 1000} s (is the device speaking the line protocol? try --legacy)`)), OPEN_TIMEOUT_MS);
      signal?.addEventListener('abort', () => { clearTimeout(timeout); reject(new Error('cancelled')); }, { once: true });
    });
    await this.openPort();
    this.options.onListening?.();
    this.timer = setInterval(() => this.watch(), 100);
    try {
      return await described;
    } catch (e) {
      await this.close();
      throw e;
    }
  }

  async configure(config: DriverConfig): Promise<DeviceDescription> {
    const d = this.requireDescription();
    if (config.rateHz !== undefined && Math.abs(config.rateHz - d.rateHz) > 1e-9) {
      throw new InputError(this.options.path, null, 'rate', `the device streams at ${d.rateHz} Hz and cannot be set over the line protocol (asked ${config.rateHz} Hz)`);
    }
    const unknown = (config.channels ?? []).filter((c) => !d.channels.some((k) => k.name === c));
    if (unknown.length) throw new InputError(this.options.path, null, 'channels', `the device has no channel ${unknown.join(', ')}`);
    return d;
  }

  async start(): Promise<void> {
    this.requireDescription();
    this.streaming = true;
    // What arrived between the header and start(): the recording begins with the device's first sample.
    const early = this.beforeStart.splice(0);
    if (early.length) this.emitBlock(early);
  }

  async stop(): Promise<void> {
    this.streaming = false;
    this.beforeStart.length = 0;
  }

  async close(): Promise<void> {
    this.closed = true;
    this.streaming = false;
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.closePort();
    this.queue.end();
  }

  private requireDescription(): DeviceDescription {
    if (!this.description) throw new Error(`${this.options.path}: the device has not described itself yet (call open first)`);
    return this.description;
  }

  private openPort(): Promise<void> {
    return new Promise((resolve, reject) => {
      const port = new SerialPort({ path: this.options.path, baudRate: this.options.baudRate ?? 115200, autoOpen: false });
      port.open((err) => {
        if (err) return reject(new InputError(this.options.path, null, null, `cannot open the serial port: ${err.message}`));
        this.port = port;
        this.lastByteMs = hostNowMs();
        readSerial(port, (bytes) => this.onData(bytes), (reason) => { if (this.port === port) this.linkLost(reason); });
        port.on('close', () => { if (this.port === port) this.linkLost('port closed'); });
        port.on('error', (e) => { if (this.port === port) this.linkLost(e.message); });
        resolve();
      });
    });
  }

  private closePort(): Promise<void> {
    const port = this.port;
    this.port = null;
    if (!port || !port.isOpen) return Promise.resolve();
    return new Promise((resolve) => port.close(() => resolve()));
  }

  private watch(): void {
    if (this.closed || this.reopening) return;
    if (this.port && hostNowMs() - this.lastByteMs > SILENCE_REOPEN_MS) this.linkLost(`silent for more than ${SILENCE_REOPEN_MS / 1000} s`);
  }

  private linkLost(reason: string): void {
    if (this.closed || this.reopening) return;
    this.reopening = true;
    const deviceId = this.description?.deviceId ?? this.options.path;
    this.emit('status', { type: 'disconnected', deviceId, reason });
    void this.closePort().then(() => this.retry());
  }

  private retry(): void {
    if (this.closed) return;
    this.attempts++;
    const deviceId = this.description?.deviceId ?? this.options.path;
    if (this.attempts === 1 || this.attempts % 20 === 0) this.emit('status', { type: 'reconnecting', deviceId, attempt: this.attempts });
    this.openPort().then(() => {
      this.reopening = false;
      this.attempts = 0;
      if (this.description) this.emit('status', { type: 'connected', deviceId, description: this.description });
    }, () => setTimeout(() => this.retry(), RETRY_MS));
  }

  private onData(chunk: Buffer): void {
    const host = hostNowMs();
    this.lastByteMs = host;
    const items = this.decoder.push(chunk, host);
    this.deliver(items);
  }

  private describe(d: DeviceDescription): void {
    const first = this.description === null;
    this.description = d;
    if (first) this.emit('status', { type: 'connected', deviceId: d.deviceId, description: d });
    this.describeWaiter?.(d);
    this.describeWaiter = null;
  }

  private deliver(items: DecodedItem[]): void {
    let run: Extract<DecodedItem, { type: 'sample' }>[] = [];
    const flush = () => {
      if (run.length && this.description) {
        if (this.streaming) this.emitBlock(run);
        else if (!this.closed) {
          this.beforeStart.push(...run);
          if (this.beforeStart.length > BEFORE_START_MAX) this.beforeStart.splice(0, this.beforeStart.length - BEFORE_START_MAX);
        }
      }
      run = [];
    };
    for (const it of items) {
      if (it.type === 'sample') {
        if (!this.description && this.options.legacy) this.describe(this.legacyDescription(it.values.length));
        if (!this.description) continue;
        run.push(it);
      } else {
        flush();
        const deviceId = this.description?.deviceId ?? this.options.path;
        if (it.type === 'header') {
          if (it.header.kind !== this.kind) {
            this.emit('status', { type: 'warning', deviceId, message: `the device says it is ${it.header.kind}, recorded as ${this.kind}` });
          }
          if (!this.description || this.description.deviceId !== it.header.deviceId || this.description.channels.length !== it.header.channels.length) {
            this.describe({ kind: it.header.kind, deviceId: it.header.deviceId, rateHz: it.header.rateHz, channels: it.header.channels, firmware: 'GAITLAB/1' });
          }
        } else if (it.type === 'bad') {
          this.emit('status', { type: 'bad-input', deviceId, reason: `${it.reason}: ${it.detail}`, count: this.decoder.bad.total });
        } else if (it.type === 'jitter') {
          this.emit('status', { type: 'jitter', deviceId, p95Ms: it.p95Ms, nominalPeriodMs: it.nominalPeriodMs });
        }
      }
    }
    flush();
  }

  private legacyDescription(channelCount: number): DeviceDescription {
    const l = this.options.legacy!;
    return {
      kind: this.kind, deviceId: l.deviceId ?? `legacy-${this.kind}`, rateHz: l.rateHz, firmware: 'legacy lines',
      channels: Array.from({ length: channelCount }, (_, k) => ({ name: `ch${k + 1}`, unit: l.unit ?? 'raw', side: null })),
    };
  }

  private emitBlock(run: Extract<DecodedItem, { type: 'sample' }>[]): void {
    const d = this.description!;
    const n = run.length;
    const channelCount = d.channels.length;
    const block: SampleBlock = {
      deviceId: d.deviceId, channelCount,
      counter: new Float64Array(n), deviceTimeUs: new Float64Array(n), hostTimeMs: new Float64Array(n), values: new Float32Array(n * channelCount),
    };
    for (let i = 0; i < n; i++) {
      const s = run[i];
      if (!Number.isNaN(this.lastCounter) && s.counter > this.lastCounter + 1) {
        this.emit('status', { type: 'lost-samples', deviceId: d.deviceId, fromCounter: this.lastCounter + 1, missing: s.counter - this.lastCounter - 1 });
      }
      this.lastCounter = s.counter;
      block.counter[i] = s.counter;
      block.deviceTimeUs[i] = s.deviceTimeUs;
      block.hostTimeMs[i] = s.hostTimeMs;
      block.values.set(s.values, i * channelCount);
    }
    this.emit('block', block);
    this.queue.push(block);
  }
}
