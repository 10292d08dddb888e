// The sparse-autoencoder analyses of a stored dictionary model (methods-spec §5.2.6, §5.2.10): per-feature
// statistics over the model's cohort, and "akin gait" retrieval (nearest other subjects by cosine distance).
import { z } from 'zod';

const modelId = z.string().min(1).max(64).regex(/^[A-Za-z0-9_.:-]+$/, 'ids are letters, digits and _.:-');
const entityId = z.string().min(1).max(64);

const featureRow = z.object({
  index: z.number().int(),
  firingRate: z.number(),
  mean: z.number(),
  sd: z.number(),
  varianceShare: z.number(),
  dead: z.boolean(),
}).strict();

/**
 * Where the answer's analyses come from: they are computed at the end of the training job and stored with the
 * model (a model stored before that: on its first read), on the cohort's data as it was then. `current` is false
 * when the cohort's data (its trials, curves or subject metadata) has changed since; the analyses are then still
 * those of the old data, never mixed with the new, and `note` says how to recompute them.
 */
export const saeAnalysesInfo = z.object({
  runId: z.string(),
  computedAt: z.string(),
  trigger: z.enum(['training', 'first-read', 'recompute']),
  /** The database's training-data version when they were computed (audit sequence : cycles : last cycle : trials). */
  dataVersion: z.string(),
  /** SHA-256 of what they read: the cohort's rows (trials or side cycles, subjects, groups, curves) and its subjects' metadata. */
  dataFingerprint: z.string(),
  samples: z.number().int(),
  current: z.boolean(),
  note: z.string().nullable(),
}).strict();

/** How many top-activating samples per feature are stored with the dictionary (§5.2.7's default k = 5). */
export const SAE_STORED_TOP = 5;

export const saeApi = {
  /** Per-feature statistics of an SAE model's codes over all samples of the cohort it was trained on. */
  saeFeatures: {
    /** `recompute`: compute the analyses again on the cohort's data as it is now and store them (the newest are the model's). */
    request: z.object({ id: modelId, recompute: z.boolean().default(false) }).strict(),
    response: z.object({
      model: z.string(),
      analyses: saeAnalysesInfo,
      variant: z.string(),
      samples: z.number().int(),
      subjects: z.number().int(),
      summary: z.object({
        meanFiringRate: z.number(), minFiringRate: z.number(), maxFiringRate: z.number(), meanL0: z.number(),
        dead: z.array(z.number().int()), rare: z.array(z.number().int()), dense: z.array(z.number().int()),
        maxAbsCorrelation: z.number(),
        /** Pairs of features whose activations correlate with |r| > 0.3, strongest first (at most 50). */
        correlatedPairs: z.array(z.object({ i: z.number().int(), j: z.number().int(), r: z.number() }).strict()),
      }).strict(),
      features: z.array(featureRow),
      /**
       * Subject-level correlations (§5.2.8) of each non-dead feature's subject mean code with each metadata
       * attribute the cohort's subjects have (age, height, body weight, sex and group membership point-biserial,
       * walking speed, H&Y, UPDRS), strongest first.
       */
      correlations: z.array(z.object({
        feature: z.number().int(), attribute: z.string(), n: z.number().int(), r: z.number(), spearman: z.number(),
        p: z.number(), q: z.number(), ciLow: z.number(), ciHigh: z.number(), unstable: z.boolean(),
      }).strict()),
      /** The same r at trial level, as the paper computed it (pseudo-replicated: trials within subjects). */
      trialLevelMaxAbsR: z.number(),
    }).strict(),
  },
  /** The k subjects whose mean code is nearest (cosine) to a trial's or a subject's; the query subject never. */
  saeAkin: {
    request: z.object({ id: modelId, trial: entityId.optional(), subject: entityId.optional(), k: z.number().int().min(1).max(1000).default(10) }).strict()
      .refine((r) => (r.trial === undefined) !== (r.subject === undefined), { message: 'give exactly one of trial and subject' }),
    response: z.object({
      model: z.string(),
      analyses: saeAnalysesInfo,
      /** `curve`: the query's mean curve of the model's first channel (its trial's rows, or all its rows), 101 points. */
      query: z.object({ subject: z.string(), trial: z.string().nullable(), group: z.string(), curve: z.array(z.number()) }).strict(),
      database: z.number().int(),
      excludedZero: z.number().int(),
      /** The channel the curves are of. */
      channel: z.object({ name: z.string(), unit: z.string() }).strict(),
      neighbours: z.array(z.object({
        subject: z.string(), distance: z.number(), group: z.string(),
        /** What they share: the features most active in both mean codes (min of the two, largest first; at most 3). */
        shared: z.array(z.object({ feature: z.number().int(), query: z.number(), neighbour: z.number() }).strict()),
        /** The neighbour's mean curve of the same channel over all its rows, to plot against the query. */
        curve: z.array(z.number()),
      }).strict()),
    }).strict(),
  },
  /**
   * The feature dictionary (§5.2.7) for the UI: per feature its firing rate and variance share, its decoder atom in
   * the time domain (the curve one unit of activation adds, per channel: feature-decoding.ts) and the samples that
   * fire it most (one per subject) with their curves.
   */
  saeDictionary: {
    request: z.object({ id: modelId, top: z.number().int().min(0).max(SAE_STORED_TOP).default(3) }).strict(),
    response: z.object({
      model: z.string(),
      analyses: saeAnalysesInfo,
      variant: z.string(),
      /** What a sample is: one gait cycle of one side (walks), or one trial's curves. */
      rows: z.enum(['side-cycles', 'trials']),
      samples: z.number().int(),
      channels: z.array(z.object({ name: z.string(), unit: z.string() }).strict()),
      meanFiringRate: z.number(),
      features: z.array(z.object({
        index: z.number().int(), firingRate: z.number(), varianceShare: z.number(), dead: z.boolean(),
        /** Per channel, 101 points: the curve added per unit activation (channel units). */
        atom: z.array(z.array(z.number())),
        /** The activation histogram over all samples: 20 bins over [low, high] of the non-zero values (SAE; SVAE: all), and the samples at exactly 0. */
        histogram: z.object({ low: z.number(), high: z.number(), counts: z.array(z.number().int()), atZero: z.number().int() }).strict(),
        /** The subjects whose mean code fires the feature most (at most 5). */
        topSubjects: z.array(z.object({ subject: z.string(), group: z.string(), meanActivation: z.number() }).strict()),
        top: z.array(z.object({
          subject: z.string(), group: z.string(), trial: z.string(), side: z.string().nullable(), cycleId: z.string().nullable(),
          activation: z.number(), curves: z.array(z.array(z.number())),
          /** Per channel: the sample's reconstruction in the time domain (stacked layout; null for per-curve models). */
          reconstruction: z.array(z.array(z.number())).nullable(),
        }).strict()),
      }).strict()),
    }).strict(),
  },
  /** 2-D maps of the subjects' mean codes: t-SNE (druidjs, seeded) and PCA, with k-means clusters; computed in main. */
  saeLatentMap: {
    request: z.object({ id: modelId, perplexity: z.number().min(2).max(100).optional(), iterations: z.number().int().min(50).max(5000).default(500), seed: z.number().int().min(0).max(2 ** 31 - 1).default(42) }).strict(),
    response: z.object({
      model: z.string(),
      analyses: saeAnalysesInfo,
      method: z.string(),
      perplexity: z.number(),
      iterations: z.number().int(),
      seed: z.number().int(),
      points: z.array(z.object({
        subject: z.string(), group: z.string(), x: z.number(), y: z.number(),
        /** The subject's PCA scores (PC1, PC2) and k-means cluster (1-based). */
        pc1: z.number(), pc2: z.number(), cluster: z.number().int(),
        /** The subject's metadata to colour by (age, height, …; null where it has none). */
        metadata: z.record(z.string(), z.number().nullable()),
      }).strict()),
      /** PCA of the subject mean codes (deterministic): PC1 and PC2's shares of the variance. */
      pca: z.object({ explainedVarianceRatio: z.array(z.number()) }).strict(),
      /** k-means on the full codes (k-means++, 10 restarts, seed): k by the largest mean silhouette over 2..10, cluster sizes. */
      kmeans: z.object({ k: z.number().int(), silhouette: z.number(), silhouettes: z.array(z.object({ k: z.number().int(), silhouette: z.number() }).strict()), sizes: z.array(z.number().int()) }).strict(),
      /** The metadata names in `points[].metadata`, in display order. */
      attributes: z.array(z.string()),
    }).strict(),
  },
} as const;
