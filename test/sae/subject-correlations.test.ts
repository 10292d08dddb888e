// Subject-level metadata correlations over every attribute (methods-spec §5.2.8): which attributes a cohort's
// metadata gives (units, sex coding, walking speed, group contrasts), and the correlations' rules (dead features
// left out, subjects without a value left out of that attribute only, BH q ≥ p, strongest first, seeded CIs).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { subjectAttributes, subjectLevelCorrelations, trialLevelMaxAbsR, type SubjectMetadata } from '../../src-shared/sae/subject-correlations';
import { seededNormal } from '../../src-shared/random';

test('subjectAttributes: height in cm becomes m, sex male = 1, speed is the mean of the walks without the dual-task walk 10, two groups are one contrast', () => {
  const rows: SubjectMetadata[] = [
    { subject: 'a', group: 'PD', sex: 'male', numbers: { age: 60, height: 170, weight: 70, speed_walk_01: 1.0, speed_walk_02: 1.2, speed_walk_10: 0.2, hoehn_yahr: 2 } },
    { subject: 'b', group: 'control', sex: 'female', numbers: { age: 65, height: 160, weight: 60, speed_walk_01: 1.3 } },
    { subject: 'c', group: 'PD', sex: null, numbers: { age: 70, height: 180, body_mass: 90, weight: 95, speed_walk_10: 0.5, hoehn_yahr: 3 } },
    { subject: 'd', group: 'control', sex: 'male', numbers: { age: 55, walking_speed: 1.4 } },
  ];
  const attrs = subjectAttributes(rows);
  const byName = new Map(attrs.map((a) => [a.name, a.values]));
  assert.deepEqual(attrs.map((a) => a.name), ['age', 'height', 'body weight', 'sex (male = 1)', 'walking speed', 'group = PD']);
  assert.deepEqual([...byName.get('height')!], [['a', 1.7], ['b', 1.6], ['c', 1.8]]);
  // body_mass wins over gaitpdb's weight where both exist.
  assert.deepEqual([...byName.get('body weight')!], [['a', 70], ['b', 60], ['c', 90]]);
  assert.deepEqual([...byName.get('sex (male = 1)')!], [['a', 1], ['b', 0], ['d', 1]]);
  // c has only walk 10 (dual task): no speed; a's walk 10 does not count.
  assert.deepEqual([...byName.get('walking speed')!].map(([s, v]) => [s, +v.toFixed(12)]), [['a', 1.1], ['b', 1.3], ['d', 1.4]]);
  assert.deepEqual([...byName.get('group = PD')!], [['a', 1], ['b', 0], ['c', 1], ['d', 0]]);
  // hoehn_yahr has 2 subjects only: left out. Heights already in m stay as they are.
  assert.equal(byName.has('hoehn_yahr'), false);
  const inMetres = subjectAttributes(rows.map((r) => ({ ...r, numbers: { ...r.numbers, height: r.numbers.height !== undefined ? r.numbers.height / 100 : NaN } })));
  assert.deepEqual([...inMetres.find((a) => a.name === 'height')!.values.values()], [1.7, 1.6, 1.8]);
  // Four groups: one indicator each.
  const four = subjectAttributes(['HC', 'c2', 'c3', 'c4', 'HC', 'c2'].map((g, i) => ({ subject: `s${i}`, group: g, sex: null, numbers: {} })));
  assert.deepEqual(four.map((a) => a.name), ['group = HC', 'group = c2', 'group = c3', 'group = c4']);
});

test('subjectLevelCorrelations: exact r for a feature that is the attribute, dead features skipped, missing values left out, q ≥ p, seeded', () => {
  const n = 120;
  const normal = seededNormal(3);
  const subjects = Array.from({ length: n }, (_, i) => `s${String(i).padStart(3, '0')}`);
  const k = 3;
  const codes = new Float64Array(n * k);
  const age = new Map<string, number>();
  subjects.forEach((s, i) => {
    const a = 40 + 20 * normal();
    // Every fifth subject has no age.
    if (i % 5 !== 0) age.set(s, a);
    codes[i * k] = 2 * a + 1;
    codes[i * k + 1] = 0;
    codes[i * k + 2] = normal();
  });
  const attrs = [{ name: 'age', values: age }];
  const out = subjectLevelCorrelations(subjects, codes, k, attrs, new Set([1]), 7, 500);
  assert.deepEqual(out.map((c) => c.feature), [0, 2]);
  assert.equal(out[0].n, 96);
  assert.ok(Math.abs(out[0].r - 1) < 1e-12 && Math.abs(out[0].ciLow - 1) < 1e-12 && out[0].p < 1e-12, JSON.stringify(out[0]));
  assert.ok(Math.abs(out[1].r) < 0.3 && out[1].ciLow < out[1].r && out[1].r < out[1].ciHigh);
  assert.ok(out.every((c) => c.q >= c.p - 1e-15));
  assert.deepEqual(subjectLevelCorrelations(subjects, codes, k, attrs, new Set([1]), 7, 500), out);
  assert.notDeepEqual(subjectLevelCorrelations(subjects, codes, k, attrs, new Set([1]), 8, 500)[1].ciLow, out[1].ciLow);
  // Trial level: two rows per subject with the same code give the same r (1 for feature 0).
  const rows = subjects.flatMap((s) => [s, s]);
  const rowCodes = Float64Array.from(rows.flatMap((_, r) => Array.from(codes.subarray((r >> 1) * k, ((r >> 1) + 1) * k))));
  assert.ok(Math.abs(trialLevelMaxAbsR(rows, rowCodes, k, attrs, new Set([1])) - 1) < 1e-12);
});
