// "Walks like this one" evaluated on one model's subject split (methods-spec §5.2.10 with the model's own held-out
// subjects): every held-out subject's mean code queries the training subjects' mean codes (exact cosine); P@k is
// the share of its k neighbours in its own group, the base rate the share of the database in that group (what
// random neighbours would give), with a label-permutation p of the mean P@k. A held-out subject whose code is all
// zero has no direction to search by and counts as precision 0 (named in `silent`).
import { buildLatentIndex, nearestSubjects, permutationPValue, precisionAtK, subjectMeanCodes } from './akin-retrieval';

export interface HeldOutQuery { subject: string; group: string; precision: number; baseRate: number; neighbours: string[] }

export interface HeldOutRetrieval {
  k: number;
  queries: HeldOutQuery[];
  database: number;
  precision: number;
  baseRate: number;
  permutationP: number;
  /** Per group: its held-out subjects, mean P@k and mean base rate. */
  byGroup: { group: string; queries: number; precision: number; baseRate: number }[];
  silent: string[];
}

export function heldOutRetrieval(codes: ArrayLike<number>, rows: number, latent: number, rowSubjects: readonly string[], heldOut: ReadonlySet<string>,
  groupOf: (subject: string) => string, o: { k: number; seed: number; permutations: number }): HeldOutRetrieval {
  const means = subjectMeanCodes(codes, rows, latent, rowSubjects);
  const train = means.subjects.flatMap((s, i) => (heldOut.has(s) ? [] : [i]));
  const pick = (idx: number[]) => {
    const out = new Float32Array(idx.length * latent);
    idx.forEach((i, r) => out.set(means.codes.subarray(i * latent, (i + 1) * latent), r * latent));
    return out;
  };
  const index = buildLatentIndex({ subjects: train.map((i) => means.subjects[i]), codes: pick(train), k: latent });
  const queries: HeldOutQuery[] = [];
  const lists: string[][] = [];
  const labels: string[] = [];
  const silent: string[] = [];
  means.subjects.forEach((subject, i) => {
    if (!heldOut.has(subject)) return;
    const code = means.codes.subarray(i * latent, (i + 1) * latent);
    const neighbours = code.some((v) => v !== 0) ? nearestSubjects(index, code, o.k, subject) : [];
    const p = precisionAtK(neighbours, groupOf, groupOf(subject), index.subjects, subject);
    if (!neighbours.length) silent.push(subject);
    queries.push({ subject, group: groupOf(subject), precision: neighbours.length ? p.precision : 0, baseRate: p.baseRate, neighbours: neighbours.map((n) => n.subject) });
    if (neighbours.length) { lists.push(neighbours.map((n) => n.subject)); labels.push(groupOf(subject)); }
  });
  const perm = lists.length ? permutationPValue(lists, labels, index.subjects, index.subjects.map(groupOf), o.seed, o.permutations).p : NaN;
  const groups = [...new Set(queries.map((q) => q.group))].sort();
  return {
    k: o.k, queries, database: index.subjects.length, precision: mean(queries.map((q) => q.precision)), baseRate: mean(queries.map((q) => q.baseRate)),
    permutationP: perm, silent,
    byGroup: groups.map((g) => {
      const q = queries.filter((x) => x.group === g);
      return { group: g, queries: q.length, precision: mean(q.map((x) => x.precision)), baseRate: mean(q.map((x) => x.baseRate)) };
    }),
  };
}

function mean(v: readonly number[]): number {
  return v.length ? v.reduce((s, x) => s + x, 0) / v.length : NaN;
}
