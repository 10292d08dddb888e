// Spec §5.1.11 check 5: maps from a NumPy re-implementation of the LRP Toolbox formulas
// (test/fixtures/lrp/make-golden.py, run with /usr/bin/python3; output checked in as golden.json) on a small
// fixed-weight CNN (two strided convolutions) and MLP, for both composites; GaitLab matches them to 1e-6 relative.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { attribute, parseComposite, type Layer, type LrpModel } from '../../src-shared/lrp';
import { REPO } from '../helpers';
import { maxAbs } from './random-models';

interface GoldenLayer { kind: Layer['kind']; weight?: number[]; bias?: number[]; [key: string]: unknown }
interface Golden {
  models: { name: string; inputSize: number; layers: GoldenLayer[]; cases: { input: number[]; target: number; composite: string; logits: number[]; relevance: number[] }[] }[];
}

function toLayer(layer: GoldenLayer): Layer {
  const base = { ...layer } as Record<string, unknown>;
  if (layer.weight) base.weight = Float64Array.from(layer.weight);
  if (layer.bias) base.bias = Float64Array.from(layer.bias);
  return base as unknown as Layer;
}

test('GaitLab LRP matches the NumPy golden maps to 1e-6 relative (CNN with strided convs, MLP; both composites)', () => {
  const golden = JSON.parse(readFileSync(join(REPO, 'test/fixtures/lrp/golden.json'), 'utf8')) as Golden;
  assert.equal(golden.models.length, 2);
  for (const m of golden.models) {
    const model: LrpModel = { inputSize: m.inputSize, layers: m.layers.map(toLayer) };
    assert.equal(m.cases.length, 4);
    for (const c of m.cases) {
      const a = attribute(model, Float64Array.from(c.input), c.target, parseComposite(c.composite));
      c.logits.forEach((v, k) => assert.ok(Math.abs(a.logits[k] - v) <= 1e-9 * Math.max(1, Math.abs(v))));
      const scale = maxAbs(c.relevance);
      assert.ok(scale > 0);
      c.relevance.forEach((v, i) => assert.ok(Math.abs(a.relevance[i] - v) <= 1e-6 * scale, `${m.name} ${c.composite} input ${i}: ${a.relevance[i]} vs ${v}`));
    }
  }
});
