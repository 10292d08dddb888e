// The renderer's pure presentation functions: what a person reads on screen.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { groupChannels, valueAxisTitle, domainAxisTitle } from '../../src-renderer/plots/channel-groups';
import { describeDetector } from '../../src-renderer/components/events/detector-label';
import { formatMeanSd, formatMeasured, formatAttribute, attributeLabel } from '../../src-renderer/lib/format';

const ch = (name: string, side: string | null, unit = 'N') => ({ name, unit, rateHz: 100, domain: 'time' as const, side, samples: 10 });

test('gaitpdb channels are drawn as left sensors, right sensors and the two totals', () => {
  const channels = [
    ...Array.from({ length: 8 }, (_, k) => ch(`L${k + 1}`, 'left')),
    ...Array.from({ length: 8 }, (_, k) => ch(`R${k + 1}`, 'right')),
    ch('L_total', 'left'), ch('R_total', 'right'),
  ];
  const groups = groupChannels(channels);
  assert.deepEqual(groups.map((g) => g.channels.map((c) => c.name).join(',')), [
    'L1,L2,L3,L4,L5,L6,L7,L8', 'R1,R2,R3,R4,R5,R6,R7,R8', 'L_total,R_total',
  ]);
  assert.equal(valueAxisTitle('N'), 'Force (N)');
  assert.equal(valueAxisTitle('deg/s'), 'Angular velocity (deg/s)');
  assert.equal(domainAxisTitle('stance'), '% stance');
  assert.equal(domainAxisTitle('time'), 'Time (s)');
});

test('a detector is described with its parameters in words and units', () => {
  const text = describeDetector({ name: 'InsoleEvents', params: { onFraction: 0.1, offFraction: 0.05, baselineWindowS: 4 } });
  assert.match(text, /^InsoleEvents · on fraction 0\.1 · off fraction 0\.05 · baseline window 4 s/);
});

test('values are shown with their unit, missing ones as a dash', () => {
  assert.equal(formatMeanSd({ value: 1.2334, unit: 's' }, { value: 0.0401, unit: 's' }), '1.233 ± 0.040 s');
  assert.equal(formatMeasured({ value: null, unit: 's' }), '—');
  assert.equal(formatAttribute({ value: 1.85, unit: 'm' }), '1.85 m');
  assert.equal(formatAttribute(undefined), '—');
  assert.equal(attributeLabel('hoehn_yahr'), 'Hoehn & Yahr');
});
