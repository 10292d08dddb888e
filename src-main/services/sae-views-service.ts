// What the UI shows of a feature dictionary (methods-spec §5.2.6–§5.2.9): the features as cards (firing rate,
// variance share, activation histogram, the decoder atom as a curve, the cycles that fire it most with their
// reconstructions, the subjects that fire it most) and maps of the subjects' mean codes (seeded t-SNE, PCA) with
// k-means clusters and the metadata to colour by. Computed in main from the model and its cohort read again; the
// renderer draws.
import type { ApiResponse } from '../../src-shared/api/schema';
import { subjectMeanCodes } from '../../src-shared/sae/akin-retrieval';
import { featureStats } from '../../src-shared/sae/feature-stats';
import { activationHistogram } from '../../src-shared/sae/activation-histogram';
import { reconstructedCurves, unitActivationCurves } from '../../src-shared/sae/feature-decoding';
import { chooseK } from '../../src-shared/sae/kmeans';
import { pca } from '../../src-shared/sae/pca';
import { subjectAttributes } from '../../src-shared/sae/subject-correlations';
import { deriveSeed } from '../../src-shared/sae/subject-split';
import { subjectsFiringMost, topActivatingSamples } from '../../src-shared/sae/top-activations';
import { importEsm } from '../esm-import';
import { readSubjectMetadata } from '../store/subject-metadata';
import { ApiError } from './api-errors';
import type { ServiceContext } from './context';
import { cohortCodes } from './sae-service';

const round = (v: number) => Math.round(v * 1e4) / 1e4;

export async function dictionary(ctx: ServiceContext, req: { id: string; top: number }): Promise<ApiResponse<'saeDictionary'>> {
  const c = await cohortCodes(ctx, req.id);
  const k = c.state.weights.latent;
  const kind = c.state.weights.kind === 'svae' ? 'signed' : 'relu';
  const s = featureStats(c.codes, c.rows, k, kind);
  const dead = new Set(s.dead);
  const { data } = c;
  const curvesOf = (row: number) => c.state.card.channels.map((_, ch) => Array.from(data.x.subarray(row * data.features + ch * data.points, row * data.features + (ch + 1) * data.points), round));
  const { W, bd, dim } = c.state.weights;
  const stacked = c.state.card.layout === 'stacked';
  const means = subjectMeanCodes(c.codes, c.rows, k, c.subjects);
  const groupOf = new Map<string, string>();
  c.trialRow.forEach((r, i) => groupOf.set(c.subjects[i], c.groups[r]));
  return {
    model: req.id, variant: c.state.card.variant, rows: c.rowCycles ? 'side-cycles' : 'trials', samples: c.rows, channels: c.channels, meanFiringRate: s.meanRate,
    features: s.firingRate.map((rate, j) => ({
      index: j, firingRate: rate, varianceShare: s.varianceShare[j], dead: dead.has(j),
      atom: unitActivationCurves(W, dim, j, c.state.scaling).map((curve) => Array.from(curve, round)),
      histogram: activationHistogram(c.codes, c.rows, k, j, kind),
      topSubjects: subjectsFiringMost(means.subjects, means.codes, k, j).map((t) => ({ ...t, group: groupOf.get(t.subject) ?? '' })),
      top: dead.has(j) ? [] : topActivatingSamples(c.codes, c.rows, k, j, c.subjects, { count: req.top, kind }).map((t) => {
        const row = c.trialRow[t.row];
        const cycle = c.rowCycles?.[row] ?? null;
        const reconstruction = stacked ? reconstructedCurves(c.codes.subarray(t.row * k, (t.row + 1) * k), W, bd, dim, c.state.scaling).map((curve) => Array.from(curve, round)) : null;
        return { subject: t.subject, group: c.groups[row], trial: c.rowTrialIds[row], side: cycle?.side ?? null, cycleId: cycle?.cycleId ?? null, activation: t.activation, curves: curvesOf(row), reconstruction };
      }),
    })),
  };
}

interface Druid { TSNE: new (X: number[][], p: { perplexity: number; seed: number; d: number }) => { transform(iterations: number): number[][] } }

export async function latentMap(ctx: ServiceContext, req: { id: string; perplexity?: number; iterations: number; seed: number }): Promise<ApiResponse<'saeLatentMap'>> {
  const c = await cohortCodes(ctx, req.id);
  const k = c.state.weights.latent;
  const means = subjectMeanCodes(c.codes, c.rows, k, c.subjects);
  const n = means.subjects.length;
  if (n < 3) throw new ApiError('input', `model ${req.id}: a map needs at least 3 subjects; its cohort has ${n}`);
  // t-SNE needs perplexity < n; the usual 30 where the cohort allows, else (n − 1) / 3.
  const perplexity = req.perplexity ?? Math.max(2, Math.min(30, Math.floor((n - 1) / 3)));
  if (perplexity >= n) throw new ApiError('input', `model ${req.id}: perplexity ${perplexity} must be below the number of subjects (${n})`);
  const X = means.subjects.map((_, i) => Array.from(means.codes.subarray(i * k, (i + 1) * k)));
  const druid = await importEsm<Druid>('@saehrimnir/druidjs');
  const Y = new druid.TSNE(X, { perplexity, seed: req.seed, d: 2 }).transform(req.iterations);
  const groupOf = new Map<string, string>();
  c.trialRow.forEach((r, i) => groupOf.set(c.subjects[i], c.groups[r]));
  // §5.2.9: PCA (deterministic) beside t-SNE; k-means on the full codes, k by the largest mean silhouette.
  const p = pca(means.codes, n, k, 2);
  const clusters = chooseK(means.codes, n, k, deriveSeed(req.seed, 'shuffle'), 2, Math.min(10, n - 1));
  const sizes = new Array<number>(clusters.k).fill(0);
  for (const l of clusters.fit.labels) sizes[l]++;
  const attributes = subjectAttributes(readSubjectMetadata(ctx.db, means.subjects)).filter((a) => !a.name.startsWith('group = '));
  return {
    model: req.id, method: 't-SNE (druidjs 0.9.0) of subject mean codes, squared Euclidean', perplexity, iterations: req.iterations, seed: req.seed,
    points: means.subjects.map((subject, i) => ({
      subject, group: groupOf.get(subject) ?? '', x: Y[i][0], y: Y[i][1], pc1: p.scores[i * 2], pc2: p.scores[i * 2 + 1], cluster: clusters.fit.labels[i] + 1,
      metadata: Object.fromEntries(attributes.map((a) => [a.name, a.values.get(subject) ?? null])),
    })),
    pca: { explainedVarianceRatio: p.explainedVarianceRatio.slice(0, 2) },
    kmeans: { k: clusters.k, silhouette: clusters.silhouettes.find((x) => x.k === clusters.k)!.silhouette, silhouettes: clusters.silhouettes, sizes },
    attributes: attributes.map((a) => a.name),
  };
}
