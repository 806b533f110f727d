import { add, div, max, mean, reshape, scalar, tidy } from '@tensorflow/tfjs-core';
import type { Scalar, Tensor, Tensor2D } from '@tensorflow/tfjs-core';
import { supervisedContrastiveCore } from './contrastive.js';
import { readDomains } from './domains.js';
import type { DomainIndices } from './domains.js';
import { InvalidLossOptionError, LossShapeError } from './errors.js';
import { assertFloat, assertMinRank, assertOneOf, assertPositive, describeShape } from './validate.js';

/** Options of {@link multiScaleContrastiveLoss}. */
export interface MultiScaleContrastiveOptions {
  /** One τ for every scale (the paper's choice, default 0.1), or one τ per scale. */
  temperature?: number | readonly number[];
  /** Global pooling of each feature map: `'average'` (multi-task paper, default) or `'max'` (DSL+contrastive paper). */
  pooling?: 'average' | 'max';
  /** Combine the per-scale losses by their `'mean'` (default) or `'sum'`. */
  reduction?: 'mean' | 'sum';
}

/** Global average / max pooling of a channels-last map `[batch, …spatial, channels]` to `[batch, channels]`. */
export function globalPool(features: Tensor, pooling: 'average' | 'max'): Tensor2D {
  if (features.rank === 2) return features as Tensor2D;
  const batch = features.shape[0] as number;
  const channels = features.shape[features.rank - 1] as number;
  const flat = reshape(features, [batch, -1, channels]);
  return (pooling === 'max' ? max(flat, 1) : mean(flat, 1)) as Tensor2D;
}

/**
 * Multi-scale supervised contrastive loss (multi-task paper, Section 2.2): the feature map u_s of every
 * chosen scale s ∈ S is globally pooled into an embedding z_s = GAP(u_s), and the supervised
 * contrastive loss of {@link supervisedContrastiveLoss} (cosine similarity, temperature τ, domains as
 * labels) is applied per scale, then averaged (or summed) over scales:
 *
 * L_MSC = (1/|S|) Σ_{s∈S} L_SupCon({z_{i,s}}, {k_i}; τ_s)
 *
 * τ is constant over scales by default, as in the paper (cosine similarity is bounded whatever the
 * scale's dimension). Rank-2 entries are taken as already-pooled embeddings.
 *
 * @param features - One tensor per scale, `[batch, …spatial, channels]` (NHWC / NDHWC) or `[batch, d]`.
 * @param domains - The domain index of each sample.
 * @returns A scalar ≥ 0.
 * @throws {@link LossShapeError} if the maps disagree on the batch size or the list is empty;
 *   {@link InvalidLossOptionError} for τ ≤ 0 or a τ list of the wrong length;
 *   {@link DomainLabelError} when domains do not match the batch.
 */
export function multiScaleContrastiveLoss(
  features: readonly Tensor[],
  domains: DomainIndices,
  options: MultiScaleContrastiveOptions = {},
): Scalar {
  const { temperature = 0.1, pooling = 'average', reduction = 'mean' } = options;
  if (!Array.isArray(features) || features.length === 0) {
    throw new LossShapeError('features must be a non-empty array with one feature map per scale');
  }
  assertOneOf('pooling', pooling, ['average', 'max']);
  assertOneOf('reduction', reduction, ['mean', 'sum']);
  const taus = typeof temperature === 'number' ? features.map(() => temperature) : [...temperature];
  if (taus.length !== features.length) {
    throw new InvalidLossOptionError(`temperature has ${taus.length} entries for ${features.length} scales`);
  }
  taus.forEach((t, s) => assertPositive(`temperature[${s}]`, t));
  const batch = features[0]?.shape[0] as number;
  features.forEach((f, s) => {
    assertMinRank(`features[${s}]`, f, 2);
    assertFloat(`features[${s}]`, f);
    if (f.shape[0] !== batch || f.size === 0) {
      throw new LossShapeError(
        `features[${s}] ${describeShape(f.shape)} must be non-empty with the batch size ${batch} of features[0]`,
      );
    }
  });
  const k = readDomains(domains, batch);
  return tidy(() => {
    let total: Tensor = scalar(0);
    features.forEach((f, s) => {
      total = add(total, supervisedContrastiveCore(globalPool(f, pooling), k, taus[s] as number));
    });
    return (reduction === 'mean' ? div(total, features.length) : total) as Scalar;
  });
}
