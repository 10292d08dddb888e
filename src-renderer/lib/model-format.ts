// A model's headline figure as the Models page shows it: each method reports its own (a test accuracy, a
// cross-validated accuracy over runs, a held-out reconstruction R²), named with the protocol it comes from.

export interface ModelHeadline {
  /** What the figure is, e.g. "Test accuracy" or "Accuracy, cross-validated". */
  label: string;
  text: string;
}

const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);
const pct = (v: number) => `${(v * 100).toFixed(1)} %`;

export function modelHeadline(metrics: Record<string, unknown> | null | undefined): ModelHeadline {
  const m = metrics ?? {};
  const test = num(m.testAccuracy);
  if (test !== null) return { label: 'Test accuracy', text: pct(test) };
  const mean = num(m.meanAccuracy);
  if (mean !== null) {
    const sd = num(m.sdAccuracy);
    const runs = num(m.runs);
    return { label: 'Accuracy, cross-validated', text: `${sd !== null ? `${(mean * 100).toFixed(1)} ± ${(sd * 100).toFixed(1)} %` : pct(mean)}${runs !== null ? ` over ${runs} runs` : ''}` };
  }
  const r2 = num(m.validationR2Scaled);
  if (r2 !== null) return { label: 'Held-out R² (scaled coefficients)', text: r2.toFixed(3) };
  // The hierarchical GP: each group's pooled predictive scored on its held-out points.
  if (Array.isArray(m.heldOut)) {
    const groups = (m.heldOut as { group: string; msll: number | null }[]).map((h) => `${h.group} ${num(h.msll)?.toFixed(3) ?? '—'}`);
    return { label: 'Held-out MSLL per group', text: groups.join(' · ') };
  }
  return { label: 'Headline', text: '—' };
}
