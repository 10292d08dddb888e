// npm run bench:voisard-events [-- key=value ...] — FootImuEvents on every annotated Voisard et al. 2023 trial
// (healthy: feet + lower back; the impaired examples have no foot sensors, see the data set's README): per trial
// and foot, annotated contacts, how many the detector matched within 100 ms, median errors, false detections; then
// the detected turns against the annotated U-turn on all eight trials (the impaired ones from their lower-back
// sensor). Prints figures; asserts nothing. key=value sets a detector parameter.
import { evaluateVoisardTrial, evaluateVoisardTurn, totals, VOISARD_HEALTHY_TRIALS, VOISARD_IMPAIRED_TRIALS } from '../test/signal/voisard-evaluation';

const params: Record<string, unknown> = {};
for (const arg of process.argv.slice(2)) {
  const [k, v] = arg.split('=');
  params[k] = v === 'true' ? true : v === 'false' ? false : Number.isNaN(Number(v)) ? v : Number(v);
}

const pct = (a: number, b: number) => `${(100 * a / b).toFixed(1)} %`.padStart(7);
const ms = (x: number) => `${x.toFixed(1)}`.padStart(6);
const row = (label: string, t: ReturnType<typeof totals>, turn = '') =>
  console.log(`${label.padEnd(12)} ${String(t.annotated).padStart(4)}  ${String(t.icMatched).padStart(4)} ${pct(t.icMatched, t.annotated)}  ${ms(t.icMedianAbsMs)}   ` +
    `${String(t.fcMatched).padStart(4)} ${pct(t.fcMatched, t.annotated)}  ${ms(t.fcMedianMs)}   ${String(t.falseInWalk).padStart(4)} ${String(t.falseTotal).padStart(5)}  ${turn}`);

async function main() {
  console.log(`FootImuEvents ${JSON.stringify(params)} on the Voisard healthy trials (tolerance 100 ms)\n`);
  console.log('trial/foot   ann.  IC matched  med|e| ms  FC matched  med e ms  false walk/all  turn annotated → detected (s)');
  const all = [];
  for (const code of VOISARD_HEALTHY_TRIALS) {
    const r = await evaluateVoisardTrial(code, params);
    const a = r.turn.annotated, d = r.turn.detected;
    const turn = `${a ? a.map((x) => x.toFixed(2)).join('–') : 'none'} → ${d.length ? d.map((x) => x.map((y) => y.toFixed(2)).join('–')).join(', ') : 'none'}`;
    row(code, totals([r.feet.left, r.feet.right]), turn);
    for (const side of ['left', 'right'] as const) row(`  ${side}`, totals([r.feet[side]]));
    all.push(r.feet.left, r.feet.right);
  }
  row('all', totals(all));

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
