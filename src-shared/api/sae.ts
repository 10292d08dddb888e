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

export const saeApi = {
  /** Per-feature statistics of an SAE model's codes over all samples of the cohort it was trained on. */
  saeFeatures: {
    request: z.object({ id: modelId }).strict(),
    response: z.object({
      model: z.string(),
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
       * attribute the cohort has (here: membership of each subject group, point-biserial), strongest first.
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
      query: z.object({ subject: z.string(), trial: z.string().nullable(), group: z.string() }).strict(),
      database: z.number().int(),
      excludedZero: z.number().int(),
      neighbours: z.array(z.object({ subject: z.string(), distance: z.number(), group: z.string() }).strict()),
    }).strict(),
  },
} as const;
