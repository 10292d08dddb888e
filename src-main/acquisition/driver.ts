// The one interface every acquisition device sits behind (GaitLab line protocol over serial, Shimmer3 over
// Bluetooth serial, Movella DOT over BLE). The recorder, the watchdog and the clock alignment only ever see this:
// a driver opens its link, is configured, starts and stops streaming, and hands over timestamped sample blocks
// and status events. Decoders stay pure (bytes → packets); a driver wraps a decoder around a transport.
//
// Why both clocks on every block: the device counter/timestamp is the truth about *when* a sample was taken on
// the device; the host receive time is the only thing shared by all devices. The recorder stores both and fits
// host = offset + (1 + drift) · device per device (clock-alignment.ts) to put every device on one session time base.

/** The kinds of device GaitLab records from. */
/** How long a driver's open() waits for its device to describe itself (a device may be switched on after the recorder). */
export const DEVICE_OPEN_TIMEOUT_MS = 30_000;

export type DeviceKind = 'insole' | 'imu' | 'shimmer3' | 'movella-dot';

/** One channel a device streams, as declared by the device (header line, inquiry response, BLE characteristic). */
export interface DriverChannel {
  /** Stable name within the device, e.g. 'L1' … 'L8', 'acc_x', 'gyro_z'. */
  name: string;
  /** Physical unit after the driver's calibration, e.g. 'N', 'm/s^2', 'deg/s'; 'raw' where uncalibrated. */
  unit: string;
  side?: 'left' | 'right' | 'both' | null;
}

/** What a device says about itself once opened and configured. */
export interface DeviceDescription {
  kind: DeviceKind;
  /** A label unique within the session ('insole-left', 'Shimmer 8A1C', the BLE address). */
  deviceId: string;
  /** Nominal sampling rate the device reports (Hz). Actual rate is estimated from the timestamps. */
  rateHz: number;
  channels: DriverChannel[];
  /** Firmware/protocol version where known. */
  firmware?: string | null;
}

/**
 * A block of consecutive samples from one device: the driver's unit of delivery.
 * Arrays are per-sample (length n); `values` is sample-major interleaved (n × channels.length).
 */
export interface SampleBlock {
  deviceId: string;
  /**
   * The device's sample counter for each sample, already unwrapped to a monotonic integer by the driver
   * (a 16-bit counter, Shimmer's 24-bit timestamp ticks, …). Gaps in the counter are lost samples on the link.
   */
  counter: Float64Array;
  /** The device timestamp of each sample, in microseconds, unwrapped (monotonic) by the driver. */
  deviceTimeUs: Float64Array;
  /**
   * The host receive time of each sample, in milliseconds on the host's monotonic clock
   * (performance.timeOrigin + performance.now()), taken when the bytes carrying it arrived.
   */
  hostTimeMs: Float64Array;
  /** n × channels values, sample-major: values[i * channelCount + c]. Float32, in the units of `channels`. */
  values: Float32Array;
  channelCount: number;
}

/** Link and data health, reported by the driver as it happens. */
export type DriverStatus =
  | { type: 'connected'; deviceId: string; description: DeviceDescription }
  | { type: 'disconnected'; deviceId: string; reason: string }
  | { type: 'reconnecting'; deviceId: string; attempt: number }
  /** A line or packet that could not be decoded: counted and skipped, never stored as data. */
  | { type: 'bad-input'; deviceId: string; reason: string; count: number }
  /** Counter jumped: samples the device sent that never arrived. */
  | { type: 'lost-samples'; deviceId: string; fromCounter: number; missing: number }
  /** Legacy/DIY links without device timestamps: host inter-arrival jitter above what the rate allows. */
  | { type: 'jitter'; deviceId: string; p95Ms: number; nominalPeriodMs: number }
  | { type: 'battery'; deviceId: string; percent: number }
  | { type: 'warning'; deviceId: string; message: string };

/** What the recorder asks of a device before it starts. Drivers refuse what the device cannot do (InputError). */
export interface DriverConfig {
  /** Requested sampling rate; a driver that cannot set the rate (line protocol) checks it against the header. */
  rateHz?: number;
  /** Channel names to enable, where the device allows choosing; all when absent. */
  channels?: string[];
}

export interface DriverEvents {
  block: (block: SampleBlock) => void;
  status: (status: DriverStatus) => void;
}

/**
 * A device driver. Lifecycle: open → configure → start → (blocks/status) → stop → close.
 * `open` resolves once the device has described itself (header line, inquiry response, GATT discovery).
 * After a link loss the driver reports 'disconnected', retries on its own ('reconnecting'), and reports
 * 'connected' again; counters then continue from the device's own counter, so the recorder sees the gap.
 */
export interface AcquisitionDriver {
  readonly kind: DeviceKind;
  open(signal?: AbortSignal): Promise<DeviceDescription>;
  configure(config: DriverConfig): Promise<DeviceDescription>;
  start(): Promise<void>;
  stop(): Promise<void>;
  close(): Promise<void>;
  on<E extends keyof DriverEvents>(event: E, listener: DriverEvents[E]): this;
  off<E extends keyof DriverEvents>(event: E, listener: DriverEvents[E]): this;
  /** The same blocks as an async stream, ending when the driver is closed. */
  blocks(): AsyncIterable<SampleBlock>;
}

/** Bytes in, packets out: what a pure protocol decoder (line protocol, Shimmer3, Movella DOT) exposes to a driver. */
export interface StreamDecoder<P> {
  /** Feed bytes as they arrive; returns the complete packets they finished. Keeps partial input for the next call. */
  push(chunk: Uint8Array): P[];
  /** Bad packets seen so far, by reason. */
  readonly badCounts: ReadonlyMap<string, number>;
}
