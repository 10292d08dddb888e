// npm run bench:voisard-events [-- key=value ...] — FootImuEvents on every annotated Voisard et al. 2023 trial
// (healthy: feet + lower back; the impaired examples have no foot sensors, see the data set's README): per trial
// and foot, annotated contacts, how many the detector matched within 100 ms, median errors, false detections, and
// the detected U-turn against the annotated one. Prints figures; asserts nothing. key=value sets a detector parameter.
import { evaluateVoisardTrial, totals, VOISARD_HEALTHY_TRIALS } from '../test/signal/voisard-evaluation';

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
}
main();
