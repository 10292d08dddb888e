// A Shimmer3 that replays an SD-log recording over a serial port, speaking the LogAndStream Bluetooth protocol:
// for `gaitlab simulate --device shimmer`, the tests and users without the hardware. It ACKs every command, answers
// the inquiry with the channels of the recorded sensors (or the subset set-sensors asked for) and the all-calibration
// command with the file's calibration, and streams the file's samples as data packets at the file's rate × rateX.
// The device clock runs on while the link is down: packets due then are lost, as with a real Shimmer.
import { readFileSync } from 'node:fs';
import { SerialPort } from 'serialport';
import { ShimmerCommandDecoder, ackBytes, encodeAllCalibrationResponse, encodeDataPacket, encodeInquiryResponse, packetChannels } from './bt-protocol';
import { type TriaxialSensor, TIMESTAMP_MODULUS, SHIMMER_CLOCK_HZ, channelByName, sensorsFromBitfield } from './channels';
import type { TriaxialCalibration } from './calibration';
import { type ShimmerSdRecording, readShimmerSd } from './sd-file';

export interface ShimmerSimulatorOptions {
  /** The serial port the device side writes to (one end of a socat pty pair). */
  port: string;
  /** The SD-log binary to replay. */
  from: string;
  /** Play N× faster than real time (the timestamps stay the device's). */
  rateX?: number;
  /** Simulated seconds to stream (the recording loops, its clock running on); the recording once when absent. */
  durationS?: number;
  /** Put one junk byte after every n-th packet (the host must count it and never store it). */
  corruptEvery?: number;
  /** Fault: the link is down from this streamed (simulated) second for dropForS: packets due then are lost, commands unheard. */
  dropAtS?: number;
  dropForS?: number;
  /** Fault: the device holds its packets from this streamed second for pauseForS, then sends them late (nothing lost). */
  pauseAtS?: number;
  pauseForS?: number;
  /** Stops the replay; when given, the device also stays on the link after the last packet until it aborts. */
  signal?: AbortSignal;
  /** Stops the replay early (Ctrl+C of `gaitlab simulate`); the device leaves the link after lingerMs. */
  stopSignal?: AbortSignal;
  /** Without `signal`: how long the device stays on the link after its last packet, so the host reads what is in flight (default 1000). */
  lingerMs?: number;
  /** Called each time the device's end of the link is open (a host's bytes sent before that may be flushed). */
  onListening?: () => void;
  onProgress?: (sentS: number, totalS: number) => void;
}

export interface ShimmerSimulatorResult {
  /** Packets the device "sampled" while streaming. */
  packets: number;
  /** Of those, written to the link. */
  sent: number;
  /** Due while the link was down: lost. */
  dropped: number;
  corrupted: number;
  /** Packets held by a pause and sent late. */
  held: number;
  commands: number;
  /** The recording's rate, Hz, and the simulated seconds streamed. */
  rateHz: number;
  durationS: number;
}

const TICK_MS = 5;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const now = (): number => performance.timeOrigin + performance.now();

/** The device's protocol state, independent of the link: bytes in, bytes out through `write`. */
export class ShimmerDeviceEmulator {
  private readonly decoder = new ShimmerCommandDecoder();
  private enabledBitfield: number;
  private channelIndex: number[];
  streaming = false;
  commands = 0;
  /** Index of the next sample the device takes. */
  next = 0;

  constructor(readonly rec: ShimmerSdRecording, private readonly write: (bytes: Uint8Array) => void) {
    this.enabledBitfield = rec.header.sensorBitfield;
    this.channelIndex = rec.header.channels.map((_, c) => c);
  }

  get periodS(): number {
    return this.rec.header.rateDivisor / SHIMMER_CLOCK_HZ;
  }

  onBytes(chunk: Uint8Array): void {
    for (const cmd of this.decoder.push(chunk)) {
      this.commands++;
      if (cmd.type === 'unknown') continue; // the firmware ignores what it does not know
      this.write(ackBytes());
      switch (cmd.type) {
        case 'inquiry':
          this.write(encodeInquiryResponse({
            rateDivisor: this.rec.header.rateDivisor, config: [0, 0, 0, 0], bufferSize: 1,
            channelIds: this.channelIndex.map((c) => channelByName(this.rec.header.channels[c])!.id),
          }));
          break;
        case 'get-all-calibration':
          this.write(encodeAllCalibrationResponse(this.rec.header.calibration as Record<TriaxialSensor, TriaxialCalibration>));
          break;
        case 'set-sensors': {
          // A replay can only give what was recorded: the requested sensors that the file holds.
          this.enabledBitfield = cmd.bitfield & this.rec.header.sensorBitfield;
          const names = new Set(sensorsFromBitfield(this.enabledBitfield).sensors.flatMap((s) => s.channels));
          this.channelIndex = this.rec.header.channels.map((n, c) => (names.has(n) ? c : -1)).filter((c) => c >= 0);
          break;
        }
        case 'start-streaming': this.streaming = true; break;
        case 'stop-streaming': this.streaming = false; break;
        default: break; // set-sampling-rate: the replay keeps the recording's rate, and the inquiry says so
      }
    }
  }

  /** The data packet of sample `i` (looping over the recording, the 24-bit clock running on). */
  packet(i: number): Uint8Array {
    const n = this.rec.samples;
    const k = i % n;
    const timestamp = i < n ? this.rec.timestampRaw[i] : (this.rec.timestampRaw[0] + i * this.rec.header.rateDivisor) % TIMESTAMP_MODULUS;
    const ids = this.channelIndex.map((c) => channelByName(this.rec.header.channels[c])!.id);
    const layouts = packetChannels(ids).map((c) => c.layout);
    return encodeDataPacket(layouts, { timestamp, values: this.channelIndex.map((c) => this.rec.raw[c][k]) });
  }
}

export async function runShimmerSimulator(o: ShimmerSimulatorOptions): Promise<ShimmerSimulatorResult> {
  const rec = readShimmerSd(new Uint8Array(readFileSync(o.from)), o.from);
  const rateX = o.rateX ?? 1;
  let port: SerialPort | null = null;
  const res: ShimmerSimulatorResult = { packets: 0, sent: 0, dropped: 0, corrupted: 0, held: 0, commands: 0, rateHz: rec.header.rateHz, durationS: 0 };
  // Streaming time: the device takes sample `next` once (streamed wall time × rateX) passes its due time.
  let streamedMs = 0;
  const within = (s: number, at: number | undefined, forS: number | undefined) => at !== undefined && s >= at && s < at + (forS ?? 2);
  const linkDown = () => within(streamedMs / 1000, o.dropAtS, o.dropForS);
  const device = new ShimmerDeviceEmulator(rec, (bytes) => { if (!linkDown()) port?.write(Buffer.from(bytes)); });
  const total = o.durationS !== undefined ? Math.max(1, Math.round(o.durationS / device.periodS)) : rec.samples;

  let opening = false;
  const open = () => {
    if (opening || port) return;
    opening = true;
    const p = new SerialPort({ path: o.port, baudRate: 115200, autoOpen: false });
    p.open((err) => {
      opening = false;
      if (err) return;
      port = p;
      p.on('data', (chunk: Buffer) => { if (!linkDown()) device.onBytes(chunk); });
      o.onListening?.();
      const lost = () => { if (port === p) port = null; };
      p.on('error', lost);
      p.on('close', lost);
    });
  };

  open();
  const t0 = now();
  while (!port && now() - t0 < 5000) { open(); await sleep(20); }
  if (!port) throw new Error(`${o.port}: cannot open the port to send on`);
  let last = now();
  const heldBack: Uint8Array[] = [];
  await new Promise<void>((resolve) => {
    const timer = setInterval(() => {
      const t = now();
      const dt = t - last;
      last = t;
      if (!port) open();
      if (o.signal?.aborted || o.stopSignal?.aborted) {
        clearInterval(timer);
        device.streaming = false;
        resolve();
        return;
      }
      if (!device.streaming) return;
      streamedMs += dt * rateX;
      const paused = within(streamedMs / 1000, o.pauseAtS, o.pauseForS);
      const chunks: Uint8Array[] = paused ? heldBack : heldBack.splice(0);
      while (device.next < total && device.next * device.periodS * 1000 <= streamedMs) {
        const packet = device.packet(device.next++);
        res.packets++;
        if (!port || linkDown()) {
          res.dropped++;
          continue;
        }
        if (paused) res.held++;
        chunks.push(packet);
        if (o.corruptEvery && res.packets % o.corruptEvery === 0) {
          chunks.push(Uint8Array.of(0x55));
          res.corrupted++;
        }
        res.sent++;
      }
      if (!paused && chunks.length && port) port.write(Buffer.concat(chunks));
      o.onProgress?.(device.next * device.periodS, total * device.periodS);
      if (device.next >= total) {
        clearInterval(timer);
        resolve();
      }
    }, TICK_MS);
  });
  // With a signal, the device stays on the link (ACKing the host's stop) until the caller aborts; else a while, so
  // that the host reads what is still in flight (closing ends socat's side of the pair, which may drop it).
  if (o.signal && !o.signal.aborted) await new Promise((resolve) => o.signal!.addEventListener('abort', resolve, { once: true }));
  else if (!o.signal) {
    const until = now() + (o.lingerMs ?? 1000);
    while (!o.stopSignal?.aborted && now() < until) await sleep(20);
  }
  res.commands = device.commands;
  res.durationS = device.next * device.periodS;
  const p = port as SerialPort | null;
  if (p?.isOpen) {
    await new Promise<void>((resolve) => p.drain(() => resolve()));
    await new Promise<void>((resolve) => p.close(() => resolve()));
  }
  return res;
}
