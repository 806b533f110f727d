import * as tf from '@tensorflow/tfjs-core';
import { initializers } from '@tensorflow/tfjs-layers';
import type { LayerVariable } from '@tensorflow/tfjs-layers';
import { LayerInputError } from './errors.js';

/** @internal Per-domain parameters of one DSBN, each of shape `[K, C]`. */
export interface DsbnVariables {
  readonly gamma: LayerVariable;
  readonly beta: LayerVariable;
  readonly movingMean: LayerVariable;
  readonly movingVariance: LayerVariable;
}

/** @internal A layer's (protected) `addWeight`, bound, reduced to what DSBN needs. */
export type WeightAdder = (
  name: string,
  shape: number[],
  initializer: ReturnType<typeof initializers.zeros>,
  trainable: boolean,
) => LayerVariable;

/**
 * @internal Creates the four `[K, C]` DSBN weights on a host layer. Names are `${prefix}gamma` etc., so a
 * composite layer with several DSBNs keeps them apart.
 */
export function addDsbnVariables(add: WeightAdder, prefix: string, numDomains: number, channels: number): DsbnVariables {
  const shape = [numDomains, channels];
  return {
    gamma: add(`${prefix}gamma`, shape, initializers.ones(), true),
    beta: add(`${prefix}beta`, shape, initializers.zeros(), true),
    movingMean: add(`${prefix}moving_mean`, shape, initializers.zeros(), false),
    movingVariance: add(`${prefix}moving_variance`, shape, initializers.ones(), false),
  };
}

/** @internal Options of {@link domainBatchNorm}. */
export interface DsbnOptions {
  readonly training: boolean;
  readonly epsilon: number;
  readonly momentum: number;
}

/**
 * @internal Domain-specific batch normalization (papers' Eq. 2):
 * `y = γ_k (x − μ_k) / sqrt(σ_k² + ε) + β_k` with k the sample's domain.
 *
 * Training: μ_k, σ_k² are the (biased) moments of domain k's samples in this batch over batch and spatial
 * axes, pooled with `onehotᵀ`; each present domain's moving statistics move towards them as in
 * tfjs-layers' BatchNormalization (`m ← m − (1 − momentum)(m − μ_k)`); an absent domain's are untouched.
 * Inference: μ_k, σ_k² are domain k's moving statistics.
 *
 * @param x - features `[batch, ...spatial, C]` (rank ≥ 2).
 * @param onehot - `[batch, K]` float32 one-hot domain encoding.
 */
export function domainBatchNorm(x: tf.Tensor, onehot: tf.Tensor2D, vars: DsbnVariables, opts: DsbnOptions): tf.Tensor {
  return tf.tidy(() => {
    const rank = x.rank;
    const batch = x.shape[0] as number;
    const channels = x.shape[rank - 1] as number;
    if (channels !== vars.gamma.shape[1]) {
      throw new LayerInputError(
        `domain-specific batch norm: features have ${channels} channels, the layer was built for ${String(vars.gamma.shape[1])}`,
      );
    }
    const spatialAxes: number[] = [];
    for (let a = 1; a < rank - 1; a++) spatialAxes.push(a);
    const perSample = [batch, ...spatialAxes.map(() => 1), channels];
    const select = (v: tf.Tensor): tf.Tensor => tf.reshape(tf.matMul(onehot, v as tf.Tensor2D), perSample);
    const gamma = select(vars.gamma.read());
    const beta = select(vars.beta.read());

    if (!opts.training) {
      // Fold everything into one per-sample scale and shift so only two full-size ops touch x.
      const mean = select(vars.movingMean.read());
      const scale = tf.mul(gamma, tf.rsqrt(tf.add(select(vars.movingVariance.read()), opts.epsilon)));
      return tf.add(tf.mul(x, scale), tf.sub(beta, tf.mul(mean, scale)));
    }

    const numDomains = onehot.shape[1];
    const voxelsPerSample = spatialAxes.reduce((n, a) => n * (x.shape[a] as number), 1);
    const counts = tf.sum(onehot, 0); // samples per domain, [K]
    const present = tf.reshape(tf.cast(tf.greater(counts, 0), 'float32'), [numDomains, 1]);
    const denominator = tf.reshape(tf.maximum(tf.mul(counts, voxelsPerSample), 1), [numDomains, 1]);
    // An explicit transpose instead of matMul's transposeA flag: the flagged kernel is very slow on wasm.
    const pool = tf.transpose(onehot);
    const sumSpatial = (t: tf.Tensor): tf.Tensor2D =>
      (spatialAxes.length > 0 ? tf.sum(t, spatialAxes) : t) as tf.Tensor2D;

    const meanK = tf.div(tf.matMul(pool, sumSpatial(x)), denominator);
    const centered = tf.sub(x, tf.reshape(tf.matMul(onehot, meanK), perSample));
    const varianceK = tf.div(tf.matMul(pool, sumSpatial(tf.square(centered))), denominator);
    const variance = tf.reshape(tf.matMul(onehot, varianceK), perSample);

    const decay = 1 - opts.momentum;
    const moveTowards = (variable: LayerVariable, value: tf.Tensor): void => {
      tf.tidy(() => {
        const old = variable.read();
        variable.write(tf.sub(old, tf.mul(tf.mul(tf.sub(old, value), decay), present)));
      });
    };
    moveTowards(vars.movingMean, meanK);
    moveTowards(vars.movingVariance, varianceK);

    return tf.add(tf.mul(centered, tf.mul(gamma, tf.rsqrt(tf.add(variance, opts.epsilon)))), beta);
  });
}
