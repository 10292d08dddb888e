// Reads an open serial port into one buffer reused for every read, instead of the SerialPort stream's 'data' events.
// The stream slices each read from a 64 KB pool it replaces once used up; at a device's rate (~10 KB/s) a pool lives
// for seconds, outlives the young generation and waits as garbage for a full GC: hundreds of KB a minute per device
// of ArrayBuffer garbage, which is what the acquisition process's malloc heap grew with over a long recording.
// The consumer must be done with the bytes when onBytes returns (the line decoder copies what it keeps).
import type { SerialPort } from 'serialport';

const READ_BUFFER_BYTES = 64 * 1024;

/**
 * Reads until the port closes. onLost gets the error of a read that failed for a reason other than the port being
 * closed by us (the binding's reads are then 'canceled'). Never touches the stream's flowing mode, so the stream
 * itself never reads.
 */
export function readSerial(port: SerialPort, onBytes: (bytes: Buffer) => void, onLost: (reason: string) => void): void {
  const buffer = Buffer.allocUnsafe(READ_BUFFER_BYTES);
  const loop = async () => {
    for (;;) {
      const binding = port.port;
      if (!port.isOpen || !binding) return;
      let bytesRead: number;
      try {
        ({ bytesRead } = await binding.read(buffer, 0, buffer.length));
      } catch (e) {
        if (!(e as { canceled?: boolean }).canceled && port.isOpen) onLost((e as Error).message);
        return;
      }
      if (bytesRead === 0) {
        onLost('end of stream');
        return;
      }
      onBytes(buffer.subarray(0, bytesRead));
    }
  };
  void loop();
}
