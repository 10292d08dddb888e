import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { C3dBytes } from '../../../src-main/formats/c3d/binary';
import { readParameterSection, seriesStrings } from '../../../src-main/formats/c3d/parameters';
import type { C3dProcessor } from '../../../src-main/formats/c3d';
import { encodeParameterRecords, type BuildGroup, type BuildParameter } from './c3d-builder';
import { readCorpus } from './helpers';

/** A parameter section (4-byte header + records) at offset 0 of its own buffer. */
function section(processor: C3dProcessor, groups: BuildGroup[], params: BuildParameter[], order: 'groups-first' | 'params-first' = 'groups-first', pad = 512): Uint8Array {
  const records = encodeParameterRecords(processor, groups, params, order);
  const bytes = new Uint8Array(Math.ceil((4 + records.length) / 512) * 512 + pad);
  bytes.set([1, 0x50, Math.ceil((4 + records.length) / 512), { intel: 84, dec: 85, mips: 86 }[processor]]);
  bytes.set(records, 4);
  return bytes;
}

/** Byte offset of the record whose name is `name` (its name-length byte). */
function recordAt(bytes: Uint8Array, name: string): number {
  const needle = Buffer.from(name, 'latin1');
  const at = Buffer.from(bytes).indexOf(needle, 4);
  assert.ok(at > 2, `record ${name} found`);
  return at - 2;
}

function parse(bytes: Uint8Array, processor: C3dProcessor, end = bytes.length) {
  const warnings: string[] = [];
  const s = readParameterSection(new C3dBytes(bytes, processor, 'test.c3d'), 0, end, warnings);
  return { ...s, warnings };
}

const GROUPS: BuildGroup[] = [{ name: 'POINT', id: 1, description: 'points' }, { name: 'TEST', id: 7, description: 'all types', locked: true }];
const PARAMS: BuildParameter[] = [
  { group: 'POINT', name: 'USED', type: 'int16', values: [3], locked: true, description: 'number of points' },
  { group: 'POINT', name: 'LABELS', type: 'char', dims: [6, 3], strings: ['RKNE', 'LKNE  ', 'A22:X'] },
  { group: 'TEST', name: 'BYTES', type: 'int8', dims: [4], values: [-128, -1, 0, 127] },
  { group: 'TEST', name: 'WORDS', type: 'int16', dims: [2, 2], values: [-32768, -1, 2, 32767] },
  { group: 'TEST', name: 'REALS', type: 'float32', dims: [3], values: [1.5, -0.083333, 1e6] },
  { group: 'TEST', name: 'GRID', type: 'char', dims: [5, 2, 2], strings: ['ab', 'cd  ', 'ef', 'gh'] },
  { group: 'TEST', name: 'ONE', type: 'char', strings: ['SIGNED'] },
  { group: 'TEST', name: 'EMPTY', type: 'float32', dims: [0], values: [] },
];

describe('parameter section', () => {
  for (const processor of ['intel', 'dec', 'mips'] as const) {
    test(`${processor}: every type, multi-dimensional char arrays (trimmed), locked flags and descriptions`, () => {
      const s = parse(section(processor, GROUPS, PARAMS), processor);
      assert.deepEqual(s.warnings, []);
      assert.deepEqual([...s.groups.keys()], ['POINT', 'TEST']);
      assert.equal(s.groups.get('TEST')!.locked, true);
      assert.equal(s.groups.get('TEST')!.id, 7);
      assert.equal(s.groups.get('POINT')!.description, 'points');
      const used = s.parameters.get('POINT:USED')!;
      assert.deepEqual([used.type, used.values, used.dimensions, used.locked, used.description], ['int16', [3], [], true, 'number of points']);
      assert.deepEqual(s.parameters.get('POINT:LABELS')!.strings, ['RKNE', 'LKNE', 'A22:X']);
      assert.deepEqual(s.parameters.get('TEST:BYTES')!.values, [-128, -1, 0, 127]);
      assert.deepEqual(s.parameters.get('TEST:WORDS')!.values, [-32768, -1, 2, 32767]);
      assert.deepEqual(s.parameters.get('TEST:WORDS')!.dimensions, [2, 2]);
      assert.deepEqual(s.parameters.get('TEST:REALS')!.values, [1.5, Math.fround(-0.083333), 1e6]);
      const grid = s.parameters.get('TEST:GRID')!;
      assert.deepEqual([grid.dimensions, grid.strings], [[5, 2, 2], ['ab', 'cd', 'ef', 'gh']]);
      assert.deepEqual(s.parameters.get('TEST:ONE')!.strings, ['SIGNED']);
      assert.deepEqual(s.parameters.get('TEST:EMPTY')!.values, []);
      assert.equal(s.parameters.get('TEST:BYTES')!.locked, false);
    });
  }

  test('parameters may come before the group that owns them (negative group id in the group record)', () => {
    const s = parse(section('intel', GROUPS, PARAMS, 'params-first'), 'intel');
    assert.deepEqual(s.warnings, []);
    assert.equal(s.parameters.size, PARAMS.length);
    assert.equal(s.parameters.get('TEST:GRID')!.group, 'TEST');
  });

  test('lists longer than 255 continue in LABELS2, LABELS3 … and are read as one series', () => {
    const labels = Array.from({ length: 300 }, (_, i) => `CH${i + 1}`);
    const s = parse(section('intel', [{ name: 'ANALOG', id: 2 }], [
      { group: 'ANALOG', name: 'LABELS', type: 'char', dims: [5, 255], strings: labels.slice(0, 255) },
      { group: 'ANALOG', name: 'LABELS2', type: 'char', dims: [5, 45], strings: labels.slice(255) },
    ]), 'intel');
    assert.deepEqual(seriesStrings(s.parameters, 'ANALOG', 'LABELS'), labels);
  });

  test('a next-offset pointing outside the parameter area ends the chain after that record, with a warning', () => {
    const bytes = section('mips', GROUPS, PARAMS.slice(0, 2));
    // The last record's next-offset written little-endian, as in sample02's sgi files.
    const offsetAt = recordAt(bytes, 'LABELS') + 2 + 'LABELS'.length;
    const view = new DataView(bytes.buffer);
    view.setInt16(offsetAt, view.getInt16(offsetAt, false), true);
    const s = parse(bytes, 'mips');
    assert.equal(s.parameters.size, 2);
    assert.deepEqual(s.parameters.get('POINT:LABELS')!.strings, ['RKNE', 'LKNE', 'A22:X']);
    assert.match(s.warnings.join('\n'), /record LABELS at byte \d+ points to byte \d+, outside the parameter area; stopped there/);
  });

  test('a record whose name is not text ends the chain (sample18\'s "empty" record); what came before is kept', () => {
    const bytes = section('intel', GROUPS, PARAMS.slice(0, 3));
    const end = 4 + encodeParameterRecords('intel', GROUPS, PARAMS.slice(0, 3)).length - 2;
    bytes.set([9, 0x81, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff], end); // name length 9, NUL name, next-offset −1
    const s = parse(bytes, 'intel');
    assert.equal(s.parameters.size, 3);
    assert.match(s.warnings.join('\n'), /has no valid name; stopped there \(2 groups, 3 parameters read\)/);
  });

  test('values that run past the record (declared dims too large) skip that parameter, not the rest', () => {
    const bytes = section('intel', GROUPS, PARAMS.slice(0, 4));
    // TEST:BYTES has dims [4]: claim 200 values. Its first dimension byte follows type and dimension count.
    bytes[recordAt(bytes, 'BYTES') + 2 + 'BYTES'.length + 2 + 2] = 200;
    const s = parse(bytes, 'intel');
    assert.equal(s.parameters.has('TEST:BYTES'), false);
    assert.equal(s.parameters.has('TEST:WORDS'), true);
    assert.match(s.warnings.join('\n'), /parameter BYTES: its 200 values run past its record; ignored/);
  });

  test('a parameter of an undefined group and repeated names are reported once each', () => {
    const s = parse(section('intel', [{ name: 'POINT', id: 1 }], [
      { group: 'POINT', name: 'A', type: 'int16', values: [1] },
      { group: 'POINT', name: 'A', type: 'int16', values: [2] },
      { group: 'X', groupId: 3, name: 'B', type: 'int16', values: [3] },
    ]), 'intel');
    assert.equal(s.parameters.get('POINT:A')!.values[0], 1);
    assert.match(s.warnings.join('\n'), /1 parameters are defined more than once \(POINT:A\); the first definition of each is kept/);
    assert.match(s.warnings.join('\n'), /1 parameters \(B\) belong to group id 3, which is not defined; ignored/);
  });

  test('the chain never runs past the area it is given, however the offsets point', () => {
    const bytes = section('intel', GROUPS, PARAMS);
    const s = parse(bytes, 'intel', 40);
    assert.ok(s.parameters.size < PARAMS.length);
  });
});

describe('parameter sections of the corpus', () => {
  test('sample02 sgi files: all 43 parameters despite the little-endian last next-offset', () => {
    for (const f of ['sample02/sgi_int.c3d', 'sample02/sgi_real.c3d', 'sample02/pc_int.c3d', 'sample02/dec_real.c3d']) {
      const c = readCorpus(f);
      assert.equal(c.parameters.size, 43, f);
      assert.ok(c.groups.has('FPLOC'), `${f}: Vicon-private FPLOC group`);
      assert.equal(c.parameters.get('POINT:LABELS')!.strings[0], 'RFT1', f);
    }
  });

  test('sample18: stops at the garbage record after 35 parameters and still reads the data', () => {
    const c = readCorpus('sample18/bad_parameter_section.c3d');
    assert.equal(c.parameters.size, 35);
    assert.equal(c.layout.pointCount, 45);
    assert.equal(c.layout.analogCount, 32);
  });

  test('parameterOverflow: ANALYSIS:VALUES stored past the declared parameter blocks is read (as BTK does)', () => {
    const c = readCorpus('btk-extras/parameterOverflow.c3d');
    const v = c.parameters.get('ANALYSIS:VALUES')!;
    assert.equal(v.values.length, 32);
    assert.equal(v.values[0], Math.fround(0.9878296852111816));
    assert.equal(c.parameters.get('ANALYSIS:NAMES')!.strings[0], 'Vitesse (m/s)');
  });

  test('badParameterOffset: the malformed ANALOG:UNITS is skipped; POINT:LABELS "Point    1" … "Point   41" intact', () => {
    const c = readCorpus('btk-extras/badParameterOffset.c3d');
    assert.equal(c.parameters.has('ANALOG:UNITS'), false);
    const labels = c.parameters.get('POINT:LABELS')!.strings;
    assert.equal(labels.length, 41);
    assert.equal(labels[0], 'Point    1');
    assert.equal(labels[40], 'Point   41');
  });

  test('gait-pig: a 3-d char parameter (POINT:TYPE_GROUPS [20,2,4]) and int8 EVENT:GENERIC_FLAGS', () => {
    const c = readCorpus('horst:gait-pig.c3d');
    const tg = c.parameters.get('POINT:TYPE_GROUPS')!;
    assert.deepEqual(tg.dimensions, [20, 2, 4]);
    assert.deepEqual(tg.strings, ['ANGLES', 'ANGLE', 'FORCES', 'FORCE', 'MOMENTS', 'MOMENT', 'POWERS', 'POWER']);
    assert.equal(c.parameters.get('EVENT:GENERIC_FLAGS')!.type, 'int8');
  });

  test('btk-Gait: locked parameters are flagged (POINT:USED, POINT:SCALE), unlocked ones not', () => {
    const c = readCorpus('horst:btk-Gait.c3d');
    assert.equal(c.parameters.get('POINT:USED')!.locked, true);
    assert.equal(c.parameters.get('POINT:SCALE')!.locked, true);
    assert.equal(c.parameters.get('POINT:UNITS')!.locked, false);
    assert.equal(c.groups.get('MANUFACTURER')!.description, 'Version Information');
  });

  test('bigparlove: two groups named PROCESSING and 186 parameter blocks; data start block 188 read unsigned', () => {
    const c = readCorpus('sample33/bigparlove.c3d');
    assert.equal(c.layout.dataStartBlock, 188);
    assert.equal(c.parameters.get('PROCESSING:$BODYMASS')!.values[0], 74);
    assert.match(c.warnings.join('\n'), /parameters are defined more than once \(PROCESSING:MARKERDIAMETER/);
  });
});
