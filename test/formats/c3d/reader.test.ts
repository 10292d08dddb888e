// readC3d: header, layout (header vs parameters), points, analogs, events, and the files it must refuse.
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { readC3d } from '../../../src-main/formats/c3d';
import { buildC3d, type BuildSpec } from './c3d-builder';
import { assertInputError, BROKEN, corpusBytes, HORST, pointAt, readCorpus, residualAt, SAMPLES } from './helpers';

const near = (actual: readonly number[], expected: readonly number[], tol: number, what: string) =>
  expected.forEach((v, k) => assert.ok(Math.abs(actual[k] - v) <= tol, `${what}[${k}]: ${actual[k]} vs ${v}`));

/** A small valid file to vary: 2 points, 2 analog channels × 2 samples per frame, 5 frames, Intel int16. */
function spec(over: Partial<BuildSpec> = {}): BuildSpec {
  const frames = over.frames ?? 5;
  return {
    processor: 'intel', storage: 'int16', scale: 0.1, pointRateHz: 50, frames, labels: ['P1', 'P2'],
    coords: [0, 1].map(() => Array.from({ length: frames }, (_, f) => [f, 2 * f, 3 * f])),
    analogLabels: ['A1', 'A2'], samplesPerFrame: 2, analogRaw: [0, 1].map((ch) => Array.from({ length: frames * 2 }, (_, i) => i + 100 * ch)),
    ...over,
  };
}

describe('header', () => {
  test('Walking_Hybrid_1_1: words 1–12 as stored (first frame 290, float scale, data block 12, 240 Hz)', () => {
    const h = readCorpus('horst:Walking_Hybrid_1_1.c3d').header;
    assert.deepEqual(
      [h.parameterBlock, h.pointCount, h.analogValuesPerFrame, h.firstFrame, h.lastFrame, h.maxInterpolationGap, h.dataStartBlock, h.analogSamplesPerFrame, h.frameRateHz],
      [2, 25, 16, 290, 961, 10, 12, 1, 240]);
    assert.ok(Math.abs(h.scale - -0.068495) < 1e-6);
  });

  test('header events: sample02 pc_int has 9 (RHS 0.38 s … EOF 1.76 s), dec_int 8, sample01 3', () => {
    const pc = readCorpus('sample02/pc_int.c3d').header.events;
    assert.deepEqual(pc.map((e) => e.label), ['RHS', 'STRT', 'RMS', 'LHS', 'RTO', 'LMS', 'STOP', 'LTO', 'EOF']);
    assert.deepEqual(pc.map((e) => e.timeS), [0.38, 0.68, 0.72, 0.84, 0.92, 1.16, 1.2, 1.4, 1.76]);
    assert.equal(readCorpus('sample02/dec_int.c3d').header.events.length, 8);
    assert.deepEqual(readCorpus('sample01/Eb015vr.c3d').header.events.map((e) => `${e.label}@${e.timeS}`), ['RIC@2.72', 'RHS@5.4', 'RTO@7.32']);
  });
});

describe('layout: the parameters are the master record, checked against the file', () => {
  test('a wrong POINT:DATA_START with a header that fits: the header is used, with a warning', () => {
    const good = readC3d(buildC3d(spec()), 'good.c3d');
    const c = readC3d(buildC3d(spec({ params: [{ group: 'POINT', name: 'DATA_START', type: 'int16', values: [400] }] })), 'x.c3d');
    assert.equal(c.layout.source, 'header');
    assert.deepEqual(Array.from(c.points.coordinates), Array.from(good.points.coordinates));
    assert.match(c.warnings.join('\n'), /POINT:DATA_START points past the end of the file .*; the header's layout fits and is used/);
  });

  test('kyowadengyo: POINT:USED 12 does not fit the file, the header\'s 11 points do and are used (with warnings)', () => {
    const c = readCorpus('sample27/kyowadengyo.c3d');
    assert.deepEqual([c.layout.source, c.layout.pointCount, c.layout.firstFrame, c.layout.frameCount], ['header', 11, 33, 152]);
    assert.match(c.warnings.join('\n'), /the parameters describe a layout that does not fit the file/);
    assert.match(c.warnings.join('\n'), /disagree on the number of points: header 11, POINT:USED 12/);
    near(pointAt(c, 0, 0), [-244.7095, -1461.0548, 1319.7399], 1e-3, 'frame 1 point 1');
    assert.ok(Math.abs(c.analogs.samples[0][0] - 0.597429) < 1e-6);
  });

  test('MotionMonitor: header word 3 (16) is not channels × samples; the parameters (16 × 7) fill the file exactly', () => {
    const bytes = corpusBytes('sample24/MotionMonitorC3D.c3d');
    const c = readC3d(bytes, 'MotionMonitorC3D.c3d');
    assert.deepEqual([c.layout.source, c.layout.analogCount, c.layout.analogSamplesPerFrame, c.layout.frameCount, c.analogs.rateHz], ['parameters', 16, 7, 840, 980]);
    assert.equal((c.layout.dataStartBlock - 1) * 512 + c.layout.frameCount * c.layout.frameBytes, bytes.length);
    assert.match(c.warnings.join('\n'), /header's layout is inconsistent \(16 analog values per frame is not a multiple of 7 samples per frame\)/);
    assert.equal(c.points.info[0].label, '', 'point label 1 is blank in the file');
  });

  test('BTS files without POINT:RATE / ANALOG:RATE / DATA_START take them from the header (100 Hz, 1 sample per frame)', () => {
    for (const f of ['sample28/dynamic.C3D', 'sample28/standing.C3D', 'sample28/type1.C3D']) {
      const c = readCorpus(f);
      assert.deepEqual([c.layout.pointRateHz, c.analogs.rateHz, c.layout.analogSamplesPerFrame], [100, 100, 1], f);
    }
  });

  test('phasespace_sample: no parameters at all; the header gives 40 points, 701 frames, 30 Hz', () => {
    const c = readCorpus('sample20/phasespace_sample.c3d');
    assert.deepEqual([c.parameters.size, c.layout.source, c.layout.pointCount, c.layout.frameCount, c.layout.pointRateHz], [0, 'header', 40, 701, 30]);
    near(pointAt(c, 0, 0), [160.5209, -135.2083, 1296.6802], 1e-3, 'frame 1 point 1');
  });

  test('first frame other than 1 (sample14: 25–210) and frames from TRIAL:ACTUAL_*_FIELD (gait-pig)', () => {
    const s14 = readCorpus('sample14/sample14.c3d');
    assert.deepEqual([s14.layout.firstFrame, s14.layout.frameCount], [25, 186]);
    const pig = readCorpus('horst:gait-pig.c3d');
    assert.deepEqual([pig.layout.firstFrame, pig.layout.frameCount], [1, 142]);
  });

  test('more than 65535 frames: TRIAL:ACTUAL_START_FIELD/END_FIELD (two words each) are used', () => {
    const frames = 70000;
    const c = readC3d(buildC3d({
      processor: 'intel', storage: 'float32', scale: 1, pointRateHz: 1000, frames, labels: ['P'],
      coords: [Array.from({ length: frames }, (_, f) => [f, 0, 0])],
      groups: [{ name: 'TRIAL', id: 3 }],
      params: [
        { group: 'TRIAL', name: 'ACTUAL_START_FIELD', type: 'int16', dims: [2], values: [1, 0] },
        { group: 'TRIAL', name: 'ACTUAL_END_FIELD', type: 'int16', dims: [2], values: [frames - 65536, 1] },
      ],
    }), 'long.c3d');
    assert.equal(c.layout.frameCount, frames);
    assert.equal(pointAt(c, 0, frames - 1)[0], frames - 1);
  });

  test('POINT:FRAMES stored as a float (as some writers do above 32767) is read as the frame count', () => {
    const c = readC3d(buildC3d(spec({ params: [{ group: 'POINT', name: 'FRAMES', type: 'float32', values: [5] }] })), 'x.c3d');
    assert.equal(c.layout.frameCount, 5);
  });
});

describe('points', () => {
  test('Walking_Hybrid: a 4th float of 65535.0 (0xFFFF, Qualisys) marks the sample invalid; all 3902 such samples are (0,0,0)', () => {
    const c = readCorpus('horst:Walking_Hybrid_1_1.c3d');
    let invalid = 0;
    for (let i = 0; i < c.points.residuals.length; i++) {
      if (c.points.residuals[i] >= 0) continue;
      invalid++;
      assert.deepEqual(Array.from(c.points.coordinates.subarray(3 * i, 3 * i + 3)), [0, 0, 0]);
    }
    assert.equal(invalid, 3902);
    assert.equal(residualAt(c, 0, 0), -1);
  });

  test('valid/invalid counts equal the corpus FACTS for every int16 file', () => {
    const facts = [
      ...JSON.parse(readFileSync(path.join(SAMPLES, 'FACTS.json'), 'utf8')),
      ...JSON.parse(readFileSync(path.join(HORST, 'FACTS.json'), 'utf8')).map((e: { file: string }) => ({ ...e, file: `horst:${e.file}` })),
    ] as { file: string; storage: string; n_valid_point_samples: number; n_invalid_point_samples: number }[];
    let checked = 0;
    for (const e of facts.filter((x) => x.storage === 'int16')) {
      const c = readCorpus(e.file);
      const invalid = c.points.residuals.filter((r) => r < 0).length;
      assert.deepEqual([c.points.residuals.length - invalid, invalid], [e.n_valid_point_samples, e.n_invalid_point_samples], e.file);
      checked++;
    }
    assert.ok(checked >= 20);
  });

  test('model outputs listed in POINT:ANGLES/FORCES/MOMENTS/POWERS get their kind and unit (gait-pig)', () => {
    const c = readCorpus('horst:gait-pig.c3d');
    const info = (label: string) => c.points.info.find((p) => p.label === label)!;
    assert.deepEqual(info('A22:RKNE'), { label: 'A22:RKNE', description: 'Right knee', kind: 'marker', unit: 'mm' });
    assert.deepEqual([info('A22:LHipAngles').kind, info('A22:LHipAngles').unit], ['angle', 'deg']);
    assert.deepEqual([info('A22:LAnkleForce').kind, info('A22:LAnkleForce').unit], ['force', 'N']);
    assert.deepEqual([info('A22:RKneeMoment').kind, info('A22:RKneeMoment').unit], ['moment', 'Nmm']);
    assert.deepEqual([info('A22:RAnklePower').kind, info('A22:RAnklePower').unit], ['power', 'W']);
    const kinds = c.points.info.reduce<Record<string, number>>((n, p) => ({ ...n, [p.kind]: (n[p.kind] ?? 0) + 1 }), {});
    assert.deepEqual(kinds, { marker: 49, angle: 10, force: 6, moment: 6, power: 6 });
  });

  test('basketball: every residual is −1 (all samples invalid)', () => {
    const c = readCorpus('sample16/basketball.c3d');
    assert.ok(c.points.residuals.every((r) => r === -1));
  });

  test('non-finite coordinates in a float file mark the sample invalid, with a warning', () => {
    const c = readC3d(buildC3d(spec({ storage: 'float32', coords: [[[NaN, 0, 0], [1, 1, 1], [Infinity, 0, 0], [1, 1, 1], [1, 1, 1]], [[0, 0, 0], [0, 0, 0], [0, 0, 0], [0, 0, 0], [0, 0, 0]]] })), 'nan.c3d');
    assert.deepEqual([residualAt(c, 0, 0), residualAt(c, 0, 1), residualAt(c, 0, 2)], [-1, 0, -1]);
    assert.match(c.warnings.join('\n'), /2 point samples have non-finite coordinates; they are marked invalid/);
  });
});

describe('analogs', () => {
  test('ANALOG:FORMAT UNSIGNED: offsets stored as negative words are read as 32768…65535 (sample17, shd01, parameterOverflow)', () => {
    const s17 = readCorpus('sample17/128analogchannels.c3d.gz');
    assert.equal(s17.analogs.unsigned, true);
    // Channel 3's offset is stored as the word −32750: read unsigned it is 32786.
    assert.equal(s17.parameters.get('ANALOG:OFFSET')!.values[2], -32750);
    assert.equal(s17.analogs.info[2].offset, 32786);
    assert.ok(Math.abs(s17.analogs.samples[0][0] - -0.008181) < 1e-6);
    assert.equal(s17.analogs.samples.length, 128);
    assert.ok(Math.abs(readCorpus('btk-extras/shd01.c3d').analogs.samples[0][0] - -11.349525) < 1e-5);
    assert.ok(Math.abs(readCorpus('btk-extras/parameterOverflow.c3d').analogs.samples[0][0] - 1.443725) < 1e-5);
  });

  test('UNSIGNED int16 storage: words above 32767 are counts, not negative numbers', () => {
    const c = readC3d(buildC3d(spec({ analogFormat: 'UNSIGNED', analogOffset: [-32768, 0], analogRaw: [Array(10).fill(65000), Array(10).fill(40000)] })), 'u.c3d');
    assert.equal(c.analogs.info[0].offset, 32768);
    assert.equal(c.analogs.samples[0][0], 65000 - 32768);
    assert.equal(c.analogs.samples[1][0], 40000);
  });

  test('more than 255 channels: labels, scales and offsets continue in LABELS2/SCALE2/OFFSET2', () => {
    const n = 300, frames = 2;
    const labels = Array.from({ length: n }, (_, i) => `C${i + 1}`);
    const c = readC3d(buildC3d({
      processor: 'dec', storage: 'int16', scale: 1, pointRateHz: 10, frames, labels: [], coords: [],
      analogLabels: labels, samplesPerFrame: 1, analogRaw: labels.map((_, ch) => [ch, -ch]),
      params: [
        { group: 'ANALOG', name: 'LABELS', type: 'char', dims: [4, 255], strings: labels.slice(0, 255) },
        { group: 'ANALOG', name: 'LABELS2', type: 'char', dims: [4, 45], strings: labels.slice(255) },
        { group: 'ANALOG', name: 'SCALE', type: 'float32', dims: [255], values: Array(255).fill(2) },
        { group: 'ANALOG', name: 'SCALE2', type: 'float32', dims: [45], values: Array(45).fill(3) },
        { group: 'ANALOG', name: 'OFFSET', type: 'int16', dims: [255], values: Array(255).fill(0) },
        { group: 'ANALOG', name: 'OFFSET2', type: 'int16', dims: [45], values: Array(45).fill(1) },
        { group: 'ANALOG', name: 'UNITS', type: 'char', dims: [1, 1], strings: ['V'] },
      ],
    }), 'many.c3d');
    assert.equal(c.layout.analogCount, n);
    assert.equal(c.analogs.info[299].label, 'C300');
    assert.deepEqual([c.analogs.samples[10][0], c.analogs.samples[10][1]], [20, -20]);
    assert.deepEqual([c.analogs.samples[299][0], c.analogs.samples[299][1]], [(299 - 1) * 3, (-299 - 1) * 3]);
  });

  test('first analog sample of every file equals the corpus FACTS (offset, scale and GEN_SCALE applied)', () => {
    const facts = JSON.parse(readFileSync(path.join(SAMPLES, 'FACTS.json'), 'utf8')) as { file: string; analog_first_sample_scaled_first6?: number[] }[];
    for (const e of facts) {
      if (!e.analog_first_sample_scaled_first6 || BROKEN[e.file]) continue;
      const c = readCorpus(e.file);
      e.analog_first_sample_scaled_first6.forEach((v, ch) => assert.ok(Math.abs(c.analogs.samples[ch][0] - v) <= 1e-5 * Math.max(1, Math.abs(v)), `${e.file} ch ${ch + 1}`));
    }
  });

  test('a non-finite analog value in a float file is an InputError naming the channel', () => {
    const bytes = buildC3d(spec({ storage: 'float32', analogRaw: [[0, 1, NaN, 3, 4, 5, 6, 7, 8, 9], Array(10).fill(0)] }));
    assertInputError(() => readC3d(bytes, 'nan.c3d'), /^nan\.c3d field ANALOG A1: sample 3 is not a finite number/);
  });
});

describe('EVENT group', () => {
  test('gait-pig: 9 events with labels, contexts, times (minutes, seconds rows), subjects and icons', () => {
    const e = readCorpus('horst:gait-pig.c3d').events;
    assert.deepEqual(e.map((x) => `${x.context} ${x.label} ${x.timeS}`), [
      'Left Foot Strike 0.57', 'Left Foot Off 1.1525', 'Right Foot Strike 1.03625', 'Right Foot Off 1.61125',
      'Left Foot Strike 1.52', 'Left Foot Strike 2.48', 'Left Foot Off 2.12', 'Right Foot Strike 2', 'Right Foot Off 2.6',
    ]);
    assert.ok(e.every((x) => x.subject === 'A22'));
    assert.deepEqual(e.map((x) => x.iconId), [1, 2, 1, 2, 1, 1, 2, 1, 2]);
    assert.match(e[0].description, /first contacts the floor/);
  });

  test('minutes count 60 s; EVENT:USED 0 gives no events (sample07)', () => {
    const c = readC3d(buildC3d(spec({
      groups: [{ name: 'EVENT', id: 5 }],
      params: [
        { group: 'EVENT', name: 'USED', type: 'int16', values: [2] },
        { group: 'EVENT', name: 'LABELS', type: 'char', dims: [11, 2], strings: ['Foot Strike', 'Foot Off'] },
        { group: 'EVENT', name: 'CONTEXTS', type: 'char', dims: [5, 2], strings: ['Right', 'Left'] },
        { group: 'EVENT', name: 'TIMES', type: 'float32', dims: [2, 2], values: [1, 2.5, 0, 0.125] },
      ],
    })), 'ev.c3d');
    assert.deepEqual(c.events.map((e) => [e.label, e.context, e.timeS]), [['Foot Strike', 'Right', 62.5], ['Foot Off', 'Left', 0.125]]);
    assert.deepEqual(readCorpus('sample07/16bitanalog.c3d').events, []);
  });
});

describe('files the reader refuses, with one-line InputErrors', () => {
  for (const [file, pattern] of Object.entries(BROKEN)) {
    test(`${file}`, () => {
      assertInputError(() => readCorpus(file), pattern, file);
    });
  }

  test('text that is not C3D', () => {
    assertInputError(() => readC3d(Buffer.alloc(600, 'a'), 'notes.txt'), /^notes\.txt field header: byte 2 is 0x61 where a C3D file has 0x50; not a C3D file$/);
  });

  test('POINT:DATA_START past the end of the file (header word 9 too, so no layout fits)', () => {
    const bytes = buildC3d(spec({ params: [{ group: 'POINT', name: 'DATA_START', type: 'int16', values: [400] }] }));
    new DataView(bytes.buffer).setUint16(16, 400, true);
    assertInputError(() => readC3d(bytes, 'x.c3d'), /^x\.c3d field POINT:DATA_START: points past the end of the file \(block 400, file of \d+ bytes\)$/);
  });

  test('an unknown processor type', () => {
    const bytes = buildC3d(spec());
    bytes[512 + 3] = 90;
    assertInputError(() => readC3d(bytes, 'x.c3d'), /field parameter section byte 4: processor type 90 is not 84 \(Intel\), 85 \(DEC\) or 86 \(MIPS\/SGI\)/);
  });

  test('a parameter section beyond the end of the file', () => {
    const bytes = buildC3d(spec()).subarray(0, 512);
    bytes[0] = 9;
    assertInputError(() => readC3d(bytes, 'x.c3d'), /field header word 1: the parameter section \(block 9\) points past the end of the file/);
  });

  test('a NaN scale or frame rate', () => {
    assertInputError(() => readC3d(buildC3d(spec({ params: [{ group: 'POINT', name: 'SCALE', type: 'float32', values: [NaN] }] })), 'x.c3d'), /field POINT:SCALE: is NaN; a scale must be a finite number/);
    assertInputError(() => readC3d(buildC3d(spec({ params: [{ group: 'POINT', name: 'RATE', type: 'float32', values: [0] }] })), 'x.c3d'), /field POINT:RATE: is 0 Hz; a frame rate must be a positive number/);
  });

  test('an analog rate that is not a whole multiple of the frame rate', () => {
    assertInputError(() => readC3d(buildC3d(spec({ params: [{ group: 'ANALOG', name: 'RATE', type: 'float32', values: [125] }] })), 'x.c3d'), /field ANALOG:RATE: 125 Hz is not a whole multiple of the frame rate 50 Hz/);
  });

  test('a file cut inside the data section', () => {
    const bytes = buildC3d(spec({ frames: 200 }));
    assertInputError(() => readC3d(bytes.subarray(0, bytes.length - 1024), 'cut.c3d'), /field POINT:FRAMES: declares 200 frames of 24 bytes but the data section holds only \d+ \(truncated file\?\)/);
  });
});
