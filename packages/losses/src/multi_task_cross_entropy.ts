import { add, mul, sub, sum, tensor, tensor1d, tidy } from '@tensorflow/tfjs-core';
import type { Scalar, Tensor } from '@tensorflow/tfjs-core';
import { readDomains, domainMeanWeights } from './domains.js';
import type { DomainIndices } from './domains.js';
import { pixelCrossEntropy } from './cross_entropy.js';
import { InvalidLossOptionError } from './errors.js';
import { DEFAULT_EPSILON } from './log_terms.js';
import { assertNonNegative, assertPair } from './validate.js';

/** Options of {@link multiTaskCrossEntropy}. */
export interface MultiTaskCrossEntropyOptions {
  /**
   * `yPred` holds scores; a log-softmax restricted to each sample's own |C_k| classes is applied (the
   * padding classes are excluded from the normalisation). Default `false`: `yPred` holds probabilities
   * whose padding classes are 0, as produced by the multi-domain output layer.
   */
  fromLogits?: boolean;
  /** Probabilities are clipped to [ε, 1] before the log. Default 1e-7. */
  epsilon?: number;
}

// Logits of padding classes are pushed this far down so they vanish from the softmax; finite, so
// that 0 · (−1e30) stays 0 where a −Infinity would give NaN.
const MASKED_LOGIT = -1e30;

/**
 * Multi-task, multi-domain cross-entropy (multi-task paper Eq. 1; DSL+contrastive paper Eq. 2):
 *
 * L_CE = −(1/K) Σ_{k=1..K} 1/(n_k·|C_k|·|Ω|) Σ_{i=1..n_k} Σ_{u∈Ω} Σ_{c∈C_k} y^k_{i,c,u} log ŷ^k_{i,c,u}
 *
 * The segmentation output of every sample is padded to `maxClasses` channels; only the first
 * |C_k| = `classCounts[k]` channels of a sample from domain k are counted and its term is averaged over
 * those |C_k| classes and over its pixels. Each domain's mean over its n_k images is then averaged
 * over the domains. The sum over k runs over the K domains present in the batch: a domain with no
 * image in this batch is skipped (Eq. 1 assumes every domain is present, as with the papers' batches
 * split equally across domains).
 *
 * @param yTrue - One-hot targets `[batch, …spatial, maxClasses]`, float32, zero beyond |C_k|.
 * @param yPred - Probabilities (or scores with `fromLogits`), same shape.
 * @param domains - Domain index k of every sample (`int32 [batch]` or numbers).
 * @param classCounts - |C_k| for every domain k (its length is the number of domains K).
 * @returns A scalar.
 * @throws {@link DomainLabelError} when `domains` does not match the batch or an index is ≥ K;
 *   {@link InvalidLossOptionError} for class counts that are not integers in [1, maxClasses];
 *   {@link LossShapeError}, {@link LossRankError}, {@link LossDtypeError} for bad tensors.
 */
export function multiTaskCrossEntropy(
  yTrue: Tensor,
  yPred: Tensor,
  domains: DomainIndices,
  classCounts: readonly number[],
  options: MultiTaskCrossEntropyOptions = {},
): Scalar {
  const { fromLogits = false, epsilon = DEFAULT_EPSILON } = options;
  assertPair(yTrue, yPred, 2);
  assertNonNegative('epsilon', epsilon);
  const maxClasses = yPred.shape[yPred.rank - 1] as number;
  if (!Array.isArray(classCounts) || classCounts.length === 0) {
    throw new InvalidLossOptionError('classCounts must be a non-empty array of |C_k| per domain');
  }
  classCounts.forEach((c, k) => {
    if (!Number.isInteger(c) || c < 1 || c > maxClasses) {
      throw new InvalidLossOptionError(
        `classCounts[${k}] must be an integer in [1, ${maxClasses}] (the class axis of yPred), got ${String(c)}`,
      );
    }
  });
  const batch = yPred.shape[0] as number;
  const k = readDomains(domains, batch, classCounts.length);
  const pixels = yPred.size / (batch * maxClasses);

  // Per-sample class mask and the factor 1/(K'·n_k·|C_k|·|Ω|) of Eq. 1, built on the host.
  const mask = new Float32Array(batch * maxClasses);
  const weights = domainMeanWeights(k);
  for (let i = 0; i < batch; i++) {
    const ck = classCounts[k[i] as number] as number;
    for (let c = 0; c < ck; c++) mask[i * maxClasses + c] = 1;
    weights[i] = (weights[i] as number) / (ck * pixels);
  }
  const maskShape = [batch, ...new Array<number>(yPred.rank - 2).fill(1), maxClasses];

  return tidy(() => {
    const m = tensor(mask, maskShape);
    const scores = fromLogits ? add(mul(yPred, m), mul(sub(1, m), MASKED_LOGIT)) : yPred;
    const perPixel = pixelCrossEntropy(mul(yTrue, m), scores, fromLogits, epsilon);
    const spatialAxes = Array.from({ length: yPred.rank - 2 }, (_, a) => a + 1);
    const perSample = spatialAxes.length > 0 ? sum(perPixel, spatialAxes) : perPixel;
    return sum(mul(perSample, tensor1d(weights))) as Scalar;
  });
}

