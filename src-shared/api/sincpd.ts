// SincPD (issue 15) beyond the training job itself: checking a training request against the cohort before a job is
// queued (labels, curves, duplicates, the protocol's folds), and predicting walks (files or stored trials).
import { z } from 'zod';

const id = z.string().min(1).max(64).regex(/^[A-Za-z0-9_.:-]+$/, 'ids are letters, digits and _.:-');

const walkPrediction = z.object({
  input: z.string(),
  walk: z.string(),
  subject: z.string(),
  stored: z.boolean(),
  segments: z.number().int(),
  /** Mean of the segments' PD probabilities (pd models), with its spread over segments. */
  pdProbability: z.number().nullable(),
  pdProbabilitySd: z.number().nullable(),
  predictedClass: z.number().int(),
  /** Severity models: the expected H&Y stage (methods-spec §5.3.4), mean over segments. */
  hoehnYahrEstimate: z.number().nullable(),
  perSegment: z.array(z.object({ startS: z.number(), probabilities: z.array(z.number()) })),
});

const band = z.tuple([z.number(), z.number()]);
const position = z.object({ x: z.number(), y: z.number() });
const representative = z.object({ method: z.string(), index: z.number().int(), segmentId: z.string().nullable(), subjectId: z.string().nullable(), clusterSize: z.number().int(), clusters: z.number().int(), noise: z.number().int() });
const sensorSummary = z.object({ sensor: z.number().int(), sumAbsDeltaE: z.number(), maxAbsDeltaE: z.number(), rank: z.number().int() });

/** methods-spec §5.3.6: per filter its bands, energies of the two class representatives, ΔE, rank and top-20 % flag. */
const sincExplanation = z.object({
  profile: z.string(), fs: z.number(), kernelLength: z.number().int(), rankBy: z.enum(['abs', 'signed']), topCount: z.number().int(),
  representatives: z.object({ healthy: representative, pd: representative }),
  filters: z.array(z.object({
    sensor: z.number().int(), channel: z.string(), posLeft: position, posRight: position, region: z.string(), filter: z.number().int(),
    f1Hz: z.number(), f2Hz: z.number(), measuredBandsHz: z.array(band), aliased: z.boolean(), paperPlotBandHz: band.optional(),
    energyHealthy: z.number(), energyPD: z.number(), deltaE: z.number(), rank: z.number().int(), top20: z.boolean(),
    classMean: z.object({ energyHealthy: z.number(), energyPD: z.number(), deltaE: z.number() }),
  })),
  sensors: z.array(sensorSummary),
  classMeanSensors: z.array(sensorSummary),
});

/**
 * Where a model's default explanation (on its held-out subjects' walks) comes from: it is computed once (by the
 * training job, or on the first read of a model stored before that) and kept with the model as a run.
 */
export const sincpdStoredExplanation = z.object({
  runId: z.string(),
  computedAt: z.string(),
  trigger: z.enum(['training', 'first-read', 'recompute']),
  /** The database's training-data version when it was computed (audit sequence : cycles : last cycle : trials). */
  dataVersion: z.string(),
  /** SHA-256 of the walks it read: the model's stored trials that hold the insole forces (id, key, subject, group, content hash). */
  dataFingerprint: z.string(),
  walks: z.number().int(),
  /** False where those walks changed since (a trial excluded, deleted, moved, regrouped): the values are still the kept ones. */
  current: z.boolean(),
  note: z.string().nullable(),
}).strict();

export const sincpdApi = {
  sincpdCheckTraining: {
    request: z.object({
      cohort: z.string().min(1).max(200).default('gaitpdb'),
      task: z.string().min(1).max(40),
      config: z.string().min(1).max(40).default('sincnet-gait'),
      protocol: z.string().min(1).max(40).default('subject-cv'),
      epochs: z.number().int().min(1).max(100_000).optional(),
      walks: z.enum(['all', 'usual-only']).default('all'),
      seed: z.number().int().default(0),
    }).strict(),
    response: z.object({
      task: z.enum(['pd', 'severity']),
      config: z.enum(['sincnet-gait', 'sincpd-2024']),
      protocol: z.enum(['subject-10fold', 'segment-stratified']),
      walks: z.number().int(),
      segments: z.number().int(),
      subjects: z.number().int(),
      classCounts: z.record(z.string(), z.number().int()),
      duplicates: z.array(z.object({ name: z.string(), duplicateOf: z.string(), by: z.string() })),
      severityExcluded: z.array(z.string()),
      warnings: z.array(z.string()),
      studyStageTable: z.record(z.string(), z.record(z.string(), z.number())),
      /** Per walk, the clock as found (methods-spec §5.3.1 item 2) and the segments it gave. */
      walkLog: z.array(z.object({ walk: z.string(), rows: z.number().int(), t0S: z.number(), tLastS: z.number(), shareOf0099Steps: z.number(), estimatedRateHz: z.number(), segments: z.number().int() })),
      folds: z.number().int(),
      /** segment-stratified: test subjects that also have training segments, and the label every figure carries. */
      sharedSubjects: z.number().int().nullable(),
      label: z.string().nullable(),
      implementationAvailable: z.boolean(),
    }),
  },
  sincpdPredict: {
    request: z.object({ modelId: id, inputs: z.array(z.string().min(1).max(4096)).min(1).max(10_000) }).strict(),
    response: z.object({ modelId: z.string(), task: z.string(), predictions: z.array(walkPrediction) }),
  },
  sincpdExplain: {
    request: z.object({
      modelId: id,
      /** Walk files or trial ids to explain on; default the walks of the model's held-out (validation) subjects. */
      inputs: z.array(z.string().min(1).max(4096)).max(10_000).default([]),
      rankBy: z.enum(['abs', 'signed']).default('abs'),
      /** Default explanation only: compute it again on the walks as they are now and keep the new one with the model. */
      recompute: z.boolean().optional(),
    }).strict(),
    response: z.object({
      modelId: z.string(),
      task: z.string(),
      /** Which segments the energies come from, and whether the model's final training saw them. */
      segments: z.object({ source: z.enum(['inputs', 'held-out subjects', 'training subjects']), heldOut: z.boolean(), n: z.number().int(), healthy: z.number().int(), pd: z.number().int(), walks: z.array(z.string()) }),
      explanation: sincExplanation,
      /** The top-20 % filters' magnitude responses (linear gain, 0..fs/2), from their trained band parameters. */
      responses: z.array(z.object({ sensor: z.number().int(), filter: z.number().int(), freqHz: z.array(z.number()), gain: z.array(z.number()) })),
      /** The default explanation: the kept one and where it comes from; null for an explanation on given inputs (never kept). */
      stored: sincpdStoredExplanation.nullable(),
    }),
  },
} as const;
