// Test input for the SincPD model tests: real gaitpdb walks cut as the published code does (§3.2: rows as the
// time base, 1000-row segments from row 0, L_s − R_s), standardised with one scalar μ, σ of the rows given. The
// real loader (100 Hz grid, de-duplication, folds) is the sincpd-eval branch's; the model tests need only arrays.
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { sharedData } from '../../helpers';

export interface TestSegments {
  x: Float32Array;
  n: number;
  y: Int32Array;
  files: string[];
}

/** Segments [n, 8, 1000] of the walks, labelled per walk (the label list matches the file list). */
export function gaitpdbSegments(walks: { file: string; label: number }[], maxPerWalk = Infinity): TestSegments {
  const segs: Float32Array[] = [];
  const labels: number[] = [];
  const files: string[] = [];
  for (const { file, label } of walks) {
    const rows = gunzipSync(readFileSync(sharedData('gaitpdb', file))).toString('utf8').trim().split(/\r?\n/).map((l) => l.trim().split(/\s+/).map(Number));
    for (let k = 0; (k + 1) * 1000 <= rows.length && k < maxPerWalk; k++) {
      const seg = new Float32Array(8 * 1000);
      for (let s = 0; s < 8; s++) for (let t = 0; t < 1000; t++) {
        const row = rows[k * 1000 + t];
        seg[s * 1000 + t] = row[1 + s] - row[9 + s];
      }
      segs.push(seg);
      labels.push(label);
      files.push(file);
    }
  }
  const x = new Float32Array(segs.length * 8000);
  segs.forEach((s, i) => x.set(s, i * 8000));
  let mean = 0;
  for (const v of x) mean += v;
  mean /= x.length;
  let sq = 0;
  for (const v of x) sq += (v - mean) ** 2;
  const sd = Math.sqrt(sq / x.length);
  for (let i = 0; i < x.length; i++) x[i] = (x[i] - mean) / sd;
  return { x, n: segs.length, y: Int32Array.from(labels), files };
}

/** Interleaves rows by a fixed permutation (so the last-20 % validation rows hold both classes). */
export function interleave(d: TestSegments, seed = 1): TestSegments {
  const order = Array.from({ length: d.n }, (_, i) => i);
  let a = seed >>> 0;
  for (let i = order.length - 1; i > 0; i--) {
    a = (Math.imul(a, 1664525) + 1013904223) >>> 0;
    const j = a % (i + 1);
    [order[i], order[j]] = [order[j], order[i]];
  }
  const x = new Float32Array(d.x.length);
  order.forEach((r, i) => x.set(d.x.subarray(r * 8000, (r + 1) * 8000), i * 8000));
  return { x, n: d.n, y: Int32Array.from(order, (r) => d.y[r]), files: order.map((r) => d.files[r]) };
}
