import * as tf from '@tensorflow/tfjs-core';
import { DomainIndexError } from './errors.js';

/**
 * Checks a per-sample domain index tensor against the features it routes and returns it as a flat
 * `[batch]` int32 tensor (a `[batch, 1]` tensor, which `LayersModel.fit` produces from `[batch]` data,
 * is reshaped). Reads the indices (one small synchronous download) so that an out-of-range index fails
 * here with a {@link DomainIndexError} instead of silently selecting zero parameters in `oneHot`.
 *
 * @param domain - the domain index tensor (int32, `[batch]` or `[batch, 1]`).
 * @param batch - the batch size of the features the indices route.
 * @param numDomains - K; valid indices are `0 … K-1`.
 * @param where - the calling layer's name, quoted in error messages.
 * @returns the indices as a `[batch]` tensor (the input itself when already flat; caller disposes otherwise).
 * @throws {@link DomainIndexError} on a wrong dtype, shape, batch size or an index out of range.
 */
export function checkDomainIndex(domain: tf.Tensor, batch: number, numDomains: number, where: string): tf.Tensor1D {
  if (domain.dtype !== 'int32') {
    throw new DomainIndexError(`${where}: domain index must be an int32 tensor, got dtype ${domain.dtype}`);
  }
  const flat = domain.rank === 1 || (domain.rank === 2 && domain.shape[1] === 1);
  if (!flat) {
    throw new DomainIndexError(
      `${where}: domain index must have shape [batch] (or [batch, 1]), got [${domain.shape.join(', ')}]`,
    );
  }
  if (domain.shape[0] !== batch) {
    throw new DomainIndexError(
      `${where}: domain index has length ${domain.shape[0]} but the features have batch size ${batch}`,
    );
  }
  const values = domain.dataSync();
  for (let i = 0; i < values.length; i++) {
    const k = values[i] as number;
    if (k < 0 || k >= numDomains) {
      throw new DomainIndexError(
        `${where}: domain index ${k} at sample ${i} is out of range [0, ${numDomains - 1}] (numDomains = ${numDomains})`,
      );
    }
  }
  return domain.rank === 1 ? (domain as tf.Tensor1D) : tf.reshape(domain, [batch]);
}

/**
 * One-hot encoding `[batch, K]` (float32) of validated domain indices. Multiplying by it selects each
 * sample's domain parameters (`onehot · Γ`, Γ of shape `[K, C]`) and pools per-domain sums
 * (`onehotᵀ · S`) without splitting the batch, so mixed batches are exactly as differentiable as
 * single-domain ones.
 *
 * @param domain - `[batch]` int32 indices already checked by {@link checkDomainIndex}.
 * @param numDomains - K.
 */
export function domainOneHot(domain: tf.Tensor1D, numDomains: number): tf.Tensor2D {
  // equal-against-range rather than tf.oneHot, which refuses depth 1 (a single-domain model).
  return tf.tidy(() => tf.cast(tf.equal(tf.expandDims(domain, 1), tf.range(0, numDomains, 1, 'int32')), 'float32') as tf.Tensor2D);
}

/**
 * Validates `domain` and returns its `[batch, K]` float32 one-hot encoding in one step.
 *
 * @param domain - the domain index tensor (int32, `[batch]` or `[batch, 1]`).
 * @param batch - the batch size of the features the indices route.
 * @param numDomains - K.
 * @param where - the calling layer's name, quoted in error messages.
 * @throws {@link DomainIndexError} as {@link checkDomainIndex}.
 */
export function routeDomains(domain: tf.Tensor, batch: number, numDomains: number, where: string): tf.Tensor2D {
  const flat = checkDomainIndex(domain, batch, numDomains, where);
  const onehot = domainOneHot(flat, numDomains);
  if (flat !== domain) flat.dispose();
  return onehot;
}
