// The driver for each kind of device the recorder takes: the GaitLab line protocol over serial for insoles and
// IMUs, a Shimmer3 (LogAndStream) over Bluetooth serial, a Movella DOT over BLE (where `port` names its address,
// or `any` for the first DOT found). One place, so the acquisition process, the CLI and the API agree on the kinds.
import { basename } from 'node:path';
import type { AcquisitionDeviceConfig } from './acquisition-protocol';
import type { AcquisitionDriver, DeviceKind } from './driver';
import { LineSerialDriver } from './drivers/line-serial-driver';
import { MovellaDotDriver } from './movella-dot/movella-dot-driver';
import { Shimmer3Driver } from './shimmer3/shimmer3-driver';

/** Every kind `gaitlab record` and recordingStart accept, in the order they are offered. */
export const RECORDABLE_KINDS: readonly DeviceKind[] = ['insole', 'imu', 'shimmer3', 'movella-dot'];
/** The kinds whose devices may speak plain lines (DIY) instead of the line protocol. */
export const LINE_PROTOCOL_KINDS: readonly DeviceKind[] = ['insole', 'imu'];
/** `--port any` for a Movella DOT: the first one advertising itself. */
export const ANY_BLE_ADDRESS = 'any';

export interface OpenableDriver {
  driver: AcquisitionDriver;
  badCounts(): ReadonlyMap<string, number>;
}

export function createDriver(d: AcquisitionDeviceConfig, onListening: () => void): OpenableDriver {
  switch (d.kind) {
    case 'insole':
    case 'imu': {
      const driver = new LineSerialDriver({ path: d.port, kind: d.kind, baudRate: d.baudRate, legacy: d.legacy, onListening });
      return { driver, badCounts: () => driver.badCounts };
    }
    case 'shimmer3': {
      if (d.legacy) throw new Error(`${d.port}: a Shimmer3 speaks its own protocol; plain lines (legacy) are for insoles and IMUs`);
      // The inquiry names no device: the port's name tells two Shimmers of a session apart (rfcomm0, rfcomm1).
      const driver = new Shimmer3Driver({ path: d.port, deviceId: `Shimmer3 ${basename(d.port)}`, baudRate: d.baudRate, onListening });
      return { driver, badCounts: () => driver.badCounts };
    }
    case 'movella-dot': {
      if (d.legacy) throw new Error(`${d.port}: a Movella DOT speaks BLE; plain lines (legacy) are for insoles and IMUs`);
      const driver = new MovellaDotDriver({ address: d.port === ANY_BLE_ADDRESS ? undefined : d.port });
      return { driver, badCounts: () => driver.badCounts };
    }
  }
}
