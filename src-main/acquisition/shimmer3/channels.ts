// Shimmer3 sensors and channels: which bit of the 3-byte sensor bitfield enables which sensor, in which order the
// enabled sensors' channels appear in an SD-log sample and which byte layout each channel has. Shared by the SD file
// reader and the Bluetooth stream decoder (the stream's channel list comes from the inquiry response instead).
// Source: pyshimmer (seemoo-lab/pyshimmer, pyshimmer/dev/channels.py, GPL-3.0; read, not copied) and the
// LogAndStream firmware's SD header defines (ShimmerResearch/shimmer3); see docs/devices/shimmer3.md.

/** Byte layout of one channel value. */
export interface ChannelLayout {
  bytes: 1 | 2 | 3;
  signed: boolean;
  littleEndian: boolean;
}

/** A channel as the firmware names it: its one-byte id (inquiry response) and layout. */
export interface ShimmerChannel {
  /** The id the firmware uses in the inquiry response's channel list. */
  id: number;
  /** GaitLab's channel name, e.g. `accel_ln_x`. */
  name: string;
  layout: ChannelLayout;
}

const le = (bytes: 1 | 2 | 3, signed: boolean): ChannelLayout => ({ bytes, signed, littleEndian: true });
const be = (bytes: 1 | 2 | 3, signed: boolean): ChannelLayout => ({ bytes, signed, littleEndian: false });

/** Every channel the LogAndStream firmware streams, by id. */
export const SHIMMER_CHANNELS: readonly ShimmerChannel[] = [
  { id: 0x00, name: 'accel_ln_x', layout: le(2, true) },
  { id: 0x01, name: 'accel_ln_y', layout: le(2, true) },
  { id: 0x02, name: 'accel_ln_z', layout: le(2, true) },
  { id: 0x03, name: 'battery', layout: le(2, true) },
  { id: 0x04, name: 'accel_wr_x', layout: le(2, true) },
  { id: 0x05, name: 'accel_wr_y', layout: le(2, true) },
  { id: 0x06, name: 'accel_wr_z', layout: le(2, true) },
  { id: 0x07, name: 'mag_x', layout: le(2, true) },
  { id: 0x08, name: 'mag_y', layout: le(2, true) },
  { id: 0x09, name: 'mag_z', layout: le(2, true) },
  // The MPU9150 gyro is read over I²C in its own (big-endian) register order.
  { id: 0x0a, name: 'gyro_x', layout: be(2, true) },
  { id: 0x0b, name: 'gyro_y', layout: be(2, true) },
  { id: 0x0c, name: 'gyro_z', layout: be(2, true) },
  { id: 0x0d, name: 'ext_adc_a0', layout: le(2, false) },
  { id: 0x0e, name: 'ext_adc_a1', layout: le(2, false) },
  { id: 0x0f, name: 'ext_adc_a2', layout: le(2, false) },
  { id: 0x10, name: 'int_adc_a3', layout: le(2, false) },
  { id: 0x11, name: 'int_adc_a0', layout: le(2, false) },
  { id: 0x12, name: 'int_adc_a1', layout: le(2, false) },
  { id: 0x13, name: 'int_adc_a2', layout: le(2, false) },
  { id: 0x1a, name: 'temperature', layout: be(2, false) },
  { id: 0x1b, name: 'pressure', layout: be(3, false) },
  { id: 0x1c, name: 'gsr', layout: le(2, false) },
  { id: 0x1d, name: 'exg1_status', layout: le(1, false) },
  { id: 0x1e, name: 'exg1_ch1_24bit', layout: be(3, true) },
  { id: 0x1f, name: 'exg1_ch2_24bit', layout: be(3, true) },
  { id: 0x20, name: 'exg2_status', layout: le(1, false) },
  { id: 0x21, name: 'exg2_ch1_24bit', layout: be(3, true) },
  { id: 0x22, name: 'exg2_ch2_24bit', layout: be(3, true) },
  { id: 0x23, name: 'exg1_ch1_16bit', layout: be(2, true) },
  { id: 0x24, name: 'exg1_ch2_16bit', layout: be(2, true) },
  { id: 0x25, name: 'exg2_ch1_16bit', layout: be(2, true) },
  { id: 0x26, name: 'exg2_ch2_16bit', layout: be(2, true) },
  { id: 0x27, name: 'strain_high', layout: le(2, false) },
  { id: 0x28, name: 'strain_low', layout: le(2, false) },
];

const CHANNEL_BY_ID = new Map(SHIMMER_CHANNELS.map((c) => [c.id, c]));
const CHANNEL_BY_NAME = new Map(SHIMMER_CHANNELS.map((c) => [c.name, c]));

export function channelById(id: number): ShimmerChannel | undefined {
  return CHANNEL_BY_ID.get(id);
}

export function channelByName(name: string): ShimmerChannel | undefined {
  return CHANNEL_BY_NAME.get(name);
}

/** The 24-bit little-endian device timestamp that leads every sample (SD) and data packet (stream). */
export const TIMESTAMP_LAYOUT: ChannelLayout = le(3, false);
/** The Shimmer3's sampling clock: rates are divisors of it, timestamps count its ticks. */
export const SHIMMER_CLOCK_HZ = 32768;
/** The timestamp counter wraps at 2^24 ticks (512 s). */
export const TIMESTAMP_MODULUS = 2 ** 24;

/** The tri-axial sensors whose calibration (offset, sensitivity, alignment) the header and firmware carry. */
export type TriaxialSensor = 'accel_ln' | 'accel_wr' | 'gyro' | 'mag';

/**
 * A sensor that can be enabled: its bit in the 3-byte little-endian bitfield (SD header bytes 3–5, the set-sensors
 * command's argument) and its channels, in the order the sensors appear in an SD-log sample.
 */
export interface ShimmerSensor {
  name: string;
  bit: number;
  channels: string[];
  triaxial?: TriaxialSensor;
}

/** In SD-log sample order (pyshimmer's SensorOrder); sensors without stream channels on Shimmer3 are left out. */
export const SHIMMER_SENSORS: readonly ShimmerSensor[] = [
  { name: 'accel_ln', bit: 0x80, channels: ['accel_ln_x', 'accel_ln_y', 'accel_ln_z'], triaxial: 'accel_ln' },
  { name: 'battery', bit: 0x20 << 8, channels: ['battery'] },
  { name: 'ext_adc_a0', bit: 0x02, channels: ['ext_adc_a0'] },
  { name: 'ext_adc_a1', bit: 0x01, channels: ['ext_adc_a1'] },
  { name: 'ext_adc_a2', bit: 0x08 << 8, channels: ['ext_adc_a2'] },
  { name: 'int_adc_a0', bit: 0x02 << 8, channels: ['int_adc_a0'] },
  { name: 'int_adc_a1', bit: 0x01 << 8, channels: ['int_adc_a1'] },
  { name: 'int_adc_a2', bit: 0x80 << 16, channels: ['int_adc_a2'] },
  { name: 'strain', bit: 0x80 << 8, channels: ['strain_high', 'strain_low'] },
  { name: 'int_adc_a3', bit: 0x04 << 8, channels: ['int_adc_a3'] },
  { name: 'gsr', bit: 0x04, channels: ['gsr'] },
  { name: 'gyro', bit: 0x40, channels: ['gyro_x', 'gyro_y', 'gyro_z'], triaxial: 'gyro' },
  { name: 'accel_wr', bit: 0x10 << 8, channels: ['accel_wr_x', 'accel_wr_y', 'accel_wr_z'], triaxial: 'accel_wr' },
  { name: 'mag', bit: 0x20, channels: ['mag_x', 'mag_y', 'mag_z'], triaxial: 'mag' },
  { name: 'pressure', bit: 0x04 << 16, channels: ['temperature', 'pressure'] },
  { name: 'exg1_24bit', bit: 0x10, channels: ['exg1_status', 'exg1_ch1_24bit', 'exg1_ch2_24bit'] },
  { name: 'exg1_16bit', bit: 0x10 << 16, channels: ['exg1_status', 'exg1_ch1_16bit', 'exg1_ch2_16bit'] },
  { name: 'exg2_24bit', bit: 0x08, channels: ['exg2_status', 'exg2_ch1_24bit', 'exg2_ch2_24bit'] },
  { name: 'exg2_16bit', bit: 0x08 << 16, channels: ['exg2_status', 'exg2_ch1_16bit', 'exg2_ch2_16bit'] },
];

/**
 * Bits GaitLab cannot read a sample layout for: the MPU9150's high-g accelerometer and wide-range magnetometer have
 * no stream channel on Shimmer3, the temperature bit none either, and 0x40 << 8 is unassigned.
 */
export const UNSUPPORTED_SENSOR_BITS: ReadonlyArray<{ bit: number; name: string }> = [
  { bit: 0x40 << 16, name: 'accel_hg (MPU9150 high-g accelerometer)' },
  { bit: 0x20 << 16, name: 'mag_wr (MPU9150 magnetometer)' },
  { bit: 0x02 << 16, name: 'temp (MPU9150 temperature)' },
  { bit: 0x40 << 8, name: 'unassigned bit 0x4000' },
  { bit: 0x01 << 16, name: 'unassigned bit 0x010000' },
];

/** The enabled sensors in sample order, or the name of the first bit GaitLab cannot read. */
export function sensorsFromBitfield(bitfield: number): { sensors: ShimmerSensor[]; unsupported: string | null } {
  const unsupported = UNSUPPORTED_SENSOR_BITS.find((u) => (bitfield & u.bit) !== 0)?.name ?? null;
  return { sensors: SHIMMER_SENSORS.filter((s) => (bitfield & s.bit) !== 0), unsupported };
}

export function bitfieldFromSensors(names: readonly string[]): number {
  let bits = 0;
  for (const n of names) {
    const s = SHIMMER_SENSORS.find((x) => x.name === n);
    if (!s) throw new Error(`unknown Shimmer3 sensor ${n}`);
    bits |= s.bit;
  }
  return bits;
}

export function layoutSize(layouts: readonly ChannelLayout[]): number {
  let n = 0;
  for (const l of layouts) n += l.bytes;
  return n;
}

/** Reads one integer of `layout` at `offset`. */
export function readInt(bytes: Uint8Array, offset: number, layout: ChannelLayout): number {
  let v = 0;
  if (layout.littleEndian) {
    for (let k = layout.bytes - 1; k >= 0; k--) v = v * 256 + bytes[offset + k];
  } else {
    for (let k = 0; k < layout.bytes; k++) v = v * 256 + bytes[offset + k];
  }
  if (layout.signed) {
    const half = 2 ** (8 * layout.bytes - 1);
    if (v >= half) v -= 2 * half;
  }
  return v;
}

/** Writes one integer of `layout` at `offset`; the value must fit (the encoder checks its input). */
export function writeInt(bytes: Uint8Array, offset: number, layout: ChannelLayout, value: number): void {
  const modulus = 2 ** (8 * layout.bytes);
  let v = value < 0 ? value + modulus : value;
  for (let i = 0; i < layout.bytes; i++) {
    const k = layout.littleEndian ? i : layout.bytes - 1 - i;
    bytes[offset + k] = v % 256;
    v = Math.floor(v / 256);
  }
}

export function fitsLayout(value: number, layout: ChannelLayout): boolean {
  if (!Number.isInteger(value)) return false;
  const bits = 8 * layout.bytes;
  return layout.signed ? value >= -(2 ** (bits - 1)) && value < 2 ** (bits - 1) : value >= 0 && value < 2 ** bits;
}
