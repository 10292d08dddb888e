// `gaitlab features` and `gaitlab akin` on a stored sparse-autoencoder model: per-feature statistics (§5.2.6) with
// the subject-level metadata correlations (§5.2.8), and akin-gait retrieval over subject mean codes (§5.2.10). Both
// answer from the analyses stored with the model (sae-analyses.ts) and say when and on which data they were computed.
import type { ApiResponse } from '../../src-shared/api/schema';
import { buildLatentIndex, nearestSubjects } from '../../src-shared/sae/akin-retrieval';
import { ApiError } from './api-errors';
import type { ServiceContext } from './context';
import { saeAnalysesOf } from './sae-analyses';

export async function features(ctx: ServiceContext, req: { id: string; recompute?: boolean }): Promise<ApiResponse<'saeFeatures'>> {
  const { analyses, info } = await saeAnalysesOf(ctx, req.id, { recompute: req.recompute });
  return { model: req.id, analyses: info, ...analyses.features };
}

export async function akin(ctx: ServiceContext, req: { id: string; trial?: string; subject?: string; k: number }): Promise<ApiResponse<'saeAkin'>> {
  const { analyses, info } = await saeAnalysesOf(ctx, req.id);
  const r = analyses.retrieval;
  const k = r.latent;
  let querySubject: string;
  let query: Float32Array;
  let curve: number[];
  const stale = info.current ? '' : ` (as analysed on ${info.computedAt}; the cohort changed since: gaitlab features ${req.id} --recompute)`;
  if (req.trial !== undefined) {
    const t = r.trials.find((x) => x.id === req.trial);
    if (!t) throw new ApiError('input', `trial ${req.trial} is not in the model's cohort (or has no usable curves)${stale}`);
    query = Float32Array.from(t.code);
    querySubject = t.subject;
    curve = t.curve;
  } else {
    const i = r.subjects.indexOf(req.subject!);
    if (i < 0) throw new ApiError('not-found', `subject ${req.subject} has no trials in the model's cohort${stale}`);
    query = Float32Array.from(r.codes.slice(i * k, (i + 1) * k));
    querySubject = req.subject!;
    curve = r.curves[i];
  }
  // The database holds one mean code per subject; the query subject is excluded by ID whatever the query was.
  const codes = Float32Array.from(r.codes);
  const index = buildLatentIndex({ subjects: r.subjects, codes, k });
  let neighbours;
  try {
    neighbours = nearestSubjects(index, query, req.k, querySubject);
  } catch (e) {
    throw new ApiError('input', (e as Error).message);
  }
  const position = new Map(r.subjects.map((s, i) => [s, i]));
  return {
    model: req.id, analyses: info, query: { subject: querySubject, trial: req.trial ?? null, group: r.groups[position.get(querySubject)!] ?? '', curve },
    database: index.subjects.filter((s) => s !== querySubject).length, excludedZero: index.excludedZero.length,
    channel: r.channel,
    neighbours: neighbours.map((n) => {
      const i = position.get(n.subject)!;
      return { subject: n.subject, distance: n.distance, group: r.groups[i], shared: sharedFeatures(query, codes.subarray(i * k, (i + 1) * k), 3), curve: r.curves[i] };
    }),
  };
}

/** The features most active in both codes: by min(a_j, b_j) > 0, largest first. */
export function sharedFeatures(a: ArrayLike<number>, b: ArrayLike<number>, count: number): { feature: number; query: number; neighbour: number }[] {
  const out: { feature: number; query: number; neighbour: number }[] = [];
  for (let j = 0; j < a.length; j++) if (Math.min(a[j], b[j]) > 0) out.push({ feature: j, query: a[j], neighbour: b[j] });
  return out.sort((x, y) => Math.min(y.query, y.neighbour) - Math.min(x.query, x.neighbour) || x.feature - y.feature).slice(0, count);
}
