import * as tf from '@tensorflow/tfjs-core';
import { serialization } from '@tensorflow/tfjs-core';
import { initializers, layers } from '@tensorflow/tfjs-layers';
import type { LayerVariable, Shape } from '@tensorflow/tfjs-layers';
import { checkDomainIndex, routeDomains } from './domain_routing.js';
import { DomainIndexError, LayerConfigError, LayerInputError } from './errors.js';
import { channelsOf, checkFeatureRank, checkInt, convSame, shapeList, tensorList } from './layer_utils.js';
import type { BaseLayerArgs, CallKwargs } from './types.js';

/** Constructor arguments of {@link DomainSpecificHeads}. */
export interface DomainSpecificHeadsArgs extends BaseLayerArgs {
  /** |C_k| for each domain k (including background); K = `classCounts.length`. */
  classCounts: number[];
}

function checkClassCounts(classCounts: unknown, where: string): number[] {
  if (!Array.isArray(classCounts) || classCounts.length === 0) {
    throw new LayerConfigError(`${where}: classCounts must be a non-empty array of class counts, got ${String(classCounts)}`);
  }
  return classCounts.map((c, k) => checkInt(c, `classCounts[${k}]`, where));
}

/**
 * The `[K, maxClasses]` float32 mask of the padded class axis: row k holds 1 for classes `0 … |C_k|−1` of
 * domain k and 0 beyond.
 *
 * @param classCounts - |C_k| per domain.
 * @throws {@link LayerConfigError} if a count is not a positive integer.
 */
export function classCountMask(classCounts: readonly number[]): tf.Tensor2D {
  const counts = checkClassCounts([...classCounts], 'classCountMask');
  const maxClasses = Math.max(...counts);
  const values = new Float32Array(counts.length * maxClasses);
  counts.forEach((c, k) => values.fill(1, k * maxClasses, k * maxClasses + c));
  return tf.tensor2d(values, [counts.length, maxClasses]);
}

/**
 * Per-sample class mask `[batch, maxClasses]` (float32, 1 = the class exists in the sample's domain) for the
 * padded output of {@link DomainSpecificHeads}. The multi-task cross-entropy (multi-task paper Eq. 1) sums
 * only over these classes; reshape to `[batch, 1, 1(, 1), maxClasses]` to broadcast over pixels.
 *
 * @param domain - int32 `[batch]` (or `[batch, 1]`) domain indices.
 * @param classCounts - |C_k| per domain.
 * @throws {@link DomainIndexError} for a bad domain tensor; {@link LayerConfigError} for bad counts.
 */
export function domainClassMask(domain: tf.Tensor, classCounts: readonly number[]): tf.Tensor2D {
  return tf.tidy(() => {
    const table = classCountMask(classCounts);
    const flat = checkDomainIndex(domain, domain.shape[0] as number, classCounts.length, 'domainClassMask');
    return tf.gather(table, flat) as tf.Tensor2D;
  });
}

/**
 * Single-domain view of the padded head output: the first |C_k| channels of `probabilities`
 * (`[batch, ...spatial, maxClasses]`), i.e. domain k's own softmax output `[batch, ...spatial, |C_k|]`.
 *
 * @param probabilities - output of {@link DomainSpecificHeads} for samples of domain k.
 * @param classCounts - |C_k| per domain.
 * @param domain - the domain k.
 * @throws {@link DomainIndexError} if k is out of range.
 */
export function domainClassSlice(probabilities: tf.Tensor, classCounts: readonly number[], domain: number): tf.Tensor {
  const counts = checkClassCounts([...classCounts], 'domainClassSlice');
  if (!Number.isInteger(domain) || domain < 0 || domain >= counts.length) {
    throw new DomainIndexError(`domainClassSlice: domain ${domain} is out of range [0, ${counts.length - 1}]`);
  }
  const begin = Array<number>(probabilities.rank).fill(0);
  const size = [...probabilities.shape.slice(0, -1), counts[domain] as number];
  return tf.slice(probabilities, begin, size);
}

/**
 * Domain-specific output layers (multi-task paper Eq. 4): for a sample of domain k,
 *
 * `ŷ^k = softmax(W_k ∗ u^k + b_k)`,
 *
 * a 1×1(×1) convolution with bias and a softmax over domain k's |C_k| classes.
 *
 * **Mixed-batch representation.** Inputs `[features, domain]` (features 2D NHWC or 3D NDHWC, domain int32
 * `[batch]`). The output is one tensor `[batch, ...spatial, maxClasses]`, `maxClasses = max_k |C_k|`, of
 * probabilities: for a sample of domain k, channels `0 … |C_k|−1` hold domain k's softmax (summing to 1)
 * and channels `≥ |C_k|` are exactly 0 (their logits are masked before the softmax, so they receive no
 * gradient). A multi-task cross-entropy is then `−Σ_c y_c log ŷ_c` over the classes of
 * {@link domainClassMask}; single-domain inference takes {@link domainClassSlice}.
 *
 * Weights: `kernel` `[K, C_in, maxClasses]` (Glorot-uniform; columns beyond |C_k| are unused) and `bias`
 * `[K, maxClasses]` (zeros).
 *
 * @throws {@link DomainIndexError} at call time for a bad domain tensor.
 */
export class DomainSpecificHeads extends layers.Layer {
  /** Registered class name (serialization key). */
  static readonly className = 'DomainSpecificHeads';
  /** |C_k| per domain. */
  readonly classCounts: readonly number[];
  /** max_k |C_k|, the size of the padded class axis. */
  readonly maxClasses: number;
  private kernel: LayerVariable | null = null;
  private bias: LayerVariable | null = null;

  /** @param args - see {@link DomainSpecificHeadsArgs}. */
  constructor(args: DomainSpecificHeadsArgs) {
    super(args);
    this.classCounts = checkClassCounts(args.classCounts, 'DomainSpecificHeads');
    this.maxClasses = Math.max(...this.classCounts);
  }

  /** Number of domains K. */
  get numDomains(): number {
    return this.classCounts.length;
  }

  /** Creates `kernel` `[K, C_in, maxClasses]` and `bias` `[K, maxClasses]`. */
  override build(inputShape: Shape | Shape[]): void {
    const [features] = shapeList(inputShape, 2, this.name) as [Shape, Shape];
    checkFeatureRank(features, this.name);
    const cin = channelsOf(features, this.name);
    this.kernel = this.addWeight('kernel', [this.numDomains, cin, this.maxClasses], 'float32', initializers.glorotUniform({}));
    this.bias = this.addWeight('bias', [this.numDomains, this.maxClasses], 'float32', initializers.zeros());
    this.built = true;
  }

  /** `[batch, ...spatial, maxClasses]`. */
  override computeOutputShape(inputShape: Shape | Shape[]): Shape {
    const [features] = shapeList(inputShape, 2, this.name) as [Shape, Shape];
    checkFeatureRank(features, this.name);
    return [...features.slice(0, -1), this.maxClasses];
  }

  /** Per-sample head selection and masked softmax (see the class documentation). */
  override call(inputs: tf.Tensor | tf.Tensor[], _kwargs: CallKwargs): tf.Tensor {
    return tf.tidy(() => {
      const [u, domain] = tensorList(inputs, 2, this.name) as [tf.Tensor, tf.Tensor];
      checkFeatureRank(u.shape, this.name);
      const kernel = this.kernel as LayerVariable;
      const K = this.numDomains;
      const M = this.maxClasses;
      const cin = kernel.shape[1] as number;
      if (u.shape[u.rank - 1] !== cin) {
        throw new LayerInputError(`${this.name}: features have ${u.shape[u.rank - 1]} channels, the heads were built for ${cin}`);
      }
      const batch = u.shape[0] as number;
      const onehot = routeDomains(domain, batch, K, this.name);
      // All K heads in one 1×1 convolution, then each sample keeps its own domain's head.
      const ones = Array<number>(u.rank - 2).fill(1);
      const allKernels = tf.reshape(tf.transpose(kernel.read(), [1, 0, 2]), [...ones, cin, K * M]);
      const spatial = u.shape.slice(1, -1) as number[];
      const all = tf.reshape(convSame(u, allKernels, 1), [batch, ...spatial, K, M]);
      const pick = tf.reshape(onehot, [batch, ...ones, K, 1]);
      const perSample = [batch, ...ones, M];
      const logits = tf.add(tf.sum(tf.mul(all, pick), u.rank - 1), tf.reshape(tf.matMul(onehot, (this.bias as LayerVariable).read() as tf.Tensor2D), perSample));
      const mask = tf.reshape(tf.matMul(onehot, classCountMask(this.classCounts)), perSample);
      // Absent classes get a logit far below any real one: exp underflows to exactly 0, and the final
      // multiplication by the mask guarantees the zeros even for pathological logits.
      const masked = tf.add(tf.mul(logits, mask), tf.mul(tf.sub(1, mask), -1e9));
      return tf.mul(tf.softmax(masked), mask);
    });
  }

  /** Serializable configuration (`classCounts`). */
  override getConfig(): serialization.ConfigDict {
    return { ...super.getConfig(), classCounts: [...this.classCounts] };
  }
}
serialization.registerClass(DomainSpecificHeads);
