// npm run bench:sincpd-epoch — the pace users wait for: trainSincPd (100 filters per sensor, batch 32, Adam, the
// validation prediction after each epoch, no pruning) on ≈ 2 600 real gaitpdb training segments for 2 epochs, on
// the tfjs tier initTfjsBackend chooses (GAITLAB_TFJS_BACKEND picks one). Prints seconds per epoch (wall and this
// process's CPU), the load average and the tier; figures only.
// BENCH_SINCPD_EPOCH_WALKS (default all 306 walks, de-duplicated: ≈ 2 500 training segments and the last 20 % as validation rows), BENCH_SINCPD_EPOCHS (default 2).
import { cpus, loadavg } from 'node:os';
import { initTfjsBackend } from '../src-main/compute/tfjs/backend';
import { trainSincPd } from '../src-main/methods/sincpd/train';
import { interleavedSegments } from './sincpd-walks';

const WALKS = Number(process.env.BENCH_SINCPD_EPOCH_WALKS ?? 306);
const EPOCHS = Number(process.env.BENCH_SINCPD_EPOCHS ?? 2);

async function main(): Promise<void> {
  // Walks of the three studies (Ga, Ju, Si), interleaved so that the last 20 % (validation) hold both classes.
  const { files: chosen, n, x, y } = await interleavedSegments(/^(Ga|Ju|Si)(Co|Pt)\d+_\d+\.txt\.gz$/, WALKS);
  const choice = await initTfjsBackend();
  const nVal = Math.floor(0.2 * n);
  console.log(`data: ${n} segments from ${chosen.length} gaitpdb walks: ${n - nVal} training, ${nVal} validation; batch 32; tfjs ${choice.tier}; load average at the start: ${loadavg().map((l) => l.toFixed(2)).join(' ')} on ${cpus().length} CPUs`);
  const cpu = () => { const u = process.cpuUsage(); return (u.user + u.system) / 1e6; };
  let t0 = performance.now(), c0 = cpu();
  const epochs: { wall: number; cpu: number }[] = [];
  await trainSincPd({ x, n, y }, { task: 'pd', filters: 100, epochs: EPOCHS, patience: EPOCHS + 1, prune: false }, {
    onProgress: (p) => {
      const wall = (performance.now() - t0) / 1000, c = cpu() - c0;
      epochs.push({ wall, cpu: c });
      console.log(`  epoch ${p.epoch}: ${wall.toFixed(1)} s wall, ${c.toFixed(1)} s CPU (${((n - nVal) / wall).toFixed(1)} training samples/s wall, ${((n - nVal) / c).toFixed(1)} per CPU-second); load ${loadavg()[0].toFixed(2)}`);
      t0 = performance.now();
      c0 = cpu();
    },
  });
  const best = epochs.reduce((a, e) => (e.cpu < a.cpu ? e : a));
  console.log(`best epoch: ${best.wall.toFixed(1)} s wall, ${best.cpu.toFixed(1)} s CPU; load average at the end: ${loadavg().map((l) => l.toFixed(2)).join(' ')}`);
}

main().catch((e) => { console.error(e); process.exitCode = 1; });
