import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseNumericTable } from '../../src-main/formats/numeric-table';
import { InputError } from '../../src-shared/domain/errors';

const parse = (text: string, cols = 3) => parseNumericTable(Buffer.from(text, 'latin1'), cols, 'x.txt', (c) => `col${c + 1}`);

test('parses tab-separated decimals with CRLF or LF line ends, column-major', () => {
  for (const eol of ['\r\n', '\n']) {
    const t = parse(['0.0000\t199.1\t87', '0.0100\t0\t748.25'].join(eol) + eol);
    assert.equal(t.rows, 2);
    assert.deepEqual(Array.from(t.columns[1]), [199.1, 0]);
    assert.deepEqual(Array.from(t.columns[2]), [87, 748.25]);
    assert.equal(t.columns[0][1], 0.01);
  }
});

test('decimal values equal what Number() gives for the same text', () => {
  const texts = ['0.7199', '2.1498', '1911.03', '121.1715', '87.34', '0.0099', '-3.5', '12345678.1234567'];
  const t = parse(texts.map((v) => `${v}\t1\t2`).join('\n') + '\n');
  assert.deepEqual(Array.from(t.columns[0]), texts.map(Number));
});

test('accepts exponents and a missing final line end', () => {
  const t = parse('1e3\t-2.5E-1\t+4\n5\t6\t7');
  assert.deepEqual(Array.from(t.columns[0]), [1000, 5]);
  assert.equal(t.columns[1][0], -0.25);
  assert.equal(t.rows, 2);
});

test('a wrong column count names the line and both counts', () => {
  assert.throws(() => parse('1\t2\t3\n4\t5\n'), (e: unknown) => e instanceof InputError && e.message === 'x.txt line 2: expected 3 columns, found 2');
  assert.throws(() => parse('1\t2\t3\n4\t5\t6\t7\n'), /x.txt line 2: expected 3 columns, found 4/);
});

test('NaN, Inf and garbage name the line and the field', () => {
  assert.throws(() => parse('1\t2\t3\n4\tNaN\t6\n'), /x.txt line 2 field col2: not a finite number: "NaN"/);
  assert.throws(() => parse('1\tInf\t3\n'), /x.txt line 1 field col2: not a finite number: "Inf"/);
  assert.throws(() => parse('1\t2\t1e999\n'), /x.txt line 1 field col3: infinite value "1e999"/);
  assert.throws(() => parse('1\t2\t3x\n'), /x.txt line 1 field col3: not a finite number: "3x"/);
});

test('empty and tab-only lines are errors with their line number', () => {
  assert.throws(() => parse('1\t2\t3\n\n4\t5\t6\n'), /x.txt line 2: empty line/);
  assert.throws(() => parse('1\t2\t3\n\t\t\n'), /x.txt line 2: empty line/);
});

test('a file cut in the middle of a line reports that line', () => {
  const text = '0.0000\t1\t2\r\n0.0100\t3\t4\r\n0.0200\t5';
  assert.throws(() => parse(text), /x.txt line 3: expected 3 columns, found 2/);
});
