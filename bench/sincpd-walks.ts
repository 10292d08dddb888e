// The gaitpdb walks the SincPD benchmarks read: the whole release for the evaluations, and for the speed benchmarks
// controls and patients interleaved (Co, Pt, Co, Pt, …), so any prefix — a short run, or the last 20 % used as
// validation rows — holds both classes; segmented and standardised over all the rows (speed, not accuracy).
import { readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { buildSincPdDataset, readHoehnYahr, readWalkFile, type RawWalk } from '../src-main/methods/sincpd/data';
import { applySegmentScaling, fitSegmentScaling } from '../src-shared/methods/sincpd/segment-standardise';

const DATA = resolve(__dirname, '..', '..', 'shared', 'data', 'gaitpdb');

/** Every walk of the release (sorted by file name) with its subject's H&Y from demographics.txt. */
export async function releaseWalks(): Promise<{ files: string[]; walks: RawWalk[] }> {
  const hy = await readHoehnYahr(join(DATA, 'demographics.txt'));
  const files = readdirSync(DATA).filter((f) => /_\d\d\.txt(\.gz)?$/.test(f)).sort();
  const walks: RawWalk[] = [];
  for (const f of files) walks.push(await readWalkFile(join(DATA, f), hy));
  return { files, walks };
}

export interface BenchSegments { files: string[]; n: number; x: Float32Array; y: Int32Array }

/** Up to `count` walks whose file names match `name`, interleaved by group; byte-identical walks are dropped by buildSincPdDataset. */
export async function interleavedSegments(name: RegExp, count: number): Promise<BenchSegments> {
  const files = readdirSync(DATA).filter((f) => name.test(f)).sort();
  const co = files.filter((f) => f.includes('Co')), pt = files.filter((f) => f.includes('Pt'));
  const chosen: string[] = [];
  for (let i = 0; chosen.length < count && (i < co.length || i < pt.length); i++) {
    for (const list of [co, pt]) if (i < list.length && chosen.length < count) chosen.push(list[i]);
  }
  const walks = [];
  for (const f of chosen) walks.push(await readWalkFile(join(DATA, f)));
  const data = buildSincPdDataset(walks);
  const n = data.set.meta.length;
  const rows = Array.from({ length: n }, (_, i) => i);
  const x = applySegmentScaling(data.set.x, rows, fitSegmentScaling(data.set.x, rows));
  return { files: chosen, n, x, y: Int32Array.from(data.set.meta, (m) => m.pd) };
}
