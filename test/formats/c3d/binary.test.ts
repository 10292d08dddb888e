import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { vaxFloat } from '../../../src-main/formats/c3d';
import { float32Decimal, trimC3dText, unsigned16 } from '../../../src-main/formats/c3d/binary';

/** The usual recipe: swap the two words, read as IEEE single, divide by 4 (valid for IEEE exponents 1…254). */
function swapAndQuarter(first: number, second: number): number {
  const dv = new DataView(new ArrayBuffer(4));
  dv.setUint16(0, first);
  dv.setUint16(2, second);
  return dv.getFloat32(0) / 4;
}

describe('VAX F-floating (DEC processor type 85)', () => {
  test('known values: 1.0 is 0x4080 0x0000, −2.5 is 0xC120 0x0000, 0.1 is 0x3ECC 0xCCCD', () => {
    assert.equal(vaxFloat(0x4080, 0x0000), 1);
    assert.equal(vaxFloat(0xc120, 0x0000), -2.5);
    assert.equal(vaxFloat(0x3ecc, 0xcccd), Math.fround(0.1));
  });

  test('exponent 0 is zero whatever the significand and sign bits', () => {
    assert.equal(vaxFloat(0x0000, 0x0000), 0);
    assert.equal(vaxFloat(0x007f, 0xffff), 0);
    assert.equal(vaxFloat(0x8000, 0x1234), 0);
  });

  test('equals swap-words-then-divide-by-4 exactly for every IEEE-normal exponent', () => {
    let seed = 12345;
    const rnd = () => ((seed = (seed * 1103515245 + 12345) >>> 0) >>> 8) & 0xffff;
    for (let i = 0; i < 20000; i++) {
      const sign = rnd() & 1;
      const exponent = 1 + (rnd() % 254); // 1…254
      const hi = (sign << 15) | (exponent << 7) | (rnd() & 0x7f);
      const lo = rnd();
      assert.equal(vaxFloat(hi, lo), swapAndQuarter(hi, lo), `0x${hi.toString(16)} 0x${lo.toString(16)}`);
    }
  });

  test('exponent 255 is an ordinary number (IEEE would read Inf/NaN): 0x7FFF 0xFFFF ≈ 1.7e38', () => {
    const v = vaxFloat(0x7fff, 0xffff);
    assert.ok(Number.isFinite(v));
    assert.equal(v, (2 ** 24 - 1) * 2 ** (255 - 152));
  });
});

describe('small helpers', () => {
  test('unsigned16 reads negative int16 words as 32768…65535', () => {
    assert.equal(unsigned16(-1), 65535);
    assert.equal(unsigned16(-32750), 32786);
    assert.equal(unsigned16(188), 188);
  });

  test('trimC3dText removes blanks and NULs at both ends only', () => {
    assert.equal(trimC3dText('  RKNE \0\0'), 'RKNE');
    assert.equal(trimC3dText('Point    1   '), 'Point    1');
    assert.equal(trimC3dText('\0\0\0'), '');
  });

  test('float32Decimal gives the shortest decimal of a float32 (EVENT:TIMES 0.57 → 0.57)', () => {
    assert.equal(float32Decimal(Math.fround(0.57)), 0.57);
    assert.equal(float32Decimal(Math.fround(1.03625)), 1.03625);
    assert.equal(float32Decimal(Math.fround(1 / 3)), 0.33333334);
    assert.equal(float32Decimal(2), 2);
  });
});
