// Messages between the host (CLI, app main, browser-mode server) and the acquisition process.
import type { DeviceKind, DriverStatus } from './driver';
import type { LiveBatch, RecorderSummary } from './recorder';

export interface AcquisitionDeviceConfig {
  port: string;
  kind: DeviceKind;
  baudRate?: number;
  legacy?: { rateHz: number; deviceId?: string };
}

export interface AcquisitionConfig {
  dbPath: string;
  actor: string;
  subjectId: string;
  devices: AcquisitionDeviceConfig[];
  /** Stop by itself after this many seconds (else on a 'stop' message or SIGTERM/SIGINT). */
  durationS?: number;
  /** Send decimated live samples to the host. */
  live?: boolean;
}

export type HostToAcquisition = { type: 'stop' } | { type: 'mark'; label: string };

export type AcquisitionToHost =
  | { type: 'listening'; port: string }
  | { type: 'started'; runId: string; originHostMs: number; trials: { trialId: string; deviceId: string; kind: DeviceKind; rateHz: number; channels: string[] }[] }
  | { type: 'status'; status: DriverStatus & { trialId?: string } }
  | { type: 'gap'; trialId: string; deviceId: string; kind: 'silence' | 'lost-samples'; detectedMs?: number; missing?: number }
  | { type: 'live'; batch: LiveBatch }
  | { type: 'marked'; trialId: string; timeS: number; label: string }
  | { type: 'stopped'; summary: RecorderSummary }
  | { type: 'failed'; error: string };

export const ACQUISITION_CONFIG_ENV = 'GAITLAB_ACQUISITION_CONFIG';
