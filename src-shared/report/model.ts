// The patient report as data: what the physiotherapist reads, with where every number came from. One model,
// rendered by the renderer (Reports page), by the self-contained HTML file and by the PDF. A report is issued
// once and stored as this JSON: a later model or re-analysis never changes a report already issued.
import { z } from 'zod';
import { reportRelevance } from './relevance';

const num = z.number().nullable();

/** A normal range from a reference group: mean ± 2 SD of the group's per-subject values (about 95 %). */
export const normalRange = z.object({ low: z.number(), high: z.number(), mean: z.number(), sd: z.number(), subjects: z.number() });
export type NormalRange = z.infer<typeof normalRange>;

export const reportParameter = z.object({
  name: z.string(),
  label: z.string(),
  side: z.string().nullable(),
  unit: z.string(),
  mean: num,
  sd: num,
  n: z.number(),
  normal: normalRange.nullable(),
  /** 'low' / 'high' when the mean lies outside the normal range. */
  outside: z.enum(['low', 'high']).nullable(),
  /** The same parameter at the compared visit, when there is one. */
  compare: num,
});

export const reportSymmetry = z.object({ name: z.string(), label: z.string(), unit: z.string(), left: num, right: num, symmetryIndex: num, normal: normalRange.nullable(), outside: z.enum(['low', 'high']).nullable() });

export const curveBand = z.object({ mean: z.array(z.number()), sd: z.array(z.number()), n: z.number() });
/** A compared visit's curves: `visit` is its label with its date, as the legend names it. */
export const comparedCurve = z.object({ visit: z.string(), left: curveBand.nullable(), right: curveBand.nullable() });
export const reportCurve = z.object({
  title: z.string(),
  unit: z.string(),
  kind: z.enum(['gait_cycle', 'stance']),
  channels: z.object({ left: z.string().nullable(), right: z.string().nullable() }),
  left: curveBand.nullable(),
  right: curveBand.nullable(),
  /** The reference group's band: mean ± SD over its subjects' mean curves. */
  reference: curveBand.extend({ subjects: z.number() }).nullable(),
  /** Mean absolute normalised symmetry index over the cycle, when both sides exist. */
  meanAbsNsi: num,
  /** The compared visit's mean ± SD per side on the same channels (absent in reports issued before it existed). */
  compare: comparedCurve.optional(),
});

/**
 * Which sinc filters and insole sensors separated controls from PD in the newest PD model (filter-energy
 * explanation, methods-spec §5.3.6): the top filters with their pass-bands, each sensor's (left − right pair's)
 * share of Σ|ΔE|. Status 'not-run' with the command when there is no PD model; 'not-applicable' with the reason
 * when the model cannot be explained on this database.
 */
export const sincEvidence = z.object({
  status: z.enum(['available', 'not-run', 'not-applicable']),
  summary: z.string(),
  howToRun: z.string().nullable(),
  modelId: z.string().nullable(),
  filters: z.array(z.object({
    rank: z.number(), sensor: z.number(), channel: z.string(), region: z.string(), filter: z.number(),
    /** The nominal pass-band from the trained parameters, and where the filter's measured response passes. */
    f1Hz: z.number(), f2Hz: z.number(), measuredBandsHz: z.array(z.tuple([z.number(), z.number()])),
    /** The nominal band reaches the Nyquist frequency, where the taps fold (sincpd-2024 only): it is not what the filter passes. */
    aliased: z.boolean(),
    deltaE: z.number(),
  })),
  sensors: z.array(z.object({ rank: z.number(), sensor: z.number(), channel: z.string(), region: z.string(), sumAbsDeltaE: z.number(), share: z.number() })),
});

/** A method's section: its result, or plainly why it is missing and how to get it. */
export const methodSection = z.object({
  id: z.string(),
  title: z.string(),
  status: z.enum(['available', 'not-run', 'not-applicable']),
  summary: z.string(),
  /** The command that computes what is missing, for status 'not-run'. */
  howToRun: z.string().nullable(),
  modelId: z.string().nullable(),
  /** SincPD sections: the filters and sensors that carried the evidence (absent in reports issued before it existed). */
  sincEvidence: sincEvidence.optional(),
  /** The relevance section's map over the subject's curves (section id 'relevance', status 'available'); optional: older reports have none. */
  relevance: reportRelevance.optional(),
});

export const reportModel = z.object({
  schema: z.literal(1),
  title: z.string(),
  subject: z.object({
    id: z.string(),
    cohort: z.string(),
    group: z.string().nullable(),
    sex: z.string().nullable(),
    /** Non-identifying clinical attributes with units (age, height, body mass, H&Y, UPDRS, diagnosis, …). */
    attributes: z.array(z.object({ key: z.string(), label: z.string(), value: z.union([z.number(), z.string()]), unit: z.string().nullable() })),
  }),
  visit: z.object({ id: z.string().nullable(), label: z.string(), date: z.string().nullable(), condition: z.string().nullable() }),
  compare: z.object({ id: z.string(), label: z.string(), date: z.string().nullable() }).nullable(),
  devices: z.array(z.string()),
  quality: z.object({
    trials: z.number(),
    trialsUsed: z.number(),
    trialsLeftOut: z.array(z.object({ trialId: z.string(), reason: z.string() })),
    strides: z.object({ left: z.number(), right: z.number(), flagged: z.number() }),
    cyclesUsed: z.number(),
    cyclesExcluded: z.number(),
    /** Why cycles were excluded: flag → count. */
    exclusionReasons: z.record(z.string(), z.number()),
    pendingDetection: z.array(z.string()),
  }),
  reference: z.object({ description: z.string(), subjects: z.number() }).nullable(),
  parameters: z.array(reportParameter),
  symmetry: z.array(reportSymmetry),
  curves: z.array(reportCurve),
  methods: z.array(methodSection),
  provenance: z.object({
    gaitlabVersion: z.string(),
    createdAt: z.string(),
    schemaVersion: z.number(),
    detector: z.string().nullable(),
    runs: z.array(z.object({ trialId: z.string(), method: z.string(), version: z.string(), runId: z.string(), params: z.record(z.string(), z.unknown()) })),
    trials: z.array(z.object({ id: z.string(), format: z.string().nullable(), sha256: z.string().nullable() })),
  }),
  disclaimer: z.string(),
});
export type ReportModel = z.infer<typeof reportModel>;
export type ReportParameter = z.infer<typeof reportParameter>;
export type ReportCurve = z.infer<typeof reportCurve>;
export type MethodSection = z.infer<typeof methodSection>;
export type SincEvidence = z.infer<typeof sincEvidence>;
export type ComparedCurve = z.infer<typeof comparedCurve>;

export const RESEARCH_USE = 'Research use only, not for diagnosis. GaitLab computes these figures from the recorded data with the methods named under Provenance; a clinician interprets them.';
