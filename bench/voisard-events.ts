// npm run bench:voisard-events [-- key=value ...] — gait events on every annotated Voisard et al. trial, one table:
// the healthy trials with FootImuEvents (feet + lower back; manually checked annotations), the impaired ones with
// LowerBackImuEvents (lower back only; annotations by MP-DTW on unpublished foot sensors, only inside gait
// start..end), then LowerBackImuEvents on the healthy trials' lower-back sensor for comparison. Per trial: annotated
// contacts, how many the detector matched within 100 ms (same foot), median |error|, detections no annotation claims
// inside the walk; then per foot; then the detected turns against the annotated U-turn on all eight trials (the
// impaired ones from their lower-back sensor). Prints figures; asserts nothing. key=value sets a FootImuEvents
// parameter (lb.key=value a LowerBackImuEvents one).
import { evaluateVoisardLowerBack, evaluateVoisardTrial, evaluateVoisardTurn, totals, VOISARD_HEALTHY_TRIALS, VOISARD_IMPAIRED_TRIALS, type FootEvaluation, type TrialEvaluation } from '../test/signal/voisard-evaluation';

const params: Record<string, unknown> = {};
const lbParams: Record<string, unknown> = {};
for (const arg of process.argv.slice(2)) {
  const [k, v] = arg.split('=');
  const value = v === 'true' ? true : v === 'false' ? false : Number.isNaN(Number(v)) ? v : Number(v);
  if (k.startsWith('lb.')) lbParams[k.slice(3)] = value;
  else params[k] = value;
}

const pct = (a: number, b: number) => (b ? `${(100 * a / b).toFixed(1)} %` : '–').padStart(7);
const ms = (x: number) => (Number.isFinite(x) ? x.toFixed(1) : '–').padStart(6);
const row = (label: string, detector: string, feet: FootEvaluation[], extra = '') => {
  const t = totals(feet);
  console.log(`${label.padEnd(13)} ${detector.padEnd(18)} ${String(t.annotated).padStart(4)} ${String(t.icMatched).padStart(4)} ${pct(t.icMatched, t.annotated)} ${ms(t.icMedianAbsMs)}   ` +
    `${String(t.annotatedFc).padStart(4)} ${String(t.fcMatched).padStart(4)} ${pct(t.fcMatched, t.annotatedFc)} ${ms(t.fcMedianAbsMs)} ${ms(t.fcMedianMs)}   ${String(t.falseInWalk).padStart(5)}  ${extra}`);
};
const header = () => console.log('trial         detector           IC: ann.  matched   med|e| ms   FC: ann.  matched   med|e| ms  med e ms   false');
const turnText = (r: TrialEvaluation) => {
  const a = r.turn.annotated, d = r.turn.detected;
  return `turn ${a ? a.map((x) => x.toFixed(2)).join('–') : 'none'} → ${d.length ? d.map((x) => x.map((y) => y.toFixed(2)).join('–')).join(', ') : 'none'} s`;
};

async function main() {
  console.log(`Per trial, matched within 100 ms of an annotation of the same foot; FootImuEvents ${JSON.stringify(params)}, LowerBackImuEvents ${JSON.stringify(lbParams)}\n`);
  header();
  const healthy: TrialEvaluation[] = [], impaired: TrialEvaluation[] = [], back: TrialEvaluation[] = [];
  for (const code of VOISARD_HEALTHY_TRIALS) {
    const r = await evaluateVoisardTrial(code, params);
    healthy.push(r);
    row(code, 'FootImuEvents', [r.feet.left, r.feet.right]);
  }
  row('healthy, all', 'FootImuEvents', healthy.flatMap((r) => [r.feet.left, r.feet.right]));
  for (const code of Object.keys(VOISARD_IMPAIRED_TRIALS)) {
    const r = await evaluateVoisardLowerBack(code, lbParams);
    impaired.push(r);
    row(code, 'LowerBackImuEvents', [r.feet.left, r.feet.right]);
  }
  row('impaired, all', 'LowerBackImuEvents', impaired.flatMap((r) => [r.feet.left, r.feet.right]));
  for (const code of VOISARD_HEALTHY_TRIALS) {
    const r = await evaluateVoisardLowerBack(code, lbParams);
    back.push(r);
    row(code, 'LowerBackImuEvents', [r.feet.left, r.feet.right]);
  }
  row('healthy, all', 'LowerBackImuEvents', back.flatMap((r) => [r.feet.left, r.feet.right]));

  console.log('\nPer foot, and the turns each detector marked (annotated → detected)\n');
  header();
  for (const [rows, detector] of [[healthy, 'FootImuEvents'], [impaired, 'LowerBackImuEvents'], [back, 'LowerBackImuEvents']] as const) {
    for (const r of rows) for (const side of ['left', 'right'] as const) row(`${r.code} ${side}`, detector, [r.feet[side]], side === 'left' ? turnText(r) : '');
  }

  console.log('\nTurns (default turn parameters) against the annotated U-turn: start and end error (detected − annotated), angle turned');
  console.log('trial         sensor      annotated (s)    detected (s)     start ms   end ms   angle   other turns (s)');
  const fmt = (x: number) => x.toFixed(2);
  for (const code of [...VOISARD_HEALTHY_TRIALS, ...Object.keys(VOISARD_IMPAIRED_TRIALS)]) {
    for (const sensor of VOISARD_IMPAIRED_TRIALS[code] ? ['lower_back'] as const : ['lower_back', 'feet'] as const) {
      const r = await evaluateVoisardTurn(code, sensor);
      const d = r.detected;
      console.log(`${code.padEnd(13)} ${sensor.padEnd(11)} ${`${fmt(r.annotated[0])}–${fmt(r.annotated[1])}`.padEnd(16)} ${(d ? `${fmt(d.startS)}–${fmt(d.endS)}` : 'none').padEnd(16)} ` +
        `${d ? String(Math.round(1000 * (d.startS - r.annotated[0]))).padStart(8) : '       –'} ${d ? String(Math.round(1000 * (d.endS - r.annotated[1]))).padStart(8) : '       –'} ` +
        `${d ? `${Math.round(d.angleDeg)}°`.padStart(7) : '      –'}   ${r.others.map(([a, b]) => `${fmt(a)}–${fmt(b)}`).join(', ') || '–'}`);
    }
  }
}
main();
