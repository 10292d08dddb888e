// The Shimmer3 SD-log binary (SDLog / LogAndStream firmware): a 256-byte header, then data buffers of at most
// 512 bytes, each an optional 9-byte sync offset (when the trial's sync bit is set) and a whole number of samples.
// A sample is the 24-bit little-endian timestamp (ticks of the 32768 Hz clock, wrapping every 512 s) and the enabled
// sensors' channels in a fixed order. Pure: bytes in, raw counts and header out; calibration in calibration.ts.
// Layout sources (pyshimmer's binary_reader.py / reader_const.py, the firmware's SD header defines and
// apps/SDLog/README.txt) are listed in docs/devices/shimmer3.md.
import { InputError } from '../../../src-shared/domain/errors';
import {
  type ShimmerSensor, type TriaxialSensor, SHIMMER_CLOCK_HZ, TIMESTAMP_LAYOUT, TIMESTAMP_MODULUS, channelByName, layoutSize,
  readInt, sensorsFromBitfield,
} from './channels';
import { type TriaxialCalibration, parseTriaxialCalibration } from './calibration';

export const SD_HEADER_BYTES = 256;
/** The firmware fills a data buffer up to this size with whole samples. */
export const SD_BUFFER_BYTES = 512;
/** With sync on, each buffer starts with a sign byte and a 64-bit little-endian offset (ticks) to the master. */
export const SD_SYNC_BYTES = 9;

/** Header byte offsets (firmware SDH_* defines; the start timestamp and calibration offsets as pyshimmer reads them). */
export const SD_HEADER = {
  sampleRateDivisor: 0, // uint16 LE: 32768 / rate
  sensors: 3, // 3 bytes, little-endian bitfield
  trialConfig: 16, // uint16 LE; bit 0x04 sync, 0x02 sync master
  macAddress: 24, // 6 bytes
  firmwareType: 34, // uint16 BE (3 = LogAndStream, 2 = SDLog)
  firmwareMajor: 36, // uint16 BE
  firmwareMinor: 38,
  firmwareInternal: 39,
  rtcDifference: 44, // uint64 BE: ticks to add to boot time for the real-time clock (0: not set)
  calibration: { accel_wr: 76, gyro: 97, mag: 118, accel_ln: 139 } as Record<TriaxialSensor, number>,
  startTimestamp: 251, // 5 bytes: byte 0 is the most significant, bytes 1–4 little-endian below it
} as const;

const TRIAL_CONFIG_SYNC = 0x04;

export interface ShimmerSdHeader {
  rateDivisor: number;
  rateHz: number;
  sensorBitfield: number;
  sensors: ShimmerSensor[];
  /** Channel names of one sample after the timestamp, in file order. */
  channels: string[];
  sampleBytes: number;
  hasSync: boolean;
  macAddress: string;
  /** Shimmer's own short id: the last two MAC bytes in hex, as Consensys names the device (`Shimmer_952D`). */
  deviceId: string;
  firmware: { type: number; major: number; minor: number; internal: number };
  /** Device ticks at the first sample, 40-bit. */
  startTicks: number;
  /** Real-time clock offset in ticks (0 when the device clock was never set). */
  rtcDifferenceTicks: number;
  calibration: Partial<Record<TriaxialSensor, TriaxialCalibration>>;
}

export interface ShimmerSdRecording {
  header: ShimmerSdHeader;
  samples: number;
  /** The 24-bit timestamp as stored. */
  timestampRaw: Float64Array;
  /** The timestamp unwrapped (monotonic), in ticks, starting at the first raw value. */
  timestampTicks: Float64Array;
  /** Raw counts per channel, in `header.channels` order. */
  raw: Float64Array[];
  /** Timestamp steps that differ from the rate divisor: gaps or resets in the recording. */
  irregularSteps: number;
  /** Sync offsets to the master (sample index, signed ticks), when the trial was synchronised. */
  syncOffsets: Array<{ sample: number; offsetTicks: number }>;
}

function fail(file: string, byteOffset: number, field: string, reason: string): never {
  throw new InputError(file, null, `byte ${byteOffset} (${field})`, reason);
}

export function readShimmerSdHeader(bytes: Uint8Array, file: string): ShimmerSdHeader {
  if (bytes.length < SD_HEADER_BYTES) fail(file, bytes.length, 'header', `the file ends after ${bytes.length} bytes; a Shimmer3 SD log has a ${SD_HEADER_BYTES}-byte header`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, SD_HEADER_BYTES);
  const rateDivisor = view.getUint16(SD_HEADER.sampleRateDivisor, true);
  if (rateDivisor === 0 || rateDivisor === 0xffff) fail(file, SD_HEADER.sampleRateDivisor, 'sampling rate', `divisor ${rateDivisor} of the 32768 Hz clock is not a rate`);
  const sensorBitfield = bytes[SD_HEADER.sensors] | (bytes[SD_HEADER.sensors + 1] << 8) | (bytes[SD_HEADER.sensors + 2] << 16);
  const { sensors, unsupported } = sensorsFromBitfield(sensorBitfield);
  if (unsupported) fail(file, SD_HEADER.sensors, 'enabled sensors', `sensor ${unsupported} is enabled; GaitLab does not know its sample layout`);
  if (sensors.length === 0) fail(file, SD_HEADER.sensors, 'enabled sensors', 'no sensor is enabled');
  const channels = sensors.flatMap((s) => s.channels);
  const sampleBytes = TIMESTAMP_LAYOUT.bytes + layoutSize(channels.map((c) => channelByName(c)!.layout));
  const trialConfig = view.getUint16(SD_HEADER.trialConfig, true);
  const mac = Array.from(bytes.subarray(SD_HEADER.macAddress, SD_HEADER.macAddress + 6), (b) => b.toString(16).padStart(2, '0').toUpperCase());
  const st = SD_HEADER.startTimestamp;
  const startTicks = bytes[st] * 2 ** 32 + view.getUint32(st + 1, true);
  const rtcDifferenceTicks = Number(view.getBigUint64(SD_HEADER.rtcDifference, false));
  const calibration: Partial<Record<TriaxialSensor, TriaxialCalibration>> = {};
  // The header holds all four blocks whether or not the sensor was on (a device replaying the file needs them all).
  for (const [sensor, at] of Object.entries(SD_HEADER.calibration) as Array<[TriaxialSensor, number]>) {
    calibration[sensor] = parseTriaxialCalibration(bytes, at);
  }
  return {
    rateDivisor,
    rateHz: SHIMMER_CLOCK_HZ / rateDivisor,
    sensorBitfield,
    sensors,
    channels,
    sampleBytes,
    hasSync: (trialConfig & TRIAL_CONFIG_SYNC) !== 0,
    macAddress: mac.join(':'),
    deviceId: mac[4] + mac[5],
    firmware: {
      type: view.getUint16(SD_HEADER.firmwareType, false),
      major: view.getUint16(SD_HEADER.firmwareMajor, false),
      minor: bytes[SD_HEADER.firmwareMinor],
      internal: bytes[SD_HEADER.firmwareInternal],
    },
    startTicks,
    rtcDifferenceTicks,
    calibration,
  };
}

/** Byte offsets of every sample in the data section, and of every buffer's sync offset. */
function sampleOffsets(totalBytes: number, header: ShimmerSdHeader, file: string): { samples: number[]; syncs: number[] } {
  const samples: number[] = [];
  const syncs: number[] = [];
  const size = header.sampleBytes;
  const perBuffer = Math.floor((SD_BUFFER_BYTES - (header.hasSync ? SD_SYNC_BYTES : 0)) / size);
  if (perBuffer < 1) fail(file, SD_HEADER.sensors, 'enabled sensors', `a sample of ${size} bytes does not fit a ${SD_BUFFER_BYTES}-byte buffer`);
  let at = SD_HEADER_BYTES;
  while (at < totalBytes) {
    if (header.hasSync) {
      if (at + SD_SYNC_BYTES > totalBytes) fail(file, at, 'sync offset', `the file ends ${totalBytes - at} bytes into a ${SD_SYNC_BYTES}-byte sync offset (truncated)`);
      syncs.push(at);
      at += SD_SYNC_BYTES;
    }
    for (let k = 0; k < perBuffer && at < totalBytes; k++) {
      if (at + size > totalBytes) fail(file, at, `sample ${samples.length + 1}`, `the file ends ${totalBytes - at} bytes into a ${size}-byte sample (truncated)`);
      samples.push(at);
      at += size;
    }
  }
  return { samples, syncs };
}

/** Unwraps a wrapping counter: every backwards step is one more wrap (pyshimmer's unwrap). */
export function unwrapCounter(raw: Float64Array, modulus: number): Float64Array {
  const out = new Float64Array(raw.length);
  let wraps = 0;
  for (let i = 0; i < raw.length; i++) {
    if (i > 0 && raw[i] < raw[i - 1]) wraps++;
    out[i] = raw[i] + wraps * modulus;
  }
  return out;
}

export function readShimmerSd(bytes: Uint8Array, file: string): ShimmerSdRecording {
  const header = readShimmerSdHeader(bytes, file);
  const { samples: offsets, syncs } = sampleOffsets(bytes.length, header, file);
  const n = offsets.length;
  if (n === 0) fail(file, SD_HEADER_BYTES, 'samples', 'the file holds a header and no samples');
  const layouts = header.channels.map((c) => channelByName(c)!.layout);
  const raw = header.channels.map(() => new Float64Array(n));
  const timestampRaw = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let at = offsets[i];
    timestampRaw[i] = readInt(bytes, at, TIMESTAMP_LAYOUT);
    at += TIMESTAMP_LAYOUT.bytes;
    for (let c = 0; c < layouts.length; c++) {
      raw[c][i] = readInt(bytes, at, layouts[c]);
      at += layouts[c].bytes;
    }
  }
  const timestampTicks = unwrapCounter(timestampRaw, TIMESTAMP_MODULUS);
  let irregularSteps = 0;
  for (let i = 1; i < n; i++) if (timestampTicks[i] - timestampTicks[i - 1] !== header.rateDivisor) irregularSteps++;
  const syncOffsets: ShimmerSdRecording['syncOffsets'] = [];
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.length);
  syncs.forEach((at) => {
    const magnitude = view.getBigUint64(at + 1, true);
    if (magnitude === 0xffffffffffffffffn) return; // no offset received for this buffer
    const sample = offsets.findIndex((o) => o > at);
    syncOffsets.push({ sample, offsetTicks: (bytes[at] ? -1 : 1) * Number(magnitude) });
  });
  return { header, samples: n, timestampRaw, timestampTicks, raw, irregularSteps, syncOffsets };
}

/**
 * Each sample's real time in Unix ms as Consensys exports it: the unwrapped ticks moved to the header's 40-bit start
 * timestamp (time since boot), plus the real-time-clock difference where the clock was set; 32768 ticks per second.
 */
export function unixTimeMs(rec: ShimmerSdRecording): Float64Array {
  const bootOffset = rec.header.startTicks - rec.timestampTicks[0];
  const out = new Float64Array(rec.samples);
  for (let i = 0; i < rec.samples; i++) {
    out[i] = ((rec.timestampTicks[i] + bootOffset + rec.header.rtcDifferenceTicks) / SHIMMER_CLOCK_HZ) * 1000;
  }
  return out;
}

