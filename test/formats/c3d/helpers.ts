// Shared by the C3D tests: the corpus location, file loading and the InputError assertion.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { readC3d, type C3dFile } from '../../../src-main/formats/c3d';

export const SAMPLES = path.resolve(__dirname, '../../../../shared/data/c3d-samples');
export const HORST = path.resolve(__dirname, '../../../../shared/data/horst2019-gait-c3d');
export const FIXTURES = path.resolve(__dirname, '../../fixtures/c3d');

/** A corpus file's bytes ('sample01/Eb015pi.c3d', or a path under HORST with `horst:` prefix); .gz is inflated. */
export function corpusBytes(rel: string): Buffer {
  const full = rel.startsWith('horst:') ? path.join(HORST, rel.slice(6)) : path.join(SAMPLES, rel);
  const raw = readFileSync(full);
  return full.endsWith('.gz') ? gunzipSync(raw) : raw;
}

export function readCorpus(rel: string): C3dFile {
  return readC3d(corpusBytes(rel), rel);
}


/** Largest |a − b| over two arrays of equal length (NaN-safe: both NaN counts as equal). */
export function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  assert.equal(a.length, b.length, 'same length');
  let m = 0;
  for (let i = 0; i < a.length; i++) {
    if (Number.isNaN(a[i]) && Number.isNaN(b[i])) continue;
    const d = Math.abs(a[i] - b[i]);
    if (!(d <= m)) m = d;
  }
  return m;
}

/** The xyz of point `p` at 0-based frame `f`. */
export function pointAt(c3d: C3dFile, p: number, f: number): [number, number, number] {
  const o = (p * c3d.points.frameCount + f) * 3;
  const c = c3d.points.coordinates;
  return [c[o], c[o + 1], c[o + 2]];
}

export function residualAt(c3d: C3dFile, p: number, f: number): number {
  return c3d.points.residuals[p * c3d.points.frameCount + f];
}

/** Every .c3d file of both corpora, relative names as corpusBytes takes them. */
export const CORPUS: string[] = [
  'btk-extras/Empty.c3d', 'btk-extras/MyCube.c3d', 'btk-extras/badParameterOffset.c3d', 'btk-extras/parameterOverflow.c3d', 'btk-extras/shd01.c3d',
  'ezc3d-testfiles/FP_Type1.c3d', 'ezc3d-testfiles/FP_Type3.c3d', 'ezc3d-testfiles/Optotrak.c3d',
  'sample01/Eb015pi.c3d', 'sample01/Eb015pr.c3d', 'sample01/Eb015si.c3d', 'sample01/Eb015sr.c3d', 'sample01/Eb015vi.c3d', 'sample01/Eb015vr.c3d',
  'sample02/dec_int.c3d', 'sample02/dec_real.c3d', 'sample02/pc_int.c3d', 'sample02/pc_real.c3d', 'sample02/sgi_int.c3d', 'sample02/sgi_real.c3d',
  'sample07/16bitanalog.c3d', 'sample08/TESTAPI.c3d', 'sample08/TESTBPI.c3d', 'sample08/TESTCPI.c3d', 'sample08/TESTDPI.c3d',
  'sample10/TYPE-2.C3D', 'sample10/TYPE-2a.c3d', 'sample10/TYPE-3.c3d', 'sample10/TYPE-4.C3D', 'sample10/TYPE-4a.c3d',
  'sample14/sample14.c3d', 'sample16/basketball.c3d', 'sample17/128analogchannels.c3d.gz', 'sample18/bad_parameter_section.c3d',
  'sample20/phasespace_sample.c3d', 'sample21/sample21.c3d', 'sample24/MotionMonitorC3D.c3d', 'sample27/kyowadengyo.c3d',
  'sample28/dynamic.C3D', 'sample28/standing.C3D', 'sample28/type1.C3D', 'sample33/bigparlove.c3d',
  'horst:Walking_Hybrid_1_1.c3d', 'horst:btk-Gait.c3d', 'horst:gait-pig.c3d', 'horst:gait-raw.c3d',
];

/** Files the reader must refuse, and why. */
export const BROKEN: Record<string, RegExp> = {
  'btk-extras/Empty.c3d': /field header: the file is 0 bytes; a C3D file has at least a 512-byte header/,
  'ezc3d-testfiles/Optotrak.c3d': /field POINT:FRAMES: declares 1149 frames of 864 bytes but the data section holds only 29 \(truncated file\?\)/,
};

export { seededRandom as prng, assertInputError } from '../../helpers';
