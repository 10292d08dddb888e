// The Horst method's API beyond training (which is startTraining with method "Horst"): explaining one trial
// by LRP with the model of the run in which the trial was a test trial (spec §1.6, §5.1.6).
import { z } from 'zod';
import { DEFAULT_COMPOSITE } from '../lrp/composites';

const id = z.string().min(1).max(64).regex(/^[A-Za-z0-9_.:-]+$/, 'ids are letters, digits and _.:-');

export const horstApi = {
  explainTrial: {
    request: z.object({
      modelId: id,
      trialId: id,
      /** e.g. `conv:alphabeta(2,1); dense:epsilon(1e-5)` (default) or `epsilon(1e-5)` ("paper figures"). */
      composite: z.string().min(1).max(200).default(DEFAULT_COMPOSITE),
    }).strict(),
    response: z.object({
      explanation: z.object({
        modelId: z.string(),
        trialId: z.string(),
        kind: z.string(),
        task: z.string(),
        /** The run in which the trial was a test trial; its weights and scaling explain it. */
        run: z.number().int(),
        composite: z.string(),
        /** The true class: LRP explains its logit even when the trial is misclassified (§5.1.6). */
        target: z.object({ index: z.number().int(), label: z.string() }),
        predicted: z.object({ index: z.number().int(), label: z.string() }),
        logits: z.array(z.number()),
        explainedLogit: z.number(),
        relevanceSum: z.number(),
        /** explainedLogit − relevanceSum: bias shares, ε and αβ leakage. */
        residual: z.number(),
        channels: z.array(z.string()),
        samples: z.number().int(),
        /** Channel × time, unnormalised. */
        relevance: z.array(z.array(z.number())),
      }),
    }),
  },
  /** A subject's mean map over its trials (each from its test run), its TP rate and relevance CV (§5.1.8, §5.1.10). */
  explainSubject: {
    request: z.object({ modelId: id, subjectId: id, composite: z.string().min(1).max(200).default(DEFAULT_COMPOSITE) }).strict(),
    response: z.object({
      subject: z.object({
        modelId: z.string(),
        subjectId: z.string(),
        composite: z.string(),
        trials: z.array(z.string()),
        truePositiveRate: z.number(),
        /** null with fewer than 2 trials or an all-zero mean map. */
        cv: z.number().nullable(),
        channels: z.array(z.string()),
        samples: z.number().int(),
        relevance: z.array(z.array(z.number())),
      }),
    }),
  },
} as const;
