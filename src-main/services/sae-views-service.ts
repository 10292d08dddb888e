// What the UI shows of a feature dictionary (methods-spec §5.2.6–§5.2.9): the features as cards (firing rate,
// variance share, activation histogram, the decoder atom as a curve, the cycles that fire it most with their
// reconstructions, the subjects that fire it most) and maps of the subjects' mean codes (seeded t-SNE, PCA) with
// k-means clusters and the metadata to colour by. Read from the analyses stored with the model (sae-analyses.ts);
// a map with other settings than the stored one is computed from the stored subject codes, never the cohort anew.
import type { ApiResponse } from '../../src-shared/api/schema';
import type { MetadataAttribute } from '../../src-shared/sae/subject-correlations';
import { ApiError } from './api-errors';
import type { ServiceContext } from './context';
import { latentMapOf, saeAnalysesOf, STORED_MAP } from './sae-analyses';

export async function dictionary(ctx: ServiceContext, req: { id: string; top: number }): Promise<ApiResponse<'saeDictionary'>> {
  const { analyses, info } = await saeAnalysesOf(ctx, req.id);
  const d = analyses.dictionary;
  // The stored top lists are the first SAE_STORED_TOP of a greedy ranking: a shorter list is their prefix.
  return { model: req.id, analyses: info, ...d, features: d.features.map((f) => ({ ...f, top: f.top.slice(0, req.top) })) };
}

export async function latentMap(ctx: ServiceContext, req: { id: string; perplexity?: number; iterations: number; seed: number }): Promise<ApiResponse<'saeLatentMap'>> {
  const { analyses, info } = await saeAnalysesOf(ctx, req.id);
  const stored = analyses.latentMap;
  if ('error' in stored) throw new ApiError('input', `model ${req.id}: ${stored.error}`);
  if (req.iterations === STORED_MAP.iterations && req.seed === STORED_MAP.seed && (req.perplexity === undefined || req.perplexity === stored.perplexity)) {
    return { model: req.id, analyses: info, ...stored };
  }
  const r = analyses.retrieval;
  const groupOf = new Map(r.subjects.map((s, i) => [s, r.groups[i]]));
  const attributes: MetadataAttribute[] = stored.attributes.map((name) => ({
    name, values: new Map(stored.points.flatMap((p) => (p.metadata[name] === null || p.metadata[name] === undefined ? [] : [[p.subject, p.metadata[name]!] as [string, number]]))),
  }));
  return { model: req.id, analyses: info, ...(await latentMapOf(r.subjects, Float32Array.from(r.codes), r.latent, groupOf, attributes, req)) };
}
