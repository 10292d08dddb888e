// Kernel by kernel: tfjs-backend-wasm's own kernel (or, where wasm has none, the cpu backend's) against GaitLab's,
// on the shapes of the benchmark's training steps. Printed by npm run bench:kernels after the steps.
import * as tf from '@tensorflow/tfjs';
import { initTfjsBackend } from '../src-main/compute/tfjs/backend';
import { asWasm, runOriginal } from '../src-main/compute/tfjs/kernels/wasm-kernel-api';

function bestMicros(step: () => void, rounds = 7, calls = 30): number {
  for (let i = 0; i < 5; i++) step();
  let best = Infinity;
  for (let r = 0; r < rounds; r++) {
    const start = performance.now();
    for (let i = 0; i < calls; i++) step();
    best = Math.min(best, (performance.now() - start) / calls);
  }
  return best * 1000;
}

interface KernelCase {
  name: string;
  /** The kernel as tfjs ships it: wasm's own (run directly, GaitLab's replacement bypassed) or cpu's. */
  reference: { label: string; run: () => void };
  gaitlab: () => void;
}

export async function kernelFigures(): Promise<string[]> {
  await initTfjsBackend({ order: ['wasm'] });
  const wasm = asWasm(tf.engine().backend);
  const t = (shape: number[]) => tf.randomNormal(shape);
  const x = t([5, 1, 101, 6]);
  const filter = t([1, 7, 6, 32]);
  const dy = t([5, 1, 101, 32]);
  const xd = t([5, 606]);
  const w1 = t([606, 1024]);
  const dh = t([5, 1024]);
  const convAttrs = { strides: [1, 1], pad: 'same', dataFormat: 'NHWC' };
  // Tensors made per call so that no operand is one XNNPACK has already packed (as in training).
  const fresh = (v: tf.Tensor) => tf.add(v, 0);
  const onWasmOriginal = (name: string, inputs: Record<string, tf.Tensor>, attrs: tf.NamedAttrMap) => () =>
    tf.tidy(() => {
      const out = runOriginal(name, wasm, inputs, attrs);
      wasm.disposeData(out.dataId);
    });
  const cpuInputs = async <T extends Record<string, tf.Tensor>>(inputs: T): Promise<T> => {
    await tf.setBackend('cpu');
    const moved = Object.fromEntries(Object.entries(inputs).map(([k, v]) => [k, tf.tensor(v.dataSync(), v.shape)])) as T;
    await tf.setBackend('wasm');
    return moved;
  };
  const cpuFilterInputs = await cpuInputs({ x, dy });
  const cases: KernelCase[] = [
    {
      name: 'Conv2DBackpropInput [5,1,101,32]→[5,1,101,6]',
      reference: { label: 'wasm', run: onWasmOriginal('Conv2DBackpropInput', { dy, filter }, { ...convAttrs, inputShape: [5, 1, 101, 6] }) },
      gaitlab: () => tf.tidy(() => { tf.engine().runKernel('Conv2DBackpropInput', { dy, filter }, { ...convAttrs, inputShape: [5, 1, 101, 6] }); }),
    },
    {
      name: 'Conv2DBackpropFilter → [1,7,6,32]',
      reference: {
        label: 'cpu',
        run: () => {
          tf.engine().setBackend('cpu');
          tf.tidy(() => { tf.engine().runKernel('Conv2DBackpropFilter', cpuFilterInputs, { ...convAttrs, filterShape: [1, 7, 6, 32] }); });
          tf.engine().setBackend('wasm');
        },
      },
      gaitlab: () => tf.tidy(() => { tf.engine().runKernel('Conv2DBackpropFilter', { x, dy }, { ...convAttrs, filterShape: [1, 7, 6, 32] }); }),
    },
    {
      name: 'x·W, W 606×1024 new, batch 5',
      reference: { label: 'wasm', run: () => tf.tidy(() => onWasmOriginal('BatchMatMul', { a: xd, b: fresh(w1) }, { transposeA: false, transposeB: false })()) },
      gaitlab: () => tf.tidy(() => { tf.matMul(xd, fresh(w1)); }),
    },
    {
      name: 'dW = xᵀ·dy, 606×1024, batch 5',
      reference: { label: 'wasm', run: onWasmOriginal('BatchMatMul', { a: xd, b: dh }, { transposeA: true, transposeB: false }) },
      gaitlab: () => tf.tidy(() => { tf.matMul(xd, fresh(dh), true, false); }),
    },
    {
      name: 'dx = dy·Wᵀ, 606×1024, batch 5',
      reference: { label: 'wasm', run: onWasmOriginal('BatchMatMul', { a: dh, b: w1 }, { transposeA: false, transposeB: true }) },
      gaitlab: () => tf.tidy(() => { tf.matMul(dh, w1, false, true); }),
    },
  ];
  const lines = [`${'kernel (µs per call, best of 7)'.padEnd(44)} ${'tfjs'.padStart(14)} ${'GaitLab'.padStart(9)}`];
  for (const c of cases) {
    const ref = bestMicros(c.reference.run, 5, c.reference.label === 'cpu' ? 3 : 30);
    const ours = bestMicros(c.gaitlab);
    lines.push(`${c.name.padEnd(44)} ${`${ref.toFixed(0)} (${c.reference.label})`.padStart(14)} ${ours.toFixed(0).padStart(9)}`);
  }
  tf.dispose([x, filter, dy, xd, w1, dh, ...Object.values(cpuFilterInputs)]);
  return lines;
}
