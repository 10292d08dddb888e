// Bluetooth Low Energy through @abandonware/noble, loaded lazily: it is an optional dependency whose native
// binding needs a Bluetooth adapter (on a machine without one, requiring it throws EAFNOSUPPORT). Nothing else in
// GaitLab loads it, so a machine without BLE still records over serial and says "BLE unavailable: <reason>".

/** The part of noble's API the DOT driver uses (noble ships no types of its own for these). */
export interface BleCharacteristic {
  uuid: string;
  writeAsync(data: Buffer, withoutResponse: boolean): Promise<void>;
  readAsync(): Promise<Buffer>;
  subscribeAsync(): Promise<void>;
  unsubscribeAsync(): Promise<void>;
  on(event: 'data', listener: (data: Buffer, isNotification: boolean) => void): unknown;
  removeAllListeners(event?: string): unknown;
}

export interface BlePeripheral {
  id: string;
  address: string;
  advertisement: { localName?: string };
  connectAsync(): Promise<void>;
  disconnectAsync(): Promise<void>;
  discoverSomeServicesAndCharacteristicsAsync(serviceUuids: string[], characteristicUuids: string[]): Promise<{ characteristics: BleCharacteristic[] }>;
  once(event: 'disconnect', listener: (reason?: unknown) => void): unknown;
}

export interface Noble {
  state: string;
  on(event: 'stateChange', listener: (state: string) => void): unknown;
  on(event: 'discover', listener: (p: BlePeripheral) => void): unknown;
  removeListener(event: string, listener: (...args: never[]) => void): unknown;
  startScanningAsync(serviceUuids?: string[], allowDuplicates?: boolean): Promise<void>;
  stopScanningAsync(): Promise<void>;
}

export type NobleLoader = () => unknown;

const defaultLoader: NobleLoader = () => require('@abandonware/noble');

export class BleUnavailableError extends Error {
  constructor(readonly reason: string) {
    super(`BLE unavailable: ${reason}`);
    this.name = 'BleUnavailableError';
  }
}

function oneLine(e: unknown): string {
  const message = e instanceof Error ? e.message : String(e);
  return message.split(/\n\s*Require stack:/)[0].replace(/\s+/g, ' ').trim() || 'unknown error';
}

/** Loads noble, or says why not (the module's own error, one line). Never throws. */
export function loadNoble(loader: NobleLoader = defaultLoader): { noble: Noble } | { reason: string } {
  try {
    const mod = loader() as Noble | { default?: Noble } | null;
    const noble = mod && 'startScanningAsync' in mod ? mod : (mod as { default?: Noble } | null)?.default;
    if (!noble || typeof noble.startScanningAsync !== 'function') return { reason: '@abandonware/noble loaded without a scanning API' };
    return { noble };
  } catch (e) {
    return { reason: `@abandonware/noble failed to load: ${oneLine(e)}` };
  }
}

/**
 * Whether BLE can be used now: noble loads and its adapter reaches 'poweredOn' within `timeoutMs`
 * (noble starts in 'unknown' and reports the adapter's state once).
 */
export async function bleAvailability(loader: NobleLoader = defaultLoader, timeoutMs = 3000): Promise<{ available: true; noble: Noble } | { available: false; reason: string }> {
  const loaded = loadNoble(loader);
  if ('reason' in loaded) return { available: false, reason: loaded.reason };
  const { noble } = loaded;
  if (noble.state === 'poweredOn') return { available: true, noble };
  const state = await new Promise<string>((resolve) => {
    const onState = (s: string) => {
      if (s === 'unknown' || s === 'resetting') return;
      clearTimeout(timer);
      noble.removeListener('stateChange', onState);
      resolve(s);
    };
    const timer = setTimeout(() => { noble.removeListener('stateChange', onState); resolve(noble.state); }, timeoutMs);
    noble.on('stateChange', onState);
  });
  if (state === 'poweredOn') return { available: true, noble };
  return { available: false, reason: `the Bluetooth adapter is ${state || 'unknown'}` };
}
