// The tfjs backend of a worker, chosen in one place so that the engine's backend selection (tfjs-node-gpu →
// tfjs-node → wasm → cpu, issue 13) replaces this one function: wasm from the installed package's .wasm files,
// or the plain cpu backend when wasm cannot start.
import * as tf from '@tensorflow/tfjs';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { dirname, join } from 'node:path';

let chosen: Promise<string> | null = null;

/** Initialises tfjs once per process; resolves with the backend's name ('wasm' or 'cpu'). */
export function initTfjs(): Promise<string> {
  chosen ??= (async () => {
    try {
      setWasmPaths(join(dirname(require.resolve('@tensorflow/tfjs-backend-wasm/package.json')), 'dist') + '/');
      if (await tf.setBackend('wasm')) {
        await tf.ready();
        return tf.getBackend();
      }
    } catch {
      /* no wasm here (a packaged app without the .wasm files): the cpu backend always works */
    }
    await tf.setBackend('cpu');
    await tf.ready();
    return tf.getBackend();
  })();
  return chosen;
}

export function liveTensors(): number {
  return tf.memory().numTensors;
}
