// The report's relevance section as data (issue 19 with issue 14): the newest Horst model that holds the subject's
// walks, what it predicts for them and the LRP relevance map over the subject's mean curves, with the phases and
// channels that carried the most relevance in words. Optional in the report model: reports issued before it
// existed have none and still render.
import { z } from 'zod';

/** One channel: the subject's mean curve and the mean relevance over the same inputs, 101 points each. */
export const relevancePanel = z.object({
  channel: z.string(),
  unit: z.string(),
  mean: z.array(z.number()),
  /** Mean relevance map row of the channel, unnormalised (the true-class logit's share per point). */
  relevance: z.array(z.number()),
  /** This channel's share of Σ|R| over the whole map (0–1). */
  share: z.number(),
});

export const reportRelevance = z.object({
  model: z.object({
    id: z.string(),
    kind: z.string(),
    task: z.string(),
    classes: z.number().int(),
    /** Test accuracy over the model's runs (mean ± SD, ddof = 0 as §5.1.12), with how it was measured. */
    accuracy: z.object({ mean: z.number(), sd: z.number(), runs: z.number().int() }),
    protocol: z.string(),
  }),
  composite: z.string(),
  /** What 0–100 % of a curve spans. */
  span: z.enum(['gait_cycle', 'stance']),
  /** The subject's inputs explained: gait cycles of its walks (a model of cycles) or trials. */
  inputs: z.object({ kind: z.enum(['gait cycles', 'trials']), n: z.number().int(), trials: z.number().int() }),
  truth: z.string(),
  /** Argmax of the mean logits over the subject's inputs, each from the run in which it was a test row. */
  predicted: z.string(),
  /** Inputs classified as the true class one by one. */
  correct: z.number().int(),
  /** max |R| over every panel: the colour scale runs from −scale to +scale, centred at 0 (§5.1.8). */
  scale: z.number(),
  panels: z.array(relevancePanel),
  /** The (channel, phase) cells with the largest summed positive relevance, largest first. */
  phases: z.array(z.object({ channel: z.string(), phase: z.string(), fromPct: z.number(), toPct: z.number(), relevance: z.number(), words: z.string() })),
  /** Channels by their share of Σ|R|, largest first. */
  topChannels: z.array(z.object({ channel: z.string(), share: z.number() })),
});
export type ReportRelevance = z.infer<typeof reportRelevance>;
export type RelevancePanel = z.infer<typeof relevancePanel>;
