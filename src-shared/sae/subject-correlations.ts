// Feature–metadata correlations at subject level (methods-spec §5.2.8) over every attribute a cohort has: the
// subject's mean code of each non-dead feature against age, height, body weight, sex, walking speed, H&Y, UPDRS
// and membership of each group (impairment class, PD/control), each with a seeded bootstrap CI over subjects,
// and Benjamini–Hochberg q across all tested pairs. Subjects without a value are left out of that attribute only.
import { benjaminiHochberg, correlateWithBootstrap, pearson } from './metadata-correlation';

/** What a subject brings to the correlations: its group, sex and numeric attributes by key. */
export interface SubjectMetadata { subject: string; group: string | null; sex: string | null; numbers: Record<string, number> }

/** One attribute as a number per subject (NaN where the subject has none). */
export interface MetadataAttribute { name: string; values: Map<string, number> }

const GROUP_PREFIX = 'group = ';

/**
 * The attributes to correlate with, in a fixed order: age, height (m; cm converted when the median is above 3),
 * body weight (kg), sex (point-biserial, male = 1), walking speed (mean of the subject's `speed_*` values, gaitpdb's
 * dual-task walk 10 left out, or `walking_speed`), Hoehn & Yahr, UPDRS, UPDRS motor; then one 0/1 attribute per
 * group when there are at least two. An attribute with fewer than 3 subjects or no variance is left out.
 */
export function subjectAttributes(rows: readonly SubjectMetadata[]): MetadataAttribute[] {
  const numeric = (name: string, pick: (m: SubjectMetadata) => number | undefined): MetadataAttribute => ({
    name, values: new Map(rows.flatMap((m) => { const v = pick(m); return v !== undefined && Number.isFinite(v) ? [[m.subject, v] as [string, number]] : []; })),
  });
  const heights = rows.map((m) => m.numbers.height).filter((v) => Number.isFinite(v)).sort((a, b) => a - b);
  const heightScale = heights.length && heights[Math.floor(heights.length / 2)] > 3 ? 0.01 : 1;
  const speed = (m: SubjectMetadata) => {
    if (Number.isFinite(m.numbers.walking_speed)) return m.numbers.walking_speed;
    const walks = Object.entries(m.numbers).filter(([k]) => /^speed_walk_\d+$/.test(k) && k !== 'speed_walk_10').map(([, v]) => v);
    return walks.length ? walks.reduce((s, v) => s + v, 0) / walks.length : undefined;
  };
  const out = [
    numeric('age', (m) => m.numbers.age),
    numeric('height', (m) => (m.numbers.height !== undefined ? m.numbers.height * heightScale : undefined)),
    numeric('body weight', (m) => m.numbers.body_mass ?? m.numbers.weight),
    numeric('sex (male = 1)', (m) => (m.sex === 'male' ? 1 : m.sex === 'female' ? 0 : undefined)),
    numeric('walking speed', speed),
    numeric('hoehn_yahr', (m) => m.numbers.hoehn_yahr),
    numeric('updrs', (m) => m.numbers.updrs),
    numeric('updrs_motor', (m) => m.numbers.updrs_motor),
  ];
  const groups = [...new Set(rows.flatMap((m) => (m.group ? [m.group] : [])))].sort();
  if (groups.length >= 2) {
    // Two groups are one contrast: the second group's indicator is the first's negation, so only the first is kept.
    for (const g of groups.length === 2 ? groups.slice(0, 1) : groups) {
      out.push(numeric(`${GROUP_PREFIX}${g}`, (m) => (m.group ? (m.group === g ? 1 : 0) : undefined)));
    }
  }
  return out.filter((a) => a.values.size >= 3 && new Set(a.values.values()).size > 1);
}

export interface SubjectCorrelation {
  feature: number;
  attribute: string;
  n: number;
  r: number;
  spearman: number;
  p: number;
  q: number;
  ciLow: number;
  ciHigh: number;
  unstable: boolean;
}

/**
 * Every non-dead feature × attribute: Pearson r of the subject mean codes (`codes`: subjects × k, row-major, in the
 * order of `subjects`), Spearman ρ, p, a 95 % bootstrap CI (`resamples`, seeded per pair) and BH q; strongest first.
 */
export function subjectLevelCorrelations(subjects: readonly string[], codes: ArrayLike<number>, k: number, attributes: readonly MetadataAttribute[],
  dead: ReadonlySet<number>, seed: number, resamples = 2000, onPair?: (done: number, total: number) => void): SubjectCorrelation[] {
  const rows: Omit<SubjectCorrelation, 'q'>[] = [];
  // Called after each pair: minutes of bootstrap in a worker must let it report (its heartbeat) as it goes.
  const total = attributes.length * (k - [...dead].filter((j) => j >= 0 && j < k).length);
  let done = 0;
  attributes.forEach((a, ai) => {
    const idx = subjects.flatMap((s, i) => (a.values.has(s) ? [i] : []));
    const y = Float64Array.from(idx, (i) => a.values.get(subjects[i])!);
    for (let j = 0; j < k; j++) {
      if (dead.has(j)) continue;
      const x = Float64Array.from(idx, (i) => codes[i * k + j]);
      const res = correlateWithBootstrap(x, y, seed + ai * 1000 + j, resamples);
      onPair?.(++done, total);
      if (!Number.isFinite(res.r)) continue;
      rows.push({ feature: j, attribute: a.name, n: res.n, r: res.r, spearman: res.spearman, p: res.p, ciLow: res.ci[0], ciHigh: res.ci[1], unstable: res.unstable });
    }
  });
  const q = benjaminiHochberg(rows.map((r) => r.p));
  return rows.map((r, i) => ({ ...r, q: q[i] })).sort((a, b) => Math.abs(b.r) - Math.abs(a.r) || a.feature - b.feature || a.attribute.localeCompare(b.attribute));
}

/** The paper's view (§5.2.8 step 5): the largest |r| over features of the trial-level r, pseudo-replicated. */
export function trialLevelMaxAbsR(rowSubjects: readonly string[], codes: ArrayLike<number>, k: number, attributes: readonly MetadataAttribute[], dead: ReadonlySet<number>): number {
  let best = 0;
  for (const a of attributes) {
    const idx = rowSubjects.flatMap((s, i) => (a.values.has(s) ? [i] : []));
    const y = Float64Array.from(idx, (i) => a.values.get(rowSubjects[i])!);
    for (let j = 0; j < k; j++) {
      if (dead.has(j)) continue;
      const r = pearson(Float64Array.from(idx, (i) => codes[i * k + j]), y);
      if (Number.isFinite(r)) best = Math.max(best, Math.abs(r));
    }
  }
  return best;
}
