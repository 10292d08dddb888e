import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { readVoisardEvents, readXsensSignal, voisardEvents, xsensVoisardSignal, VOISARD_RATE_HZ } from '../../../src-main/formats/xsens-voisard';
import { readHead, readSourceFile } from '../../../src-main/formats/source-file';
import { openDatabase } from '../../../src-main/store/db';
import { writeImportBatch, type EncodedBlob } from '../../../src-main/store/import-writer';
import { encodeFloat32, encodeFloat64 } from '../../../src-main/store/sample-codec';
import type { ImportBatch, ImportedChannel, ImportedEvent, ImportedTrial } from '../../../src-shared/domain/import-batch';
import { tempDir } from '../../helpers';
import { assertInputError, assertValidBatch, data, fuzz, mean, median, sourceOf } from './wearable-helpers';

const healthy = (name: string) => data('voisard2023-ipol-imu-healthy', 'healthy', name);
const impaired = (...parts: string[]) => data('voisard2023-ipol-imu-healthy', 'impaired', ...parts);
const TRIALS = ['1-1', '1-2', '2-1', '5-1', '10-1', '19-1'];
/** README "Reference facts": [TO, HS] pairs (= initial contacts) per foot, left / right. */
const STEPS: Record<string, [number, number]> = { '1-1': [17, 18], '1-2': [16, 17], '2-1': [16, 17], '5-1': [19, 19], '10-1': [17, 16], '19-1': [18, 17] };
const RAD = 180 / Math.PI;

async function signal(path: string): Promise<{ batch: ImportBatch; trial: ImportedTrial }> {
  const batch = readXsensSignal(await readSourceFile(path));
  return { batch, trial: batch.sessions[0].trials[0] };
}
async function events(path: string): Promise<{ batch: ImportBatch; trial: ImportedTrial }> {
  const batch = readVoisardEvents(await readSourceFile(path));
  return { batch, trial: batch.sessions[0].trials[0] };
}
const channel = (t: ImportedTrial, name: string) => {
  const c = t.channels.find((ch) => ch.name === name);
  assert.ok(c, `no channel ${name}`);
  return c;
};
/** The file's data rows, split into fields (header on line 2). */
const rowsOf = (path: string) => readFileSync(path, 'latin1').split('\n').slice(2).filter((l) => l !== '').map((l) => l.split('\t').map(Number));
const sampleOf = (e: ImportedEvent) => Math.round(e.timeS * VOISARD_RATE_HZ);

test('detects sensor files and event files by content; neither claims the other, nor other data sets', () => {
  assert.equal(xsensVoisardSignal.detect('1-1_lf.txt', readHead(healthy('1-1_lf.txt'))), 1);
  assert.equal(xsensVoisardSignal.detect('foot.txt', readHead(healthy('1-1_lf.txt'))), 0.6);
  assert.equal(xsensVoisardSignal.detect('M0_edss_6_lb.txt', readHead(impaired('multiple_sclerosis', 'M0_edss_6_lb.txt.gz'))), 1);
  assert.equal(xsensVoisardSignal.detect('M0_pre_chir_lb.txt', readHead(impaired('equino_varus_foot', 'M0_pre_chir_lb.txt.gz'))), 1);
  assert.equal(voisardEvents.detect('1-1.json', readHead(healthy('1-1.json'))), 1);
  assert.equal(voisardEvents.detect('M0_edss_6_ge.json', readHead(impaired('multiple_sclerosis', 'M0_edss_6_ge.json'))), 1);
  assert.equal(voisardEvents.detect('1-1_lf.txt', readHead(healthy('1-1_lf.txt'))), 0);
  assert.equal(xsensVoisardSignal.detect('1-1.json', readHead(healthy('1-1.json'))), 0);
  for (const other of [data('gaitpdb', 'GaCo01_01.txt.gz'), data('hugadb', 'HuGaDB_v1_walking_10_03.txt'), data('daphnet-fog', 'S01R02.txt.gz')]) {
    assert.equal(xsensVoisardSignal.detect('x_lf.txt', readHead(other)), 0, other);
    assert.equal(voisardEvents.detect('x.json', readHead(other)), 0, other);
  }
  // Events must reach the store with the trial they create, so the JSON is imported before the sensor files.
  assert.ok(voisardEvents.order < xsensVoisardSignal.order);
});

test('the six healthy trials: annotated initial and final contacts per foot as in the README, at index / 100 s', async () => {
  let total = 0;
  for (const code of TRIALS) {
    const { batch, trial } = await events(healthy(`${code}.json`));
    assertValidBatch(batch, { allowNoChannels: true });
    assert.deepEqual(batch.warnings, []);
    assert.equal(trial.key, code);
    assert.equal(batch.subjects[0].key, code.split('-')[0]);
    const doc = JSON.parse(readFileSync(healthy(`${code}.json`), 'utf8').replace(/NaN/g, 'null'));
    const [left, right] = STEPS[code];
    const count = (label: string, side: string) => trial.events!.filter((e) => e.label === label && e.side === side).length;
    assert.deepEqual([count('initial_contact', 'left'), count('initial_contact', 'right')], [left, right], code);
    assert.deepEqual([count('final_contact', 'left'), count('final_contact', 'right')], [left, right], code);
    for (const e of trial.events!) assert.equal(e.source, 'annotation');
    // Every event time is its JSON index / 100 Hz exactly, TO → final contact, HS → initial contact.
    for (const [key, side] of [['LeftFootEvents', 'left'], ['RightFootEvents', 'right']] as const) {
      const ic = trial.events!.filter((e) => e.label === 'initial_contact' && e.side === side);
      const fc = trial.events!.filter((e) => e.label === 'final_contact' && e.side === side);
      (doc[key] as [number, number][]).forEach(([to, hs], k) => {
        assert.equal(fc[k].timeS, to / 100);
        assert.equal(ic[k].timeS, hs / 100);
        assert.equal(sampleOf(ic[k]), hs);
      });
    }
    const at = (label: string) => trial.events!.find((e) => e.label === label)!.timeS;
    assert.deepEqual([at('gait_start'), at('gait_end')], doc.TrialBoundaries.map((i: number) => i / 100));
    assert.deepEqual([at('uturn_start'), at('uturn_end')], doc.UTurnBoundaries.map((i: number) => i / 100));
    total += left + right;
  }
  assert.equal(total, 207);
});

test('README first pairs: 1-1 right [459, 507] and left [527, 574]; 2-1 left [578, 633], right [518, 559]; 10-1 left [432, 473], right [493, 533]', async () => {
  const firsts = async (code: string) => {
    const { trial } = await events(healthy(`${code}.json`));
    const first = (label: string, side: string) => sampleOf(trial.events!.find((e) => e.label === label && e.side === side)!);
    return { left: [first('final_contact', 'left'), first('initial_contact', 'left')], right: [first('final_contact', 'right'), first('initial_contact', 'right')] };
  };
  assert.deepEqual(await firsts('1-1'), { left: [527, 574], right: [459, 507] });
  assert.deepEqual(await firsts('2-1'), { left: [578, 633], right: [518, 559] });
  assert.deepEqual(await firsts('10-1'), { left: [432, 473], right: [493, 533] });
  const { trial } = await events(healthy('1-1.json'));
  assert.deepEqual(trial.events!.filter((e) => e.side === null).map((e) => [e.label, e.timeS]), [['gait_start', 4.59], ['uturn_start', 13.16], ['uturn_end', 14.74], ['gait_end', 24.64]]);
});

test('subject data from the JSON: cm → m, bare NaN (2-1 Weight, 10-1 Height and Weight) read as missing', async () => {
  const s11 = (await events(healthy('1-1.json'))).batch.subjects[0];
  assert.deepEqual(s11, { key: '1', cohort: 'voisard2023', group: 'healthy', sex: 'female', attributes: { age: { value: 49, unit: 'years' }, height: { value: 1.75, unit: 'm' }, weight: { value: 75, unit: 'kg' } } });
  const s2 = (await events(healthy('2-1.json'))).batch.subjects[0];
  assert.deepEqual(s2.attributes, { age: { value: 60, unit: 'years' }, height: { value: 1.67, unit: 'm' } });
  const s10 = (await events(healthy('10-1.json'))).batch.subjects[0];
  assert.deepEqual([s10.sex, s10.attributes], ['female', { age: { value: 66, unit: 'years' } }]);
});

test('time base: sample k of a channel is row k (PacketCounter − first) up to the last annotated event, so event index = sample index', async () => {
  for (const code of TRIALS) {
    const ev = (await events(healthy(`${code}.json`))).trial.events!;
    const lastEvent = Math.max(...ev.map(sampleOf));
    for (const [suffix, prefix, side] of [['lf', 'left_foot', 'left'], ['rf', 'right_foot', 'right'], ['lb', 'lower_back', null]] as const) {
      const rows = rowsOf(healthy(`${code}_${suffix}.txt`));
      for (let k = 0; k <= lastEvent; k++) assert.equal(rows[k][0] - rows[0][0], k, `${code}_${suffix} row ${k}`);
      const { trial } = await signal(healthy(`${code}_${suffix}.txt`));
      const gyroY = channel(trial, `${prefix}_gyro_y`).samples;
      const accX = channel(trial, `${prefix}_acc_x`).samples;
      // At every annotated event of this foot, the imported sample is that row of the file.
      for (const e of ev.filter((x) => x.side === side || side === null)) {
        const k = sampleOf(e);
        assert.equal(gyroY[k], Math.fround(rows[k][5] * RAD), `${code} ${e.label} ${k}`);
        assert.equal(accX[k], Math.fround(rows[k][1]));
      }
    }
  }
});

test('the annotated [toe-off, heel-strike] spans are the swings: foot angular speed is > 1.5× higher inside them, in all 12 feet', async () => {
  for (const code of TRIALS) {
    const ev = (await events(healthy(`${code}.json`))).trial.events!;
    const walk = [sampleOf(ev.find((e) => e.label === 'gait_start')!), sampleOf(ev.find((e) => e.label === 'gait_end')!)];
    for (const [suffix, prefix, side] of [['lf', 'left_foot', 'left'], ['rf', 'right_foot', 'right']] as const) {
      const { trial } = await signal(healthy(`${code}_${suffix}.txt`));
      const [x, y, z] = ['x', 'y', 'z'].map((a) => channel(trial, `${prefix}_gyro_${a}`).samples);
      const swing = new Uint8Array(x.length);
      const fc = ev.filter((e) => e.side === side && e.label === 'final_contact').map(sampleOf);
      const ic = ev.filter((e) => e.side === side && e.label === 'initial_contact').map(sampleOf);
      fc.forEach((to, k) => swing.fill(1, to, ic[k] + 1));
      const inside: number[] = [], outside: number[] = [];
      for (let k = walk[0]; k < walk[1]; k++) (swing[k] ? inside : outside).push(Math.hypot(x[k], y[k], z[k]));
      const ratio = mean(inside) / mean(outside);
      assert.ok(ratio > 1.5 && ratio < 3, `${code} ${side}: ${ratio}`);
    }
  }
});

test('sensor files: 1-1 rows 2913 each, channels in m/s², deg/s (from rad/s), a.u.; README Acc_X means; gravity at rest', async () => {
  const means: Record<string, number> = { lb: 8.3741, lf: 7.3217, rf: 7.8987 };
  const lengths: Record<string, number> = { lb: 3037, lf: 2999, rf: 3045 }; // last PacketCounter + 1
  for (const [suffix, prefix, side] of [['lb', 'lower_back', null], ['lf', 'left_foot', 'left'], ['rf', 'right_foot', 'right']] as const) {
    const { batch, trial } = await signal(healthy(`1-1_${suffix}.txt`));
    assertValidBatch(batch);
    assert.deepEqual([batch.subjects[0].key, batch.sessions[0].key, trial.key], ['1', 'gait-protocol', '1-1']);
    assert.deepEqual(trial.channels.map((c) => c.name.slice(prefix.length + 1)), ['acc_x', 'acc_y', 'acc_z', 'gyro_x', 'gyro_y', 'gyro_z', 'mag_x', 'mag_y', 'mag_z']);
    assert.deepEqual([...new Set(trial.channels.map((c) => c.unit))], ['m/s²', 'deg/s', 'a.u.']);
    for (const c of trial.channels) {
      assert.deepEqual([c.rateHz, c.side, c.samples.length], [100, side, lengths[suffix]]);
      assert.equal(c.samples.filter((v) => !Number.isNaN(v)).length, 2913); // the file's rows; the rest are dropped packets
    }
    assert.ok(Math.abs(mean(channel(trial, `${prefix}_acc_x`).samples) - means[suffix]) < 1e-4);
    const rest = Array.from({ length: 100 }, (_, k) => Math.hypot(...['x', 'y', 'z'].map((a) => channel(trial, `${prefix}_acc_${a}`).samples[k])));
    assert.ok(Math.abs(median(rest) - 9.81) < 0.5, `${suffix}: |acc| at rest ${median(rest)}`);
    assert.equal(trial.attributes![`${prefix}_sample_rate`].value, 100);
    assert.equal(trial.attributes![`${prefix}_device`].value, 'Xsens MTw Awinda');
  }
  // README: 1-1 rf at rest (5.64, −2.48, 7.71) m/s²; first row of the file exactly.
  const rf = (await signal(healthy('1-1_rf.txt'))).trial;
  const row0 = rowsOf(healthy('1-1_rf.txt'))[0];
  assert.deepEqual(['acc_x', 'acc_y', 'acc_z', 'gyro_x', 'mag_x'].map((s) => channel(rf, `right_foot_${s}`).samples[0]), [row0[1], row0[2], row0[3], row0[4] * RAD, row0[7]].map(Math.fround));
});

test('dropped packets: 19-1 rows 3464 / 3491 / 3499 all end near packet 3752; the gaps are NaN, counted, and come after the walk', async () => {
  const expected: Record<string, { rows: number; jumps: number }> = { lb: { rows: 3464, jumps: 181 }, lf: { rows: 3491, jumps: 172 }, rf: { rows: 3499, jumps: 173 } };
  for (const suffix of ['lb', 'lf', 'rf'] as const) {
    const { batch, trial } = await signal(healthy(`19-1_${suffix}.txt`));
    const c = trial.channels[0];
    const rows = rowsOf(healthy(`19-1_${suffix}.txt`));
    assert.equal(rows.length, expected[suffix].rows);
    assert.equal(c.samples.length, rows[rows.length - 1][0] - rows[0][0] + 1);
    assert.ok(Math.abs(c.samples.length - 3753) <= 1);
    const prefix = c.name.replace(/_acc_x$/, '');
    assert.equal(trial.attributes![`${prefix}_packet_jumps`].value, expected[suffix].jumps);
    assert.equal(trial.attributes![`${prefix}_missing_packets`].value, c.samples.length - rows.length);
    const firstNaN = c.samples.findIndex((v) => Number.isNaN(v));
    assert.ok(firstNaN > 2668, `first missing sample ${firstNaN} is after TrialBoundaries[1] = 2668`);
    assert.ok(batch.warnings.some((w) => /jumps of PacketCounter/.test(w)));
  }
  const noGaps = await signal(healthy('10-1_lf.txt'));
  assert.deepEqual(noGaps.batch.warnings, []);
  assert.equal(noGaps.trial.channels[0].samples.length, 2389);
});

test('MT Manager\'s "// Start Time:" dates the session; "Unknown" leaves it to the import, another spelling is named', () => {
  // The real export (its device had no UTC time: "Start Time: Unknown"), and the same file with a start time stated.
  const text = gunzipSync(readFileSync(impaired('equino_varus_foot', 'M0_pre_chir_lb.txt.gz'))).toString('latin1');
  assert.ok(text.startsWith('// Start Time: Unknown\r\n') || text.startsWith('// Start Time: Unknown\n'), JSON.stringify(text.slice(0, 40)));
  const as = (line: string) => readXsensSignal(sourceOf(Buffer.from(text.replace('// Start Time: Unknown', line), 'latin1'), 'M0_pre_chir_lb.txt'));
  const unknown = as('// Start Time: Unknown');
  assert.deepEqual([unknown.sessions[0].date, unknown.warnings, unknown.sessions[0].trials[0].attributes!.lower_back_start_time], [null, [], { value: 'Unknown' }]);
  assert.equal(as('// Start Time: 2021-06-09 14:03:12.250').sessions[0].date, '2021-06-09');
  assert.equal(as('// Start Time: 2021/06/09').sessions[0].date, '2021-06-09');
  const odd = as('// Start Time: 09.06.2021 14:03');
  assert.equal(odd.sessions[0].date, null);
  assert.deepEqual(odd.warnings, ['/in/M0_pre_chir_lb.txt: Start Time "09.06.2021 14:03" not understood; the session date is left to the import']);
  assert.equal(as('// Start Time: 2021-02-30 10:00').sessions[0].date, null, 'no such day');
  // MT Manager's UTC Time output: UTC_Year/Month/Day columns on every row (here on the file's first 100 rows).
  const lines = text.split(/\r?\n/).filter((l) => l !== '').slice(0, 105);
  const header = lines.findIndex((l) => l.startsWith('PacketCounter'));
  const utc = lines.map((l, i) => (i < header ? l : `${l}\t${i === header ? 'UTC_Year\tUTC_Month\tUTC_Day' : '2021\t6\t9'}`)).join('\n');
  const stamped = readXsensSignal(sourceOf(Buffer.from(utc, 'latin1'), 'M0_pre_chir_lb.txt'));
  assert.equal(stamped.sessions[0].date, '2021-06-09');
  assert.ok(!stamped.sessions[0].trials[0].channels.some((c) => /utc/i.test(c.name)), 'clock columns are no signals');
});

test('impaired examples: MT Manager exports with empty columns; MP-DTW events kept apart from annotations', async () => {
  const ms = await signal(impaired('multiple_sclerosis', 'M0_edss_6_lb.txt.gz'));
  assertValidBatch(ms.batch);
  assert.deepEqual([ms.batch.subjects[0].key, ms.batch.subjects[0].group, ms.trial.key], ['M0_edss_6', 'multiple sclerosis', 'M0_edss_6']);
  assert.equal(ms.trial.channels.length, 31); // 39 columns − PacketCounter, SampleTimeFine and 6 empty HR columns
  assert.equal(ms.trial.channels[0].samples.length, 8524);
  assert.ok(Math.abs(mean(channel(ms.trial, 'lower_back_acc_x').samples) - 9.0111) < 1e-4);
  assert.deepEqual([channel(ms.trial, 'lower_back_roll').unit, channel(ms.trial, 'lower_back_vel_inc_x').unit, channel(ms.trial, 'lower_back_rot_matrix_33').unit], ['deg', 'm/s', '']);
  assert.equal(ms.trial.attributes!.lower_back_device.value, 'MTW2-3A7G6 00B412BB');
  assert.equal(ms.trial.attributes!.lower_back_firmware.value, '4.0.2');
  assert.equal(ms.trial.attributes!.lower_back_empty_columns.value, 'AccHR_X AccHR_Y AccHR_Z GyrHR_X GyrHR_Y GyrHR_Z');
  assert.ok(ms.batch.warnings.some((w) => /states no sample rate; 100 Hz assumed/.test(w)));
  const pc = await signal(impaired('equino_varus_foot', 'M0_pre_chir_lb.txt.gz'));
  assert.deepEqual(pc.batch.warnings, []); // "Update Rate: 100.0Hz"
  assert.equal(pc.trial.channels[0].samples.length, 6363);
  assert.ok(Math.abs(mean(channel(pc.trial, 'lower_back_acc_x').samples) - -9.323) < 1e-4);

  const msEvents = (await events(impaired('multiple_sclerosis', 'M0_edss_6_ge.json'))).trial.events!;
  const n = (label: string, side: string | null) => msEvents.filter((e) => e.label === label && e.side === side).length;
  assert.deepEqual([n('initial_contact', 'left'), n('initial_contact', 'right')], [32, 32]);
  assert.ok(msEvents.every((e) => e.source === 'algorithm:mpdtw'));
  const t = (label: string) => msEvents.find((e) => e.label === label)!.timeS;
  assert.deepEqual([t('gait_start'), t('gait_end'), t('uturn_start'), t('uturn_end')], [5.16, 81.08, 41.02, 46.7]);
  assert.deepEqual(msEvents.filter((e) => e.side === 'left').slice(0, 2).map(sampleOf), [615, 675]);
  const pcEvents = (await events(impaired('equino_varus_foot', 'M0_pre_chir_ge.json'))).trial.events!;
  assert.deepEqual([pcEvents.filter((e) => e.label === 'initial_contact' && e.side === 'left').length, pcEvents.filter((e) => e.label === 'initial_contact' && e.side === 'right').length], [37, 56]);
  assert.deepEqual(['gait_start', 'gait_end', 'uturn_start', 'uturn_end'].map((l) => sampleOf(pcEvents.find((e) => e.label === l)!)), [514, 5855, 3013, 3513]);
});

test('stored together: the JSON and the three sensor files make one trial with 27 channels and the 74 events of 1-1', async () => {
  const db = openDatabase(join(tempDir(), 'voisard.db'));
  const importId = Number(db.prepare('INSERT INTO imports (started_at, actor, paths) VALUES (?, ?, ?)').run(new Date().toISOString(), 'test', '[]').lastInsertRowid);
  const files = [{ path: healthy('1-1.json'), read: readVoisardEvents, format: voisardEvents }, ...['lb', 'lf', 'rf'].map((s) => ({ path: healthy(`1-1_${s}.txt`), read: readXsensSignal, format: xsensVoisardSignal }))]
    .sort((a, b) => a.format.order - b.format.order); // as the import service plans them
  for (const f of files) {
    const source = await readSourceFile(f.path);
    const batch = f.read(source);
    const blobs = new Map<ImportedChannel, EncodedBlob>();
    const clocks = new Map<Float64Array, EncodedBlob>();
    for (const t of batch.sessions[0].trials) {
      for (const c of t.channels) blobs.set(c, { encoding: 'f32-deflate', blob: encodeFloat32(c.samples) });
      if (t.deviceTimeS) clocks.set(t.deviceTimeS, { encoding: 'f64-shuffle-deflate', blob: encodeFloat64(t.deviceTimeS) });
    }
    db.transaction(() => writeImportBatch(db, 'test', importId, { name: source.name, sha256: source.sha256, format: f.format.id, bytes: source.bytes.length, path: f.path }, batch, blobs, clocks))();
  }
  assert.equal((db.prepare('SELECT COUNT(*) AS n FROM trials').get() as { n: number }).n, 1);
  assert.equal((db.prepare('SELECT COUNT(*) AS n FROM signals').get() as { n: number }).n, 27);
  const stored = db.prepare("SELECT label, side, COUNT(*) AS n FROM gait_events WHERE source = 'annotation' GROUP BY label, side ORDER BY label, side").all();
  assert.deepEqual(stored.map((r: any) => [r.label, r.side, r.n]), [
    ['final_contact', 'left', 17], ['final_contact', 'right', 18], ['gait_end', null, 1], ['gait_start', null, 1],
    ['initial_contact', 'left', 17], ['initial_contact', 'right', 18], ['uturn_end', null, 1], ['uturn_start', null, 1]]);
  db.close();
});

// ---- bad input ----

test('bad sensor files are InputErrors naming file, line and field', async () => {
  const lines = readFileSync(healthy('1-1_lf.txt'), 'latin1').split('\n').slice(0, 300);
  const f = '/in/1-1_lf.txt';
  const read = (ls: string[]) => () => readXsensSignal(sourceOf(Buffer.from(ls.join('\n') + '\n', 'latin1'), '1-1_lf.txt'));
  const edit = (lineNo: number, col: number, value: string) => lines.map((l, i) => (i === lineNo - 1 ? l.split('\t').map((v, c) => (c === col ? value : v)).join('\t') : l));
  await assertInputError(() => readXsensSignal(sourceOf(Buffer.from(lines.join('\n').slice(0, -20), 'latin1'), '1-1_lf.txt')), { file: f, line: 300, reason: /expected 10 columns, found \d/ });
  await assertInputError(read(lines.map((l, i) => (i === 49 ? l.split('\t').slice(0, 9).join('\t') : l))), { file: f, line: 50, reason: /expected 10 columns, found 9/ });
  await assertInputError(read(edit(60, 5, '0.1x')), { file: f, line: 60, field: 'Gyr_Y', reason: /not a finite number: "0.1x"/ });
  await assertInputError(read(edit(61, 1, 'NaN')), { file: f, line: 61, field: 'Acc_X', reason: /not a finite number/ });
  await assertInputError(read(edit(62, 9, 'inf')), { file: f, line: 62, field: 'Mag_Z', reason: /infinite value/ });
  await assertInputError(read(edit(70, 0, '3.0')), { file: f, line: 70, field: 'PacketCounter', reason: /goes from 66 to 3/ });
  await assertInputError(read(edit(70, 0, '5000.0')), { file: f, line: 70, field: 'PacketCounter', reason: /more than 1000 packets missing/ });
  await assertInputError(read(edit(70, 0, '67.5')), { file: f, line: 70, field: 'PacketCounter', reason: /not a non-negative integer/ });
  await assertInputError(read([lines[0], ...lines.slice(2)]), { file: f, field: 'PacketCounter', reason: /no header line/ });
  await assertInputError(read(['Acquisition frequency: 0 Hz', ...lines.slice(1)]), { file: f, line: 1, field: 'rate' });
  await assertInputError(() => readXsensSignal(sourceOf(Buffer.from(lines.join('\n')), 'left.txt')), { file: '/in/left.txt', field: 'file name' });
});

test('bad event files are InputErrors naming file, line and field', async () => {
  const text = readFileSync(healthy('1-1.json'), 'utf8');
  const f = '/in/1-1.json';
  const read = (t: string) => () => readVoisardEvents(sourceOf(Buffer.from(t), '1-1.json'));
  await assertInputError(read(text.slice(0, 300)), { file: f, line: 1, reason: /not valid JSON/ });
  await assertInputError(read(text.replace('[527, 574]', '[574, 527]')), { file: f, line: 1, field: 'LeftFootEvents[0]', reason: /toe-off 574 is not before heel strike 527/ });
  await assertInputError(read(text.replace('[527, 574]', '[527, "x"]')), { file: f, field: 'LeftFootEvents[0]' });
  await assertInputError(read(text.replace('[459, 507]', '[459.5, 507]')), { file: f, field: 'RightFootEvents[0]' });
  await assertInputError(read(text.replace('"RightFootEvents": [', '"RightFootEvents": {"a": [').replace(/]]}$/, ']]}}')), { file: f, field: 'RightFootEvents' });
  await assertInputError(read(text.replace('"TrialBoundaries": [459, 2464]', '"TrialBoundaries": [2464, 459]')), { file: f, field: 'TrialBoundaries' });
  await assertInputError(read(text.replace('"Subject": 1,', '"Subject": 2,')), { file: f, field: 'Subject' });
  const multiline = text.replace(/, "/g, ',\n"').replace('"Height": 175.0', '"Height": 175.0.5');
  await assertInputError(read(multiline), { file: f, line: 6, reason: /not valid JSON/ }); // "Height" is on line 6
});

test('fuzz: damaged copies of sensor and event files give an InputError or a valid batch, never another error', { timeout: 120_000 }, async () => {
  const head = (path: string, n: number) => {
    const raw = readFileSync(path);
    return Buffer.from((path.endsWith('.gz') ? gunzipSync(raw) : raw).toString('latin1').split('\n').slice(0, n).join('\n') + '\n', 'latin1');
  };
  const signals = [
    { name: '1-1_lf.txt', bytes: head(healthy('1-1_lf.txt'), 400) },
    { name: '19-1_rf.txt', bytes: Buffer.from(readFileSync(healthy('19-1_rf.txt'), 'latin1').split('\n').slice(0, 2).concat(readFileSync(healthy('19-1_rf.txt'), 'latin1').split('\n').slice(2900, 3100)).join('\n') + '\n', 'latin1') },
    { name: 'M0_edss_6_lb.txt', bytes: head(impaired('multiple_sclerosis', 'M0_edss_6_lb.txt.gz'), 200) },
    { name: 'M0_pre_chir_lb.txt', bytes: head(impaired('equino_varus_foot', 'M0_pre_chir_lb.txt.gz'), 200) },
    // Short files, so that the preamble and header lines take many of the hits.
    { name: '2-1_rf.txt', bytes: head(healthy('2-1_rf.txt'), 8) },
    { name: 'M0_edss_6_lb.txt', bytes: head(impaired('multiple_sclerosis', 'M0_edss_6_lb.txt.gz'), 18) },
  ];
  const r1 = await fuzz(readXsensSignal, signals, 3000, 497);
  assert.ok(r1.ok >= 20 && r1.inputErrors >= 300, JSON.stringify(r1));
  const jsons = ['1-1.json', '10-1.json'].map((n) => ({ name: n, bytes: readFileSync(healthy(n)) }))
    .concat([{ name: 'M0_edss_6_ge.json', bytes: readFileSync(impaired('multiple_sclerosis', 'M0_edss_6_ge.json')) }]);
  const r2 = await fuzz(readVoisardEvents, jsons, 1500, 2023, { allowNoChannels: true });
  assert.ok(r2.ok >= 20 && r2.inputErrors >= 300, JSON.stringify(r2));
});
