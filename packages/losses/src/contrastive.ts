import {
  abs,
  div,
  exp,
  log,
  matMul,
  max,
  maximum,
  mul,
  sqrt,
  square,
  sub,
  sum,
  tensor1d,
  tensor2d,
  tidy,
  transpose,
  where,
} from '@tensorflow/tfjs-core';
import type { Scalar, Tensor2D } from '@tensorflow/tfjs-core';
import { readDomains } from './domains.js';
import type { DomainIndices } from './domains.js';
import { assertFloat, assertPositive, assertRank, describeShape } from './validate.js';
import { LossShapeError } from './errors.js';

/** Options of {@link supervisedContrastiveLoss}. */
export interface SupervisedContrastiveOptions {
  /** Temperature τ > 0. Default 0.1 (DSL+contrastive and multi-task papers). */
  temperature?: number;
}

// Self-similarities are replaced by this before the log-sum-exp: exp underflows to exactly 0, and,
// being finite, a masked log-probability times a 0 mask stays 0 instead of NaN.
const EXCLUDED = -1e30;
// Guards the two normalisations of an all-zero row (0 / TINY = 0). Not smaller: the quotient rule
// squares it, and 1e-30² underflows float32 to 0 (0/0 = NaN in the gradient).
const TINY = 1e-12;

/**
 * Rows scaled to unit L2 norm, robustly: each row is first divided by its largest |value|, so neither
 * tiny nor huge embeddings under/overflow; all-zero rows stay zero (cosine similarity 0 to everything).
 */
export function unitRows(z: Tensor2D): Tensor2D {
  // maximum() rather than where(greater()): comparisons have no registered gradient in tfjs.
  const scaled = div(z, maximum(max(abs(z), 1, true), TINY));
  return div(scaled, sqrt(maximum(sum(square(scaled), 1, true), TINY))) as Tensor2D;
}

/** The supervised contrastive loss on already-checked inputs (shared with the multi-scale loss). */
export function supervisedContrastiveCore(embeddings: Tensor2D, domains: Int32Array, temperature: number): Scalar {
  const n = embeddings.shape[0];
  const positive = new Float32Array(n * n);
  const self = new Uint8Array(n * n);
  const anchorScale = new Float32Array(n);
  let anchors = 0;
  for (let i = 0; i < n; i++) {
    self[i * n + i] = 1;
    let count = 0;
    for (let j = 0; j < n; j++) {
      if (j !== i && domains[j] === domains[i]) {
        positive[i * n + j] = 1;
        count++;
      }
    }
    if (count > 0) {
      anchorScale[i] = 1 / count;
      anchors++;
    }
  }
  // Anchors without a positive are left out of the mean (their 1/|P(i)| is undefined).
  const denominator = Math.max(anchors, 1);
  for (let i = 0; i < n; i++) anchorScale[i] = (anchorScale[i] as number) / denominator;

  return tidy(() => {
    const z = unitRows(embeddings);
    const logits = div(matMul(z, transpose(z)), temperature);
    const masked = where(tensor2d(self, [n, n], 'bool'), tensor2d(new Float32Array(n * n).fill(EXCLUDED), [n, n]), logits);
    // log p_ij = (s_ij − m_i) − log Σ_j exp(s_ij − m_i): subtracting the row max first keeps the
    // small differences that matter at low τ (10 − 10.00009 would lose them in float32).
    const shifted = sub(masked, max(masked, 1, true));
    const logProb = sub(shifted, log(sum(exp(shifted), 1, true)));
    const perAnchor = sum(mul(logProb, tensor2d(positive, [n, n])), 1);
    return mul(sum(mul(perAnchor, tensor1d(anchorScale))), -1) as Scalar;
  });
}

/**
 * Supervised contrastive loss with domain labels (DSL+contrastive paper Eq. 3, after Khosla et al.),
 * for embeddings z_i of the n images of a batch and their domains k_i, P(i) = {p ≠ i : k_p = k_i}:
 *
 * L = −(1/|A|) Σ_{i∈A} (1/|P(i)|) Σ_{p∈P(i)} log( exp(sim(z_i, z_p)/τ) / Σ_{j≠i} exp(sim(z_i, z_j)/τ) )
 *
 * with sim the cosine similarity, no base-temperature factor and self-pairs excluded from the
 * denominator. A = {i : |P(i)| > 0}: anchors without a positive (the only image of their domain in
 * the batch) are excluded from the mean, where the paper's 1/n would divide by zero inside the sum;
 * with every anchor having a positive this is exactly Eq. 3. When no anchor has a positive the loss is
 * 0. The denominator is a log-sum-exp with the row maximum subtracted, so any τ > 0 is stable.
 *
 * @param embeddings - `[n, d]` float32, one embedding per image (e.g. pooled encoder output).
 * @param domains - The n domain indices.
 * @param options - `temperature` τ (default 0.1).
 * @returns A scalar ≥ 0.
 * @throws {@link LossRankError} unless embeddings are rank 2; {@link DomainLabelError} when domains
 *   do not match n; {@link InvalidLossOptionError} for τ ≤ 0.
 */
export function supervisedContrastiveLoss(
  embeddings: Tensor2D,
  domains: DomainIndices,
  options: SupervisedContrastiveOptions = {},
): Scalar {
  const { temperature = 0.1 } = options;
  assertRank('embeddings', embeddings, 2);
  assertFloat('embeddings', embeddings);
  if (embeddings.shape[0] < 1 || embeddings.shape[1] < 1) {
    throw new LossShapeError(`embeddings ${describeShape(embeddings.shape)} must have at least one row and one feature`);
  }
  assertPositive('temperature', temperature);
  const k = readDomains(domains, embeddings.shape[0]);
  return supervisedContrastiveCore(embeddings, k, temperature);
}
