// npm run bench:sincpd-baseline — the SincPD evaluation protocols run end to end on the whole gaitpdb release
// (306 walks read from ../shared/data/gaitpdb, duplicates removed) with the quick BASELINE model (the engine's
// LogisticRegression on per-sensor band energies), not SincPD: the figures it prints are the baseline's, labelled so.
// BENCH_SINCPD_WALKS=usual-only keeps walk 01 only; BENCH_SINCPD_EPOCHS sets the logistic regression's epochs.
import { buildSincPdDataset } from '../src-main/methods/sincpd/data';
import { bandEnergyLogisticBaseline, BASELINE_LABEL } from '../src-main/methods/sincpd/baseline';
import { evaluateProtocol, type ProtocolResult, type SincPdTask } from '../src-shared/methods/sincpd/evaluate-protocol';
import type { SincPdProtocol } from '../src-shared/methods/sincpd/protocols';
import { formatProtocolResult } from '../src-shared/methods/sincpd/report-lines';
import { withSeverityLabels } from '../src-shared/methods/sincpd/segments';
import { releaseWalks } from './sincpd-walks';

const EPOCHS = Number(process.env.BENCH_SINCPD_EPOCHS ?? 60);
const WALKS = process.env.BENCH_SINCPD_WALKS === 'usual-only' ? 'usual-only' : 'all';

async function main(): Promise<void> {
  const t0 = performance.now();
  const { files, walks } = await releaseWalks();
  const data = buildSincPdDataset(walks, { walks: WALKS });
  const subjects = new Set(data.set.meta.map((m) => m.subject));
  console.log(`gaitpdb: ${files.length} walk files, ${data.duplicates.length} duplicates removed (${data.duplicates.map((d) => `${d.name} = ${d.duplicateOf}`).join(', ')}), ${data.set.meta.length} segments of ${subjects.size} subjects (walks: ${WALKS}); read in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  console.log(`study × H&Y (subjects): ${JSON.stringify(data.studyStageTable)}; left out of severity: ${data.severityExcluded.length ? data.severityExcluded.join('; ') : 'none'}`);
  const share0099 = data.walks.reduce((a, w) => a + w.shareOf0099Steps * (w.rows - 1), 0) / data.walks.reduce((a, w) => a + w.rows - 1, 0);
  console.log(`clock: ${(100 * share0099).toFixed(2)} % of steps are 0.0099 s; rate from stamps ${Math.min(...data.walks.map((w) => w.estimatedRateHz)).toFixed(4)}–${Math.max(...data.walks.map((w) => w.estimatedRateHz)).toFixed(4)} Hz`);
  if (data.warnings.length) console.log(`warnings: ${data.warnings.length} (first: ${data.warnings[0]})`);
  const runs: [SincPdProtocol, SincPdTask][] = [['subject-10fold', 'pd'], ['segment-stratified', 'pd'], ['subject-10fold', 'severity']];
  for (const [protocol, task] of runs) {
    const t = performance.now();
    const usable = task === 'severity' ? withSeverityLabels(data.set) : data.set;
    const r: ProtocolResult = await evaluateProtocol(usable, protocol, bandEnergyLogisticBaseline({ epochs: EPOCHS, seed: 1 }), { task, seed: 1 });
    console.log(`\n${BASELINE_LABEL} — ${protocol}, task ${task}, ${EPOCHS} epochs, ${((performance.now() - t) / 1000).toFixed(0)} s`);
    for (const line of formatProtocolResult(r)) console.log(line);
  }
}

main().catch((e) => { console.error(e); process.exitCode = 1; });
