// The hierarchical GP's API (methods-spec §4, §5.4): fitting as a job on a cohort's stored cycles (fitGp
// extracts missing cycles, checks the data, then queues the job that startTraining would), comparing two nodes
// of a fitted model (MMD profile, difference process) and the limb asymmetry scores with their groups.
import { z } from 'zod';
import { jobSummary } from './jobs';

const id = z.string().min(1).max(64).regex(/^[A-Za-z0-9_.:-]+$/, 'ids are letters, digits and _.:-');
const curve = z.array(z.number().nullable());
/** A group's or a node's id in the fitted tree: population, a group, group/subject, group/subject/limb, or a subject id alone. */
const nodeRef = z.string().min(1).max(200);

export const gpApi = {
  fitGp: {
    request: z.object({
      /** Cycle channels as getCycles names them (one per side, e.g. L_total and R_total); the limb is the cycle's side. */
      channels: z.array(z.string().min(1).max(128)).min(1).max(8),
      cohort: z.string().min(1).max(64),
      session: z.string().max(64).nullable().default(null),
      levels: z.string().max(200).default('population,group,individual,limb'),
      noise: z.string().max(16).default('hetero'),
      m: z.number().default(100),
      tieLevels: z.boolean().default(false),
      optimizeZ: z.boolean().default(true),
      maxIterations: z.number().optional(),
      seed: z.number().int().min(0).max(2 ** 31 - 1).default(0),
      detach: z.boolean().default(false),
    }).strict(),
    response: z.object({
      job: jobSummary,
      /** Trials whose cycles were extracted by this call (missing or stale before). */
      extracted: z.number().int(),
      trials: z.number().int(),
      subjects: z.number().int(),
      cycles: z.number().int(),
    }),
  },
  gpCompare: {
    request: z.object({ modelId: id, a: nodeRef, b: nodeRef, points: z.number().int().min(10).max(1000).default(200) }).strict(),
    response: z.object({
      modelId: z.string(),
      a: z.string(),
      b: z.string(),
      grid: z.array(z.number()),
      a_mean: curve, a_variance: curve, b_mean: curve, b_variance: curve,
      /** Unbiased MMD² per input (500 draws each, seed 0) and min–max normalised. */
      mmd: curve,
      mmdNormalised: curve,
      /** μ_B − μ_A ± 2√(v_A + v_B). */
      difference: z.object({ mean: curve, lower: curve, upper: curve }),
    }),
  },
  gpAsymmetry: {
    request: z.object({ modelId: id, subjectId: id.optional() }).strict(),
    response: z.object({
      modelId: z.string(),
      /** Per individual with both limbs: W1 area (sampled) and the exact Gaussian value, and the share of its group at or below it. */
      scores: z.array(z.object({ subject: z.string(), group: z.string(), score: z.number(), exactScore: z.number(), groupPercentile: z.number() })),
      groups: z.array(z.object({ group: z.string(), n: z.number().int(), min: z.number(), q1: z.number(), median: z.number(), q3: z.number(), max: z.number() })),
      /** Between the first two groups; null with fewer than two groups of scores. */
      mannWhitney: z.object({ a: z.string(), b: z.string(), u1: z.number(), u2: z.number(), p: z.number(), method: z.string() }).nullable(),
      subject: z.object({ subject: z.string(), group: z.string(), score: z.number(), exactScore: z.number(), groupPercentile: z.number(), profile: curve, grid: z.array(z.number()) }).nullable(),
    }),
  },
  /** GP models whose data hold a subject (the subject page's choice). */
  gpModelsOfSubject: {
    request: z.object({ subjectId: id }).strict(),
    response: z.object({ models: z.array(z.object({ id: z.string(), name: z.string(), createdAt: z.string(), noise: z.string(), channels: z.array(z.string()) })) }),
  },
  /**
   * One subject in a GP model: each limb's latent band (mean ± 2 SD of f) and noise variance over the group's
   * pooled band, the MMD² of the individual against its group (normalised; 200 draws each at 51 inputs) and
   * its asymmetry score placed in the group's scores.
   */
  gpSubjectView: {
    request: z.object({ modelId: id, subjectId: id }).strict(),
    response: z.object({
      modelId: z.string(),
      subject: z.string(),
      group: z.string(),
      channels: z.array(z.string()),
      grid: z.array(z.number()),
      limbs: z.array(z.object({ limb: z.string(), mean: curve, lower: curve, upper: curve, noiseVariance: curve })),
      groupBand: z.object({ mean: curve, lower: curve, upper: curve }),
      mmdGrid: z.array(z.number()),
      mmd: curve,
      asymmetry: z.object({ score: z.number(), groupPercentile: z.number(), groupScores: z.array(z.number()) }).nullable(),
    }),
  },
} as const;
