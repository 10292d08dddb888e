// SincPD labels (methods-spec §5.3.1 item 6): binary Pt = 1, Co = 0; severity classes {0, 2, 2.5, 3} from the
// subject's Hoehn & Yahr stage. Controls are 0 whether the file says NaN or 0.0; a PD subject whose H&Y is
// missing or not one of 2, 2.5, 3 is left out of severity tasks and named, never mapped to 0.

/** The H&Y stage of each severity class, in class order (§5.3.4's h). */
export const SEVERITY_STAGES = [0, 2, 2.5, 3] as const;

export type SeverityLabel = { severity: number } | { severity: null; reason: string };

/** Severity class index of a subject from its group and H&Y (null/NaN when missing). */
export function severityLabel(subject: string, group: 'Co' | 'Pt', hoehnYahr: number | null | undefined): SeverityLabel {
  if (group === 'Co') return { severity: 0 };
  if (hoehnYahr == null || !Number.isFinite(hoehnYahr)) return { severity: null, reason: `${subject}: PD subject without a Hoehn & Yahr stage` };
  const k = SEVERITY_STAGES.indexOf(hoehnYahr as (typeof SEVERITY_STAGES)[number]);
  if (k <= 0) return { severity: null, reason: `${subject}: PD subject with Hoehn & Yahr ${hoehnYahr}, not one of 2, 2.5, 3` };
  return { severity: k };
}

/** Study × H&Y stage counts of subjects, to compare with the paper's Table 1 (§3.1). */
export function studyStageTable(subjects: { study: string; severity: number | null }[]): Record<string, Record<string, number>> {
  const table: Record<string, Record<string, number>> = {};
  for (const s of subjects) {
    const row = (table[s.study] ??= { '0': 0, '2': 0, '2.5': 0, '3': 0, excluded: 0 });
    row[s.severity == null ? 'excluded' : String(SEVERITY_STAGES[s.severity])]++;
  }
  return table;
}
