import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { assertInputError } from '../helpers';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { deflateSync } from 'node:zlib';
import { InputError } from '../../src-shared/domain/errors';
import {
  at, linearIndex, mi, mx, peekVariableNames, readMat5, type MatArray, type Mat5File,
} from '../../src-main/formats/mat5';

const DATA = path.resolve(__dirname, '../../../shared/data/slijepcevic2021-clinical-grf-mat');
const FIXTURES = path.resolve(__dirname, '../fixtures/mat');
const REAL_FILES = [
  '2021_acm_small_dataset_v3_aff-unaff-nonorm_1-2-3-4_shearzero_.mat',
  '2021_acm_small_dataset_v3_aff-unaff-nonorm_1-2_.mat',
  '2021_acm_small_dataset_v3_aff-unaff-nonorm_2-3-4_.mat',
];

interface Golden {
  dims: number[];
  feature: Array<{ index: number[]; value: number }>;
  channelSums: number[];
  injuryColumnSums: number[];
  subjectsWithTrials: number;
  labels: string[];
}
const golden = JSON.parse(readFileSync(path.join(FIXTURES, 'slijepcevic2021-golden.json'), 'utf8')) as Record<string, Golden>;

function fixture(name: string): Buffer {
  return readFileSync(path.join(FIXTURES, name));
}

function variable(file: Mat5File, name: string): MatArray {
  const v = file.variables.get(name);
  assert.ok(v, `variable ${name} present`);
  return v;
}


/** Neumaier-compensated sum, so sums compare with Python's math.fsum to ~1 ulp. */
function accurateSum(values: Iterable<number>): number {
  let sum = 0, c = 0;
  for (const v of values) {
    const t = sum + v;
    c += Math.abs(sum) >= Math.abs(v) ? sum - t + v : v - t + sum;
    sum = t;
  }
  return sum + c;
}

/** Offsets where top-level elements start (and the file ends): cutting there leaves a valid, shorter file. */
function elementBoundaries(bytes: Buffer): Set<number> {
  const out = new Set<number>([128]);
  let p = 128;
  while (p < bytes.length) {
    const type = bytes.readUInt32LE(p), size = bytes.readUInt32LE(p + 4);
    p += 8 + (type === mi.COMPRESSED ? size : Math.ceil(size / 8) * 8);
    out.add(p);
  }
  return out;
}

// --- a small MAT-file writer for cases scipy cannot produce (big-endian, stored types other than the class) ---

type Stored = 'int8' | 'uint8' | 'int16' | 'uint16' | 'int32' | 'uint32' | 'single' | 'double';
const STORED: Record<Stored, { type: number; width: number; write: string }> = {
  int8: { type: mi.INT8, width: 1, write: 'writeInt8' }, uint8: { type: mi.UINT8, width: 1, write: 'writeUInt8' },
  int16: { type: mi.INT16, width: 2, write: 'writeInt16' }, uint16: { type: mi.UINT16, width: 2, write: 'writeUInt16' },
  int32: { type: mi.INT32, width: 4, write: 'writeInt32' }, uint32: { type: mi.UINT32, width: 4, write: 'writeUInt32' },
  single: { type: mi.SINGLE, width: 4, write: 'writeFloat' }, double: { type: mi.DOUBLE, width: 8, write: 'writeDouble' },
};

class MatWriter {
  constructor(readonly little: boolean) {}

  u32(...values: number[]): Buffer {
    const b = Buffer.alloc(4 * values.length);
    values.forEach((v, k) => (this.little ? b.writeUInt32LE(v, 4 * k) : b.writeUInt32BE(v, 4 * k)));
    return b;
  }

  values(stored: Stored, values: number[]): Buffer {
    const { width, write } = STORED[stored];
    const b = Buffer.alloc(width * values.length);
    const method = `${write}${width === 1 ? '' : this.little ? 'LE' : 'BE'}` as 'writeDoubleLE';
    values.forEach((v, k) => b[method](v, width * k));
    return b;
  }

  /** A data element, padded to 8 bytes; the small format when the data fits in 4 bytes. */
  element(type: number, data: Buffer, small = data.length <= 4): Buffer {
    if (small) return Buffer.concat([this.u32((data.length << 16) | type), data, Buffer.alloc(4 - data.length)]);
    return Buffer.concat([this.u32(type, data.length), data, Buffer.alloc((8 - (data.length % 8)) % 8)]);
  }

  matrix(classCode: number, dims: number[], name: string, parts: Buffer[], flags = 0): Buffer {
    return this.element(mi.MATRIX, Buffer.concat([
      this.element(mi.UINT32, this.u32(flags | classCode, 0)),
      this.element(mi.INT32, this.intValues(dims)),
      this.element(mi.INT8, Buffer.from(name, 'latin1')),
      ...parts,
    ]), false);
  }

  intValues(values: number[]): Buffer {
    return this.values('int32', values);
  }

  numeric(classCode: number, dims: number[], name: string, stored: Stored, values: number[], flags = 0): Buffer {
    return this.matrix(classCode, dims, name, [this.element(STORED[stored].type, this.values(stored, values))], flags);
  }

  char(dims: number[], name: string, text: string, type: number = mi.UINT16): Buffer {
    const data = type === mi.UTF8 ? Buffer.from(text, 'utf8') : this.values('uint16', [...text].map((ch) => ch.charCodeAt(0)));
    return this.matrix(mx.CHAR, dims, name, [this.element(type, data)]);
  }

  cell(dims: number[], name: string, items: Buffer[]): Buffer {
    return this.matrix(mx.CELL, dims, name, items);
  }

  struct(dims: number[], name: string, fields: string[], values: Buffer[]): Buffer {
    const len = 8;
    const names = Buffer.alloc(len * fields.length);
    fields.forEach((f, k) => names.write(f, k * len, 'latin1'));
    return this.matrix(mx.STRUCT, dims, name, [this.element(mi.INT32, this.intValues([len])), this.element(mi.INT8, names), ...values]);
  }

  compressed(element: Buffer): Buffer {
    const z = deflateSync(element);
    return Buffer.concat([this.u32(mi.COMPRESSED, z.length), z]);
  }

  file(...elements: Buffer[]): Buffer {
    const header = Buffer.alloc(128, 0x20);
    header.write('MATLAB 5.0 MAT-file, written by the GaitLab tests', 0, 'latin1');
    header.fill(0, 116, 124);
    const version = Buffer.alloc(2);
    if (this.little) version.writeUInt16LE(0x0100); else version.writeUInt16BE(0x0100);
    version.copy(header, 124);
    header.write(this.little ? 'IM' : 'MI', 126, 'latin1');
    return Buffer.concat([header, ...elements]);
  }
}

/** The same variables in either byte order: covers every stored-type conversion the writer can make. */
function sampleFile(little: boolean): Buffer {
  const w = new MatWriter(little);
  return w.file(
    w.numeric(mx.DOUBLE, [2, 2], 'asU8', 'uint8', [0, 1, 2, 255]),
    w.numeric(mx.DOUBLE, [1, 3], 'neg', 'int16', [-300, 0, 300]),
    w.numeric(mx.INT16, [2, 3], 'i16', 'int16', [1, 400, -2, -500, 3, 32767]),
    w.numeric(mx.SINGLE, [1, 2], 'sgl', 'int8', [-128, 127]),
    w.numeric(mx.INT64, [1, 2], 'big', 'int32', [-2147483648, 7]),
    w.numeric(mx.DOUBLE, [2, 3, 2], 'dbl3', 'double', Array.from({ length: 12 }, (_, k) => k / 8)),
    w.numeric(mx.UINT8, [1, 1], 'tiny', 'uint8', [42]),
    w.numeric(mx.UINT8, [1, 3], 'flags', 'uint8', [1, 0, 7], 0x0200),
    w.matrix(mx.DOUBLE, [1, 2], 'cplx', [w.element(mi.DOUBLE, w.values('double', [1, -3.5])), w.element(mi.INT8, w.values('int8', [2, -1]))], 0x0800),
    w.char([1, 5], 'word', 'héllo'),
    w.char([2, 2], 'rows', 'acbd', mi.UTF16),
    w.char([1, 4], 'utf8', 'µ€ab', mi.UTF8),
    w.cell([1, 2], 'c', [w.numeric(mx.DOUBLE, [1, 1], '', 'double', [3.25]), w.cell([1, 1], '', [w.char([1, 2], '', 'in')])]),
    w.struct([1, 2], 's', ['a', 'bb'], [
      w.numeric(mx.DOUBLE, [1, 1], '', 'uint8', [1]), w.char([1, 1], '', 'x'),
      w.numeric(mx.DOUBLE, [1, 1], '', 'uint8', [2]), w.char([1, 1], '', 'y'),
    ]),
    w.compressed(w.numeric(mx.DOUBLE, [3, 1], 'packed', 'uint16', [10, 20, 65535])),
  );
}

describe('mat5 reader: the Slijepcevic 2021 files (golden values from scipy.io.loadmat)', () => {
  for (const name of REAL_FILES) {
    test(`${name}: variables, classes, dimensions and exact values`, (t) => {
      const bytes = readFileSync(path.join(DATA, name));
      const t0 = performance.now();
      const mat = readMat5(bytes, name);
      const ms = performance.now() - t0;
      t.diagnostic(`read in ${ms.toFixed(1)} ms`);
      assert.ok(ms < 1000, `read in ${ms} ms`);
      const g = golden[name];
      assert.match(mat.header.text, /^MATLAB 5\.0 MAT-file, Platform: PCWIN64, Created on: Mon May 10 /);
      assert.equal(mat.header.version, 0x0100);
      assert.equal(mat.header.littleEndian, true);
      assert.equal(mat.header.subsysOffset, null);
      assert.deepEqual([...mat.variables.keys()], ['Feature', 'Feature_GRF_AV_Label', 'Target_Injury', 'Target_Subject']);

      const feature = variable(mat, 'Feature');
      assert.equal(feature.class, 'double');
      assert.ok(feature.data instanceof Float64Array);
      assert.deepEqual(feature.dims, g.dims);
      for (const { index, value } of g.feature) assert.equal(at(feature, ...index), value, `Feature[${index}]`);
      const [n, channels, points] = feature.dims;
      for (let c = 0; c < channels; c++) {
        const values = function* () {
          for (let r = 0; r < n; r++) for (let p = 0; p < points; p++) yield at(feature, r, c, p) as number;
        };
        const sum = accurateSum(values());
        assert.ok(Math.abs(sum - g.channelSums[c]) <= 1e-12 * Math.max(1, Math.abs(g.channelSums[c])), `channel ${c} sum ${sum} vs ${g.channelSums[c]}`);
      }

      // MATLAB saved the one-hot doubles as uint8: they come back as the class type, double.
      const injury = variable(mat, 'Target_Injury');
      const subject = variable(mat, 'Target_Subject');
      assert.equal(injury.class, 'double');
      assert.ok(injury.data instanceof Float64Array);
      assert.deepEqual(injury.dims, [n, 4]);
      assert.deepEqual(subject.dims, [n, 194]);
      const columnSums = [0, 1, 2, 3].map((c) => accurateSum(Array.from({ length: n }, (_, r) => at(injury, r, c) as number)));
      assert.deepEqual(columnSums, g.injuryColumnSums);
      let subjectsWithTrials = 0;
      for (let c = 0; c < 194; c++) {
        let any = false;
        for (let r = 0; r < n; r++) if (at(subject, r, c) !== 0) any = true;
        if (any) subjectsWithTrials++;
      }
      assert.equal(subjectsWithTrials, g.subjectsWithTrials);

      const labels = variable(mat, 'Feature_GRF_AV_Label');
      assert.equal(labels.class, 'cell');
      assert.deepEqual(labels.dims, [1, 1, 6]);
      if (labels.class !== 'cell') return;
      assert.deepEqual(labels.data.map((x) => (x.class === 'char' ? x.strings[0] : null)), g.labels);
      assert.equal(g.labels[2], 'ground reaction force - affected foot - vertical force');
    });
  }

  test('the first 64 KiB of a file are enough to name its first variable', () => {
    const head = readFileSync(path.join(DATA, REAL_FILES[1])).subarray(0, 64 * 1024);
    assert.deepEqual(peekVariableNames(head), ['Feature']);
    assert.deepEqual(peekVariableNames(Buffer.from('not a mat file')), []);
  });
});

describe('mat5 reader: types written by scipy.io.savemat', () => {
  for (const name of ['types-v5.mat', 'types-v7.mat']) {
    test(`${name} (${name === 'types-v5.mat' ? 'uncompressed' : 'miCOMPRESSED'}): every class reads as scipy wrote it`, () => {
      const mat = readMat5(fixture(name), name);
      const v = (k: string) => variable(mat, k);
      assert.deepEqual(v('i16'), { name: 'i16', dims: [2, 3], global: false, class: 'int16', complex: false, data: Int16Array.of(1, 400, -2, -500, 3, 32767) });
      assert.equal(at(v('i16'), 1, 2), 32767);
      const dbl3 = v('dbl3');
      assert.deepEqual(dbl3.dims, [2, 3, 2]);
      for (let i = 0; i < 2; i++) for (let j = 0; j < 3; j++) for (let k = 0; k < 2; k++) assert.equal(at(dbl3, i, j, k), i + 2 * j + 6 * k);
      assert.deepEqual(v('sgl').data, Float32Array.of(1.5, -2.25, 3e38));
      assert.deepEqual(v('u8').data, Uint8Array.of(0, 255));
      assert.deepEqual(v('i64').data, BigInt64Array.of(-(2n ** 62n), 2n ** 62n + 1n));
      assert.deepEqual(v('u64').data, BigUint64Array.of(2n ** 64n - 1n));
      assert.equal(v('flags').class, 'logical');
      assert.deepEqual(v('flags').data, Uint8Array.of(1, 0, 1));
      const txt = v('txt');
      assert.equal(txt.class, 'char');
      if (txt.class === 'char') assert.deepEqual(txt.strings, ['gait lab']);
      const rows = v('rows');
      assert.deepEqual(rows.dims, [2, 3]);
      if (rows.class === 'char') {
        assert.deepEqual(rows.strings, ['abc', 'xyz']);
        assert.equal(String.fromCharCode(at(rows, 1, 0) as number), 'x');
      }
      const uni = v('uni');
      if (uni.class === 'char') assert.deepEqual(uni.strings, ['Kraft µ€']);
      const cellv = v('cellv');
      assert.equal(cellv.class, 'cell');
      if (cellv.class === 'cell') {
        assert.deepEqual(cellv.data.map((x) => x.class), ['double', 'char', 'cell']);
        const inner = cellv.data[2];
        assert.ok(inner.class === 'cell' && inner.data[0].class === 'int16' && inner.data[0].data[0] === 3);
      }
      const st = v('st');
      assert.equal(st.class, 'struct');
      if (st.class === 'struct') {
        assert.deepEqual(st.fieldNames, ['a', 'b', 'c']);
        assert.equal(st.data[0].a.data[0], 2.5);
        const b = st.data[0].b;
        assert.ok(b.class === 'char' && b.strings[0] === 'text');
        const c = st.data[0].c;
        assert.ok(c.class === 'cell' && c.data.length === 2);
      }
      const sta = v('sta');
      if (sta.class === 'struct') {
        assert.deepEqual(sta.dims, [1, 2]);
        assert.deepEqual(sta.data.map((r) => [...r.x.data]), [[1], [2, 3]]);
        assert.deepEqual(sta.data.map((r) => (r.name.class === 'char' ? r.name.strings[0] : '')), ['first', 'second']);
      }
      const cplx = v('cplx');
      assert.ok(cplx.class === 'double' && cplx.complex);
      if (cplx.class === 'double') {
        assert.deepEqual(cplx.data, Float64Array.of(1, -3.5));
        assert.deepEqual(cplx.imag, Float64Array.of(2, -0.5));
      }
      assert.deepEqual(v('empty').dims, [0, 3]);
      assert.equal(v('empty').data.length, 0);
    });
  }

  test('uncompressed and compressed files hold the same variables', () => {
    const a = readMat5(fixture('types-v5.mat'), 'types-v5.mat');
    const b = readMat5(fixture('types-v7.mat'), 'types-v7.mat');
    assert.deepEqual(b.variables, a.variables);
  });

  test('sparse arrays are refused with a clear "not supported" error', () => {
    assertInputError(() => readMat5(fixture('sparse.mat'), 'sparse.mat'), /^sparse\.mat field sp: sparse arrays are not supported/);
  });
});

describe('mat5 reader: byte orders and stored types', () => {
  test('a big-endian (MI) file reads the same as its little-endian (IM) twin', () => {
    const le = readMat5(sampleFile(true), 'le.mat');
    const be = readMat5(sampleFile(false), 'be.mat');
    assert.equal(le.header.littleEndian, true);
    assert.equal(be.header.littleEndian, false);
    assert.deepEqual(be.variables, le.variables);
  });

  test('values stored in a smaller type come back in the array class type', () => {
    const mat = readMat5(sampleFile(false), 'be.mat');
    const v = (k: string) => variable(mat, k);
    assert.deepEqual(v('asU8').data, Float64Array.of(0, 1, 2, 255));
    assert.deepEqual(v('neg').data, Float64Array.of(-300, 0, 300));
    assert.deepEqual(v('i16').data, Int16Array.of(1, 400, -2, -500, 3, 32767));
    assert.deepEqual(v('sgl').data, Float32Array.of(-128, 127));
    assert.deepEqual(v('big').data, BigInt64Array.of(-2147483648n, 7n));
    assert.equal(at(v('dbl3'), 1, 2, 1), 11 / 8);
    assert.deepEqual(v('tiny').data, Uint8Array.of(42));
    assert.deepEqual(v('flags'), { name: 'flags', dims: [1, 3], global: false, class: 'logical', data: Uint8Array.of(1, 0, 1) });
    const cplx = v('cplx');
    assert.ok(cplx.class === 'double' && cplx.complex);
    if (cplx.class === 'double') assert.deepEqual(cplx.imag, Float64Array.of(2, -1));
    const word = v('word'), rows = v('rows'), utf8 = v('utf8');
    assert.ok(word.class === 'char' && word.strings[0] === 'héllo');
    assert.ok(rows.class === 'char');
    if (rows.class === 'char') assert.deepEqual(rows.strings, ['ab', 'cd']);
    assert.ok(utf8.class === 'char' && utf8.strings[0] === 'µ€ab');
    const c = v('c');
    assert.ok(c.class === 'cell' && c.data[0].data[0] === 3.25);
    const s = v('s');
    assert.ok(s.class === 'struct');
    if (s.class === 'struct') {
      assert.deepEqual(s.fieldNames, ['a', 'bb']);
      assert.deepEqual(s.data.map((r) => r.a.data[0]), [1, 2]);
      assert.deepEqual(s.data.map((r) => (r.bb.class === 'char' ? r.bb.strings[0] : '')), ['x', 'y']);
    }
    assert.deepEqual(v('packed').data, Float64Array.of(10, 20, 65535));
  });

  test('N-d char arrays give one string per row, later dimensions after the first', () => {
    const w = new MatWriter(true);
    // dims 2×3×2: rows (i0, i2) = (0,0) (1,0) (0,1) (1,1); column-major data.
    const text = 'adbecfgjhkil';
    const mat = readMat5(w.file(w.char([2, 3, 2], 'pages', text)), 'pages.mat');
    const pages = variable(mat, 'pages');
    assert.ok(pages.class === 'char');
    if (pages.class === 'char') assert.deepEqual(pages.strings, ['abc', 'def', 'ghi', 'jkl']);
    const empty = readMat5(w.file(w.char([0, 0], 'e', '')), 'e.mat').variables.get('e');
    assert.ok(empty?.class === 'char' && empty.strings.length === 0);
  });

  test('at and linearIndex address elements column-major', () => {
    assert.equal(linearIndex([2, 3, 4], [1, 2, 3]), 1 + 2 * 2 + 6 * 3);
    assert.equal(linearIndex([2, 3], [1, 2, 0]), 5);
    assert.equal(linearIndex([2, 3], [4]), 4);
    assert.throws(() => linearIndex([2, 3], [2, 0]), RangeError);
    assert.throws(() => linearIndex([2, 3, 4], [1, 1]), RangeError);
    assert.throws(() => linearIndex([2, 3], [6]), RangeError);
  });
});

describe('mat5 reader: malformed input is always an InputError', () => {
  test('not a MAT-file', () => {
    assertInputError(() => readMat5(Buffer.alloc(0), 'empty.mat'), /^empty\.mat field header: not a MAT-file: 0 bytes/);
    assertInputError(() => readMat5(Buffer.from('subject,speed\nGaPt03,1.2\n'.repeat(10)), 'a.csv'), /^a\.csv field header: not a MAT-file: no endian indicator/);
    const png = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.alloc(200, 1)]);
    assertInputError(() => readMat5(png, 'x.png'), /not a MAT-file/);
    const hdf5 = Buffer.concat([Buffer.from([0x89, 0x48, 0x44, 0x46, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.alloc(600)]);
    assertInputError(() => readMat5(hdf5, 'v73.mat'), /HDF5.*not supported/);
    assertInputError(() => readMat5(Buffer.alloc(400), 'v4.mat'), /Level 4 MAT-file or not a MAT-file/);
    const v73 = new MatWriter(true).file();
    v73.writeUInt16LE(0x0200, 124);
    assertInputError(() => readMat5(v73, 'v73.mat'), /MATLAB 7\.3 MAT-files \(HDF5\) are not supported/);
    const odd = new MatWriter(false).file();
    odd.writeUInt16BE(0x0105, 124);
    assertInputError(() => readMat5(odd, 'odd.mat'), /unsupported MAT-file version 0x0105/);
  });

  test('bad tags, sizes past the end and inconsistent dimensions', () => {
    const w = new MatWriter(true);
    assertInputError(() => readMat5(w.file(w.u32(42, 8), Buffer.alloc(8)), 'b.mat'), /bad data element tag at byte 128: unknown data type 42/);
    assertInputError(() => readMat5(w.file(w.u32(mi.MATRIX, 1_000_000), Buffer.alloc(8)), 'b.mat'), /data element at byte 128 \(miMATRIX\) claims 1000000 bytes but only 8 remain/);
    assertInputError(() => readMat5(w.file(w.element(mi.DOUBLE, Buffer.alloc(8))), 'b.mat'), /has data type miDOUBLE; a variable must be miMATRIX or miCOMPRESSED/);
    assertInputError(() => readMat5(w.file(w.numeric(mx.DOUBLE, [2, 2], 'x', 'double', [1, 2, 3])), 'b.mat'), /^b\.mat field x: real part at byte 176 holds 3 values but the dimensions 2×2 need 4$/);
    assertInputError(() => readMat5(w.file(w.numeric(mx.DOUBLE, [2, -1], 'x', 'double', [1])), 'b.mat'), /dimension 2 .* is negative \(-1\)/);
    const smallTooBig = w.file(w.matrix(mx.DOUBLE, [1, 1], 'x', [Buffer.concat([w.u32((7 << 16) | mi.DOUBLE), Buffer.alloc(4)])]));
    assertInputError(() => readMat5(smallTooBig, 'b.mat'), /small element claims 7 bytes \(at most 4\)/);
    assertInputError(() => readMat5(w.file(w.numeric(99, [1, 1], 'x', 'double', [1])), 'b.mat'), /unknown array class 99/);
    assertInputError(() => readMat5(w.file(w.matrix(mx.OBJECT, [1, 1], 'o', [])), 'b.mat'), /field o: MATLAB objects .* are not supported/);
    assertInputError(() => readMat5(w.file(w.matrix(mx.OPAQUE, [1, 1], 'o', [])), 'b.mat'), /opaque classes .* are not supported/);
    assertInputError(() => readMat5(w.file(w.char([1, 3], 't', 'ab')), 'b.mat'), /char data .* holds 2 characters but the dimensions need 3/);
    const badUtf8 = w.file(w.matrix(mx.CHAR, [1, 2], 't', [w.element(mi.UTF8, Buffer.from([0xc3, 0x28]))]));
    assertInputError(() => readMat5(badUtf8, 'b.mat'), /not valid UTF-8/);
    const badCell = w.file(w.cell([1, 2], 'c', [w.numeric(mx.DOUBLE, [1, 1], '', 'double', [1]), w.element(mi.DOUBLE, w.values('double', [1]))]));
    assertInputError(() => readMat5(badCell, 'b.mat'), /^b\.mat field c\[1\]: cell element at byte \d+ has data type miDOUBLE, expected miMATRIX$/);
  });

  test('huge element counts and deep nesting fail fast instead of hanging', { timeout: 10_000 }, () => {
    const w = new MatWriter(true);
    assertInputError(() => readMat5(w.file(w.cell([100_000, 100_000], 'c', [])), 'b.mat'), /cell array 100000×100000 needs 10000000000 elements/);
    assertInputError(() => readMat5(w.file(w.struct([100_000, 100_000], 's', [], [])), 'b.mat'), /struct array 100000×100000 with 0 fields/);
    assertInputError(() => readMat5(w.file(w.char([100_000, 0, 100_000], 't', '')), 'b.mat'), /empty char array .* claims 10000000000 rows/);
    let nested = w.numeric(mx.DOUBLE, [1, 1], '', 'double', [1]);
    for (let k = 0; k < 150; k++) nested = w.cell([1, 1], k === 149 ? 'deep' : '', [nested]);
    assertInputError(() => readMat5(w.file(nested), 'deep.mat'), /nested deeper than 100 levels/);
  });

  for (const name of ['types-v5.mat', 'types-v7.mat']) {
    test(`${name}: every truncation inside an element is an InputError, at a boundary a shorter valid file`, { timeout: 30_000 }, () => {
      const bytes = fixture(name);
      const boundaries = elementBoundaries(bytes);
      const full = [...readMat5(bytes, name).variables.keys()];
      for (let cut = 0; cut < bytes.length; cut++) {
        const part = bytes.subarray(0, cut);
        if (boundaries.has(cut)) {
          const names = [...readMat5(part, name).variables.keys()];
          assert.deepEqual(names, full.slice(0, names.length));
        } else {
          assertInputError(() => readMat5(part, name), /truncated or corrupt file|not a MAT-file|bad zlib stream/, `cut at ${cut}`);
        }
      }
    });
  }

  test('every flipped byte in a zlib stream is an InputError', { timeout: 30_000 }, () => {
    const bytes = fixture('types-v7.mat');
    let p = 128, flips = 0;
    while (p < bytes.length) {
      const size = bytes.readUInt32LE(p + 4);
      for (let k = p + 8; k < p + 8 + size; k++) {
        const bad = Buffer.from(bytes);
        bad[k] ^= 0xff;
        assertInputError(() => readMat5(bad, 'z.mat'), /^z\.mat: compressed variable at byte \d+: bad zlib stream \(.+\)$/, `flip at ${k}`);
        flips++;
      }
      p += 8 + size;
    }
    assert.ok(flips > 900);
  });

  test('random corruption never escapes as another error type', { timeout: 60_000 }, () => {
    let seed = 12345;
    const random = () => ((seed = (seed * 1103515245 + 12345) >>> 0) / 2 ** 32);
    const sources = [fixture('types-v5.mat'), fixture('types-v7.mat'), sampleFile(false)];
    for (let round = 0; round < 3000; round++) {
      const bad = Buffer.from(sources[round % sources.length]);
      for (let k = 0, n = 1 + Math.floor(random() * 4); k < n; k++) {
        const at = 120 + Math.floor(random() * (bad.length - 120));
        bad[at] = random() < 0.5 ? Math.floor(random() * 256) : bad[at] ^ (1 << Math.floor(random() * 8));
      }
      try {
        readMat5(bad, 'fuzz.mat');
      } catch (e) {
        assert.ok(e instanceof InputError, `round ${round}: ${(e as Error).name}: ${(e as Error).message}`);
      }
    }
  });
});
