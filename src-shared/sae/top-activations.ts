// The samples that fire a feature most (methods-spec §5.2.7): ranked by activation descending, ties by ascending
// sample index; only active samples are eligible (SAE h > 0, SVAE |μ| > 0.1); by default at most one per subject,
// so that one person's many similar cycles do not fill the list; fewer than k when fewer are eligible.

export function topActivatingSamples(codes: ArrayLike<number>, rows: number, k: number, feature: number, rowSubjects: readonly string[],
  opts: { count?: number; onePerSubject?: boolean; kind?: 'relu' | 'signed' } = {}): { row: number; subject: string; activation: number }[] {
  const count = opts.count ?? 5;
  const onePerSubject = opts.onePerSubject ?? true;
  const active = (opts.kind ?? 'relu') === 'relu' ? (v: number) => v > 0 : (v: number) => Math.abs(v) > 0.1;
  const eligible: number[] = [];
  for (let n = 0; n < rows; n++) if (active(codes[n * k + feature])) eligible.push(n);
  eligible.sort((a, b) => codes[b * k + feature] - codes[a * k + feature] || a - b);
  const out: { row: number; subject: string; activation: number }[] = [];
  const seen = new Set<string>();
  for (const n of eligible) {
    if (out.length === count) break;
    if (onePerSubject && seen.has(rowSubjects[n])) continue;
    seen.add(rowSubjects[n]);
    out.push({ row: n, subject: rowSubjects[n], activation: codes[n * k + feature] });
  }
  return out;
}

/** The subjects whose mean code fires feature j most (§5.2.10's "per feature"): mean activation descending, ties by subject. */
export function subjectsFiringMost(subjects: readonly string[], meanCodes: ArrayLike<number>, k: number, feature: number, count = 5): { subject: string; meanActivation: number }[] {
  return subjects.map((subject, i) => ({ subject, meanActivation: meanCodes[i * k + feature] }))
    .filter((s) => s.meanActivation !== 0)
    .sort((a, b) => b.meanActivation - a.meanActivation || (a.subject < b.subject ? -1 : a.subject > b.subject ? 1 : 0))
    .slice(0, count);
}
