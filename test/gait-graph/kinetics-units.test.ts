import { test } from 'node:test';
import assert from 'node:assert/strict';
import { kineticsScale } from '../../src-shared/gait-graph/kinetics-units';

test('moments and powers go to N·m/kg and W/kg: divided by body mass only when not yet per kg', () => {
  assert.deepEqual(kineticsScale('N·mm', 80), { factor: 1e-3 / 80, unit: 'N·m/kg', note: 'divided by body mass 80 kg' });
  assert.deepEqual(kineticsScale('N·mm/kg', 80), { factor: 1e-3, unit: 'N·m/kg', note: null });
  assert.deepEqual(kineticsScale('Nm/kg', null), { factor: 1, unit: 'N·m/kg', note: null });
  assert.deepEqual(kineticsScale('W', 50), { factor: 1 / 50, unit: 'W/kg', note: 'divided by body mass 50 kg' });
  assert.deepEqual(kineticsScale('W/kg', 50), { factor: 1, unit: 'W/kg', note: null });
  assert.deepEqual(kineticsScale('N·mm', null), { factor: 1e-3, unit: 'N·m', note: 'body mass unknown: not normalised' });
  assert.equal(kineticsScale('deg', 70), null);
  assert.equal(kineticsScale('N', 70), null);
});
