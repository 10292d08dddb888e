// Events pushed from main to the faces. Each carries the topic it is published on and the call or job it
// belongs to, so that a client receives only what it asked for: a call's progress goes to the caller alone,
// job events to the clients subscribed to 'jobs' (or to that job).
import { z } from 'zod';
import { jobSummary } from './jobs';

/** Progress of one long call (import, demo): stage, done of total, and what it is working on. */
export const progressEvent = z.object({
  kind: z.literal('progress'),
  task: z.string(),
  stage: z.string(),
  done: z.number(),
  total: z.number(),
  detail: z.string().optional(),
});
export type ProgressEvent = z.infer<typeof progressEvent>;

export const callProgressEvent = z.object({ type: z.literal('progress'), topic: z.literal('call'), callId: z.string(), progress: progressEvent });
export const jobStateEvent = z.object({ type: z.literal('job-state'), topic: z.literal('jobs'), jobId: z.string(), job: jobSummary });
export const jobLogEvent = z.object({ type: z.literal('job-log'), topic: z.literal('jobs'), jobId: z.string(), at: z.string(), line: z.string() });

/** Decimated live samples of one device of a recording run (display only: the store has every sample). */
export const liveSamplesEvent = z.object({
  type: z.literal('live-samples'), topic: z.literal('live'), runId: z.string(), trialId: z.string(), deviceId: z.string(),
  channels: z.array(z.string()),
  /** Run time of each point, s (host clock since the run started). */
  timeS: z.array(z.number()),
  /** Device clock of each point, s (unwrapped; its origin is the device's own). */
  deviceTimeS: z.array(z.number()),
  /** channels × points. */
  values: z.array(z.array(z.number())),
  /** When the acquisition process sent the batch (epoch ms): sensor-to-screen latency is measured from it. */
  sentAtMs: z.number(),
});
/** A device's link or data health changed (connected, silent, lost samples, bad lines, jitter, battery). */
export const liveStatusEvent = z.object({
  type: z.literal('live-status'), topic: z.literal('live'), runId: z.string(), deviceId: z.string(), status: z.string(), detail: z.string(),
});

export const apiEvent = z.discriminatedUnion('type', [callProgressEvent, jobStateEvent, jobLogEvent, liveSamplesEvent, liveStatusEvent]);
export type ApiEvent = z.infer<typeof apiEvent>;
export type CallProgressEvent = z.infer<typeof callProgressEvent>;
export type JobStateEvent = z.infer<typeof jobStateEvent>;
export type JobLogEvent = z.infer<typeof jobLogEvent>;
export type LiveSamplesEvent = z.infer<typeof liveSamplesEvent>;
export type LiveStatusEvent = z.infer<typeof liveStatusEvent>;

/** Topics a client can subscribe to (call events need no subscription: they go to their caller). */
export const eventTopic = z.enum(['jobs', 'live']);
export type EventTopic = z.infer<typeof eventTopic>;

/** What a client asks to receive: whole topics, or the events of given jobs only. */
export const subscription = z.object({
  topics: z.array(eventTopic).max(8).default([]),
  jobIds: z.array(z.string().min(1).max(64)).max(256).default([]),
}).strict();
export type Subscription = z.infer<typeof subscription>;

/** True when a subscriber with `sub` should receive `e` (call events are routed by callId, not here). */
export function matchesSubscription(e: ApiEvent, sub: Subscription): boolean {
  if (e.topic === 'call') return false;
  return sub.topics.includes(e.topic) || ('jobId' in e && sub.jobIds.includes(e.jobId));
}
