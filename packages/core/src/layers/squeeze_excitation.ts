import * as tf from '@tensorflow/tfjs-core';
import { serialization } from '@tensorflow/tfjs-core';
import { initializers, layers } from '@tensorflow/tfjs-layers';
import type { LayerVariable, Shape } from '@tensorflow/tfjs-layers';
import { applyActivation, checkActivation, type BlockActivation } from './activation.js';
import { LayerInputError } from './errors.js';
import { channelsOf, checkFeatureRank, checkInt, shapeList, tensorList } from './layer_utils.js';
import type { BaseLayerArgs, CallKwargs } from './types.js';

/** @internal The four weights of a squeeze-and-excitation module. */
export interface SeWeights {
  readonly squeezeKernel: LayerVariable;
  readonly squeezeBias: LayerVariable;
  readonly exciteKernel: LayerVariable;
  readonly exciteBias: LayerVariable;
}

/** @internal Creates SE weights `${prefix}squeeze_kernel` `[C, S]`, `…_bias` `[S]`, `${prefix}excite_kernel` `[S, C]`, `…_bias` `[C]`. */
export function addSeWeights(
  add: (name: string, shape: number[], init: ReturnType<typeof initializers.zeros>) => LayerVariable,
  prefix: string,
  channels: number,
  squeezeChannels: number,
): SeWeights {
  return {
    squeezeKernel: add(`${prefix}squeeze_kernel`, [channels, squeezeChannels], initializers.glorotUniform({})),
    squeezeBias: add(`${prefix}squeeze_bias`, [squeezeChannels], initializers.zeros()),
    exciteKernel: add(`${prefix}excite_kernel`, [squeezeChannels, channels], initializers.glorotUniform({})),
    exciteBias: add(`${prefix}excite_bias`, [channels], initializers.zeros()),
  };
}

/** @internal `x · sigmoid(W_e σ(W_s GAP(x) + b_s) + b_e)`, the excitation broadcast over space. */
export function squeezeExcite(x: tf.Tensor, w: SeWeights, activation: BlockActivation): tf.Tensor {
  return tf.tidy(() => {
    const axes = x.shape.slice(1, -1).map((_, i) => i + 1);
    const squeezed = tf.mean(x, axes) as tf.Tensor2D;
    const hidden = applyActivation(tf.add(tf.matMul(squeezed, w.squeezeKernel.read() as tf.Tensor2D), w.squeezeBias.read()), activation);
    const excite = tf.sigmoid(tf.add(tf.matMul(hidden as tf.Tensor2D, w.exciteKernel.read() as tf.Tensor2D), w.exciteBias.read()));
    return tf.mul(x, tf.reshape(excite, [x.shape[0] as number, ...axes.map(() => 1), x.shape[x.rank - 1] as number]));
  });
}

/** Constructor arguments of {@link SqueezeExcitation}. */
export interface SqueezeExcitationArgs extends BaseLayerArgs {
  /** Width S of the bottleneck (EfficientNet: a quarter of the MBConv block's input channels). */
  squeezeChannels: number;
  /** Bottleneck non-linearity (default `silu`, as EfficientNet). */
  activation?: BlockActivation;
}

/**
 * Squeeze-and-excitation (Hu et al. 2018), as inside EfficientNet's MBConv (multi-task paper Fig. 3):
 *
 * `s = GAP(x)`, `e = sigmoid(W_e σ(W_s s + b_s) + b_e)`, `y = x · e` (channel-wise).
 *
 * Input: 2D (NHWC) or 3D (NDHWC) features; output: same shape. Weights: `squeeze_kernel` `[C, S]`,
 * `squeeze_bias` `[S]`, `excite_kernel` `[S, C]`, `excite_bias` `[C]`. It has no domain-specific
 * parameters, so it takes no domain input.
 */
export class SqueezeExcitation extends layers.Layer {
  /** Registered class name (serialization key). */
  static readonly className = 'SqueezeExcitation';
  /** Bottleneck width S. */
  readonly squeezeChannels: number;
  /** Bottleneck non-linearity. */
  readonly activation: BlockActivation;
  private se: SeWeights | null = null;

  /** @param args - see {@link SqueezeExcitationArgs}. */
  constructor(args: SqueezeExcitationArgs) {
    super(args);
    this.squeezeChannels = checkInt(args.squeezeChannels, 'squeezeChannels', 'SqueezeExcitation');
    this.activation = checkActivation(args.activation ?? 'silu', 'SqueezeExcitation');
  }

  /** Creates the bottleneck weights. */
  override build(inputShape: Shape | Shape[]): void {
    const [shape] = shapeList(inputShape, 1, this.name) as [Shape];
    checkFeatureRank(shape, this.name);
    this.se = addSeWeights((n, s, i) => this.addWeight(n, s, 'float32', i), '', channelsOf(shape, this.name), this.squeezeChannels);
    this.built = true;
  }

  /** Same shape as the input. */
  override computeOutputShape(inputShape: Shape | Shape[]): Shape {
    return shapeList(inputShape, 1, this.name)[0] as Shape;
  }

  /** Rescales the channels of the input. */
  override call(inputs: tf.Tensor | tf.Tensor[], _kwargs: CallKwargs): tf.Tensor {
    const [x] = tensorList(inputs, 1, this.name) as [tf.Tensor];
    checkFeatureRank(x.shape, this.name);
    const se = this.se as SeWeights;
    if (x.shape[x.rank - 1] !== se.exciteBias.shape[0]) {
      throw new LayerInputError(`${this.name}: input has ${x.shape[x.rank - 1]} channels, built for ${String(se.exciteBias.shape[0])}`);
    }
    return squeezeExcite(x, se, this.activation);
  }

  /** Serializable configuration. */
  override getConfig(): serialization.ConfigDict {
    return { ...super.getConfig(), squeezeChannels: this.squeezeChannels, activation: this.activation };
  }
}
serialization.registerClass(SqueezeExcitation);
