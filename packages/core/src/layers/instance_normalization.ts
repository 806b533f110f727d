import * as tf from '@tensorflow/tfjs-core';
import { serialization } from '@tensorflow/tfjs-core';
import { initializers, layers } from '@tensorflow/tfjs-layers';
import type { LayerVariable, Shape } from '@tensorflow/tfjs-layers';
import { LayerInputError } from './errors.js';
import { channelsOf, checkFeatureRank, checkNumber, shapeList, tensorList } from './layer_utils.js';
import type { BaseLayerArgs, CallKwargs } from './types.js';

/** Constructor arguments of {@link InstanceNormalization}. */
export interface InstanceNormalizationArgs extends BaseLayerArgs {
  /** ε added to the variance (default 1e-5, as PyTorch's InstanceNorm). */
  epsilon?: number;
  /** Learn a per-channel shift β (default true). */
  center?: boolean;
  /** Learn a per-channel scale γ (default true). */
  scale?: boolean;
}

/**
 * Instance normalization (Ulyanov et al. 2016), used after the strided convolutions of the shape-regression
 * network (shape fitting paper, Fig. 3): each sample and channel is normalized over its own spatial axes,
 *
 * `y_{n,…,c} = γ_c · (x_{n,…,c} − μ_{n,c}) / sqrt(σ²_{n,c} + ε) + β_c`,
 *
 * with μ_{n,c}, σ²_{n,c} the mean and biased variance over the spatial axes of sample n, channel c.
 * There are no running statistics, so training and inference compute the same thing. Input: 2D (NHWC) or
 * 3D (NDHWC) features; output: same shape. Weights: `gamma`, `beta` of shape `[C]` (when enabled).
 */
export class InstanceNormalization extends layers.Layer {
  /** Registered class name (serialization key). */
  static readonly className = 'InstanceNormalization';
  /** ε added to the variance. */
  readonly epsilon: number;
  /** Whether β is learned. */
  readonly center: boolean;
  /** Whether γ is learned. */
  readonly scale: boolean;
  private gamma: LayerVariable | null = null;
  private beta: LayerVariable | null = null;

  /** @param args - see {@link InstanceNormalizationArgs}. */
  constructor(args: InstanceNormalizationArgs = {}) {
    super(args);
    this.epsilon = checkNumber(args.epsilon ?? 1e-5, 'epsilon', 'InstanceNormalization', 0, Infinity, true);
    this.center = args.center ?? true;
    this.scale = args.scale ?? true;
  }

  /** Creates `gamma` / `beta` of shape `[C]`. */
  override build(inputShape: Shape | Shape[]): void {
    const [shape] = shapeList(inputShape, 1, this.name) as [Shape];
    checkFeatureRank(shape, this.name);
    const channels = channelsOf(shape, this.name);
    if (this.scale) this.gamma = this.addWeight('gamma', [channels], 'float32', initializers.ones());
    if (this.center) this.beta = this.addWeight('beta', [channels], 'float32', initializers.zeros());
    this.built = true;
  }

  /** Same shape as the input. */
  override computeOutputShape(inputShape: Shape | Shape[]): Shape {
    return shapeList(inputShape, 1, this.name)[0] as Shape;
  }

  /** Normalizes every (sample, channel) over its spatial axes. */
  override call(inputs: tf.Tensor | tf.Tensor[], _kwargs: CallKwargs): tf.Tensor {
    return tf.tidy(() => {
      const [x] = tensorList(inputs, 1, this.name) as [tf.Tensor];
      checkFeatureRank(x.shape, this.name);
      const built = (this.gamma ?? this.beta)?.shape[0];
      if (built != null && x.shape[x.rank - 1] !== built) {
        throw new LayerInputError(`${this.name}: input has ${x.shape[x.rank - 1]} channels, built for ${built}`);
      }
      const axes = x.rank === 4 ? [1, 2] : [1, 2, 3];
      const { mean, variance } = tf.moments(x, axes, true);
      let y = tf.mul(tf.sub(x, mean), tf.rsqrt(tf.add(variance, this.epsilon)));
      if (this.gamma) y = tf.mul(y, this.gamma.read());
      if (this.beta) y = tf.add(y, this.beta.read());
      return y;
    });
  }

  /** Serializable configuration. */
  override getConfig(): serialization.ConfigDict {
    return { ...super.getConfig(), epsilon: this.epsilon, center: this.center, scale: this.scale };
  }
}
serialization.registerClass(InstanceNormalization);
