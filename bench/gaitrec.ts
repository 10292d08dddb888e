// npm run bench:gaitrec [-- --rows N] — throughput of the GaitRec / Gutenberg curve reader (gaitrec-grf.ts,
// byte-level since issue 20; goal ≥ 60 MB/s) on generated files of GaitRec's size: a PRO file of 75,732 trials
// (GaitRec's count per side) and a RAW file of the same rows padded with NaN to 400 columns. For comparison,
// the csv-parse path the reader used before (readCsvRecords + parseDecimal per field + SHA-256 per row) on the
// same bytes, and a check that both give the same samples and hashes. Files are written to the temp folder and
// read into memory before timing. Prints; asserts nothing.
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { SourceFile } from '../src-main/formats/format';
import { gaitrecGrfFormat } from '../src-main/formats/gaitrec-grf';
import { isMissing, parseDecimal, readCsvRecords } from '../src-main/formats/gaitrec-metadata';
import type { ImportBatch } from '../src-shared/domain/import-batch';
import { generateCurveFile, type CurveKind } from './gaitrec-curves';

const rowsArg = process.argv.indexOf('--rows');
const ROWS = rowsArg > 0 ? Number(process.argv[rowsArg + 1]) : 75_732;
const ROUNDS = 3;

interface Row { sha256: string; samples: Float32Array }

/** The reader before issue 20, reduced to its costs: csv-parse records, parseDecimal per field, a hash per row. */
function csvParsePath(file: SourceFile): Row[] {
  const rows: Row[] = [];
  readCsvRecords(file, (fields) => fields.length, (columns, fields, line) => {
    let end = fields.length;
    while (end > 3 && isMissing(fields[end - 1])) end--;
    const samples = new Float32Array(end - 3);
    for (let i = 3; i < end; i++) samples[i - 3] = parseDecimal(fields[i], file.path, line, `column ${i + 1} of ${columns}`) ?? NaN;
    rows.push({ sha256: createHash('sha256').update(fields.join(',')).digest('hex'), samples });
  });
  return rows;
}

function rowsOf(batch: ImportBatch): Row[] {
  return batch.sessions.flatMap((s) => s.trials.map((t) => ({ sha256: t.contentSha256, samples: t.channels[0].samples })));
}

function same(a: Row[], b: Row[]): boolean {
  if (a.length !== b.length) return false;
  for (let r = 0; r < a.length; r++) {
    if (a[r].sha256 !== b[r].sha256 || a[r].samples.length !== b[r].samples.length) return false;
    for (let i = 0; i < a[r].samples.length; i++) if (!Object.is(a[r].samples[i], b[r].samples[i])) return false;
  }
  return true;
}

/** Wall time and this process's CPU time (user + system): on a shared machine the CPU time is the steadier figure. */
function time<T>(fn: () => T): { ms: number; cpuMs: number; result: T } {
  const t = performance.now();
  const cpu = process.cpuUsage();
  const result = fn();
  const used = process.cpuUsage(cpu);
  return { ms: performance.now() - t, cpuMs: (used.user + used.system) / 1000, result };
}

function main() {
  const dir = mkdtempSync(join(tmpdir(), 'gaitlab-bench-gaitrec-'));
  try {
    console.log(`GaitRec curve reader, ${ROWS} rows per file (median of ${ROUNDS} rounds; csv-parse path once)`);
    for (const kind of ['PRO', 'RAW'] as CurveKind[]) {
      const path = join(dir, `GRF_F_V_${kind}_left.csv`);
      writeFileSync(path, generateCurveFile(kind, ROWS));
      const bytes = readFileSync(path);
      const file: SourceFile = { path, name: `GRF_F_V_${kind}_left.csv`, bytes, sha256: '' };
      const mb = bytes.length / 1e6;
      const read = () => gaitrecGrfFormat.read(file) as ImportBatch;
      read(); // warm-up
      const runs = Array.from({ length: ROUNDS }, () => time(read));
      const median = (key: 'ms' | 'cpuMs') => runs.map((r) => r[key]).sort((a, b) => a - b)[ROUNDS >> 1];
      const rate = (ms: number) => `${(mb / (ms / 1000)).toFixed(1)} MB/s`;
      const old = time(() => csvParsePath(file));
      const identical = same(rowsOf(runs[0].result), old.result);
      console.log(`  ${kind}: ${mb.toFixed(1)} MB, ${ROWS} rows`);
      console.log(`    byte reader:    wall ${median('ms').toFixed(0)} ms = ${rate(median('ms'))}, CPU ${median('cpuMs').toFixed(0)} ms = ${rate(median('cpuMs'))}`);
      console.log(`    csv-parse path: wall ${old.ms.toFixed(0)} ms = ${rate(old.ms)}, CPU ${old.cpuMs.toFixed(0)} ms = ${rate(old.cpuMs)}`);
      console.log(`    same samples and hashes: ${identical ? 'yes' : 'NO'}`);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

main();
