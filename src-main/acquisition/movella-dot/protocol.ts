// Movella (Xsens) DOT over BLE, pure: the GATT UUIDs of the measurement service, the control-characteristic
// command, and the decoding of measurement notifications per payload mode. Per the Movella DOT BLE Services
// Specification and the vendor's own Node/noble server (github.com/xsens/xsens_dot_server, bleHandler.js); see
// docs/devices/movella-dot.md. Every field is little-endian; a notification is the uint32 timestamp (µs, wrapping at
// 2³²) and the mode's fields in order: float32 ×3 or ×4, except the magnetometer (int16 ×3, fixed point / 2¹²) and
// the status/clip-count bytes of the extended modes.

/** Every DOT UUID is 1517xxxx-4947-11e9-8646-d663bd873d93 with xxxx below. */
export const dotUuid = (short: number): string => `1517${short.toString(16).padStart(4, '0')}494711e98646d663bd873d93`;

export const DOT_UUID = {
  configurationService: dotUuid(0x1000),
  deviceInfo: dotUuid(0x1001),
  deviceControl: dotUuid(0x1002),
  measurementService: dotUuid(0x2000),
  /** Write [type 0x01 = measurement, action 1 start / 0 stop, payload mode]. */
  control: dotUuid(0x2001),
  /** Notification characteristics by payload size: long 63 bytes, medium 40, short 20. */
  longPayload: dotUuid(0x2002),
  mediumPayload: dotUuid(0x2003),
  shortPayload: dotUuid(0x2004),
  orientationResetControl: dotUuid(0x2006),
  batteryService: dotUuid(0x3000),
  /** Notify/read [level %, charging 0/1]. */
  battery: dotUuid(0x3001),
} as const;

type FieldKind = 'quaternion' | 'euler' | 'free_acc' | 'acc' | 'gyr' | 'mag' | 'status';

interface FieldSpec {
  bytes: number;
  channels: Array<{ name: string; unit: string }>;
}

const FIELDS: Record<FieldKind, FieldSpec> = {
  quaternion: { bytes: 16, channels: ['w', 'x', 'y', 'z'].map((a) => ({ name: `quat_${a}`, unit: '' })) },
  // Euler angles roll (x), pitch (y), yaw (z) in degrees.
  euler: { bytes: 12, channels: ['x', 'y', 'z'].map((a) => ({ name: `euler_${a}`, unit: 'deg' })) },
  // Free acceleration: gravity removed, in the earth frame.
  free_acc: { bytes: 12, channels: ['x', 'y', 'z'].map((a) => ({ name: `free_acc_${a}`, unit: 'm/s²' })) },
  acc: { bytes: 12, channels: ['x', 'y', 'z'].map((a) => ({ name: `acc_${a}`, unit: 'm/s²' })) },
  gyr: { bytes: 12, channels: ['x', 'y', 'z'].map((a) => ({ name: `gyr_${a}`, unit: 'deg/s' })) },
  // Calibrated magnetic field, arbitrary units normalised to the local field.
  mag: { bytes: 6, channels: ['x', 'y', 'z'].map((a) => ({ name: `mag_${a}`, unit: 'a.u.' })) },
  // Snapshot status (int16) and the accelerometer and gyroscope clip counts (int8 each).
  status: { bytes: 4, channels: [{ name: 'status', unit: '' }, { name: 'clip_count_acc', unit: '' }, { name: 'clip_count_gyr', unit: '' }] },
};

export interface PayloadMode {
  id: number;
  name: string;
  fields: FieldKind[];
  /** The notification characteristic the mode's payload comes on. */
  characteristic: string;
}

/** The real-time streaming modes GaitLab decodes (the high-fidelity and delta modes need Movella's SDK). */
export const PAYLOAD_MODES: readonly PayloadMode[] = [
  { id: 2, name: 'Extended (Quaternion)', fields: ['quaternion', 'free_acc', 'status'], characteristic: DOT_UUID.mediumPayload },
  { id: 3, name: 'Complete (Quaternion)', fields: ['quaternion', 'free_acc'], characteristic: DOT_UUID.mediumPayload },
  { id: 4, name: 'Orientation (Euler)', fields: ['euler'], characteristic: DOT_UUID.shortPayload },
  { id: 5, name: 'Orientation (Quaternion)', fields: ['quaternion'], characteristic: DOT_UUID.shortPayload },
  { id: 6, name: 'Free acceleration', fields: ['free_acc'], characteristic: DOT_UUID.shortPayload },
  { id: 7, name: 'Extended (Euler)', fields: ['euler', 'free_acc', 'status'], characteristic: DOT_UUID.mediumPayload },
  { id: 16, name: 'Complete (Euler)', fields: ['euler', 'free_acc'], characteristic: DOT_UUID.mediumPayload },
  { id: 20, name: 'Rate quantities (with mag)', fields: ['acc', 'gyr', 'mag'], characteristic: DOT_UUID.mediumPayload },
  { id: 21, name: 'Rate quantities', fields: ['acc', 'gyr'], characteristic: DOT_UUID.mediumPayload },
  { id: 22, name: 'Custom mode 1', fields: ['euler', 'free_acc', 'gyr'], characteristic: DOT_UUID.mediumPayload },
  { id: 23, name: 'Custom mode 2', fields: ['euler', 'free_acc', 'mag'], characteristic: DOT_UUID.mediumPayload },
  { id: 24, name: 'Custom mode 3', fields: ['quaternion', 'gyr'], characteristic: DOT_UUID.mediumPayload },
  { id: 26, name: 'Custom mode 5', fields: ['quaternion', 'acc', 'gyr'], characteristic: DOT_UUID.longPayload },
];

export const TIMESTAMP_BYTES = 4;
export const TIMESTAMP_MODULUS_US = 2 ** 32;
const MAG_SCALE = 2 ** -12;

export function payloadMode(idOrName: number | string): PayloadMode | undefined {
  return PAYLOAD_MODES.find((m) => m.id === idOrName || m.name.toLowerCase() === String(idOrName).toLowerCase());
}

export function modeChannels(mode: PayloadMode): Array<{ name: string; unit: string }> {
  return mode.fields.flatMap((f) => FIELDS[f].channels);
}

export function modePayloadBytes(mode: PayloadMode): number {
  return TIMESTAMP_BYTES + mode.fields.reduce((n, f) => n + FIELDS[f].bytes, 0);
}

/** The control-characteristic write that starts (or stops) real-time streaming in `mode`. */
export function controlCommand(mode: PayloadMode, start: boolean): Uint8Array {
  return Uint8Array.of(0x01, start ? 0x01 : 0x00, mode.id);
}

export interface DotSample {
  /** Sensor timestamp, µs, as sent (wraps at 2³²). */
  timestampUs: number;
  /** In `modeChannels(mode)` order. */
  values: number[];
}

/**
 * Decodes one notification. Notifications may be longer than the mode's fields (a characteristic's fixed size):
 * the rest is ignored; a shorter one is refused with its length (an error the driver counts, never data).
 */
export function decodeNotification(mode: PayloadMode, data: Uint8Array): DotSample {
  const need = modePayloadBytes(mode);
  if (data.length < need) throw new RangeError(`${mode.name} notification of ${data.length} bytes, expected at least ${need}`);
  const view = new DataView(data.buffer, data.byteOffset, data.length);
  const values: number[] = [];
  let at = TIMESTAMP_BYTES;
  for (const f of mode.fields) {
    if (f === 'mag') {
      for (let k = 0; k < 3; k++) values.push(view.getInt16(at + 2 * k, true) * MAG_SCALE);
    } else if (f === 'status') {
      // As the vendor's server reads it: the low 9 bits of the int16, shifted to their place in the status word.
      values.push((view.getInt16(at, true) & 0x1ff) << 8, view.getInt8(at + 2), view.getInt8(at + 3));
    } else {
      const n = FIELDS[f].bytes / 4;
      for (let k = 0; k < n; k++) values.push(view.getFloat32(at + 4 * k, true));
    }
    at += FIELDS[f].bytes;
  }
  return { timestampUs: view.getUint32(0, true), values };
}

/** The inverse, for simulators and tests: a sample as the DOT would notify it (floats rounded to float32). */
export function encodeNotification(mode: PayloadMode, sample: DotSample): Uint8Array {
  const out = new Uint8Array(modePayloadBytes(mode));
  const view = new DataView(out.buffer);
  view.setUint32(0, sample.timestampUs, true);
  let at = TIMESTAMP_BYTES;
  let v = 0;
  for (const f of mode.fields) {
    if (f === 'mag') {
      for (let k = 0; k < 3; k++) view.setInt16(at + 2 * k, Math.round(sample.values[v++] / MAG_SCALE), true);
    } else if (f === 'status') {
      view.setInt16(at, (sample.values[v++] >> 8) & 0x1ff, true);
      view.setInt8(at + 2, sample.values[v++]);
      view.setInt8(at + 3, sample.values[v++]);
    } else {
      const n = FIELDS[f].bytes / 4;
      for (let k = 0; k < n; k++) view.setFloat32(at + 4 * k, sample.values[v++], true);
    }
    at += FIELDS[f].bytes;
  }
  return out;
}

/** Battery characteristic: [level %, charging]. */
export function decodeBattery(data: Uint8Array): { percent: number; charging: boolean } {
  if (data.length < 2) throw new RangeError(`battery notification of ${data.length} bytes, expected 2`);
  return { percent: data[0], charging: data[1] === 1 };
}

/** Unwraps the 32-bit µs timestamp: each backwards step is one more wrap (every 71.6 min). */
export class DotClock {
  private last = -1;
  private wraps = 0;

  unwrap(timestampUs: number): number {
    if (this.last >= 0 && timestampUs < this.last) this.wraps++;
    this.last = timestampUs;
    return timestampUs + this.wraps * TIMESTAMP_MODULUS_US;
  }
}
