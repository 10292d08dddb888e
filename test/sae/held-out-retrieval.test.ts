// Retrieval of a model's held-out subjects (methods-spec §5.2.10 on one split), on a hand-built example whose
// precision, base rate and permutation p are worked out by hand.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { heldOutRetrieval } from '../../src-shared/sae/held-out-retrieval';

test('heldOutRetrieval: held-out subjects query only training subjects; P@k, base rate, silent queries, per group, permutation p', () => {
  // Rows (subject, code): A has two rows averaging to [1, 0]; the database is A, B, C, D; Q1 and Q2 are held out.
  const rows: [string, number[]][] = [['A', [1.2, 0]], ['A', [0.8, 0]], ['B', [0.9, 0.1]], ['C', [0, 1]], ['D', [0.1, 0.9]], ['Q1', [1, 0.05]], ['Q2', [0, 0]]];
  const group: Record<string, string> = { A: 'g1', B: 'g1', C: 'g2', D: 'g2', Q1: 'g1', Q2: 'g2' };
  const codes = Float32Array.from(rows.flatMap(([, c]) => c));
  const r = heldOutRetrieval(codes, rows.length, 2, rows.map(([s]) => s), new Set(['Q1', 'Q2']), (s) => group[s], { k: 2, seed: 1, permutations: 999 });
  assert.equal(r.database, 4);
  assert.deepEqual(r.queries, [
    { subject: 'Q1', group: 'g1', precision: 1, baseRate: 0.5, neighbours: ['A', 'B'] },
    // Q2's code is all zero: no direction to search by, precision 0.
    { subject: 'Q2', group: 'g2', precision: 0, baseRate: 0.5, neighbours: [] },
  ]);
  assert.deepEqual(r.silent, ['Q2']);
  assert.equal(r.precision, 0.5);
  assert.equal(r.baseRate, 0.5);
  assert.deepEqual(r.byGroup, [{ group: 'g1', queries: 1, precision: 1, baseRate: 0.5 }, { group: 'g2', queries: 1, precision: 0, baseRate: 0.5 }]);
  // Only Q1's list counts: shuffled labels put both A and B in g1 with probability 1/6, so p ≈ (1 + 999/6) / 1000 ≈ 0.17.
  assert.ok(r.permutationP > 0.12 && r.permutationP < 0.22, `p = ${r.permutationP}`);
});
