// The recorder: drivers' sample blocks → chunks in the store, committed every COMMIT_EVERY_MS (WAL: a commit is
// durable against a crash of this process once it returns), a watchdog that turns silence into recorded gaps,
// and decimated live samples for display. One trial per device; all devices of a run share its time base.
import { hostname } from 'node:os';
import { randomUUID } from 'node:crypto';
import type { AcquisitionDriver, DeviceDescription, DriverStatus, SampleBlock } from './driver';
import type { Db } from '../store/db';
import { appendChunks, closeGap, createRecording, finalizeRecording, recordGap, type ChunkToWrite } from '../store/recordings';
import { hostNowMs } from './drivers/line-serial-driver';
import { ChunkAccumulator } from './chunk-accumulator';

/** Commits at least this often (the issue allows 250 ms of loss; a commit takes ~1 ms, so 200 leaves margin). */
export const COMMIT_EVERY_MS = 200;
/** A device silent this long has a gap (recorded with how late it was noticed). */
export const SILENCE_GAP_MS = 1000;
/** At most this many points per device per second go to live displays. */
export const LIVE_POINTS_PER_S = 50;

export interface LiveBatch {
  trialId: string;
  deviceId: string;
  channels: string[];
  /** Run time (s since the run's origin, host clock) of each point. */
  timeS: number[];
  /** Device clock of each point, s (unwrapped): live gait events are timed on it, so they hold at any replay speed. */
  deviceTimeS: number[];
  /** channels × points, decimated by taking every k-th sample. */
  values: number[][];
  sentAtMs: number;
  /** Samples the block held before decimation (for the rate shown as device health). */
  samples: number;
}

export interface RecorderDevice {
  driver: AcquisitionDriver;
  port: string | null;
  badCounts?: () => ReadonlyMap<string, number>;
}

interface DeviceState {
  device: RecorderDevice;
  description: DeviceDescription;
  trialId: string;
  seq: number;
  pending: ChunkAccumulator;
  lastSampleHostMs: number;
  lastCounter: number;
  openGap: number | null;
  samples: number;
  liveEvery: number;
  liveSkip: number;
  gaps: number;
}

export interface RecorderEvents {
  onStatus?: (s: DriverStatus & { trialId?: string }) => void;
  onLive?: (b: LiveBatch) => void;
  onGap?: (g: { trialId: string; deviceId: string; kind: 'silence' | 'lost-samples'; detectedMs?: number; missing?: number }) => void;
}

export interface RecorderSummary {
  runId: string;
  trials: { trialId: string; deviceId: string; kind: string; samples: number; gaps: number; badLines: Record<string, number> }[];
}

export class Recorder {
  readonly runId = randomUUID();
  readonly originHostMs = hostNowMs();
  private readonly states: DeviceState[] = [];
  private timer: NodeJS.Timeout | null = null;
  private stopped = false;

  constructor(private readonly db: Db, private readonly actor: string, private readonly subjectId: string, private readonly events: RecorderEvents = {}) {}

  /** Creates the device's trial and starts taking its blocks. The driver must be open (described). */
  async add(device: RecorderDevice, description: DeviceDescription): Promise<string> {
    const trialId = createRecording(this.db, this.actor, {
      subjectId: this.subjectId, runId: this.runId, deviceId: description.deviceId, deviceKind: description.kind, port: device.port,
      rateHz: description.rateHz, channels: description.channels, originHostMs: this.originHostMs, recorderPid: process.pid, recorderHost: hostname(),
    });
    const st: DeviceState = {
      device, description, trialId, seq: 0, pending: new ChunkAccumulator(description.channels.length), lastSampleHostMs: hostNowMs(), lastCounter: NaN, openGap: null, samples: 0,
      liveEvery: Math.max(1, Math.round(description.rateHz / LIVE_POINTS_PER_S)), liveSkip: 0, gaps: 0,
    };
    this.states.push(st);
    device.driver.on('block', (b) => this.onBlock(st, b));
    device.driver.on('status', (s) => this.onStatus(st, s));
    await device.driver.start();
    this.timer ??= setInterval(() => this.tick(), Math.min(COMMIT_EVERY_MS, 100));
    return trialId;
  }

  get trialIds(): string[] {
    return this.states.map((s) => s.trialId);
  }

  private onBlock(st: DeviceState, b: SampleBlock): void {
    if (this.stopped) return;
    const n = b.counter.length;
    if (n === 0) return;
    if (st.openGap !== null) {
      closeGap(this.db, st.openGap, b.hostTimeMs[0]);
      st.openGap = null;
    }
    if (!Number.isNaN(st.lastCounter) && b.counter[0] > st.lastCounter + 1) {
      const missing = b.counter[0] - st.lastCounter - 1;
      recordGap(this.db, st.trialId, { kind: 'lost-samples', startHostMs: st.lastSampleHostMs, endHostMs: b.hostTimeMs[0], fromCounter: st.lastCounter + 1, missing });
      st.gaps++;
      this.events.onGap?.({ trialId: st.trialId, deviceId: st.description.deviceId, kind: 'lost-samples', missing });
    }
    st.lastCounter = b.counter[n - 1];
    st.lastSampleHostMs = b.hostTimeMs[n - 1];
    st.pending.append(b);
    st.samples += n;
    if (this.events.onLive) this.live(st, b);
  }

  private live(st: DeviceState, b: SampleBlock): void {
    const c = b.channelCount;
    const timeS: number[] = [];
    const deviceTimeS: number[] = [];
    const values: number[][] = Array.from({ length: c }, () => []);
    for (let i = 0; i < b.counter.length; i++) {
      if (st.liveSkip++ % st.liveEvery !== 0) continue;
      timeS.push((b.hostTimeMs[i] - this.originHostMs) / 1000);
      deviceTimeS.push(b.deviceTimeUs[i] / 1e6);
      for (let k = 0; k < c; k++) values[k].push(b.values[i * c + k]);
    }
    // Sent even without a point: its sample count is the device's health (rate) for the host.
    this.events.onLive!({ trialId: st.trialId, deviceId: st.description.deviceId, channels: st.description.channels.map((x) => x.name), timeS, deviceTimeS, values, sentAtMs: hostNowMs(), samples: b.counter.length });
  }

  private onStatus(st: DeviceState, s: DriverStatus): void {
    this.events.onStatus?.({ ...s, trialId: st.trialId });
  }

  private tick(): void {
    const now = hostNowMs();
    for (const st of this.states) {
      if (st.openGap === null && now - st.lastSampleHostMs > SILENCE_GAP_MS) {
        st.openGap = recordGap(this.db, st.trialId, { kind: 'silence', startHostMs: st.lastSampleHostMs, detectedMs: now - st.lastSampleHostMs });
        st.gaps++;
        this.events.onGap?.({ trialId: st.trialId, deviceId: st.description.deviceId, kind: 'silence', detectedMs: now - st.lastSampleHostMs });
      }
    }
    this.commit();
  }

  /** Writes every pending block as one chunk per device, with the heartbeat, in one transaction. */
  commit(): void {
    const chunks: ChunkToWrite[] = [];
    const badLines = new Map<string, Record<string, number>>();
    for (const st of this.states) {
      const counts = st.device.badCounts?.();
      if (counts) badLines.set(st.trialId, Object.fromEntries(counts));
      if (st.pending.length === 0) continue;
      chunks.push({ trialId: st.trialId, seq: st.seq++, ...st.pending.take() });
    }
    appendChunks(this.db, chunks, { trialIds: this.states.map((s) => s.trialId), badLines });
  }

  /** Stops the drivers, commits what is left and closes every trial (folded into ordinary signals). */
  async stop(): Promise<RecorderSummary> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    for (const st of this.states) await st.device.driver.stop().catch(() => {});
    this.commit();
    this.stopped = true;
    for (const st of this.states) {
      if (st.openGap !== null) closeGap(this.db, st.openGap, hostNowMs());
      finalizeRecording(this.db, this.actor, st.trialId, 'closed');
    }
    for (const st of this.states) await st.device.driver.close().catch(() => {});
    return {
      runId: this.runId,
      trials: this.states.map((st) => ({ trialId: st.trialId, deviceId: st.description.deviceId, kind: st.description.kind, samples: st.samples, gaps: st.gaps,
        badLines: Object.fromEntries(st.device.badCounts?.() ?? []) })),
    };
  }
}
