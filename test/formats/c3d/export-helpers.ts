// Shared by the C3D writer tests: a corpus file imported as GaitLab does, and written back as C3D.
// Run directly (`node --import tsx test/formats/c3d/export-helpers.ts OUTDIR`) it writes the exports that
// test/fixtures/c3d/export/read_c3d.py reads to make the golden readings.
import { createHash } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import type { ImportBatch, ImportedTrial } from '../../../src-shared/domain/import-batch';
import { c3dFormat } from '../../../src-main/formats/c3d-format';
import { trialToC3d, type TrialForExport } from '../../../src-main/formats/c3d/trial-to-c3d';
import { writeC3d } from '../../../src-main/formats/c3d/write';
import type { SourceFile } from '../../../src-main/formats/format';
import { corpusBytes } from './helpers';

export function corpusSource(rel: string, bytes: Buffer = corpusBytes(rel)): SourceFile {
  const name = path.basename(rel.replace(/^horst:/, '')).replace(/\.gz$/, '');
  return { path: rel, name, bytes, sha256: createHash('sha256').update(bytes).digest('hex') };
}

export function importC3dTrial(rel: string, bytes?: Buffer): { batch: ImportBatch; trial: ImportedTrial } {
  const batch = c3dFormat.read(corpusSource(rel, bytes)) as ImportBatch;
  return { batch, trial: batch.sessions[0].trials[0] };
}

/** The trial as the store gives it back to the exporter (the same fields the export service reads). */
export function forExport(batch: ImportBatch, trial: ImportedTrial): TrialForExport {
  return {
    subjectCode: batch.subjects[0].key,
    channels: trial.channels.map((c) => ({ name: c.name, unit: c.unit, rateHz: c.rateHz, domain: c.domain, device: c.device ?? null, samples: c.samples })),
    events: (trial.events ?? []).map((e) => ({ label: e.label, side: e.side, timeS: e.timeS, source: e.source, params: (e.params as Record<string, unknown>) ?? null })),
    attributes: trial.attributes ?? {},
  };
}

/** Corpus files whose exports the independent reader has read (golden readings in test/fixtures/c3d/export). */
export const GOLDEN_EXPORTS = ['horst:gait-pig.c3d', 'sample10/TYPE-4.C3D'];

export function exportedC3d(rel: string): Buffer {
  const { batch, trial } = importC3dTrial(rel);
  return Buffer.from(writeC3d(trialToC3d(forExport(batch, trial)).model, 'export.c3d'));
}

export function goldenName(rel: string): string {
  return path.basename(rel.replace(/^horst:/, '')).replace(/\.c3d$/i, '');
}

if (require.main === module) {
  const out = process.argv[2];
  for (const rel of GOLDEN_EXPORTS) writeFileSync(path.join(out, `${goldenName(rel)}.export.c3d`), exportedC3d(rel));
}
