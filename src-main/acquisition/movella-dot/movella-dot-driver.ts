// A Movella DOT over BLE (noble, loaded lazily: ble.ts). open → scan for the DOT (by address, or the first device
// advertising "Xsens DOT"/"Movella DOT"), connect, discover the measurement service; start → subscribe to the
// mode's payload characteristic and write the control command; each notification is one sample (decoded by the
// pure protocol.ts, assembled into blocks by DotBlockAssembler, which the tests drive without a radio).
import { InputError } from '../../../src-shared/domain/errors';
import type { AcquisitionDriver, DeviceDescription, DriverConfig, DriverStatus, SampleBlock } from '../driver';
import { DriverEmitter } from '../drivers/driver-emitter';
import { type BleCharacteristic, type BlePeripheral, BleUnavailableError, type NobleLoader, bleAvailability } from './ble';
import { DOT_UUID, DotClock, type PayloadMode, PAYLOAD_MODES, controlCommand, decodeBattery, decodeNotification, modeChannels, payloadMode } from './protocol';

/** Real-time streaming rate the DOT uses unless its output rate is changed (which GaitLab does not do yet). */
export const DOT_STREAM_RATE_HZ = 60;
const ADVERTISED_NAMES = /^(Xsens|Movella) DOT/;

/** Notifications → SampleBlocks: unwrapped µs clock, a counter on the nominal rate, lost samples, bad payloads. */
export class DotBlockAssembler {
  private readonly clock = new DotClock();
  private firstUs: number | null = null;
  private lastCounter: number | null = null;
  readonly badCounts = new Map<string, number>();

  constructor(readonly mode: PayloadMode, readonly deviceId: string, readonly rateHz: number, private readonly status: (s: DriverStatus) => void) {}

  /** One notification: a one-sample block, or null (counted as bad) when it cannot be decoded. */
  push(data: Uint8Array, hostMs: number): SampleBlock | null {
    let sample;
    try {
      sample = decodeNotification(this.mode, data);
    } catch (e) {
      const reason = (e as Error).message;
      this.badCounts.set(reason, (this.badCounts.get(reason) ?? 0) + 1);
      this.status({ type: 'bad-input', deviceId: this.deviceId, reason, count: 1 });
      return null;
    }
    const us = this.clock.unwrap(sample.timestampUs);
    if (this.firstUs === null) this.firstUs = us;
    const counter = Math.round(((us - this.firstUs) * this.rateHz) / 1e6);
    if (this.lastCounter !== null && counter > this.lastCounter + 1) {
      this.status({ type: 'lost-samples', deviceId: this.deviceId, fromCounter: this.lastCounter + 1, missing: counter - this.lastCounter - 1 });
    }
    this.lastCounter = counter;
    return {
      deviceId: this.deviceId,
      counter: Float64Array.of(counter),
      deviceTimeUs: Float64Array.of(us),
      hostTimeMs: Float64Array.of(hostMs),
      values: Float32Array.from(sample.values),
      channelCount: sample.values.length,
    };
  }
}

export interface MovellaDotOptions {
  /** The DOT's BLE address (d4:22:cd:…); the first DOT found when absent. */
  address?: string;
  /** Payload mode id or name; 'Complete (Euler)' (16) by default. */
  mode?: number | string;
  deviceId?: string;
  scanTimeoutMs?: number;
  /** Where noble comes from (tests give a loader that fails, as on a machine without Bluetooth). */
  loadNoble?: NobleLoader;
}

const hostNowMs = (): number => performance.timeOrigin + performance.now();

export class MovellaDotDriver extends DriverEmitter implements AcquisitionDriver {
  readonly kind = 'movella-dot' as const;
  private mode: PayloadMode;
  private peripheral: BlePeripheral | null = null;
  private characteristics = new Map<string, BleCharacteristic>();
  private assembler: DotBlockAssembler | null = null;
  private description: DeviceDescription | null = null;
  private payload: BleCharacteristic | null = null;

  constructor(readonly options: MovellaDotOptions = {}) {
    super();
    const mode = payloadMode(options.mode ?? 16);
    if (!mode) throw new InputError('movella-dot', null, 'mode', `payload mode ${options.mode} is not one GaitLab decodes (${PAYLOAD_MODES.map((m) => `${m.id} ${m.name}`).join(', ')})`);
    this.mode = mode;
  }

  get deviceId(): string {
    return this.options.deviceId ?? `Movella DOT ${this.peripheral?.address ?? this.options.address ?? ''}`.trim();
  }

  /** Notifications that could not be decoded, by reason (empty until streaming started). */
  get badCounts(): ReadonlyMap<string, number> {
    return this.assembler?.badCounts ?? new Map();
  }

  async open(signal?: AbortSignal): Promise<DeviceDescription> {
    const ble = await bleAvailability(this.options.loadNoble);
    if (!ble.available) throw new BleUnavailableError(ble.reason);
    const { noble } = ble;
    const wanted = this.options.address?.toLowerCase();
    const peripheral = await new Promise<BlePeripheral>((resolve, reject) => {
      const timeoutMs = this.options.scanTimeoutMs ?? 10000;
      const onDiscover = (p: BlePeripheral) => {
        const match = wanted ? p.address.toLowerCase() === wanted : ADVERTISED_NAMES.test(p.advertisement.localName ?? '');
        if (!match) return;
        done();
        resolve(p);
      };
      const done = () => {
        clearTimeout(timer);
        noble.removeListener('discover', onDiscover);
        signal?.removeEventListener('abort', onAbort);
        void noble.stopScanningAsync().catch(() => undefined);
      };
      const onAbort = () => { done(); reject(new Error('cancelled')); };
      const timer = setTimeout(() => { done(); reject(new InputError('movella-dot', null, 'address', `no Movella DOT${wanted ? ` at ${wanted}` : ''} found within ${timeoutMs} ms`)); }, timeoutMs);
      signal?.addEventListener('abort', onAbort, { once: true });
      noble.on('discover', onDiscover);
      noble.startScanningAsync([], false).catch((e: unknown) => { done(); reject(new BleUnavailableError(`scan failed: ${(e as Error).message}`)); });
    });
    await peripheral.connectAsync();
    this.peripheral = peripheral;
    peripheral.once('disconnect', () => this.status({ type: 'disconnected', deviceId: this.deviceId, reason: 'BLE link lost' }));
    const { characteristics } = await peripheral.discoverSomeServicesAndCharacteristicsAsync(
      [DOT_UUID.measurementService, DOT_UUID.batteryService],
      [DOT_UUID.control, DOT_UUID.longPayload, DOT_UUID.mediumPayload, DOT_UUID.shortPayload, DOT_UUID.battery],
    );
    for (const c of characteristics) this.characteristics.set(c.uuid.replace(/-/g, '').toLowerCase(), c);
    if (!this.characteristics.has(DOT_UUID.control)) throw new InputError('movella-dot', null, 'measurement service', `${this.deviceId} has no measurement control characteristic: not a Movella DOT`);
    const battery = this.characteristics.get(DOT_UUID.battery);
    if (battery) {
      battery.on('data', (data) => { try { this.status({ type: 'battery', deviceId: this.deviceId, percent: decodeBattery(data).percent }); } catch { /* a short battery notification says nothing */ } });
      void battery.subscribeAsync().catch(() => undefined);
    }
    this.describe();
    this.status({ type: 'connected', deviceId: this.deviceId, description: this.description! });
    return this.description!;
  }

  async configure(config: DriverConfig): Promise<DeviceDescription> {
    if (config.rateHz !== undefined && config.rateHz !== DOT_STREAM_RATE_HZ) {
      throw new InputError('movella-dot', null, 'rateHz', `the DOT streams at ${DOT_STREAM_RATE_HZ} Hz; setting its output rate is not supported by GaitLab yet`);
    }
    if (config.channels) {
      // The smallest payload mode that carries every channel asked for.
      const wanted = config.channels;
      const fits = PAYLOAD_MODES.filter((m) => { const names = modeChannels(m).map((c) => c.name); return wanted.every((w) => names.includes(w)); });
      if (!fits.length) throw new InputError('movella-dot', null, 'channels', `no payload mode carries ${wanted.join(', ')}`);
      fits.sort((a, b) => modeChannels(a).length - modeChannels(b).length);
      this.mode = fits[0];
    }
    this.describe();
    return this.description!;
  }

  async start(): Promise<void> {
    const payload = this.characteristics.get(this.mode.characteristic);
    const control = this.characteristics.get(DOT_UUID.control);
    if (!payload || !control) throw new InputError('movella-dot', null, 'measurement service', 'not connected');
    this.assembler = new DotBlockAssembler(this.mode, this.deviceId, DOT_STREAM_RATE_HZ, (s) => this.status(s));
    payload.on('data', (data) => {
      const block = this.assembler?.push(data, hostNowMs());
      if (!block) return;
      this.emit('block', block);
      this.queue.push(block);
    });
    await payload.subscribeAsync();
    await control.writeAsync(Buffer.from(controlCommand(this.mode, true)), false);
    this.payload = payload;
  }

  async stop(): Promise<void> {
    const control = this.characteristics.get(DOT_UUID.control);
    if (control) await control.writeAsync(Buffer.from(controlCommand(this.mode, false)), false);
    if (this.payload) {
      this.payload.removeAllListeners('data');
      await this.payload.unsubscribeAsync().catch(() => undefined);
      this.payload = null;
    }
  }

  async close(): Promise<void> {
    if (this.peripheral) await this.peripheral.disconnectAsync().catch(() => undefined);
    this.peripheral = null;
    this.queue.end();
  }

  private describe(): void {
    this.description = {
      kind: 'movella-dot',
      deviceId: this.deviceId,
      rateHz: DOT_STREAM_RATE_HZ,
      channels: modeChannels(this.mode).map((c) => ({ name: c.name, unit: c.unit, side: null })),
      firmware: null,
    };
  }

  private status(s: DriverStatus): void {
    this.emit('status', s);
  }
}
