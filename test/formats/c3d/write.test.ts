// The C3D writer: a trial as GaitLab imported it from a real C3D file, written back as C3D and read again
// by GaitLab's reader, gives back the same channels (names, units, rates, samples), the same force plates
// (their derived FPn_* channels recomputed from the written FORCE_PLATFORM entry) and the same events.
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import type { ImportBatch, ImportedTrial } from '../../../src-shared/domain/import-batch';
import { InputError } from '../../../src-shared/domain/errors';
import { c3dFormat } from '../../../src-main/formats/c3d-format';
import { readC3d } from '../../../src-main/formats/c3d';
import { trialToC3d, type TrialForExport } from '../../../src-main/formats/c3d/trial-to-c3d';
import { writeC3d } from '../../../src-main/formats/c3d/write';
import { readTrc } from '../../../src-main/formats/opensim-trc';
import { corpusSource as source, forExport, importC3dTrial as importTrial } from './export-helpers';

const DATA = path.resolve(__dirname, '../../../../shared/data');
const readCorpusFile = (file: string): Buffer => (file.endsWith('.gz') ? gunzipSync(readFileSync(file)) : readFileSync(file));

/** Import → export → import again; returns both trials and what the export left out. */
function roundTrip(rel: string) {
  const first = importTrial(rel, readCorpusFile(rel));
  const { model, leftOut } = trialToC3d(forExport(first.batch, first.trial));
  const bytes = Buffer.from(writeC3d(model, 'out.c3d'));
  const name = path.basename(rel.replace(/^horst:/, '')).replace(/\.gz$/, '');
  const second = importTrial(name, bytes);
  return { first: first.trial, second: second.trial, secondBatch: second.batch, leftOut, bytes, model };
}

function bitsEqual(a: Float32Array, b: Float32Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (!(a[i] === b[i] || (Number.isNaN(a[i]) && Number.isNaN(b[i])))) return false;
  return true;
}

function maxRelDiff(a: Float32Array, b: Float32Array): number {
  let scale = 0;
  for (const v of a) if (Math.abs(v) > scale) scale = Math.abs(v);
  let m = 0;
  for (let i = 0; i < a.length; i++) {
    if (Number.isNaN(a[i]) !== Number.isNaN(b[i])) return Infinity;
    if (Number.isNaN(a[i])) continue;
    m = Math.max(m, Math.abs(a[i] - b[i]));
  }
  return scale > 0 ? m / scale : m;
}

const DERIVED = /^FP\d+_(Fx|Fy|Fz|COPx|COPy|Tz)$/;

/** Every channel comes back: raw ones bit for bit; derived plate channels to float32 rounding. */
function assertSameChannels(first: ImportedTrial, second: ImportedTrial): void {
  assert.deepEqual(second.channels.map((c) => c.name), first.channels.map((c) => c.name));
  for (const [k, a] of first.channels.entries()) {
    const b = second.channels[k];
    assert.deepEqual([b.unit, b.rateHz, b.domain, b.device ?? null], [a.unit, a.rateHz, a.domain, a.device ?? null], `${a.name}: unit, rate, domain, device`);
    if (DERIVED.test(a.name)) assert.ok(maxRelDiff(a.samples, b.samples) < 1e-6, `${a.name}: derived again within float32 rounding (${maxRelDiff(a.samples, b.samples)})`);
    else assert.ok(bitsEqual(a.samples, b.samples), `${a.name}: samples bit for bit`);
  }
}

function assertSameEvents(first: ImportedTrial, second: ImportedTrial): void {
  const e1 = first.events ?? [];
  const e2 = second.events ?? [];
  assert.deepEqual(e2.map((e) => [e.label, e.side]), e1.map((e) => [e.label, e.side]));
  for (const [k, e] of e1.entries()) assert.ok(Math.abs(e2[k].timeS - e.timeS) < 1e-6, `event ${k + 1}: ${e2[k].timeS} vs ${e.timeS}`);
  // The EVENT group's own labels and contexts are kept; header events (RHS, LTO …) become Foot Strike / Foot Off.
  const own = e1.flatMap((e, k) => (e.source === 'c3d:EVENT' ? [k] : []));
  assert.deepEqual(own.map((k) => [e2[k].params?.label, e2[k].params?.context]), own.map((k) => [e1[k].params?.label, e1[k].params?.context]));
}

/** Every C3D file in ../shared/data, as a path the helpers read ('horst:…', 'sample01/…', or absolute). */
function corpusFiles(): string[] {
  const out: string[] = [];
  const walk = (dir: string): void => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (/\.c3d(\.gz)?$/i.test(e.name)) out.push(p);
    }
  };
  walk(DATA);
  return out.sort();
}

/** The corpus files GaitLab refuses to import at all (their InputErrors are tested in reader.test.ts). */
const REFUSED = ['btk-extras/Empty.c3d', 'ezc3d-testfiles/Optotrak.c3d'];

describe('round trip through the writer on every C3D file of the corpus', () => {
  const files = corpusFiles();
  test('the corpus holds 50 C3D files, of which GaitLab refuses 2', () => {
    assert.equal(files.length, 50);
    const refused = files.filter((f) => {
      try {
        importTrial(f, readCorpusFile(f));
        return false;
      } catch (e) {
        assert.ok(e instanceof InputError, (e as Error).message);
        return true;
      }
    });
    assert.deepEqual(refused.map((f) => path.relative(path.join(DATA, 'c3d-samples'), f)), REFUSED);
  });
  for (const file of files) {
    const rel = path.relative(DATA, file);
    if (REFUSED.some((r) => rel.endsWith(r))) continue;
    test(`${rel}: same channels, plates and events after writing and reading again`, () => {
      const { first, second, leftOut, bytes } = roundTrip(file);
      assert.deepEqual(leftOut, []);
      // The written file is consistent in itself: header and parameters agree, nothing is odd.
      assert.deepEqual(readC3d(bytes, 'out.c3d').warnings, []);
      assertSameChannels(first, second);
      assertSameEvents(first, second);
      const plates = (t: ImportedTrial) => Object.keys(t.attributes ?? {}).filter((k) => /^fp\d+_geometry$/.test(k)).map((k) => [k, t.attributes![k].value]);
      assert.deepEqual(plates(second), plates(first));
      for (const k of ['fp_count', 'fp_types', 'c3d_first_frame', 'c3d_frames', 'c3d_point_rate', 'c3d_analog_rate']) {
        assert.deepEqual(second.attributes?.[k], first.attributes?.[k], k);
      }
    });
  }

  test('gait-pig.c3d is written as Intel float, read without a warning, with the EVENT contexts Left and Right', () => {
    const { bytes, model } = roundTrip(path.join(DATA, 'horst2019-gait-c3d', 'gait-pig.c3d'));
    const c3d = readC3d(bytes, 'out.c3d');
    assert.equal(c3d.processor, 'intel');
    assert.equal(c3d.layout.storage, 'float32');
    assert.deepEqual(c3d.warnings, []);
    assert.deepEqual([...new Set(c3d.events.map((e) => e.context))].sort(), ['Left', 'Right']);
    assert.equal(c3d.events.length, model.events.length);
    assert.ok(c3d.events.length > 0);
  });
});

describe('trials not imported from C3D', () => {
  const N = 250;
  const ramp = (k: number) => Float32Array.from({ length: N }, (_, i) => Math.sin(i / 10 + k) * 100);
  const trial: TrialForExport = {
    subjectCode: 'S01',
    channels: [
      { name: 'LHEE_x', unit: 'mm', rateHz: 100, domain: 'time', device: null, samples: ramp(0) },
      { name: 'LHEE_y', unit: 'mm', rateHz: 100, domain: 'time', device: null, samples: ramp(1) },
      { name: 'LHEE_z', unit: 'mm', rateHz: 100, domain: 'time', device: null, samples: Float32Array.from(ramp(2), (v, i) => (i === 7 ? NaN : v)) },
      { name: 'LKneeAngles_x', unit: 'deg', rateHz: 100, domain: 'time', device: null, samples: ramp(3) },
      { name: 'LKneeAngles_y', unit: 'deg', rateHz: 100, domain: 'time', device: null, samples: ramp(4) },
      { name: 'LKneeAngles_z', unit: 'deg', rateHz: 100, domain: 'time', device: null, samples: ramp(5) },
      { name: 'Total_Force_Left', unit: 'N', rateHz: 1000, domain: 'time', device: null, samples: Float32Array.from({ length: N * 10 }, (_, i) => i * 0.5) },
      { name: 'acc_x', unit: 'm/s²', rateHz: 1000, domain: 'time', device: null, samples: Float32Array.from({ length: N * 10 }, (_, i) => -i) },
      { name: 'COP_gap', unit: 'mm', rateHz: 1000, domain: 'time', device: null, samples: Float32Array.from({ length: N * 10 }, (_, i) => (i < 5 ? NaN : i)) },
      { name: 'stance_curve', unit: '×BW', rateHz: 1.01, domain: 'stance', device: null, samples: new Float32Array(101) },
    ],
    events: [
      { label: 'initial_contact', side: 'left', timeS: 0.53, source: 'ForceThresholdEvents', params: null },
      { label: 'final_contact', side: 'right', timeS: 1.27, source: 'manual', params: null },
      { label: 'turn_start', side: null, timeS: 2.0, source: 'annotation', params: null },
    ],
    attributes: {},
  };

  test('points, model outputs and analogs come back; what C3D cannot hold is named, not written', () => {
    const { model, leftOut } = trialToC3d(trial);
    assert.deepEqual(leftOut, [
      'stance_curve: not a time series (stance); C3D holds time series only',
      'COP_gap: undefined (NaN) samples, which C3D analog data cannot hold',
    ]);
    const batch = c3dFormat.read(source('S01.c3d', Buffer.from(writeC3d(model, 'S01.c3d')))) as ImportBatch;
    const t = batch.sessions[0].trials[0];
    assert.equal(batch.subjects[0].key, 'S01');
    assert.deepEqual(t.channels.map((c) => [c.name, c.unit, c.rateHz]), [
      ['Total_Force_Left', 'N', 1000], ['acc_x', 'm/s²', 1000],
      ['LHEE_x', 'mm', 100], ['LHEE_y', 'mm', 100], ['LHEE_z', 'mm', 100],
      ['LKneeAngles_x', 'deg', 100], ['LKneeAngles_y', 'deg', 100], ['LKneeAngles_z', 'deg', 100],
    ]);
    for (const c of t.channels) {
      const orig = trial.channels.find((o) => o.name === c.name)!;
      // A point frame with any coordinate undefined is one invalid sample: all three axes come back NaN.
      const expected = c.name.startsWith('LHEE_') ? Float32Array.from(orig.samples, (v, i) => (i === 7 ? NaN : v)) : orig.samples;
      assert.ok(bitsEqual(c.samples, expected), c.name);
    }
    assert.deepEqual(t.events!.map((e) => [e.label, e.side, e.timeS, e.params?.label, e.params?.context]), [
      ['initial_contact', 'left', 0.53, 'Foot Strike', 'Left'],
      ['final_contact', 'right', 1.27, 'Foot Off', 'Right'],
      ['turn_start', null, 2, 'turn_start', 'General'],
    ]);
  });

  test('analog data with a NaN sample is refused by the writer with the channel named', () => {
    const { model } = trialToC3d(trial);
    model.analogs[0].samples = Float32Array.from(model.analogs[0].samples, (v, i) => (i === 3 ? NaN : v));
    assert.throws(() => writeC3d(model, 'x.c3d'), (e: unknown) => e instanceof InputError && e.message === 'x.c3d field Total_Force_Left: sample 4 is NaN; C3D analog data has no missing value');
  });
});

test('a .trc marker file exported as C3D: every marker a C3D point with its gaps, in the file\'s mm', () => {
  const trcFile = path.resolve(__dirname, '../../fixtures/opensim/walk.trc');
  const batch = readTrc(source(trcFile, readFileSync(trcFile)));
  const trial = batch.sessions[0].trials[0];
  const { model, leftOut } = trialToC3d(forExport(batch, trial));
  assert.deepEqual([leftOut, model.points.map((p) => p.label), model.pointUnit, model.pointRateHz], [[], ['RHEE', 'LHEE', 'RTOE'], 'mm', 100]);
  const back = (c3dFormat.read(source('walk.c3d', Buffer.from(writeC3d(model, 'walk.c3d')))) as ImportBatch).sessions[0].trials[0];
  assert.deepEqual(back.channels.map((c) => [c.name, c.unit, c.rateHz]), trial.channels.map((c) => [c.name, c.unit, c.rateHz]));
  for (const [k, c] of trial.channels.entries()) assert.ok(bitsEqual(back.channels[k].samples, c.samples), c.name);
});

describe('beyond one-byte dimensions and 16-bit frame numbers', () => {
  const base = { pointRateHz: 100, analogSamplesPerFrame: 1, firstFrame: 1, pointUnit: 'mm', plates: [], events: [], subjects: ['S'], software: 'GaitLab' };

  test('300 points and 300 analog channels: labels continue in LABELS2 and read back in order', () => {
    const frames = 3;
    const points = Array.from({ length: 300 }, (_, k) => ({ label: `P${k}`, kind: 'marker' as const, x: Float32Array.of(k, k, k), y: new Float32Array(frames), z: new Float32Array(frames) }));
    const analogs = Array.from({ length: 300 }, (_, k) => ({ label: `A${k}`, unit: 'V', samples: Float32Array.of(k, -k, k / 2) }));
    const c3d = readC3d(writeC3d({ ...base, frameCount: frames, points, analogs }, 'wide.c3d'), 'wide.c3d');
    assert.deepEqual(c3d.points.info.map((p) => p.label), points.map((p) => p.label));
    assert.deepEqual(c3d.analogs.info.map((a) => a.label), analogs.map((a) => a.label));
    assert.deepEqual(Array.from(c3d.analogs.samples[299]), [299, -299, 149.5]);
    assert.equal(c3d.points.coordinates[(299 * frames + 2) * 3], 299);
  });

  test('70 000 frames starting at frame 65 000: frame numbers beyond 65535 go to TRIAL:ACTUAL_*_FIELD', () => {
    const frames = 70_000;
    const x = Float32Array.from({ length: frames }, (_, i) => i);
    const events = [{ label: 'Foot Strike', context: 'Left', timeS: 1000.25 }];
    const c3d = readC3d(writeC3d({ ...base, firstFrame: 65_000, frameCount: frames, points: [{ label: 'M', kind: 'marker', x, y: x, z: x }], analogs: [], events }, 'long.c3d'), 'long.c3d');
    assert.deepEqual([c3d.layout.firstFrame, c3d.layout.frameCount, c3d.points.coordinates[(frames - 1) * 3]], [65_000, frames, frames - 1]);
    assert.deepEqual(c3d.events.map((e) => [e.label, e.context, e.timeS]), [['Foot Strike', 'Left', 1000.25]]);
  });
});
