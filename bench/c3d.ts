// npm run bench:c3d — C3D parse throughput over the c3d-samples and horst2019-gait-c3d corpora (MB/s of file
// bytes, goal ≥ 100 MB/s), the time to derive every force plate, and the whole FormatModule read (raw model →
// ImportBatch). Files are loaded (and the .gz inflated) before timing. Prints; asserts nothing.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { readC3d, type C3dFile } from '../src-main/formats/c3d';
import { deriveForcePlates } from '../src-main/formats/c3d/forceplates';
import { c3dFormat } from '../src-main/formats/c3d-format';

const ROOTS = ['c3d-samples', 'horst2019-gait-c3d'].map((d) => resolve(__dirname, '../../shared/data', d));
const ROUNDS = 7;

function corpus(): { name: string; bytes: Buffer }[] {
  const out: { name: string; bytes: Buffer }[] = [];
  const walk = (dir: string) => {
    for (const e of readdirSync(dir).sort()) {
      const p = join(dir, e);
      if (statSync(p).isDirectory()) walk(p);
      else if (/\.c3d(\.gz)?$/i.test(e)) {
        const raw = readFileSync(p);
        out.push({ name: p.slice(p.indexOf('shared/data/') + 12), bytes: p.endsWith('.gz') ? gunzipSync(raw) : raw });
      }
    }
  };
  ROOTS.forEach(walk);
  return out;
}

function tryRead(bytes: Buffer, name: string): C3dFile | null {
  try {
    return readC3d(bytes, name);
  } catch {
    return null; // the corpus's broken files: refusing them is part of the work timed
  }
}

/** Median of ROUNDS timings of fn, in ms. */
function median(fn: () => void): number {
  fn(); // warm-up
  const times: number[] = [];
  for (let r = 0; r < ROUNDS; r++) {
    const t = performance.now();
    fn();
    times.push(performance.now() - t);
  }
  return times.sort((a, b) => a - b)[ROUNDS >> 1];
}

function main() {
  const files = corpus();
  const totalBytes = files.reduce((s, f) => s + f.bytes.length, 0);
  const mb = totalBytes / 1e6;
  console.log(`corpus: ${files.length} files, ${mb.toFixed(2)} MB (sample17 inflated), ${ROUNDS} rounds, median`);

  const parseMs = median(() => { for (const f of files) tryRead(f.bytes, f.name); });
  console.log(`  readC3d (raw model)              ${parseMs.toFixed(1).padStart(7)} ms  ${(mb / (parseMs / 1000)).toFixed(0).padStart(5)} MB/s`);

  const models = files.map((f) => tryRead(f.bytes, f.name)).filter((c): c is C3dFile => c !== null);
  let plates = 0, samples = 0;
  const fpMs = median(() => {
    plates = 0;
    samples = 0;
    for (const c of models) {
      try {
        for (const w of deriveForcePlates(c, { strict: false }).plates) {
          plates++;
          samples += w.forceN[0].length;
        }
      } catch {
        // files with unusable plate tables are skipped here as the import skips them
      }
    }
  });
  console.log(`  force plates (${plates} plates, ${(samples / 1e6).toFixed(2)} M samples) ${fpMs.toFixed(1).padStart(7)} ms  ${(samples / (fpMs / 1000) / 1e6).toFixed(1)} M samples/s`);

  const batchMs = median(() => {
    for (const f of files) {
      try {
        c3dFormat.read({ path: f.name, name: f.name, bytes: f.bytes, sha256: '' });
      } catch {
        // broken files
      }
    }
  });
  console.log(`  c3dFormat.read (ImportBatch)     ${batchMs.toFixed(1).padStart(7)} ms  ${(mb / (batchMs / 1000)).toFixed(0).padStart(5)} MB/s`);

  const biggest = [...files].sort((a, b) => b.bytes.length - a.bytes.length).slice(0, 3);
  for (const f of biggest) {
    const ms = median(() => tryRead(f.bytes, f.name));
    console.log(`  readC3d ${f.name.padEnd(52)} ${(f.bytes.length / 1e6).toFixed(2)} MB ${ms.toFixed(2).padStart(6)} ms  ${(f.bytes.length / 1e6 / (ms / 1000)).toFixed(0).padStart(5)} MB/s`);
  }
}

main();
