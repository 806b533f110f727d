import * as tf from '@tensorflow/tfjs-core';
import { serialization } from '@tensorflow/tfjs-core';
import { initializers, layers } from '@tensorflow/tfjs-layers';
import type { LayerVariable, Shape } from '@tensorflow/tfjs-layers';
import { applyActivation, checkActivation, type BlockActivation } from './activation.js';
import { routeDomains } from './domain_routing.js';
import { addDsbnVariables, domainBatchNorm, type DsbnVariables } from './dsbn_core.js';
import { LayerInputError } from './errors.js';
import {
  channelsOf,
  checkFeatureRank,
  checkInt,
  checkNumber,
  convSame,
  sameExtent,
  shapeList,
  tensorList,
} from './layer_utils.js';
import type { BaseLayerArgs, CallKwargs } from './types.js';

/** Constructor arguments of {@link MultiDomainConvBlock}. */
export interface MultiDomainConvBlockArgs extends BaseLayerArgs {
  /** Number of domains K. */
  numDomains: number;
  /** Output channels of the shared convolution. */
  filters: number;
  /** Cubic / square kernel extent (default 3). */
  kernelSize?: number;
  /** Stride on every spatial axis (default 1); padding is always `same`. */
  strides?: number;
  /** σ of Eq. 3 (default `relu`; the Efficient-UNet uses `silu`). */
  activation?: BlockActivation;
  /** DSBN ε (default 1e-5). */
  epsilon?: number;
  /** DSBN moving-average momentum, Keras convention (default 0.99). */
  momentum?: number;
}

/**
 * Multi-domain block (multi-task paper Eq. 3): a shared convolution without bias (its role is subsumed by
 * the DSBN shift), domain-specific batch normalization, then a non-linearity,
 *
 * `u^k_{l+1} = σ(DSBN_{γ^k, β^k}(Θ_l ∗ u^k_l))`.
 *
 * Inputs `[features, domain]`: features 2D (NHWC) or 3D (NDHWC), domain int32 `[batch]`.
 * Output `[batch, ...ceil(spatial / strides), filters]`. Weights: `kernel` `[k, k(, k), Cin, filters]`
 * (shared, Glorot-uniform), and the DSBN weights `dsbn_gamma`, `dsbn_beta`, `dsbn_moving_mean`,
 * `dsbn_moving_variance` (`[K, filters]`).
 *
 * @throws {@link DomainIndexError} at call time for a bad domain tensor.
 */
export class MultiDomainConvBlock extends layers.Layer {
  /** Registered class name (serialization key). */
  static readonly className = 'MultiDomainConvBlock';
  /** Number of domains K. */
  readonly numDomains: number;
  /** Output channels. */
  readonly filters: number;
  /** Kernel extent. */
  readonly kernelSize: number;
  /** Spatial stride. */
  readonly strides: number;
  /** Non-linearity. */
  readonly activation: BlockActivation;
  /** DSBN ε. */
  readonly epsilon: number;
  /** DSBN momentum. */
  readonly momentum: number;
  private kernel: LayerVariable | null = null;
  private dsbn: DsbnVariables | null = null;

  /** @param args - see {@link MultiDomainConvBlockArgs}. */
  constructor(args: MultiDomainConvBlockArgs) {
    super(args);
    const where = 'MultiDomainConvBlock';
    this.numDomains = checkInt(args.numDomains, 'numDomains', where);
    this.filters = checkInt(args.filters, 'filters', where);
    this.kernelSize = checkInt(args.kernelSize ?? 3, 'kernelSize', where);
    this.strides = checkInt(args.strides ?? 1, 'strides', where);
    this.activation = checkActivation(args.activation ?? 'relu', where);
    this.epsilon = checkNumber(args.epsilon ?? 1e-5, 'epsilon', where, 0, Infinity, true);
    this.momentum = checkNumber(args.momentum ?? 0.99, 'momentum', where, 0, 1);
  }

  /** Creates the shared kernel and the DSBN weights. */
  override build(inputShape: Shape | Shape[]): void {
    const [features] = shapeList(inputShape, 2, this.name) as [Shape, Shape];
    checkFeatureRank(features, this.name);
    const cin = channelsOf(features, this.name);
    const spatial = features.length - 2;
    const kshape = [...Array<number>(spatial).fill(this.kernelSize), cin, this.filters];
    this.kernel = this.addWeight('kernel', kshape, 'float32', initializers.glorotUniform({}));
    this.dsbn = addDsbnVariables(
      (name, shape, init, trainable) => this.addWeight(name, shape, 'float32', init, undefined, trainable),
      'dsbn_',
      this.numDomains,
      this.filters,
    );
    this.built = true;
  }

  /** `[batch, ...ceil(spatial / strides), filters]`. */
  override computeOutputShape(inputShape: Shape | Shape[]): Shape {
    const [features] = shapeList(inputShape, 2, this.name) as [Shape, Shape];
    checkFeatureRank(features, this.name);
    return [features[0] as number | null, ...features.slice(1, -1).map((n) => sameExtent(n, this.strides)), this.filters];
  }

  /** conv → DSBN (batch or moving statistics per `kwargs.training`) → σ. */
  override call(inputs: tf.Tensor | tf.Tensor[], kwargs: CallKwargs): tf.Tensor {
    return tf.tidy(() => {
      const [x, domain] = tensorList(inputs, 2, this.name) as [tf.Tensor, tf.Tensor];
      checkFeatureRank(x.shape, this.name);
      const kernel = this.kernel as LayerVariable;
      if (x.rank !== kernel.shape.length || x.shape[x.rank - 1] !== kernel.shape[kernel.shape.length - 2]) {
        throw new LayerInputError(`${this.name}: features [${x.shape.join(', ')}] do not match the built kernel [${kernel.shape.join(', ')}]`);
      }
      const onehot = routeDomains(domain, x.shape[0] as number, this.numDomains, this.name);
      const conv = convSame(x, kernel.read(), this.strides);
      const normed = domainBatchNorm(conv, onehot, this.dsbn as DsbnVariables, {
        training: kwargs['training'] === true,
        epsilon: this.epsilon,
        momentum: this.momentum,
      });
      return applyActivation(normed, this.activation);
    });
  }

  /** Serializable configuration. */
  override getConfig(): serialization.ConfigDict {
    return {
      ...super.getConfig(),
      numDomains: this.numDomains,
      filters: this.filters,
      kernelSize: this.kernelSize,
      strides: this.strides,
      activation: this.activation,
      epsilon: this.epsilon,
      momentum: this.momentum,
    };
  }
}
serialization.registerClass(MultiDomainConvBlock);
