// Live recording: start devices in the acquisition process, stop, mark, and read each run's health.
// Live samples themselves are events on the 'live' topic (events.ts), delivered only to subscribed clients.
import { z } from 'zod';

/** Line-protocol insoles and IMUs (serial), a Shimmer3 (Bluetooth serial), a Movella DOT (BLE: `port` is its address or 'any'). */
const deviceKind = z.enum(['insole', 'imu', 'shimmer3', 'movella-dot']);
export type RecordingDeviceKind = z.infer<typeof deviceKind>;
const runId = z.string().min(1).max(64);

export const recordingDevice = z.object({
  port: z.string().min(1).max(1024),
  kind: deviceKind,
  /** Plain comma/semicolon lines (DIY devices) at this nominal rate, instead of the GaitLab line protocol. */
  legacyRateHz: z.number().positive().max(10000).optional(),
}).strict();

export const recordingTrial = z.object({
  trialId: z.string(),
  deviceId: z.string(),
  kind: z.string(),
  rateHz: z.number(),
  channels: z.array(z.string()),
});

export const deviceHealth = z.object({
  trialId: z.string(),
  deviceId: z.string(),
  samples: z.number(),
  /** Samples per second over the last second of host time. */
  rateHz: z.number(),
  gaps: z.number(),
  lostSamples: z.number(),
  badLines: z.number(),
  connected: z.boolean(),
  battery: z.number().nullable(),
});

export const recordingRun = z.object({
  runId,
  subjectId: z.string(),
  state: z.enum(['starting', 'recording', 'stopping', 'stopped', 'failed']),
  startedAt: z.string(),
  /** Host epoch ms of the run's time 0 (live-samples' timeS count from it); null until the devices answered. */
  originHostMs: z.number().nullable(),
  trials: z.array(recordingTrial),
  devices: z.array(deviceHealth),
  markers: z.array(z.object({ timeS: z.number(), label: z.string() })),
  error: z.string().nullable(),
});
export type RecordingRun = z.infer<typeof recordingRun>;

export const recordingApi = {
  recordingStart: {
    request: z.object({
      subjectId: z.string().min(1).max(64),
      devices: z.array(recordingDevice).min(1).max(8),
      durationS: z.number().positive().max(24 * 3600).optional(),
    }).strict(),
    response: recordingRun,
  },
  recordingStop: {
    request: z.object({ runId }).strict(),
    response: recordingRun,
  },
  recordingMark: {
    request: z.object({ runId, label: z.string().min(1).max(200) }).strict(),
    response: z.object({ runId, timeS: z.number(), label: z.string() }),
  },
  /** Serial ports the system lists (USB adapters, Bluetooth serial); a pty made by socat is not listed. */
  recordingPorts: {
    request: z.object({}).strict(),
    response: z.object({
      ports: z.array(z.object({ path: z.string(), manufacturer: z.string().nullable(), serialNumber: z.string().nullable() })),
      /** Why the list could not be read (then ports is empty). */
      error: z.string().nullable(),
    }),
  },
  recordingStatus: {
    request: z.object({ runId: runId.optional() }).strict(),
    response: z.object({ runs: z.array(recordingRun) }),
  },
} as const;
