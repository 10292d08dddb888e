// §5.2.14 loader test: a Gutenberg-format PRO CSV (4 ID columns + 101 values, read by GaitLab's own reader)
// gives 101-sample curves and 135 coefficients; only includeIdColumns gives 141, marked not for interpretation.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { gaitrecGrfFormat } from '../../src-main/formats/gaitrec-grf';
import { replicationRowCoefficients } from '../../src-shared/sae/replication-rows';

const path = resolve(__dirname, '../fixtures/gaitrec/gutenberg/GRF_F_V_PRO_left.csv');
const bytes = readFileSync(path);

test('Gutenberg PRO rows: 101-sample curves → 135 coefficients; with the ID columns 141, not for interpretation', () => {
  const batch = gaitrecGrfFormat.read({ path, name: 'GRF_F_V_PRO_left.csv', bytes, sha256: createHash('sha256').update(bytes).digest('hex') });
  assert.ok(!(batch instanceof Promise));
  const trial = batch.sessions[0].trials[0];
  const curve = trial.channels[0].samples;
  assert.equal(curve.length, 101);
  const plain = replicationRowCoefficients([], curve);
  assert.equal(plain.coefficients.length, 135);
  assert.equal(plain.forInterpretation, true);
  // The same row straight from the CSV text: its first 4 fields are the IDs, the next 101 the curve.
  const row = bytes.toString('utf8').split(/\r?\n/)[1].split(',').map(Number);
  assert.deepEqual(Array.from(row.slice(4), (v) => Math.fround(v)), Array.from(curve, (v) => Math.fround(v)));
  const withIds = replicationRowCoefficients(row.slice(0, 4), row.slice(4), true);
  assert.equal(withIds.coefficients.length, 141);
  assert.equal(withIds.forInterpretation, false);
  assert.throws(() => replicationRowCoefficients([1, 2], curve, true), /needs the 4 ID columns/);
  assert.throws(() => replicationRowCoefficients([], row.slice(3)), /a PRO row has 101 curve values, this one 102/);
});
