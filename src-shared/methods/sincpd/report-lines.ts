// Printable lines of a protocol result (CLI text output, benchmarks). Every line of a segment-stratified result
// starts with the LEAKY label and the number of shared subjects (methods-spec §5.3.3 item 1), so no figure of the
// paper's protocol can be quoted without it.
import type { LevelMetrics, ProtocolResult } from './evaluate-protocol';

const pct = (v: number) => `${(100 * v).toFixed(1)} %`;

function levelLine(name: string, l: LevelMetrics): string {
  if (l.binary) {
    const b = l.binary;
    return `${name} (n = ${b.n}): accuracy ${pct(b.accuracy)}, precision ${pct(b.precision)}, recall ${pct(b.recall)}, specificity ${pct(b.specificity)}, F1 ${pct(b.f1)}, balanced accuracy ${pct(b.balancedAccuracy)}, AUC ${b.auc == null ? '—' : b.auc.toFixed(3)}, confusion [[TN FP] [FN TP]] ${JSON.stringify(b.confusion)}`;
  }
  const m = l.multiclass!;
  return `${name} (n = ${m.n}): accuracy ${pct(m.accuracy)}, weighted precision ${pct(m.precisionWeighted)}, recall ${pct(m.recallWeighted)}, F1 ${pct(m.f1Weighted)}, macro F1 ${pct(m.f1Macro)}, confusion (rows H&Y 0, 2, 2.5, 3) ${JSON.stringify(m.confusion)}`;
}

export function formatProtocolResult(r: ProtocolResult): string[] {
  const lines: string[] = [];
  lines.push(levelLine('segment level', r.segment));
  if (r.subject) lines.push(levelLine('subject level', r.subject));
  const folds = Object.entries(r.acrossFolds).map(([k, v]) => `${k} ${v.mean.toFixed(3)} ± ${v.sd.toFixed(3)}`).join(', ');
  if (folds) lines.push(`across ${r.folds.length} fold(s), ${r.protocol === 'subject-10fold' ? 'subject' : 'segment'} level: ${folds}`);
  if (r.severityScore) {
    const s = (x: { rho: number; ciLow: number; ciHigh: number; n: number }) => `ρ ${x.rho.toFixed(3)} [95 % CI ${x.ciLow.toFixed(3)}, ${x.ciHigh.toFixed(3)}] (n = ${x.n})`;
    lines.push(`continuous severity score (expected H&Y) vs clinical H&Y: all subjects ${s(r.severityScore.all)}; PD only ${s(r.severityScore.pdOnly)}`);
  }
  lines.push(`class ratio (segments): ${JSON.stringify(r.classRatio)}`);
  return r.label ? lines.map((l) => `${r.label} (${r.sharedSubjects} test subjects also in training): ${l}`) : lines;
}
