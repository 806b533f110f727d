import * as tf from '@tensorflow/tfjs-core';
import { serialization } from '@tensorflow/tfjs-core';
import { layers } from '@tensorflow/tfjs-layers';
import type { Shape } from '@tensorflow/tfjs-layers';
import { routeDomains } from './domain_routing.js';
import { addDsbnVariables, domainBatchNorm, type DsbnVariables } from './dsbn_core.js';
import { channelsOf, checkInt, checkNumber, shapeList, tensorList } from './layer_utils.js';
import type { BaseLayerArgs, CallKwargs } from './types.js';

/** Constructor arguments of {@link DomainSpecificBatchNorm}. */
export interface DomainSpecificBatchNormArgs extends BaseLayerArgs {
  /** Number of domains K (datasets); domain indices run over `0 … K-1`. */
  numDomains: number;
  /** ε added to the variance; the papers use 1e-5 (the default). */
  epsilon?: number;
  /**
   * Moving-average momentum in the Keras / tfjs-layers convention: `moving ← momentum·moving + (1−momentum)·batch`.
   * Default 0.99 (PyTorch's `momentum=0.1` corresponds to 0.9 here).
   */
  momentum?: number;
}

/**
 * Domain-specific batch normalization, DSBN (multi-task paper Eq. 2, conference paper Eq. 1):
 *
 * `DSBN_k(v) = γ_k · (v − μ_k) / sqrt(σ_k² + ε) + β_k`
 *
 * with per-domain scale γ_k, shift β_k and, for each domain k, the mean μ_k and variance σ_k² of domain k's
 * samples in the training batch (over batch and spatial axes), or domain k's moving statistics at inference.
 *
 * Inputs `[features, domain]`: features `[batch, ...spatial, C]` (2D NHWC or 3D NDHWC, any rank ≥ 2),
 * domain an int32 `[batch]` (or `[batch, 1]`) tensor of indices in `[0, numDomains)`. A batch may mix domains;
 * the result equals normalizing each domain's sub-batch separately. A domain absent from a training batch
 * keeps its moving statistics. Output: same shape as the features.
 *
 * Weights (all `[K, C]`, real layer weights): `gamma`, `beta` (trainable), `moving_mean`, `moving_variance`
 * (non-trainable). The variance used for normalization and for the moving average is the biased batch
 * variance, as in tfjs-layers' BatchNormalization.
 *
 * In a functional model that is trained with `fit()` or run with `predict()`, declare the domain input as
 * `tf.input({ shape: [1], dtype: 'int32' })` and feed `[batch, 1]` indices: those methods expand rank-1
 * data to `[batch, 1]` before checking shapes. `model.apply` and custom training loops also accept a
 * `shape: []` input fed with `[batch]` indices. Both layouts are accepted by every multi-domain layer.
 *
 * @throws {@link DomainIndexError} at call time for a wrong domain dtype, length or an index out of range.
 */
export class DomainSpecificBatchNorm extends layers.Layer {
  /** Registered class name (serialization key). */
  static readonly className = 'DomainSpecificBatchNorm';
  /** Number of domains K. */
  readonly numDomains: number;
  /** ε added to the variance. */
  readonly epsilon: number;
  /** Moving-average momentum (Keras convention). */
  readonly momentum: number;
  private vars: DsbnVariables | null = null;

  /** @param args - see {@link DomainSpecificBatchNormArgs}. */
  constructor(args: DomainSpecificBatchNormArgs) {
    super(args);
    const where = 'DomainSpecificBatchNorm';
    this.numDomains = checkInt(args.numDomains, 'numDomains', where);
    this.epsilon = checkNumber(args.epsilon ?? 1e-5, 'epsilon', where, 0, Infinity, true);
    this.momentum = checkNumber(args.momentum ?? 0.99, 'momentum', where, 0, 1);
  }

  /** Creates the `[K, C]` weights from the features' channel count. */
  override build(inputShape: Shape | Shape[]): void {
    const [features] = shapeList(inputShape, 2, this.name) as [Shape, Shape];
    const channels = channelsOf(features, this.name);
    this.vars = addDsbnVariables(
      (name, shape, init, trainable) => this.addWeight(name, shape, 'float32', init, undefined, trainable),
      '',
      this.numDomains,
      channels,
    );
    this.built = true;
  }

  /** Same shape as the features (the first input). */
  override computeOutputShape(inputShape: Shape | Shape[]): Shape {
    return shapeList(inputShape, 2, this.name)[0] as Shape;
  }

  /** Normalizes each sample with its domain's statistics; `kwargs.training` selects batch vs moving statistics. */
  override call(inputs: tf.Tensor | tf.Tensor[], kwargs: CallKwargs): tf.Tensor {
    return tf.tidy(() => {
      const [x, domain] = tensorList(inputs, 2, this.name) as [tf.Tensor, tf.Tensor];
      const onehot = routeDomains(domain, x.shape[0] as number, this.numDomains, this.name);
      return domainBatchNorm(x, onehot, this.vars as DsbnVariables, {
        training: kwargs['training'] === true,
        epsilon: this.epsilon,
        momentum: this.momentum,
      });
    });
  }

  /** Serializable configuration (`numDomains`, `epsilon`, `momentum` plus the base layer fields). */
  override getConfig(): serialization.ConfigDict {
    return { ...super.getConfig(), numDomains: this.numDomains, epsilon: this.epsilon, momentum: this.momentum };
  }
}
serialization.registerClass(DomainSpecificBatchNorm);
