// A tfjs-layers Conv1D that runs GaitLab's fused op (ops/conv1d-bias-activation.ts): the same weights, shapes
// and results as tf.layers.conv1d with a bias and a linear or relu activation, with one dispatch forward instead
// of three. Registered for serialisation, so saved models load back to it.
import * as tf from '@tensorflow/tfjs';
import { conv1dBiasActivation } from './conv1d-bias-activation';
import type { FusedActivation } from './kernel-names';

type LayerArgs = ConstructorParameters<typeof tf.layers.Layer>[0];
type Initializer = ReturnType<typeof tf.initializers.zeros>;

export interface GaitlabConv1DArgs extends NonNullable<LayerArgs> {
  filters: number;
  kernelSize: number;
  strides?: number;
  padding?: 'same' | 'valid';
  activation?: FusedActivation;
  /** Default glorotUniform, as tf.layers.conv1d. */
  kernelInitializer?: Initializer;
  /** Default zeros, as tf.layers.conv1d. */
  biasInitializer?: Initializer;
}

export class GaitlabConv1D extends tf.layers.Layer {
  static readonly className = 'GaitlabConv1D';
  private readonly args: Required<Pick<GaitlabConv1DArgs, 'filters' | 'kernelSize' | 'strides' | 'padding' | 'activation'>>;
  private readonly kernelInitializer: Initializer;
  private readonly biasInitializer: Initializer;
  private kernel: tf.LayerVariable | null = null;
  private bias: tf.LayerVariable | null = null;

  constructor(args: GaitlabConv1DArgs) {
    super(args);
    const { filters, kernelSize, strides = 1, padding = 'valid', activation = 'linear' } = args;
    if (!(Number.isInteger(filters) && filters > 0 && Number.isInteger(kernelSize) && kernelSize > 0 && Number.isInteger(strides) && strides > 0)) {
      throw new Error(`GaitlabConv1D: filters, kernelSize and strides must be positive integers (got ${filters}, ${kernelSize}, ${strides})`);
    }
    if (activation !== 'linear' && activation !== 'relu') throw new Error(`GaitlabConv1D: activation must be linear or relu, got ${String(activation)}`);
    this.args = { filters, kernelSize, strides, padding, activation };
    this.kernelInitializer = args.kernelInitializer ?? tf.initializers.glorotUniform({});
    this.biasInitializer = args.biasInitializer ?? tf.initializers.zeros();
  }

  override build(inputShape: tf.Shape | tf.Shape[]): void {
    const shape = (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as tf.Shape;
    const inChannels = shape[shape.length - 1];
    if (inChannels == null) throw new Error('GaitlabConv1D: the channel dimension of the input must be known');
    this.kernel = this.addWeight('kernel', [this.args.kernelSize, inChannels, this.args.filters], 'float32', this.kernelInitializer);
    this.bias = this.addWeight('bias', [this.args.filters], 'float32', this.biasInitializer);
    this.built = true;
  }

  override computeOutputShape(inputShape: tf.Shape | tf.Shape[]): tf.Shape {
    const shape = (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as tf.Shape;
    const width = shape[1];
    const { kernelSize, strides, padding, filters } = this.args;
    const out = width == null ? null : padding === 'same' ? Math.ceil(width / strides) : Math.ceil((width - kernelSize + 1) / strides);
    return [shape[0], out, filters];
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    return tf.tidy(() => {
      const x = (Array.isArray(inputs) ? inputs[0] : inputs) as tf.Tensor3D;
      return conv1dBiasActivation({
        x,
        filter: this.kernel!.read() as tf.Tensor3D,
        bias: this.bias!.read() as tf.Tensor1D,
        stride: this.args.strides,
        pad: this.args.padding,
        activation: this.args.activation,
      });
    });
  }

  /** Shapes and activation; initialisers are not kept, as a loaded model brings its own weights. */
  override getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), ...this.args };
  }
}

tf.serialization.registerClass(GaitlabConv1D);

/** tf.layers.conv1d's counterpart: `gaitlabConv1d({ filters: 32, kernelSize: 7, padding: 'same', activation: 'relu' })`. */
export function gaitlabConv1d(args: GaitlabConv1DArgs): GaitlabConv1D {
  return new GaitlabConv1D(args);
}
