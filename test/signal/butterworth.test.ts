import { test } from 'node:test';
import assert from 'node:assert/strict';
import { butterLowPassBA, butterLowPassSOS, ButterworthLowPass } from '../../src-shared/signal/butterworth';
import { lfilterZi, sosfiltZi } from '../../src-shared/signal/filtfilt';
import { assertElementwiseClose, goldenDesigns } from './golden';

const REL = 1e-10;

for (const d of goldenDesigns()) {
  test(`butter(${d.order}, ${d.wn}) b, a and SOS equal scipy's to 1e-10 relative, element by element`, () => {
    const { b, a } = butterLowPassBA(d.order, d.wn);
    assertElementwiseClose(b, d.b, REL, 'b');
    assertElementwiseClose(a, d.a, REL, 'a');
    const sos = butterLowPassSOS(d.order, d.wn);
    assert.equal(sos.length, d.sos.length, 'number of sections');
    sos.forEach((s, i) => {
      // Zeros at z = −1 and 0 make exact 0, 1, 2 coefficients: compare those absolutely.
      for (let j = 0; j < 6; j++) {
        const e = d.sos[i][j];
        assert.ok(Math.abs(s[j] - e) <= REL * Math.max(Math.abs(e), 1e-6), `sos[${i}][${j}]: got ${s[j]}, scipy ${e}`);
      }
    });
  });

  test(`lfilter_zi and sosfilt_zi of butter(${d.order}, ${d.wn}) equal scipy's`, () => {
    const { b, a } = butterLowPassBA(d.order, d.wn);
    // lfilter_zi of ill-conditioned (b, a) amplifies the design's rounding: compare at the scale of the state.
    const zi = lfilterZi(d.b, d.a);
    const scale = Math.max(...d.lfilterZi.map(Math.abs));
    zi.forEach((v, i) => assert.ok(Math.abs(v - d.lfilterZi[i]) <= 1e-9 * scale, `zi[${i}] ${v} vs ${d.lfilterZi[i]}`));
    assert.equal(lfilterZi(b, a).length, d.order);
    const szi = sosfiltZi(butterLowPassSOS(d.order, d.wn));
    szi.forEach((z, i) => z.forEach((v, j) => assert.ok(Math.abs(v - d.sosfiltZi[i][j]) <= REL * Math.max(1, Math.abs(d.sosfiltZi[i][j])), `sos zi[${i}][${j}] ${v} vs ${d.sosfiltZi[i][j]}`)));
  });
}

test('the design has unit gain at DC and −3 dB (|H| = 1/√2) at the cutoff, as a Butterworth must', () => {
  for (const [order, wn] of [[2, 0.12], [4, 0.2], [7, 0.6]] as const) {
    const sos = butterLowPassSOS(order, wn);
    const h = (w: number) => sos.reduce((acc, s) => {
      const num = [s[0] + s[1] * Math.cos(w) + s[2] * Math.cos(2 * w), -(s[1] * Math.sin(w) + s[2] * Math.sin(2 * w))];
      const den = [s[3] + s[4] * Math.cos(w) + s[5] * Math.cos(2 * w), -(s[4] * Math.sin(w) + s[5] * Math.sin(2 * w))];
      return acc * Math.hypot(num[0], num[1]) / Math.hypot(den[0], den[1]);
    }, 1);
    assert.ok(Math.abs(h(0) - 1) < 1e-12, `DC gain ${h(0)}`);
    assert.ok(Math.abs(h(Math.PI * wn) - Math.SQRT1_2) < 1e-12, `gain at cutoff ${h(Math.PI * wn)}`);
  }
});

test('a cutoff at or above Nyquist, a non-integer order or Wn outside (0, 1) is refused with the reason', () => {
  assert.throws(() => butterLowPassBA(4, 1), /0 < Wn < 1/);
  assert.throws(() => butterLowPassSOS(2.5, 0.2), /positive integer/);
  assert.throws(() => new ButterworthLowPass({ order: 4, cutoffHz: 60 }).run([1, 2, 3], 100), /not below the Nyquist frequency of 100 Hz/);
});

test('ButterworthLowPass keeps its parameters as plain JSON', () => {
  const f = new ButterworthLowPass({ order: 4, cutoffHz: 6 });
  assert.deepEqual(JSON.parse(JSON.stringify(f.params)), { order: 4, cutoffHz: 6, form: 'sos', padType: 'odd', padLength: null });
});
