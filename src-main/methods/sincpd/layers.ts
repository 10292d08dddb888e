// The other layers of SincPD that tfjs lacks or gets wrong (methods-spec §3.3.4): the sincnet-tensorflow LayerNorm
// (ε added to the std, not the variance), a dropout whose masks come from a seeded stream (tf.layers.dropout with
// a seed draws the same mask at every step), and a max-pool whose gradient is right on wasm. The front end's
// layers (LayerNorm, LeakyReLU, pooling, the concatenation of the sensors) run front-end-ops.ts: one kernel each on
// wasm, the standard tfjs composition elsewhere.
import * as tf from '@tensorflow/tfjs';
import { sincConcatLastAxis, sincLayerNorm, sincLeakyRelu, sincPairMaxPool } from './front-end-ops';

type LayerArgs = NonNullable<ConstructorParameters<typeof tf.layers.Layer>[0]>;
type Kwargs = Record<string, unknown>;

/** sincnet-tensorflow's LayerNorm over the last axis: γ (y − mean)/(std + 1e-6) + β, population std. */
export class SincLayerNorm extends tf.layers.Layer {
  static readonly className = 'SincLayerNorm';
  private gamma: tf.LayerVariable | null = null;
  private beta: tf.LayerVariable | null = null;

  override build(inputShape: tf.Shape | tf.Shape[]): void {
    const shape = (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as tf.Shape;
    const n = shape[shape.length - 1]!;
    this.gamma = this.addWeight('gamma', [n], 'float32', tf.initializers.ones());
    this.beta = this.addWeight('beta', [n], 'float32', tf.initializers.zeros());
    this.built = true;
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    return tf.tidy(() => {
      const y = Array.isArray(inputs) ? inputs[0] : inputs;
      return sincLayerNorm(y, this.gamma!.read(), this.beta!.read());
    });
  }
}
tf.serialization.registerClass(SincLayerNorm);

export interface SeededDropoutArgs extends LayerArgs {
  rate: number;
  seed: number;
}

/** Inverted dropout whose k-th training call draws its mask with seed (seed + k): different masks, reproducible. */
export class SeededDropout extends tf.layers.Layer {
  static readonly className = 'SeededDropout';
  readonly rate: number;
  readonly seed: number;
  private calls = 0;

  constructor(args: SeededDropoutArgs) {
    super(args);
    this.rate = args.rate;
    this.seed = args.seed;
  }

  override computeOutputShape(inputShape: tf.Shape | tf.Shape[]): tf.Shape {
    return inputShape as tf.Shape;
  }

  override call(inputs: tf.Tensor | tf.Tensor[], kwargs: Kwargs): tf.Tensor {
    const x = Array.isArray(inputs) ? inputs[0] : inputs;
    if (kwargs.training !== true || this.rate <= 0) return tf.clone(x);
    const seed = this.seed + this.calls++;
    return tf.tidy(() => {
      const keep = tf.cast(tf.greaterEqual(tf.randomUniform(x.shape, 0, 1, 'float32', seed), this.rate), 'float32');
      return tf.mul(x, tf.div(keep, 1 - this.rate));
    });
  }

  override getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), rate: this.rate, seed: this.seed };
  }
}
tf.serialization.registerClass(SeededDropout);

/**
 * MaxPool1D with pool 2, stride 2, VALID over [B, T, C] (an odd last step dropped), as max(even, odd) of the
 * pairs: the same values and the same gradient (to the first of equal maxima) as tf.layers.maxPooling1d, without
 * wasm's MaxPoolGrad (wrong in 4.22, and a quarter of a SincPD training step).
 */
export class PairMaxPool1D extends tf.layers.Layer {
  static readonly className = 'PairMaxPool1D';

  override computeOutputShape(inputShape: tf.Shape | tf.Shape[]): tf.Shape {
    const shape = (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as tf.Shape;
    return [shape[0], shape[1] == null ? null : Math.floor(shape[1] / 2), shape[2]];
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    return tf.tidy(() => {
      const x = (Array.isArray(inputs) ? inputs[0] : inputs) as tf.Tensor3D;
      return sincPairMaxPool(x);
    });
  }
}
tf.serialization.registerClass(PairMaxPool1D);

export interface SincLeakyReLUArgs extends LayerArgs {
  alpha: number;
}

/** tf.layers.leakyReLU's values and gradient, on front-end-ops (one kernel each way on wasm). */
export class SincLeakyReLU extends tf.layers.Layer {
  static readonly className = 'SincLeakyReLU';
  readonly alpha: number;

  constructor(args: SincLeakyReLUArgs) {
    super(args);
    this.alpha = args.alpha;
  }

  override computeOutputShape(inputShape: tf.Shape | tf.Shape[]): tf.Shape {
    return inputShape as tf.Shape;
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    return sincLeakyRelu(Array.isArray(inputs) ? inputs[0] : inputs, this.alpha);
  }

  override getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), alpha: this.alpha };
  }
}
tf.serialization.registerClass(SincLeakyReLU);

/**
 * tf.layers.concatenate along the last axis, on front-end-ops: its gradient splits dy along that axis, which
 * tfjs-backend-wasm 4.22's SplitV did slowly enough to be a tenth of a SincPD training step.
 */
export class SensorConcat extends tf.layers.Layer {
  static readonly className = 'SensorConcat';

  override computeOutputShape(inputShape: tf.Shape | tf.Shape[]): tf.Shape {
    const shapes = inputShape as tf.Shape[];
    const widths = shapes.map((s) => s[s.length - 1]);
    return [...shapes[0].slice(0, -1), widths.some((w) => w == null) ? null : (widths as number[]).reduce((a, b) => a + b, 0)];
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    return sincConcatLastAxis(Array.isArray(inputs) ? inputs : [inputs]);
  }
}
tf.serialization.registerClass(SensorConcat);
