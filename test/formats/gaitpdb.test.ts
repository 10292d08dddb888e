import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { gaitpdbWalk } from '../../src-main/formats/gaitpdb-walk';
import { gaitpdbDemographics } from '../../src-main/formats/gaitpdb-demographics';
import { readSourceFile, readHead } from '../../src-main/formats/source-file';
import { detectFormat } from '../../src-main/formats/registry';
import { InputError } from '../../src-shared/domain/errors';
import { sharedData } from '../helpers';

const physionetSums = new Map(readFileSync(sharedData('gaitpdb', 'SHA256SUMS.txt'), 'utf8').trim().split('\n').map((l) => {
  const [hash, name] = l.trim().split(' ');
  return [name, hash] as const;
}));

test('a .gz walk reads as its original bytes: the hash equals PhysioNet\'s SHA256SUMS.txt', async () => {
  const f = await readSourceFile(sharedData('gaitpdb', 'GaCo01_01.txt.gz'));
  assert.equal(f.name, 'GaCo01_01.txt');
  assert.equal(f.sha256, physionetSums.get('GaCo01_01.txt'));
});

test('detects walks and demographics by content, with or without their usual names', () => {
  const head = readHead(sharedData('gaitpdb', 'GaCo01_01.txt.gz'));
  assert.equal(detectFormat('GaCo01_01.txt', head)?.id, 'gaitpdb-walk');
  assert.equal(detectFormat('renamed.txt', head)?.id, 'gaitpdb-walk');
  assert.equal(detectFormat('subjects.tsv', readHead(sharedData('gaitpdb', 'demographics.txt')))?.id, 'gaitpdb-demographics');
  assert.equal(detectFormat('format.txt', readHead(sharedData('gaitpdb', 'format.txt'))), null);
});

test('GaCo01_01: 12,119 samples, 18 force channels in N, the device clock kept with its 0.0099 s steps', async () => {
  const f = await readSourceFile(sharedData('gaitpdb', 'GaCo01_01.txt.gz'));
  const batch = gaitpdbWalk.read(f) as Awaited<ReturnType<typeof gaitpdbWalk.read>>;
  assert.equal(batch.subjects[0].key, 'GaCo01');
  assert.equal(batch.subjects[0].group, 'control');
  const trial = batch.sessions[0].trials[0];
  assert.equal(trial.key, 'GaCo01_01');
  assert.equal(trial.channels.length, 18);
  assert.deepEqual(trial.channels.map((c) => c.name).slice(0, 2), ['L1', 'L2']);
  assert.deepEqual(trial.channels.slice(-2).map((c) => [c.name, c.side, c.unit]), [['L_total', 'left', 'N'], ['R_total', 'right', 'N']]);
  for (const c of trial.channels) assert.equal(c.samples.length, 12119);
  assert.equal(trial.deviceTimeS!.length, 12119);
  assert.equal(trial.deviceTimeS![12118], 121.1715); // not 121.18: the README's 100.007 Hz clock
  assert.ok(Math.abs(trial.channels[0].rateHz! - 12118 / 121.1715) < 1e-9);
  assert.equal(trial.channels[0].samples[0], Math.fround(199.1));
  assert.equal(trial.channels[16].samples[0], Math.fround(662.2));
  assert.equal(trial.channels[17].samples[12118], Math.fround(609.51));
  // 0.0099 s steps: count them in this file, from the stored clock.
  let short = 0;
  for (let i = 1; i < 12119; i++) if (Math.round((trial.deviceTimeS![i] - trial.deviceTimeS![i - 1]) * 1e4) === 99) short++;
  assert.ok(short >= 80 && short <= 90, `short steps ${short}`);
});

test('dual-task walks (_10) are labelled as such', async () => {
  const f = await readSourceFile(sharedData('gaitpdb', 'GaPt15_10.txt.gz'));
  const trial = (gaitpdbWalk.read(f) as any).sessions[0].trials[0];
  assert.equal(trial.attributes.condition.value, 'dual-task');
});

test('demographics: 166 rows, NaN as missing, heights in metres for every study, H&Y "2.0" = "2"', async () => {
  const f = await readSourceFile(sharedData('gaitpdb', 'demographics.txt'));
  const batch = gaitpdbDemographics.read(f) as any;
  assert.equal(batch.subjects.length, 166);
  const by = new Map<string, any>(batch.subjects.map((s: any) => [s.key, s]));
  const count = (k: string) => batch.subjects.filter((s: any) => s.attributes[k]).length;
  // Availability from the README's table.
  assert.equal(count('hoehn_yahr'), 111);
  assert.equal(count('updrs'), 135);
  assert.equal(count('tuag'), 153);
  assert.equal(count('speed_walk_01'), 165);
  assert.equal(count('speed_walk_10'), 20);
  assert.equal(batch.subjects.filter((s: any) => s.group === 'PD').length, 93);
  assert.equal(batch.subjects.filter((s: any) => s.group === 'control').length, 73);
  assert.equal(by.get('GaPt03').attributes.height.value, 1.45);
  assert.equal(by.get('JuPt20').attributes.height.value, 1.68); // written 168 (cm)
  assert.deepEqual(by.get('JuPt20').attributes.hoehn_yahr, { value: 2, unit: 'stage' });
  assert.equal(by.get('GaPt03').attributes.hoehn_yahr.value, 3);
  assert.equal(by.get('GaPt03').attributes.speed_walk_01, undefined); // NaN
  assert.equal(by.get('GaPt03').sex, 'female');
  const heights = batch.subjects.map((s: any) => s.attributes.height?.value).filter((v: any) => v !== undefined);
  assert.ok(heights.every((h: number) => h >= 1.4 && h <= 2.0));
  assert.ok(batch.warnings.some((w: string) => /Juc010/.test(w) && /line 121/.test(w)));
});

function fakeSource(name: string, text: string) {
  return { path: `/tmp/${name}`, name, bytes: Buffer.from(text, 'latin1'), sha256: 'x'.repeat(64) };
}

test('bad walks name file, line and field', () => {
  const good = gunzipSync(readFileSync(sharedData('gaitpdb', 'GaCo01_01.txt.gz'))).toString('latin1');
  const lines = good.split('\r\n');
  const cut = lines.slice(0, 10).join('\r\n') + '\r\n' + lines[10].split('\t').slice(0, 7).join('\t');
  assert.throws(() => gaitpdbWalk.read(fakeSource('GaCo01_01.txt', cut)), (e: unknown) => e instanceof InputError && e.message === '/tmp/GaCo01_01.txt line 11: expected 19 columns, found 7');
  const nan = lines.slice(0, 5).map((l, i) => (i === 3 ? l.replace(/\t[^\t]+/, '\tNaN') : l)).join('\r\n') + '\r\n';
  assert.throws(() => gaitpdbWalk.read(fakeSource('GaCo01_01.txt', nan)), /line 4 field L1: not a finite number: "NaN"/);
  const back = lines.slice(0, 5).map((l, i) => (i === 3 ? l.replace(/^[^\t]+/, '0.0100') : l)).join('\r\n') + '\r\n';
  assert.throws(() => gaitpdbWalk.read(fakeSource('GaCo01_01.txt', back)), /line 4 field time: time step -0.0100 s after 0.02 s/);
  assert.throws(() => gaitpdbWalk.read(fakeSource('walk.txt', lines.slice(0, 5).join('\r\n'))), /field file name: a gaitpdb walk is named like GaPt03_01.txt/);
});

test('bad demographics name file, line and field', () => {
  const text = readFileSync(sharedData('gaitpdb', 'demographics.txt'), 'latin1');
  const lines = text.split('\r\n');
  lines[3] = lines[3].replace('\t1\t', '\t7\t');
  assert.throws(() => gaitpdbDemographics.read(fakeSource('demographics.txt', lines.join('\r\n'))), /demographics.txt line 4 field Group: expected 1 \(PD\) or 2 \(control\), found "7"/);
  const ages = text.split('\r\n');
  ages[5] = ages[5].split('\t').map((v, k) => (k === 5 ? 'old' : v)).join('\t');
  assert.throws(() => gaitpdbDemographics.read(fakeSource('demographics.txt', ages.join('\r\n'))), /line 6 field Age: expected a number or NaN, found "old"/);
});
