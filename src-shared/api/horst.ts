// The Horst method's API beyond training (which is startTraining with method "Horst"): explaining one trial
// by LRP with the model of the run in which the trial was a test trial (spec §1.6, §5.1.6).
import { z } from 'zod';
import { DEFAULT_COMPOSITE } from '../lrp/composites';
import { NOISES } from '../methods/horst/perturbation';
import { jobSummary } from './jobs';

/** Mean ± SD (ddof = 1) over subjects; null when there is no value. */
const meanSd = z.object({ mean: z.number(), sd: z.number(), n: z.number().int() }).nullable();

/** The most relevant (channel, phase) cells in words (methods/horst/phases.ts), largest summed relevance first. */
const phases = z.array(z.object({ channel: z.string(), phase: z.string(), relevance: z.number(), words: z.string() }));

const id = z.string().min(1).max(64).regex(/^[A-Za-z0-9_.:-]+$/, 'ids are letters, digits and _.:-');

/** The perturbation analysis of a model (curves, AOPC, AOC, relevance CV), in-call or as a job's stored run. */
const perturbationResponse = z.object({
  perturbation: z.object({
    modelId: z.string(),
    selection: z.string(),
    kind: z.string(),
    task: z.string(),
    composite: z.string(),
    seed: z.number().int(),
    setting: z.object({ repetitions: z.number().int(), steps: z.number().int(), label: z.string() }),
    /** Where the relevance-descending order came from: maps stored by explain --all, or computed for this call. */
    relevanceMaps: z.enum(['stored', 'computed', 'stored and computed']),
    /** Inputs perturbed: trials, or gait cycles for a model of cycles (`inputs`). */
    trials: z.number().int(),
    inputs: z.literal('gait cycles').optional(),
    /** Percent of the components perturbed at each step (k). */
    steps: z.array(z.number().int()),
    curves: z.array(z.object({
      noise: z.enum(NOISES),
      order: z.enum(['random', 'relevanceDescending']),
      /** Accuracy at each step, pooled over runs, trials and repetitions. */
      accuracy: z.array(z.number()),
      /** Percentage points: AOPC (Samek form), AOC (the paper's Table 2 scale). */
      aopc: z.number(),
      aoc: z.number(),
      subjectAopc: meanSd,
      subjectAoc: meanSd,
      subjects: z.array(z.object({ subject: z.string(), accuracy: z.array(z.number()), aopc: z.number(), aoc: z.number() })),
    })),
    relevanceCV: meanSd,
  }),
});

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
        /** The data the model was trained on (cohort, session): every result names its selection. */
        selection: z.string(),
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
        phases,
        /**
         * A model of gait cycles explains a walk by its cycles, each from the run in which it was a test row: the
         * map, logits, Σ R and residual above are the means over its `n` cycles, `predicted` the argmax of the mean
         * logits, `correct` how many cycles were classified correctly one by one. Absent for a model of trial curves.
         */
        cycles: z.object({ n: z.number().int(), runs: z.array(z.number().int()), correct: z.number().int(), span: z.literal('gait_cycle'), map: z.string() }).optional(),
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
        selection: z.string(),
        composite: z.string(),
        trials: z.array(z.string()),
        truePositiveRate: z.number(),
        /** null with fewer than 2 trials or an all-zero mean map. */
        cv: z.number().nullable(),
        channels: z.array(z.string()),
        samples: z.number().int(),
        relevance: z.array(z.array(z.number())),
        phases,
        /** A model of gait cycles: the number of the subject's cycles whose maps were averaged (each cycle once). */
        cycles: z.number().int().optional(),
      }),
    }),
  },
  /** Batch explain: every trial of the model's data, each from its test run, stored (§5.1.7). Writes. */
  explainModel: {
    request: z.object({ modelId: id, composite: z.string().min(1).max(200).default(DEFAULT_COMPOSITE) }).strict(),
    response: z.object({
      explained: z.object({
        modelId: z.string(),
        selection: z.string(),
        kind: z.string(),
        task: z.string(),
        composite: z.string(),
        /** Maps stored (one per trial; earlier maps of the same trial and composite replaced). */
        maps: z.number().int(),
        /** Trials of subjects the fold algorithm excluded (fewer than 3 trials): no test run, no map. */
        excludedTrials: z.number().int(),
        runs: z.number().int(),
        testAccuracy: z.number(),
        /** Time in the LRP attributor alone, and in all (reading curves and storing included). */
        lrpSeconds: z.number(),
        /** Threads the LRP ran on (a run's batch split over the machine's cores; 1: in the calling thread). */
        lrpThreads: z.number().int(),
        seconds: z.number(),
        /** A model of gait cycles: one map per cycle (maps, runs and testAccuracy count cycles) of `trials` walks. */
        inputs: z.literal('gait cycles').optional(),
        trials: z.number().int().optional(),
      }),
    }),
  },
  /** The stored maps aggregated per subject or per class (§5.1.8), with TP rate and CV (§5.1.10). */
  relevanceSummary: {
    request: z.object({ modelId: id, composite: z.string().min(1).max(200).default(DEFAULT_COMPOSITE), by: z.enum(['subject', 'class']).default('subject') }).strict(),
    response: z.object({
      summary: z.object({
        modelId: z.string(),
        selection: z.string(),
        kind: z.string(),
        task: z.string(),
        composite: z.string(),
        by: z.enum(['subject', 'class']),
        maps: z.number().int(),
        channels: z.array(z.string()),
        samples: z.number().int(),
        /** Mean ± SD (ddof = 1) of the groups' CVs; null when no group has two maps. */
        cv: z.object({ mean: z.number(), sd: z.number(), n: z.number().int() }).nullable(),
        groups: z.array(z.object({
          /** Subject id or class label. */
          key: z.string(),
          trials: z.array(z.string()),
          truePositiveRate: z.number(),
          cv: z.number().nullable(),
          /** Mean map, channel × time, unnormalised. */
          relevance: z.array(z.array(z.number())),
          phases,
        })),
      }),
    }),
  },
  /**
   * Noise perturbation curves (§1.7, §5.1.9): random vs relevance-descending order, the seven noises, 0–49 % in
   * 1 % steps, 10 repetitions; `quick`: 0–9 % and 2 repetitions, labelled. AOPC, AOC and relevance CV (§5.1.10).
   */
  perturbModel: {
    request: z.object({
      modelId: id,
      composite: z.string().min(1).max(200).default(DEFAULT_COMPOSITE),
      noises: z.array(z.enum(NOISES)).min(1).optional(),
      orders: z.array(z.enum(['random', 'relevanceDescending'])).min(1).optional(),
      quick: z.boolean().default(false),
    }).strict(),
    response: perturbationResponse,
  },
  /** The full perturbation analysis as a job of the compute engine (progress, cancel); its result is a stored method run. */
  startPerturbation: {
    request: z.object({
      modelId: id,
      composite: z.string().min(1).max(200).default(DEFAULT_COMPOSITE),
      noises: z.array(z.enum(NOISES)).min(1).optional(),
      orders: z.array(z.enum(['random', 'relevanceDescending'])).min(1).optional(),
      detach: z.boolean().default(false),
    }).strict(),
    response: z.object({ job: jobSummary }),
  },
  /** The stored result of a finished perturbation job. */
  perturbationResult: {
    request: z.object({ jobId: id }).strict(),
    response: perturbationResponse.extend({ runId: z.string() }),
  },
} as const;
