// Spec §5.1.4: the worked update factors s_θ of §1.4, and one SGD step of a tiny MLP, a tiny CNN and a linear-sgd
// model on tfjs against a NumPy golden fixture (test/fixtures/horst/make-sgd-golden.py: hand-written
// back-propagation of the batch-summed loss, the §1.4 factors).
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import * as tf from '@tensorflow/tfjs';
import { modelPlan, type ModelPlan, type PlanLayer } from '../../../src-shared/methods/horst/architectures';
import { updateScales } from '../../../src-shared/methods/horst/update-scale';
import { initTfjsBackend } from '../../../src-main/compute/tfjs/backend';
import { createVariables } from '../../../src-main/methods/horst/network';
import { sgdStep } from '../../../src-main/methods/horst/train-network';
import { REPO } from '../../helpers';

const close = (a: number, b: number, rel = 1e-6) => Math.abs(a - b) <= rel * Math.abs(b);

test('update factors: the worked values of §1.4 for CNN-A and MLP(3, 1024), C = 6, K = 57', () => {
  const [conv, dense] = updateScales(modelPlan('cnn-a', 6, 57));
  assert.ok(close(dense.weight, 0.0180422) && close(dense.bias, 0.3639413), JSON.stringify(dense));
  assert.ok(close(conv.weight, 0.1248781) && close(conv.bias, 0.7492686), JSON.stringify(conv));
  const [l1, l2, l3] = updateScales(modelPlan('mlp3-1024', 6, 57));
  assert.ok(close(l3.weight, 0.03125) && close(l3.bias, 0.3639413));
  assert.ok(close(l2.weight, 0.1324532) && close(l2.bias, 0.7492686));
  assert.ok(close(l1.weight, 0.1721774) && close(l1.bias, 0.7492686));
});

interface GoldenLayer { kind: 'dense' | 'conv2d' | 'flatten'; inputs?: number; units?: number; activation?: 'relu' | 'softmax' | 'none'; input?: [number, number, number]; kernel?: [number, number]; filters?: number }
interface SgdCase { name: string; channels: number; layers: GoldenLayer[]; weights: number[][]; biases: number[][]; x: number[]; y: number[]; newWeights: number[][]; newBiases: number[][] }

function planOf(c: SgdCase): ModelPlan {
  const layers: PlanLayer[] = c.layers.map((l): PlanLayer => {
    if (l.kind === 'dense') return { kind: 'dense', inputs: l.inputs!, units: l.units!, activation: l.activation!, output: [l.units!], params: l.inputs! * l.units! + l.units! };
    if (l.kind === 'flatten') return { kind: 'flatten', output: [], params: 0 };
    const [h, w, d] = l.input!;
    const [kh, kw] = l.kernel!;
    return { kind: 'conv2d', input: [h, w, d], kernel: [kh, kw], stride: [1, 1], filters: l.filters!, activation: 'relu', output: [h - kh + 1, w - kw + 1, l.filters!], params: kh * kw * d * l.filters! + l.filters! };
  });
  const kind = c.name === 'linear-sgd' ? 'linear-sgd' : c.name === 'cnn' ? 'cnn-a' : 'mlp3-64';
  return { kind, channels: c.channels, classes: 3, input: c.name === 'cnn' ? 'image' : 'vector', layers, params: layers.reduce((s, l) => s + l.params, 0) };
}

test('one SGD step of the toolbox rule on tfjs matches NumPy (MLP, CNN, linear-sgd) to 1e-3 of the update', async () => {
  await initTfjsBackend();
  const golden = JSON.parse(readFileSync(join(REPO, 'test/fixtures/horst/sgd-golden.json'), 'utf8')) as { learningRate: number; cases: SgdCase[] };
  assert.equal(golden.cases.length, 3);
  for (const c of golden.cases) {
    const plan = planOf(c);
    const vars = createVariables(plan, c.weights.map((w, l) => ({ weight: Float64Array.from(w), bias: Float64Array.from(c.biases[l]) })));
    const x = tf.tensor2d(Float32Array.from(c.x), [c.y.length, c.x.length / c.y.length]);
    const oneHot = tf.oneHot(tf.tensor1d(c.y, 'int32'), 3).toFloat() as tf.Tensor2D;
    sgdStep(plan, vars, x, oneHot, golden.learningRate);
    vars.forEach((v, l) => {
      for (const [got, before, after, what] of [[v.weight.dataSync(), c.weights[l], c.newWeights[l], 'weight'], [v.bias.dataSync(), c.biases[l], c.newBiases[l], 'bias']] as const) {
        const step = after.map((a, i) => a - before[i]);
        const scale = Math.max(...step.map(Math.abs));
        assert.ok(scale > 1e-6, `${c.name} layer ${l} ${what}: the golden step moves the parameters`);
        step.forEach((s, i) => assert.ok(Math.abs(got[i] - Math.fround(before[i]) - s) <= 1e-3 * scale + 1e-7, `${c.name} layer ${l} ${what}[${i}]: ${got[i] - before[i]} vs ${s}`));
      }
      v.weight.dispose(); v.bias.dispose();
    });
    tf.dispose([x, oneHot]);
  }
});
