import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { type ImportBatch, type ImportedChannel, type ImportedTrial } from '../../src-shared/domain/import-batch';
import { InputError } from '../../src-shared/domain/errors';
import type { FormatModule, SourceFile } from '../../src-main/formats/format';
import { amtiAsc, centreOfPressure, COP_CONTACT_THRESHOLD_N } from '../../src-main/formats/amti-asc';
import { biowareDate, kistlerBiowareDat, kistlerBiowareText } from '../../src-main/formats/kistler-bioware';
import { motionAnalysisAnc, motionAnalysisCal, parseForcePlateCalibration, readAnc } from '../../src-main/formats/motion-analysis-anc';
import { gaitpdbWalk } from '../../src-main/formats/gaitpdb-walk';
import { seededRandom as random, tempDir } from '../helpers';

const DATA = resolve(__dirname, '../../../shared/data/forceplate-file-formats');
const AMTI = join(DATA, 'amti-asc');
const KISTLER = join(DATA, 'kistler-bioware');
const MAC = join(DATA, 'motion-analysis-anc-cal');
const GOLDEN = resolve(__dirname, '../fixtures/forceplate');
const MODULES: FormatModule[] = [amtiAsc, kistlerBiowareText, kistlerBiowareDat, motionAnalysisAnc, motionAnalysisCal];

function sourceFile(path: string, bytes: Buffer = readFileSync(path), name = basename(path)): SourceFile {
  return { path, name, bytes, sha256: createHash('sha256').update(bytes).digest('hex') };
}
function readSync(module: FormatModule, file: SourceFile): ImportBatch {
  const batch = module.read(file);
  assert.ok(!(batch instanceof Promise));
  return batch;
}
function onlyTrial(batch: ImportBatch): ImportedTrial {
  assert.equal(batch.sessions.length, 1);
  assert.equal(batch.sessions[0].trials.length, 1);
  return batch.sessions[0].trials[0];
}
function channel(trial: ImportedTrial, name: string): ImportedChannel {
  const c = trial.channels.find((ch) => ch.name === name);
  assert.ok(c, `channel ${name} missing; have ${trial.channels.map((ch) => ch.name).join(', ')}`);
  return c;
}
function golden(name: string): any {
  return JSON.parse(readFileSync(join(GOLDEN, name), 'utf8'));
}
/** |actual − expected| ≤ abs + rel·|expected|, with a message naming what was compared. */
function close(actual: number, expected: number, abs: number, what: string, rel = 2e-7): void {
  const tol = abs + rel * Math.abs(expected);
  assert.ok(Math.abs(actual - expected) <= tol, `${what}: ${actual} vs ${expected} (tolerance ${tol})`);
}
function fieldsOfLine(file: SourceFile, n: number, sep: string | RegExp): number[] {
  return file.bytes.toString('latin1').split('\n')[n - 1].replace(/\r$/, '').split(sep).filter((f) => f !== '').map(Number);
}
function inputError(pattern: RegExp): (e: unknown) => boolean {
  return (e: unknown) => {
    assert.ok(e instanceof InputError, `expected an InputError, got ${String(e)}`);
    assert.match(e.message, pattern);
    return true;
  };
}
const head = (path: string) => readFileSync(path).subarray(0, 64 * 1024);

// ------------------------------------------------------------------------------------------ detection

test('detection is by content: each vendor file is claimed by its module only', () => {
  const cases: [string, FormatModule | null][] = [
    [join(AMTI, 'Trial1-FxFyFzMxMyMz.asc'), amtiAsc],
    [join(KISTLER, 'kistler_CMJ_1plate.txt'), kistlerBiowareText],
    [join(KISTLER, 'kistler_DJ_2plates.txt'), kistlerBiowareText],
    [join(KISTLER, 'kistler_COP.txt'), kistlerBiowareText],
    [join(KISTLER, 'BioWare17.dat'), kistlerBiowareDat],
    [join(KISTLER, 'DLL1.dat'), kistlerBiowareDat],
    [join(KISTLER, 'Truncated.dat'), kistlerBiowareDat], // header intact: claimed, then refused by read()
    [join(MAC, 'Gait.anc'), motionAnalysisAnc],
    [join(MAC, 'Res16bits.anc'), motionAnalysisAnc],
    [join(MAC, 'Truncated.anc'), motionAnalysisAnc],
    [join(MAC, 'Forcepla.cal'), motionAnalysisCal],
    [join(MAC, 'forcepla6.cal'), motionAnalysisCal],
    [join(MAC, 'shd01_truncated.cal'), motionAnalysisCal],
    [join(MAC, 'Gait.trc'), null],
    [join(KISTLER, 'kistler_CMJ_1plate.c3d'), null],
  ];
  for (const [path, owner] of cases) {
    for (const m of MODULES) {
      const score = m.detect(basename(path), head(path));
      if (m === owner) assert.equal(score, 1, `${m.id} on ${basename(path)}`);
      else assert.equal(score, 0, `${m.id} on ${basename(path)}`);
    }
  }
  // Content without the usual extension is still recognised (the name only raises confidence).
  assert.equal(amtiAsc.detect('export.txt', head(join(AMTI, 'Trial1-FxFyFzMxMyMz.asc'))), 0.8);
  assert.equal(motionAnalysisCal.detect('plates.txt', head(join(MAC, 'Forcepla.cal'))), 0.9);
  assert.equal(kistlerBiowareDat.detect('measurement.bin', head(join(KISTLER, 'DLL1.dat'))), 0.9);
  assert.equal(motionAnalysisAnc.detect('gait.txt', head(join(MAC, 'Gait.anc'))), 1);
  // A gaitpdb walk (19 tab-separated numbers) is not an AMTI export, and the reverse.
  const walk = Buffer.from('0\t1\t2\t3\t4\t5\t6\t7\t8\t9\t10\t11\t12\t13\t14\t15\t16\t17\t18\r\n');
  assert.equal(amtiAsc.detect('GaCo01_01.txt', walk), 0);
  assert.equal(gaitpdbWalk.detect('Trial1.asc', head(join(AMTI, 'Trial1-FxFyFzMxMyMz.asc'))), 0);
});

test('empty files are claimed by their extension so the error says "empty", except .dat', () => {
  assert.equal(amtiAsc.detect('Empty.asc', Buffer.alloc(0)), 0.5);
  assert.equal(motionAnalysisAnc.detect('Empty.anc', Buffer.alloc(0)), 0.5);
  assert.equal(motionAnalysisCal.detect('Empty.cal', Buffer.alloc(0)), 0.5);
  assert.equal(kistlerBiowareDat.detect('Empty.dat', Buffer.alloc(0)), 0); // .dat is too common a name to claim
  assert.throws(() => amtiAsc.read(sourceFile(join(AMTI, 'Empty.asc'))), inputError(/Empty\.asc: the file is empty/));
  assert.throws(() => motionAnalysisAnc.read(sourceFile(join(MAC, 'Empty.anc'))), inputError(/Empty\.anc: the file is empty/));
  assert.throws(() => motionAnalysisCal.read(sourceFile(join(MAC, 'Empty.cal'))), inputError(/Empty\.cal: the file is empty \(no plate\)/));
  assert.throws(() => kistlerBiowareDat.read(sourceFile(join(KISTLER, 'Empty.dat'))), inputError(/Empty\.dat: the file is empty/));
});

// ------------------------------------------------------------------------------------------ AMTI

const trial1 = sourceFile(join(AMTI, 'Trial1-FxFyFzMxMyMz.asc'));
const trial1Batch = readSync(amtiAsc, trial1);
const trial1Trial = onlyTrial(trial1Batch);

test('AMTI .asc: one trial of FP1 forces (N), moments (N·m), COP (mm) and Tz (N·mm) at 200 Hz from the time stamps', () => {
  assert.deepEqual(trial1Batch.subjects, [{ key: 'Trial1-FxFyFzMxMyMz', cohort: 'forceplate', group: null }]);
  assert.deepEqual(trial1Batch.sessions.map((s) => [s.subjectKey, s.key]), [['Trial1-FxFyFzMxMyMz', 'Trial1-FxFyFzMxMyMz']]);
  assert.deepEqual(trial1Batch.warnings, []);
  assert.equal(trial1Trial.key, 'Trial1-FxFyFzMxMyMz');
  assert.equal(trial1Trial.contentSha256, trial1.sha256);
  assert.deepEqual(trial1Trial.channels.map((c) => [c.name, c.unit, c.rateHz, c.device, c.domain, c.samples.length]), [
    ['FP1_Fx', 'N', 200, 'FP1', 'time', 200], ['FP1_Fy', 'N', 200, 'FP1', 'time', 200], ['FP1_Fz', 'N', 200, 'FP1', 'time', 200],
    ['FP1_Mx', 'N·m', 200, 'FP1', 'time', 200], ['FP1_My', 'N·m', 200, 'FP1', 'time', 200], ['FP1_Mz', 'N·m', 200, 'FP1', 'time', 200],
    ['FP1_COPx', 'mm', 200, 'FP1', 'time', 200], ['FP1_COPy', 'mm', 200, 'FP1', 'time', 200], ['FP1_Tz', 'N·mm', 200, 'FP1', 'time', 200],
  ]);
  assert.equal(trial1Trial.deviceTimeS![0], 0);
  assert.equal(trial1Trial.deviceTimeS![199], 0.995);
  const a = trial1Trial.attributes!;
  assert.deepEqual(a.sample_rate, { value: 200, unit: 'Hz' });
  assert.equal(a.vendor.value, 'AMTI');
  assert.equal(a.values_in_physical_units.value, 'yes');
  assert.deepEqual(a.cop_threshold, { value: 20, unit: 'N' });
  assert.match(String(a.fp1_cop_origin_offset.value), /^not given/);
  assert.equal(trial1Trial.sourceLocation, 'lines 1–200');
});

test('AMTI .asc: values are the file\'s own (README first line and t = 0.095 s; BTK\'s reference samples)', () => {
  const v = (name: string, row: number) => channel(trial1Trial, name).samples[row];
  // First line: 0.000,-0.491,-0.521,1.079,0.098,0.000,0.255 — kept as the action on the plate (BTK negates).
  assert.deepEqual(['FP1_Fx', 'FP1_Fy', 'FP1_Fz', 'FP1_Mx', 'FP1_My', 'FP1_Mz'].map((n) => v(n, 0)), [-0.491, -0.521, 1.079, 0.098, 0, 0.255].map(Math.fround));
  assert.equal(v('FP1_Fz', 19), Math.fround(331.903));
  // BTKCore Testing/Code/AMTIForcePlatformFileReaderTest.h (−BTK value = file value).
  assert.equal(v('FP1_Fx', 9), Math.fround(-1.718));
  assert.equal(v('FP1_Fy', 21), Math.fround(18.231));
  assert.equal(v('FP1_Fz', 35), Math.fround(643.298));
  assert.equal(v('FP1_Mx', 60), Math.fround(46.447));
  assert.equal(v('FP1_My', 63), Math.fround(0.61));
  assert.equal(v('FP1_Mz', 81), Math.fround(-4.748));
});

test('AMTI .asc: COP = (−My/Fz, Mx/Fz) in mm and Tz = Mz − x·Fy + y·Fx during contact, NaN (undefined) where |Fz| < 20 N', () => {
  const fz = channel(trial1Trial, 'FP1_Fz').samples;
  const copX = channel(trial1Trial, 'FP1_COPx').samples, copY = channel(trial1Trial, 'FP1_COPy').samples, tz = channel(trial1Trial, 'FP1_Tz').samples;
  let contact = 0;
  for (let r = 0; r < 200; r++) {
    const [, fx, fyv, fzv, mx, my, mz] = fieldsOfLine(trial1, r + 1, ',');
    if (Math.abs(fzv) < COP_CONTACT_THRESHOLD_N) {
      assert.deepEqual([copX[r], copY[r], tz[r]], [NaN, NaN, NaN], `row ${r}`);
      continue;
    }
    contact++;
    const x = -(my * 1000) / fzv, y = (mx * 1000) / fzv;
    assert.equal(copX[r], Math.fround(x), `COPx row ${r}`);
    assert.equal(copY[r], Math.fround(y), `COPy row ${r}`);
    assert.equal(tz[r], Math.fround(mz * 1000 - x * fyv + y * fx), `Tz row ${r}`);
    assert.equal(fz[r], Math.fround(fzv));
  }
  assert.equal(contact, 160);
  assert.deepEqual(trial1Trial.attributes!.fp1_contact_samples, { value: 160 });
});

test('AMTI .asc: bad input names file, line and field', () => {
  const text = trial1.bytes.toString('latin1');
  const lines = text.split('\r\n');
  const withLine = (n: number, replacement: string) => sourceFile('/x/Trial1.asc', Buffer.from(lines.map((l, k) => (k === n - 1 ? replacement : l)).join('\r\n'), 'latin1'));
  assert.throws(() => amtiAsc.read(withLine(12, '0.055,1,2,3,4,5')), inputError(/^\/x\/Trial1\.asc line 12: expected 7 comma-separated columns \(time, Fx, Fy, Fz, Mx, My, Mz\), found 6$/));
  assert.throws(() => amtiAsc.read(withLine(12, '0.055,1,2,3,4,5,6,7')), inputError(/line 12: expected 7 comma-separated columns .*found 8$/));
  assert.throws(() => amtiAsc.read(withLine(40, '0.195,1,2,abc,4,5,6')), inputError(/^\/x\/Trial1\.asc line 40 field Fz: not a finite number: "abc"$/));
  assert.throws(() => amtiAsc.read(withLine(40, '0.195,1,NaN,3,4,5,6')), inputError(/line 40 field Fy: not a finite number: "NaN"/));
  assert.throws(() => amtiAsc.read(withLine(40, '0.195,1,2,3,Infinity,5,6')), inputError(/line 40 field Mx: not a finite number: "Infinity"/));
  assert.throws(() => amtiAsc.read(withLine(40, '0.195,1,2,3,4,1e999,6')), inputError(/line 40 field My: infinite value "1e999"/));
  assert.throws(() => amtiAsc.read(withLine(40, '0.195,1,2,3,4,5,1e39')), inputError(/line 40 field FP1_Mz: value 1e\+39 N·m does not fit a 32-bit float channel/));
  assert.throws(() => amtiAsc.read(withLine(40, '0.197,1,2,3,4,5,6')), inputError(/line 40 field time: time 0\.197 s is off the 200 Hz grid \(expected 0\.195 s\)/));
  assert.throws(() => amtiAsc.read(withLine(40, '0.190,1,2,3,4,5,6')), inputError(/line 40 field time: time 0\.19 s does not increase/));
  assert.throws(() => amtiAsc.read(withLine(100, '')), inputError(/line 100: expected 7 comma-separated columns .*found 0/));
  // Truncated inside a line: the last line has fewer columns.
  const cut = text.lastIndexOf(',', text.length - 10);
  assert.throws(() => amtiAsc.read(sourceFile('/x/Trial1.asc', trial1.bytes.subarray(0, cut))), inputError(/line 200: expected 7 comma-separated columns .*found 5$/));
  // One sample cannot give a rate.
  assert.throws(() => amtiAsc.read(sourceFile('/x/One.asc', Buffer.from(lines[0] + '\r\n'))), inputError(/line 1 field time: need at least 2 samples/));
});

// ------------------------------------------------------------------------------------------ Kistler text

const kistlerGolden = golden('kistler-c3d.json');
const cmj = readSync(kistlerBiowareText, sourceFile(join(KISTLER, 'kistler_CMJ_1plate.txt')));
const dj = readSync(kistlerBiowareText, sourceFile(join(KISTLER, 'kistler_DJ_2plates.txt')));
const copExport = readSync(kistlerBiowareText, sourceFile(join(KISTLER, 'kistler_COP.txt')));

test('BioWare text: header rows become rate, devices, date, contact-period events and provenance', () => {
  const t = onlyTrial(dj);
  assert.deepEqual(dj.subjects, [{ key: 'kistler_DJ_2plates', cohort: 'forceplate', group: null }]); // Name and ID are empty
  assert.equal(dj.sessions[0].key, 'kistler_DJ_2plates');
  assert.equal(dj.sessions[0].date, '2023-05-10T12:26:05');
  assert.deepEqual(dj.warnings, []);
  assert.deepEqual(t.channels.map((c) => [c.name, c.unit, c.rateHz, c.device, c.samples.length]), [
    ['FP1_Fx', 'N', 1000, 'FP1', 8000], ['FP1_Fy', 'N', 1000, 'FP1', 8000], ['FP1_Fz', 'N', 1000, 'FP1', 8000],
    ['FP2_Fx', 'N', 1000, 'FP2', 8000], ['FP2_Fy', 'N', 1000, 'FP2', 8000], ['FP2_Fz', 'N', 1000, 'FP2', 8000],
  ]);
  // README: first DJ row 0.000000 1.052595 0.908952 7.819648 -10.481329 -27.415206 706.158540
  assert.deepEqual(t.channels.map((c) => c.samples[0]), [1.052595, 0.908952, 7.819648, -10.481329, -27.415206, 706.15854].map(Math.fround));
  assert.equal(t.deviceTimeS![7999], 7.999);
  const a = t.attributes!;
  assert.equal(a.software.value, 'BioWare 5.4.3.0');
  assert.deepEqual([a.fp1_device.value, a.fp1_type.value, a.fp2_device.value, a.fp2_type.value], ['Kistler Grande1 9287CA', '9287CA', 'Kistler Grande2 9287CA', '9287CA']);
  assert.deepEqual(a.sample_rate, { value: 1000, unit: 'Hz' });
  assert.deepEqual(a.normalized_force, { value: 0.086868, unit: 'N' });
  assert.equal(a.values_in_physical_units.value, 'yes');
  assert.equal(a.cop_threshold, undefined); // no COP derived: the export has no moments
  assert.deepEqual(t.events, [
    { label: 'Contact period start', side: null, timeS: 0.037, source: 'bioware:contact-period', params: { device: 'FP1', sample: 37 } },
    { label: 'Contact period end', side: null, timeS: 7.999, source: 'bioware:contact-period', params: { device: 'FP1', sample: 7999 } },
    { label: 'Contact period start', side: null, timeS: 0, source: 'bioware:contact-period', params: { device: 'FP2', sample: 0 } },
    { label: 'Contact period end', side: null, timeS: 7.999, source: 'bioware:contact-period', params: { device: 'FP2', sample: 7999 } },
  ]);
  const c = onlyTrial(cmj);
  assert.equal(cmj.sessions[0].date, '2014-10-22T12:05:31');
  assert.deepEqual(c.attributes!.normalized_force, { value: 665.83197, unit: 'N' });
  assert.deepEqual(c.channels.map((ch) => ch.name), ['FP1_Fx', 'FP1_Fy', 'FP1_Fz']);
  assert.equal(biowareDate('Feb 29, 2020  23:59:59'), '2020-02-29T23:59:59');
  assert.equal(biowareDate('Feb 30, 2020  10:00:00'), null);
  assert.equal(biowareDate('2014-10-22'), null);
});

test('BioWare text vs its C3D: Fx Fy Fz equal the summed sensor channels within about one C3D count per channel (DJ, both plates)', () => {
  const t = onlyTrial(dj);
  const g = kistlerGolden.kistler_DJ_2plates;
  assert.equal(g.samples, 8000);
  for (const plate of g.plates) {
    let worst = 0;
    for (const s of plate.samples) {
      for (const comp of ['Fx', 'Fy', 'Fz']) {
        const ours = channel(t, `${plate.device}_${comp}`).samples[s.index];
        worst = Math.max(worst, Math.abs(ours - s[comp]) / plate.toleranceN[comp]);
        close(ours, s[comp], 1.05 * plate.toleranceN[comp], `${plate.device}_${comp}[${s.index}]`);
      }
    }
    const fz = channel(t, `${plate.device}_Fz`).samples;
    close(Math.max(...fz), plate.peakFz.value, plate.toleranceN.Fz + 1e-3, `${plate.device} peak Fz`);
    // The int16 C3D and the text export are rounded separately, so one count per summed channel is not a strict
    // bound: measured worst 1.007 counts on these samples (README: 0.66 N for Fz, 1.04 counts, over all samples).
    assert.ok(worst <= 1.05, `${plate.device}: worst error ${worst} counts`);
  }
});

test('BioWare text vs its C3D: in the CMJ export Fx and Fy have the opposite sign of the C3D sums, Fz the same', () => {
  const t = onlyTrial(cmj);
  const plate = kistlerGolden.kistler_CMJ_1plate.plates[0];
  for (const s of plate.samples) {
    close(channel(t, 'FP1_Fx').samples[s.index], -s.Fx, plate.toleranceN.Fx + 1e-3, `FP1_Fx[${s.index}]`);
    close(channel(t, 'FP1_Fy').samples[s.index], -s.Fy, plate.toleranceN.Fy + 1e-3, `FP1_Fy[${s.index}]`);
    close(channel(t, 'FP1_Fz').samples[s.index], s.Fz, plate.toleranceN.Fz + 1e-3, `FP1_Fz[${s.index}]`);
  }
  assert.equal(plate.peakFz.index, 2710);
  close(channel(t, 'FP1_Fz').samples[2710], plate.peakFz.value, plate.toleranceN.Fz + 1e-3, 'peak Fz');
});

test('BioWare text COP export: Ax/Ay (m) become FP1_COPx/COPy in mm at 50 Hz; vs the C3D\'s 1000 Hz COP they differ by a constant offset only', () => {
  const t = onlyTrial(copExport);
  assert.deepEqual(t.channels.map((c) => [c.name, c.unit, c.rateHz, c.samples.length]), [['FP1_COPx', 'mm', 50, 500], ['FP1_COPy', 'mm', 50, 500]]);
  assert.equal(t.channels[0].samples[0], Math.fround(0.013748 * 1000));
  assert.equal(t.attributes!.fp1_cop_source.value, 'BioWare (Ax, Ay as exported, in mm)');
  const g = kistlerGolden.kistler_COP;
  assert.equal(g.samples.length, 500);
  for (const [axis, col] of [['COPx', 1], ['COPy', 2]] as const) {
    const ours = channel(t, `FP1_${axis}`).samples;
    const diff = g.samples.map((s: number[], k: number) => ours[k] - s[col]);
    const mean = diff.reduce((a: number, b: number) => a + b, 0) / diff.length;
    const spread = Math.max(...diff.map((d: number) => Math.abs(d - mean)));
    // Measured: offsets −21.10 mm (x) and −42.25 mm (y) over the whole 10 s, residual ≤ 0.29 / 0.43 mm over
    // excursions of 79 / 56 mm. BioWare evidently zeroes the COP differently from the raw C3D channels; the
    // files do not say how, so only the shape is compared.
    close(mean, axis === 'COPx' ? -21.103 : -42.247, 0.01, `${axis} mean offset`);
    assert.ok(spread <= 0.5, `${axis}: residual ${spread} mm`);
  }
});

test('BioWare text with moments but no Ax/Ay: COP and Tz are derived about the moments\' reference point', () => {
  const text = [
    'BioWare Version 5.3.0.7 Export',
    'Device:\tKistler 9260AA6\tKistler 9260AA6\tKistler 9260AA6\tKistler 9260AA6\tKistler 9260AA6\tKistler 9260AA6',
    'Samples (#):\t3\t3\t3\t3\t3\t3',
    'Rate (Hz):\t500.000000\t500.000000\t500.000000\t500.000000\t500.000000\t500.000000',
    'File Information', 'Date\tJan 02, 2021  08:00:00', 'Name\tAnon', 'ID\tP-07', 'Classification\t', 'Description\tsynthetic',
    'abs time (s)\tFx\tFy\tFz\tMx\tMy\tMz',
    '\tN\tN\tN\tNm\tNm\tNm',
    '0.000000\t1\t2\t10\t0\t0\t0',
    '0.002000\t10\t-20\t500\t25\t-50\t3',
    '0.004000\t0\t0\t400\t-4\t8\t0',
  ].join('\n') + '\n';
  const b = readSync(kistlerBiowareText, sourceFile('/x/synthetic.txt', Buffer.from(text)));
  assert.equal(b.subjects[0].key, 'P-07'); // the ID field
  const t = onlyTrial(b);
  assert.deepEqual(t.channels.map((c) => [c.name, c.unit]), [
    ['FP1_Fx', 'N'], ['FP1_Fy', 'N'], ['FP1_Fz', 'N'], ['FP1_Mx', 'N·m'], ['FP1_My', 'N·m'], ['FP1_Mz', 'N·m'],
    ['FP1_COPx', 'mm'], ['FP1_COPy', 'mm'], ['FP1_Tz', 'N·mm'],
  ]);
  assert.deepEqual(Array.from(channel(t, 'FP1_COPx').samples), [NaN, 100, -20]); // −My/Fz: undefined (Fz < 20 N), 50000/500, −8000/400
  assert.deepEqual(Array.from(channel(t, 'FP1_COPy').samples), [NaN, 50, -10]);
  assert.deepEqual(Array.from(channel(t, 'FP1_Tz').samples), [NaN, 3000 - 100 * -20 + 50 * 10, 0]);
  assert.equal(t.attributes!.description.value, 'synthetic');
});

test('BioWare text: bad input names file, line and field', () => {
  const file = sourceFile(join(KISTLER, 'kistler_CMJ_1plate.txt'));
  const lines = file.bytes.toString('latin1').split('\n');
  const edit = (n: number, replacement: string | null) => {
    const copy = [...lines];
    if (replacement === null) copy.splice(n - 1, 1); else copy[n - 1] = replacement;
    return sourceFile('/x/cmj.txt', Buffer.from(copy.join('\n'), 'latin1'));
  };
  assert.throws(() => kistlerBiowareText.read(edit(120, '0.100000\t1.0\t2.0')), inputError(/^\/x\/cmj\.txt line 120: expected 4 columns, found 3$/));
  assert.throws(() => kistlerBiowareText.read(edit(120, '0.100000\t1.0\t2.0\t3\t4')), inputError(/line 120: expected 4 columns, found 5/));
  assert.throws(() => kistlerBiowareText.read(edit(120, '0.100000\t1.0\tx2\t3')), inputError(/^\/x\/cmj\.txt line 120 field Fy \(column 3\): not a finite number: "x2"$/));
  assert.throws(() => kistlerBiowareText.read(edit(120, '0.100000\t1.0\t2\tNaN')), inputError(/line 120 field Fz \(column 4\): not a finite number: "NaN"/));
  assert.throws(() => kistlerBiowareText.read(edit(120, '0.100000\tInf\t2\t3')), inputError(/line 120 field Fx \(column 2\): not a finite number: "Inf"/));
  assert.throws(() => kistlerBiowareText.read(edit(120, '0.100000\t1\t2\t-1e400')), inputError(/line 120 field Fz \(column 4\): infinite value "-1e400"/));
  assert.throws(() => kistlerBiowareText.read(edit(120, '0.100400\t1\t2\t3')), inputError(/line 120 field time: time 0\.1004 s is off the 1000 Hz grid \(expected 0\.100000 s\)/));
  const dropped = edit(120, null); // a dropped sample, the count kept by a row added at the end
  dropped.bytes = Buffer.concat([dropped.bytes, Buffer.from('8.000000\t1\t2\t3\n')]);
  assert.throws(() => kistlerBiowareText.read(dropped), inputError(/line 120 field time: time 0\.101 s is off the 1000 Hz grid \(expected 0\.100000 s\)/));
  assert.throws(() => kistlerBiowareText.read(edit(2, 'Device:\tKistler Grande2 9287CA\tKistler Grande2 9287CA')), inputError(/line 2 field Device: lists 2 devices for 3 data columns/));
  assert.throws(() => kistlerBiowareText.read(edit(4, 'Rate (Hz):\t1000\t1000\tfast')), inputError(/line 4 field Rate \(Hz\): column 4: not a finite number: "fast"/));
  assert.throws(() => kistlerBiowareText.read(edit(4, 'Rate (Hz):\t1000\t1000\t500')), inputError(/line 4 field Rate \(Hz\): columns differ \(1000, 500\)/));
  assert.throws(() => kistlerBiowareText.read(edit(19, '\tN\tN\tlbf')), inputError(/line 19 field Fz: unit "lbf" for Fz: expected N or kN/));
  // Truncated: at a line boundary the row count is short; inside a line the last row is short.
  const text = file.bytes.toString('latin1');
  const atLine = text.lastIndexOf('\n', text.length - 2) + 1;
  assert.throws(() => kistlerBiowareText.read(sourceFile('/x/cmj.txt', file.bytes.subarray(0, atLine))), inputError(/line 8019: 7999 data rows, the header declares 8000 samples \(truncated file\?\)/));
  assert.throws(() => kistlerBiowareText.read(sourceFile('/x/cmj.txt', file.bytes.subarray(0, atLine + 12))), inputError(/line 8019: expected 4 columns, found 2/));
  assert.throws(() => kistlerBiowareText.read(sourceFile('/x/cmj.txt', file.bytes.subarray(0, 300))), inputError(/line \d+: the file ends inside the header/));
});

// ------------------------------------------------------------------------------------------ Kistler .dat

test('BioWare .dat: the 8 sensor forces and their sums match BTK\'s reference values (BioWare17.dat)', () => {
  const b = readSync(kistlerBiowareDat, sourceFile(join(KISTLER, 'BioWare17.dat')));
  const t = onlyTrial(b);
  assert.deepEqual(t.channels.map((c) => c.name), [
    'FP1_Fx12', 'FP1_Fx34', 'FP1_Fy14', 'FP1_Fy23', 'FP1_Fz1', 'FP1_Fz2', 'FP1_Fz3', 'FP1_Fz4',
    'FP1_Fx', 'FP1_Fy', 'FP1_Fz', 'FP1_Mx', 'FP1_My', 'FP1_Mz', 'FP1_COPx', 'FP1_COPy', 'FP1_Tz',
  ]);
  assert.ok(t.channels.every((c) => c.rateHz === 1000 && c.samples.length === 5000));
  // BTKCore Testing/Code/KistlerDATFileReaderTest.h (BTK stores the reaction: its values are ours negated).
  const btk: [number, number, number, number][] = [[0, 10.90122, 27.975272, -775.37486], [74, -9.391639, 20.390443, -832.520675], [935, -3.305952, -10.557965, -837.382074]];
  for (const [i, fx, fy, fz] of btk) {
    close(channel(t, 'FP1_Fx').samples[i], -fx, 1e-5, `Fx[${i}]`);
    close(channel(t, 'FP1_Fy').samples[i], -fy, 1e-5, `Fy[${i}]`);
    close(channel(t, 'FP1_Fz').samples[i], -fz, 5e-5, `Fz[${i}]`);
  }
  const a = t.attributes!;
  assert.deepEqual([a.fp1_type.value, a.fp1_serial.value, a.fp1_size.value, a.fp1_sensor_offsets.value], ['9286AA', '1411473', '[400,600]', '{"a":175,"b":275,"az0":-27}']);
  assert.deepEqual(a.fp1_cop_origin_offset, { value: '[0,0,-27]', unit: 'mm' });
  // Kistler's COP formulas: ax = (Fx·az0 − My)/Fz, ay = (Fy·az0 + Mx)/Fz with My = a(−Fz1+Fz2+Fz3−Fz4), Mx = b(Fz1+Fz2−Fz3−Fz4).
  const s = (n: string) => channel(t, n).samples[74];
  const fz = s('FP1_Fz1') + s('FP1_Fz2') + s('FP1_Fz3') + s('FP1_Fz4');
  close(s('FP1_COPx'), (s('FP1_Fx') * -27 - 175 * (-s('FP1_Fz1') + s('FP1_Fz2') + s('FP1_Fz3') - s('FP1_Fz4'))) / fz, 1e-3, 'COPx[74]');
  close(s('FP1_COPy'), (s('FP1_Fy') * -27 + 275 * (s('FP1_Fz1') + s('FP1_Fz2') - s('FP1_Fz3') - s('FP1_Fz4'))) / fz, 1e-3, 'COPy[74]');
  assert.deepEqual(b.warnings, [`${join(KISTLER, 'BioWare17.dat')}: 160582 bytes after the first plate's data are in a layout this reader does not know and were not read`]);
  const dll = onlyTrial(readSync(kistlerBiowareDat, sourceFile(join(KISTLER, 'DLL1.dat'))));
  assert.deepEqual([dll.channels[0].rateHz, dll.channels[0].samples.length, dll.attributes!.fp1_device.value], [100, 500, 'Force Plate 1']);
  assert.deepEqual(dll.events!.map((e) => [e.label, e.timeS]), [['Contact period start', 1.66], ['Contact period end', 4.99]]);
});

test('BioWare .dat: a truncated file is refused with the bytes it lacks', () => {
  assert.throws(() => kistlerBiowareDat.read(sourceFile(join(KISTLER, 'Truncated.dat'))),
    inputError(/Truncated\.dat field data: the file ends inside the data: 8 channels × 5000 samples need 160000 bytes from byte 717, 1203 present \(truncated\)/));
  const dll = readFileSync(join(KISTLER, 'DLL1.dat'));
  assert.throws(() => kistlerBiowareDat.read(sourceFile('/x/DLL1.dat', dll.subarray(0, 300))), inputError(/field plate .*: the file ends at byte 300/));
  const nan = Buffer.from(dll);
  nan.writeFloatLE(NaN, 701 + 4 * 10);
  assert.throws(() => kistlerBiowareDat.read(sourceFile('/x/DLL1.dat', nan)), inputError(/field Fx12 sample 11: not a finite number at byte 741/));
});

// ------------------------------------------------------------------------------------------ CAL

test('.cal: plates, matrices, origins, centres and rotations as the README states (Forcepla, forcepla6, shd01)', () => {
  const fp = parseForcePlateCalibration('Forcepla.cal', readFileSync(join(MAC, 'Forcepla.cal')));
  assert.equal(fp.length, 2);
  assert.deepEqual(fp[0].matrix.map((row, k) => row[k]), [2.9446, 2.949, 11.5203, 2.1918, 1.9772, 0.9558]);
  assert.deepEqual([fp[0].inputScale, fp[0].widthMm, fp[0].lengthMm], [25, 609.6, 914.4]);
  assert.deepEqual(fp[0].surfaceFromOriginMm.map((v) => Number(v.toFixed(6))), [-0.94, -0.917, -59.428]); // = btk-Gait.c3d ORIGIN
  assert.deepEqual(fp[1].surfaceFromOriginMm.map((v) => Number(v.toFixed(6))), [-1.944, -1.885, -52.979]);
  assert.deepEqual(fp.map((p) => p.centreLabMm.map((v) => Number(v.toFixed(6)))), [[150.8, -315.9, 0], [447.9, 294.7, 0]]);
  assert.deepEqual(fp[0].rotationPlateToLab, [[0, -1, 0], [-1, 0, 0], [0, 0, -1]]);
  const six = parseForcePlateCalibration('forcepla6.cal', readFileSync(join(MAC, 'forcepla6.cal')));
  assert.equal(six.length, 6);
  assert.deepEqual(six[0].matrix.map((row, k) => row[k]), [1000, 1000, 2000, 600, 400, 300]);
  assert.deepEqual([six[0].inputScale, six[0].widthMm, six[0].lengthMm], [1, 400, 600]);
  assert.deepEqual(six.map((p) => JSON.stringify(p.rotationPlateToLab)), [0, 1, 2, 3, 4, 5].map((k) => JSON.stringify(k === 4 ? [[0, -1, 0], [-1, 0, 0], [0, 0, -1]] : [[0, 1, 0], [1, 0, 0], [0, 0, -1]])));
  const shd = parseForcePlateCalibration('shd01_truncated.cal', readFileSync(join(MAC, 'shd01_truncated.cal')));
  assert.equal(shd.length, 1);
  assert.deepEqual([shd[0].widthMm, shd[0].lengthMm, shd[0].matrix[2][2], shd[0].matrix[0][3]], [600, 1200, -3292.092013, 290.928383]);
});

test('.cal on its own: recognised, checked, and imports nothing (empty batch, no warnings)', () => {
  for (const name of ['Forcepla.cal', 'forcepla6.cal', 'shd01_truncated.cal']) {
    assert.deepEqual(readSync(motionAnalysisCal, sourceFile(join(MAC, name))), { format: 'motion-analysis-cal', subjects: [], sessions: [], warnings: [] });
  }
  assert.ok(motionAnalysisCal.order < motionAnalysisAnc.order);
});

test('.cal: bad input names file, line and field', () => {
  const text = readFileSync(join(MAC, 'Forcepla.cal'), 'latin1');
  const lines = text.split('\r\n');
  const cal = (t: string) => () => motionAnalysisCal.read(sourceFile('/x/forcepla.cal', Buffer.from(t, 'latin1')));
  const withLine = (n: number, r: string) => lines.map((l, k) => (k === n - 1 ? r : l)).join('\r\n');
  assert.throws(cal(lines.slice(0, 20).join('\r\n')), inputError(/^\/x\/forcepla\.cal line 20 field plate 2 calibration matrix row 6: the file ends inside plate 2 \(after its matrix row 5\)$/));
  assert.throws(cal(withLine(5, '-0.0253\t-0.0038\t11.5203\t-0.0226\t-0.0605')), inputError(/line 5 field plate 1 calibration matrix row 3: expected 6 values, found 5/));
  assert.throws(cal(withLine(5, '-0.0253\t-0.0038\tNaN\t-0.0226\t-0.0605\t0')), inputError(/line 5 field plate 1 calibration matrix row 3: not a finite number: "NaN"/));
  assert.throws(cal(withLine(14, '3')), inputError(/line 14 field plate 2 number: expected plate number 2, found 3/));
  assert.throws(cal(withLine(11, '1\t1\t0')), inputError(/line 11 field plate 1 rotation: the 3×3 rotation is not orthonormal/));
  assert.throws(cal(withLine(2, '0 60.96 91.44')), inputError(/line 2 field plate 1 scale and size: scale, width and length must be positive/));
});

// ------------------------------------------------------------------------------------------ ANC

const ancGolden = golden('anc-c3d.json');

test('ANC Gait.anc: 28 channels in V from BitDepth and Range; counts equal btk-Gait.c3d\'s raw analog', () => {
  const t = onlyTrial(readAnc(sourceFile(join(MAC, 'Gait.anc')), null));
  const volts = t.channels.filter((c) => c.unit === 'V');
  assert.equal(volts.length, 28);
  assert.deepEqual(volts.slice(0, 13).map((c) => [c.name, c.device]), [
    ['f1x', 'FP1'], ['f1y', 'FP1'], ['f1z', 'FP1'], ['m1x', 'FP1'], ['m1y', 'FP1'], ['m1z', 'FP1'],
    ['f2x', 'FP2'], ['f2y', 'FP2'], ['f2z', 'FP2'], ['m2x', 'FP2'], ['m2y', 'FP2'], ['m2z', 'FP2'], ['L Rectus', null],
  ]);
  assert.ok(volts.every((c) => c.rateHz === 1000 && c.samples.length === 5346));
  assert.equal(t.deviceTimeS![5345], 5.345);
  // BTK ANCFileReaderTest: R Rectus (±1 V, 12 bit) = −0.2627, −0.3169, −0.2481 V.
  [-0.2627, -0.3169, -0.2481].forEach((v, i) => close(channel(t, 'R Rectus').samples[i], v, 1e-4, `R Rectus[${i}]`));
  assert.equal(channel(t, 'R Rectus').samples[0], Math.fround((-538 * 2) / 4096));
  const g = ancGolden.Gait;
  g.rawCounts.channels.forEach((c: number, k: number) => {
    const range = [10000, 10000, 1000, 2500][k];
    const counts = g.rawCounts.indices.map((i: number) => volts[c].samples[i] / ((2 * range) / 1000 / 4096));
    assert.deepEqual(counts, g.rawCounts.values[k], volts[c].name);
  });
  assert.equal(t.attributes!.calibration_source.value, 'none: force channels kept as volts');
  assert.equal(t.attributes!.values_in_physical_units.value, 'no: A/D counts, stored as V from BitDepth and Range');
  assert.equal(t.label, 'gait #2');
});

test('ANC Gait.anc beside Forcepla.cal: FP1/FP2 forces, moments, COP and Tz match btk-Gait.c3d', () => {
  const b = readSync(motionAnalysisAnc, sourceFile(join(MAC, 'Gait.anc')));
  assert.deepEqual(b.warnings, [`${join(MAC, 'Gait.anc')}: samples at the A/D converter's limit (clipped?) in L Rectus (5), R Rectus (2), R Vaste Ext (2)`]);
  const t = onlyTrial(b);
  const a = t.attributes!;
  assert.equal(a.calibration_source.value, 'Forcepla.cal (Motion Analysis\'s default name, beside the .anc)');
  assert.equal(a.calibration_sha256.value, createHash('sha256').update(readFileSync(join(MAC, 'Forcepla.cal'))).digest('hex'));
  assert.deepEqual(a.fp1_centre_lab, { value: '[150.8,-315.9,0]', unit: 'mm' });
  assert.equal(a.fp1_rotation_plate_to_lab.value, '[[0,-1,0],[-1,0,0],[0,0,-1]]');
  assert.equal(a.fp1_calibration_input_scale.value, 25);
  const g = ancGolden.Gait;
  // The C3D scales counts by 20 V / 4095 (SCALE −0.12210012 = −20/4095 × 25), BTK's ANC reader and we by 20 V / 2^12,
  // and the C3D stores the reaction (negative SCALE), we the action: its forces are ours × scaleRatio.
  const scaleRatio = g.forceScale / ((20 / 4096) * 25);
  close(scaleRatio, -4096 / 4095, 1e-8, 'scale ratio');
  for (const plate of g.plates) {
    const p = plate.device;
    for (const s of plate.samples) {
      const at = (n: string) => channel(t, `${p}_${n}`).samples[s.index];
      for (const f of ['Fx', 'Fy', 'Fz']) close(at(f) * scaleRatio, s[f], 1e-3, `${p}_${f}[${s.index}]`);
      for (const m of ['Mx', 'My', 'Mz']) close(at(m) * 1000 * scaleRatio, s[m], 0.05, `${p}_${m}[${s.index}] (N·mm)`, 1e-6);
      if (s.COPx === null) {
        assert.deepEqual([at('COPx'), at('COPy'), at('Tz')], [NaN, NaN, NaN], `${p} outside contact at ${s.index}`);
        continue;
      }
      close(at('COPx'), s.COPx, 1e-3, `${p}_COPx[${s.index}]`, 1e-6);
      close(at('COPy'), s.COPy, 1e-3, `${p}_COPy[${s.index}]`, 1e-6);
      close(at('Tz') * scaleRatio, s.Tz, 5e-3, `${p}_Tz[${s.index}]`, 1e-6);
    }
    // Peak vertical load: about 800 / 855 N, positive (the force on the plate).
    const fz = channel(t, `${p}_Fz`).samples;
    assert.equal(fz.indexOf(Math.max(...fz)), plate.peakIndex);
  }
  assert.deepEqual([a.fp1_contact_samples.value, a.fp2_contact_samples.value], [577, 571]);
});

test('ANC Res16bits.anc: 81 channels in V equal Res16bits.c3d; Forcepla.cal (2 plates) is not applied to its 6 plates', () => {
  const b = readSync(motionAnalysisAnc, sourceFile(join(MAC, 'Res16bits.anc')));
  assert.deepEqual(b.warnings, [`${join(MAC, 'Res16bits.anc')}: calibration Forcepla.cal (Motion Analysis's default name, beside the .anc) describes 2 plates, the file has force channels of plates 1, 2, 3, 4, 5, 6: not applied, forces not derived`]);
  const t = onlyTrial(b);
  assert.equal(t.channels.length, 81);
  assert.ok(t.channels.every((c) => c.unit === 'V' && c.samples.length === 1000));
  assert.deepEqual([t.channels[42].name, t.channels[49].name, t.channels[80].name], ['ch43', 'RSScan', 'SOL']);
  assert.equal(t.channels.filter((c) => c.device).length, 36);
  const v = ancGolden.Res16bits.volts;
  v.channels.forEach((c: number, k: number) => {
    const sign = Math.sign(v.scale[k]); // the C3D negates the force channels
    v.indices.forEach((i: number, j: number) => close(t.channels[c].samples[i] * sign, v.values[k][j], 1e-9, `${t.channels[c].name}[${i}]`, 1e-6));
  });
});

test('ANC with a same-stem .cal (Res16bits.cal → forcepla6.cal): 6 plates match Res16bits.c3d, whose CAL_MATRIX it is', () => {
  const dir = tempDir();
  symlinkSync(join(MAC, 'Res16bits.anc'), join(dir, 'Res16bits.anc'));
  symlinkSync(join(MAC, 'forcepla6.cal'), join(dir, 'Res16bits.cal'));
  symlinkSync(join(MAC, 'Forcepla.cal'), join(dir, 'forcepla.cal')); // the stem match wins over the default name
  const b = readSync(motionAnalysisAnc, sourceFile(join(dir, 'Res16bits.anc')));
  assert.deepEqual(b.warnings, []);
  const t = onlyTrial(b);
  assert.equal(t.attributes!.calibration_source.value, 'Res16bits.cal (same name as the .anc)');
  assert.equal(t.channels.length, 81 + 6 * 9);
  let contact = 0;
  for (const plate of ancGolden.Res16bits.plates) {
    const p = plate.device;
    assert.deepEqual(JSON.parse(String(t.attributes![`${p.toLowerCase()}_channels`].value)), plate.channels.map((c: number) => t.channels[c - 1].name));
    for (const s of plate.samples) {
      const at = (n: string) => channel(t, `${p}_${n}`).samples[s.index];
      for (const f of ['Fx', 'Fy', 'Fz']) close(-at(f), s[f], 1e-3, `${p}_${f}[${s.index}]`);
      for (const m of ['Mx', 'My', 'Mz']) close(-at(m) * 1000, s[m], 0.05, `${p}_${m}[${s.index}]`, 1e-6);
      if (s.COPx === null) continue;
      contact++;
      close(at('COPx'), s.COPx, 1e-3, `${p}_COPx[${s.index}]`, 1e-6);
      close(at('COPy'), s.COPy, 1e-3, `${p}_COPy[${s.index}]`, 1e-6);
      close(-at('Tz'), s.Tz, 5e-3, `${p}_Tz[${s.index}]`, 1e-6);
    }
  }
  assert.equal(contact, 12); // plates 2–5 are loaded throughout
});

test('ANC: a .cal with fewer plates than the file (shd01_truncated.cal, 1 plate) is not applied, with a warning', () => {
  const dir = tempDir();
  symlinkSync(join(MAC, 'Gait.anc'), join(dir, 'Gait.anc'));
  symlinkSync(join(MAC, 'shd01_truncated.cal'), join(dir, 'GAIT.CAL')); // matched without regard to case
  const b = readSync(motionAnalysisAnc, sourceFile(join(dir, 'Gait.anc')));
  assert.match(b.warnings[1], /calibration GAIT\.CAL \(same name as the \.anc\) describes 1 plate, the file has force channels of plates 1, 2: not applied/);
  const t = onlyTrial(b);
  assert.equal(t.channels.length, 28);
  assert.equal(t.attributes!.cop_threshold, undefined);
});

test('ANC: a .cal the header names is used first; a damaged one is reported and skipped', () => {
  const dir = tempDir();
  const lines = readFileSync(join(MAC, 'Gait.anc'), 'latin1').split('\r\n');
  lines[4] = 'Calibration:\tC:\\EVaRT\\lab plates.cal';
  writeFileSync(join(dir, 'walk.anc'), lines.join('\r\n'), 'latin1');
  symlinkSync(join(MAC, 'Forcepla.cal'), join(dir, 'lab plates.cal'));
  writeFileSync(join(dir, 'walk.cal'), '1\r\n25 60.96\r\n');
  const t = onlyTrial(readSync(motionAnalysisAnc, sourceFile(join(dir, 'walk.anc'))));
  assert.equal(t.attributes!.calibration_source.value, 'lab plates.cal (named in the header)');
  assert.equal(t.channels.length, 28 + 18);

  lines[4] = '';
  writeFileSync(join(dir, 'walk.anc'), lines.join('\r\n'), 'latin1');
  const b = readSync(motionAnalysisAnc, sourceFile(join(dir, 'walk.anc')));
  assert.match(b.warnings.at(-1)!, /walk\.anc: calibration walk\.cal not used: walk\.cal line 2 field plate 1 scale and size: expected 3 values, found 2$/);
  assert.equal(onlyTrial(b).channels.length, 28);
});

test('ANC: truncated files and bad rows name file, line and field', () => {
  assert.throws(() => motionAnalysisAnc.read(sourceFile(join(MAC, 'Truncated.anc'))),
    inputError(/Truncated\.anc line 17: the file ends after 5 of the 5346 samples its header declares \(Duration\(Sec\.\) × PreciseRate \+ 1\): truncated$/));
  const gait = readFileSync(join(MAC, 'Gait.anc'), 'latin1');
  const lines = gait.split('\r\n');
  const edit = (n: number, f: (fields: string[]) => string[]) => () => readAnc(sourceFile('/x/Gait.anc', Buffer.from(lines.map((l, k) => (k === n - 1 ? f(l.split('\t')).join('\t') : l)).join('\r\n'), 'latin1')), null);
  assert.throws(edit(500, (f) => f.slice(0, 20)), inputError(/^\/x\/Gait\.anc line 500: expected 29 columns, found 20$/));
  assert.throws(edit(500, (f) => [...f.slice(0, 28), '7', '8', '']), inputError(/line 500: expected 29 columns, found 30/));
  assert.throws(edit(500, (f) => [f[0], f[1], 'abc', ...f.slice(3)]), inputError(/^\/x\/Gait\.anc line 500 field f1y: not a finite number: "abc"$/));
  assert.throws(edit(500, (f) => [f[0], f[1], f[2], 'NaN', ...f.slice(4)]), inputError(/line 500 field f1z: not a finite number: "NaN"/));
  assert.throws(edit(500, (f) => [f[0], '-Inf', ...f.slice(2)]), inputError(/line 500 field f1x: not a finite number: "-Inf"/));
  assert.throws(edit(500, (f) => [f[0], f[1], f[2], f[3], '2048', ...f.slice(5)]), inputError(/line 500 field m1x: 2048 is not a 12-bit A\/D count \(-2048 … 2047\)/));
  assert.throws(edit(500, (f) => [f[0], f[1], '1.5', ...f.slice(3)]), inputError(/line 500 field f1y: 1\.5 is not a 12-bit A\/D count/));
  assert.throws(edit(500, (f) => ['0.488400', ...f.slice(1)]), inputError(/line 500 field time: time 0\.4884 s is off the 1000 Hz grid \(expected 0\.488000 s\)/));
  assert.throws(edit(9, (f) => f.slice(0, 20)), inputError(/line 9 field Name: lists 19 channels, the header's #Channels says 28/));
  assert.throws(edit(10, (f) => [...f.slice(0, 5), '500', ...f.slice(6)]), inputError(/line 10 field Rate: channel m1y is sampled at 500 Hz, the file at 1000 Hz/));
  assert.throws(edit(11, (f) => [f[0], 'wide', ...f.slice(2)]), inputError(/line 11 field Range: column 2: not a finite number: "wide"/));
  assert.throws(edit(1, (f) => [f[0], f[1], f[2], '1']), inputError(/line 1 field Generation#: generation 1 ANC files are not supported/));
  assert.throws(edit(2, (f) => [f[0], f[1], f[2], 'Unipolar']), inputError(/line 2 field Polarity: polarity "Unipolar" is not supported/));
  assert.throws(edit(3, (f) => [...f.slice(0, 5), 'long', ...f.slice(6)]), inputError(/line 3 field Duration\(Sec\.\): not a finite number: "long"/));
  // Cut inside a row.
  const cut = gait.lastIndexOf('\t', gait.length - 30);
  assert.throws(() => readAnc(sourceFile('/x/Gait.anc', Buffer.from(gait.slice(0, cut), 'latin1')), null), inputError(/line 5357: expected 29 columns, found \d+/));
});

test('centreOfPressure moves the moments to the surface with the origin offset (M_s = M_o + F × o)', () => {
  const f = (...v: number[]) => Float64Array.from(v);
  // A vertical 100 N load at (30, −20) mm on the surface of a plate whose origin lies 40 mm below it, plus a
  // 10 N shear along x: about the origin, Mx = y·Fz − z·Fy and My = z·Fx − x·Fz with the point at z = −40 mm.
  // A pure force has no free moment: M_o = P × F with P = (30, −20, −40) mm, so Mz = Px·Fy − Py·Fx = 200 N·mm.
  const w = { fx: f(10), fy: f(0), fz: f(100), mx: f(-20 * 100), my: f(-40 * 10 - 30 * 100), mz: f(200) };
  const cop = centreOfPressure(w, [0, 0, -40]);
  assert.deepEqual([cop.copX[0], cop.copY[0], cop.tz[0], cop.contactSamples], [30, -20, 0, 1]);
  // Without the offset the shear's moment arm is missed: COPx is off by 40 mm × Fx/Fz = 4 mm.
  assert.equal(centreOfPressure(w, [0, 0, 0]).copX[0], 34);
});

// ------------------------------------------------------------------------------------------ fuzz


const TOKENS = ['NaN', 'Inf', '-Infinity', '1e999', '1e38', '3.5e38', '-0', '', '\t', '\n', '\r\n', '\r', ',', '999999999999999', 'abc', '0x10', '1.2.3', '--5', '\0'];
const BYTES = [9, 10, 13, 32, 44, 45, 46, 48, 49, 53, 57, 97, 101, 78, 0, 255, 0x7f, 0xc0];

function mutate(bytes: Buffer, rnd: () => number, binary: boolean): Buffer {
  const n = bytes.length;
  // Half the edits hit the first 2 KiB, where the header lives.
  const at = () => Math.floor((rnd() < 0.5 ? Math.min(n, 2048) : n) * rnd());
  const kind = Math.floor(rnd() * (binary ? 5 : 7));
  switch (kind) {
    case 0: return bytes.subarray(0, at());
    case 1: { const p = at(); return Buffer.concat([bytes.subarray(0, p), bytes.subarray(Math.min(n, p + 1 + Math.floor(rnd() * 64)))]); }
    case 2: { const b = Buffer.from(bytes); for (let k = 1 + Math.floor(rnd() * 4); k > 0; k--) b[at()] = binary ? Math.floor(rnd() * 256) : BYTES[Math.floor(rnd() * BYTES.length)]; return b; }
    case 3: { const p = at(); return Buffer.concat([bytes.subarray(0, p), Buffer.from(TOKENS[Math.floor(rnd() * TOKENS.length)], 'latin1'), bytes.subarray(p)]); }
    case 4: {
      if (!binary) { const p = at(); const e = bytes.indexOf(10, p); return e < 0 ? bytes : Buffer.concat([bytes.subarray(0, e + 1), bytes.subarray(p, e + 1), bytes.subarray(e + 1)]); }
      const b = Buffer.from(bytes); const p = at() & ~3; if (p + 4 <= n) b.writeFloatLE([NaN, Infinity, 3e38, -1, 0][Math.floor(rnd() * 5)], p); return b;
    }
    case 5: { const p = at(); const s = bytes.lastIndexOf(10, p); const e = bytes.indexOf(10, p); return e < 0 ? bytes.subarray(0, Math.max(0, s)) : Buffer.concat([bytes.subarray(0, s + 1), bytes.subarray(e + 1)]); }
    default: { const p = at(); const q = at(); const b = Buffer.from(bytes); [b[p], b[q]] = [b[q], b[p]]; return b; }
  }
}

/** A batch the store can take: float32 samples all finite, rates positive, one clock length per trial. */
function assertValidBatch(batch: ImportBatch, what: string): void {
  assert.ok(typeof batch.format === 'string' && Array.isArray(batch.warnings), what);
  for (const s of batch.sessions) for (const t of s.trials) {
    const names = new Set<string>();
    for (const c of t.channels) {
      assert.ok(c.samples instanceof Float32Array, `${what}: ${c.name} not float32`);
      // NaN marks an undefined COP or Tz outside contact; nothing else may be non-finite.
      assert.ok(c.samples.every((v) => Number.isFinite(v) || (Number.isNaN(v) && /_(COPx|COPy|Tz)$/.test(c.name))), `${what}: ${c.name} has a non-finite sample`);
      assert.ok(c.rateHz !== null && c.rateHz > 0 && Number.isFinite(c.rateHz), `${what}: ${c.name} rate ${c.rateHz}`);
      if (t.deviceTimeS) assert.equal(c.samples.length, t.deviceTimeS.length, `${what}: ${c.name} length`);
      assert.ok(!names.has(c.name), `${what}: duplicate ${c.name}`);
      names.add(c.name);
    }
    for (const e of t.events ?? []) assert.ok(Number.isFinite(e.timeS), `${what}: event time`);
    for (const [k, v] of Object.entries(t.attributes ?? {})) assert.ok(typeof v.value === 'string' || v.value === null || Number.isFinite(v.value), `${what}: attribute ${k}`);
  }
}

const FUZZ: [string, (f: SourceFile) => ImportBatch | Promise<ImportBatch>, number][] = (() => {
  const forcepla = parseForcePlateCalibration('Forcepla.cal', readFileSync(join(MAC, 'Forcepla.cal')));
  const calibrated = (f: SourceFile) => readAnc(f, { name: 'Forcepla.cal', plates: forcepla });
  return [
    [join(AMTI, 'Trial1-FxFyFzMxMyMz.asc'), amtiAsc.read, 400],
    [join(KISTLER, 'kistler_CMJ_1plate.txt'), kistlerBiowareText.read, 60],
    [join(KISTLER, 'kistler_DJ_2plates.txt'), kistlerBiowareText.read, 40],
    [join(KISTLER, 'kistler_COP.txt'), kistlerBiowareText.read, 300],
    [join(KISTLER, 'DLL1.dat'), kistlerBiowareDat.read, 400],
    [join(KISTLER, 'BioWare17.dat'), kistlerBiowareDat.read, 60],
    [join(MAC, 'Gait.anc'), calibrated, 40],
    [join(MAC, 'Res16bits.anc'), (f) => readAnc(f, null), 60],
    [join(MAC, 'Forcepla.cal'), motionAnalysisCal.read, 400],
    [join(MAC, 'forcepla6.cal'), motionAnalysisCal.read, 300],
  ];
})();

test('fuzz: truncated and mutated corpus files give an InputError or a valid batch, never another error or a hang', { timeout: 120_000 }, async () => {
  let inputErrors = 0, batches = 0;
  for (const [k, [path, read, runs]] of FUZZ.entries()) {
    const original = readFileSync(path);
    const binary = path.endsWith('.dat');
    const rnd = random(0x5eed + k);
    for (let run = 0; run < runs; run++) {
      const bytes = mutate(original, rnd, binary);
      // Outside any folder with a .cal beside it: the companion search finds nothing to read.
      const file = sourceFile(`/nonexistent-fuzz/${basename(path)}`, bytes);
      const what = `${basename(path)} run ${run} (seed ${0x5eed + k})`;
      for (const m of MODULES) {
        const score = m.detect(file.name, bytes.subarray(0, 64 * 1024));
        assert.ok(score >= 0 && score <= 1, `${what}: ${m.id} detect ${score}`);
      }
      const started = performance.now();
      try {
        assertValidBatch(await read(file), what);
        batches++;
      } catch (e) {
        if (e instanceof assert.AssertionError) throw e;
        assert.ok(e instanceof InputError, `${what}: ${(e as Error).stack}`);
        assert.ok(e.file === file.path || /\.cal$/.test(e.file), `${what}: error names ${e.file}`);
        inputErrors++;
      }
      assert.ok(performance.now() - started < 5000, `${what}: took ${performance.now() - started} ms`);
    }
  }
  assert.ok(inputErrors > 100 && batches > 100, `both outcomes exercised (${inputErrors} errors, ${batches} batches)`);
});
