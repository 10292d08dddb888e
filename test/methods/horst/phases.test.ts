// The most relevant phases in words (methods/horst/phases.ts): the documented phase table over stance and over
// the gait cycle, channel names in words, and the ranking of (channel, phase) cells by summed positive relevance.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { channelInWords, mostRelevantPhases, phaseAt, PHASES } from '../../../src-shared/methods/horst/phases';

test('phase table: bands tile 0–100 % without gaps; stance bands are the gait-cycle stance bands rescaled to 60 %', () => {
  for (const bands of Object.values(PHASES)) {
    assert.equal(bands[0].fromPct, 0);
    assert.equal(bands[bands.length - 1].toPct, 100);
    for (let i = 1; i < bands.length; i++) assert.equal(bands[i].fromPct, bands[i - 1].toPct);
  }
  PHASES.stance.forEach((b, i) => assert.equal(Math.round((PHASES.gait_cycle[i].toPct / 60) * 100), b.toPct));
  assert.deepEqual([0, 16.9, 17, 49.9, 50, 83, 100].map((p) => phaseAt('stance', p).name),
    ['loading response', 'loading response', 'mid stance', 'mid stance', 'terminal stance', 'pre-swing', 'pre-swing']);
  assert.deepEqual([5, 65, 80, 95].map((p) => phaseAt('gait_cycle', p).name), ['loading response', 'initial swing', 'mid swing', 'terminal swing']);
});

test('channel names in words', () => {
  assert.deepEqual(['affected_vertical', 'unaffected_fore_aft', 'affected_medial_lateral', 'R3', 'left_total'].map(channelInWords),
    ['affected vertical force', 'unaffected fore-aft force', 'affected medial-lateral force', 'R3', 'left total']);
});

test('mostRelevantPhases: cells ranked by summed positive relevance; negative cells never named', () => {
  const rows = [new Array(101).fill(0), new Array(101).fill(0)];
  for (let t = 60; t <= 70; t++) rows[1][t] = 1; // 60–70 % of stance: terminal stance, second channel (11 samples)
  for (let t = 5; t <= 8; t++) rows[0][t] = 2; // 5–8 %: loading response, first channel (4 samples × 2 = 8)
  for (let t = 30; t <= 40; t++) rows[0][t] = -5; // mid stance, strongly negative
  const top = mostRelevantPhases(rows, ['affected_vertical', 'unaffected_vertical'], 'stance');
  assert.deepEqual(top.map((p) => [p.words, p.relevance]), [['terminal stance, unaffected vertical force', 11], ['loading response, affected vertical force', 8]]);
});
