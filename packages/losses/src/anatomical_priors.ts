import { add, mul, scalar, sum, tensor1d, tidy } from '@tensorflow/tfjs-core';
import type { Scalar, Tensor, Tensor1D } from '@tensorflow/tfjs-core';
import { domainMeanWeights, readDomains } from './domains.js';
import type { DomainIndices } from './domains.js';
import { InvalidLossOptionError } from './errors.js';
import { applyDomainModel, frozenScalar } from './frozen.js';
import type { DomainAwareModel } from './frozen.js';
import type { MultiScaleContrastiveOptions } from './multi_scale_contrastive.js';
import { multiScaleContrastiveLoss } from './multi_scale_contrastive.js';
import type { MultiTaskCrossEntropyOptions } from './multi_task_cross_entropy.js';
import { multiTaskCrossEntropy } from './multi_task_cross_entropy.js';
import { assertCodeReduction, assertCodes, perSampleSquaredDistance } from './shape_priors.js';
import type { CodeReduction } from './shape_priors.js';
import { assertLambda, assertPair } from './validate.js';

/** Options of {@link multiJointAnatomicalPriorsLoss}. */
export interface AnatomicalPriorsOptions {
  /** Number of domains K, to reject out-of-range indices. Default: unchecked upper bound. */
  numDomains?: number;
  /**
   * Reduction over the code elements of each sample: `'sum'` (default, the paper's squared norm) or
   * `'mean'` (divided by the code's element count; see {@link CodeReduction}).
   */
  reduction?: CodeReduction;
}

/**
 * Multi-joint anatomical priors (multi-task paper Eq. 7): the squared Euclidean distance between the
 * codes of a frozen, domain-aware anatomical encoder F (the encoder of the multi-joint auto-encoder)
 * for ground truth and prediction, averaged over each domain's images and then over domains:
 *
 * L_MJAP = (1/K) Σ_{k=1..K} (1/n_k) Σ_{i=1..n_k} ‖F(y^k_i; Θ_F, Γ_F) − F(ŷ^k_i; Θ_F, Γ_F)‖²₂
 *
 * K counts the domains present in the batch. F receives the per-sample domain indices (its DSBN and
 * domain-specific input layers route on them); gradients reach ŷ through F, never F's weights.
 *
 * @param yTrue - Ground-truth masks `[batch, …spatial, maxClasses]`, float32.
 * @param yPred - Predicted probabilities, same shape.
 * @param domains - Domain index of every sample.
 * @param encoder - The frozen multi-joint anatomical encoder (see {@link DomainAwareModel}).
 * @returns A scalar ≥ 0.
 * @throws {@link LossShapeError}, {@link DomainLabelError}, {@link InvalidLossOptionError} (unknown reduction)
 */
export function multiJointAnatomicalPriorsLoss(
  yTrue: Tensor,
  yPred: Tensor,
  domains: DomainIndices,
  encoder: DomainAwareModel,
  options: AnatomicalPriorsOptions = {},
): Scalar {
  const reduction = options.reduction ?? 'sum';
  assertCodeReduction(reduction);
  assertPair(yTrue, yPred, 2);
  const batch = yPred.shape[0] as number;
  const k = readDomains(domains, batch, options.numDomains);
  const weights = domainMeanWeights(k);
  return tidy(() => {
    const domainTensor = tensor1d(k, 'int32') as Tensor1D;
    const w = tensor1d(weights);
    return frozenScalar([yPred], (prediction) => {
      const codesPred = applyDomainModel(encoder, prediction, domainTensor, 'the anatomical encoder');
      const codesTrue = applyDomainModel(encoder, yTrue, domainTensor, 'the anatomical encoder');
      assertCodes(codesTrue, codesPred, batch, 'Anatomical-encoder');
      return sum(mul(perSampleSquaredDistance(codesTrue, codesPred, reduction), w)) as Scalar;
    });
  });
}

/** Options of {@link multiJointAutoEncoderLoss}. */
export interface MultiJointAutoEncoderOptions extends MultiTaskCrossEntropyOptions {
  /** |C_k| for every domain k. */
  classCounts: readonly number[];
  /** The auto-encoder's shared representations z̃_s at the chosen scales (see {@link multiScaleContrastiveLoss}). */
  features: readonly Tensor[];
  /** Weight λ1 ≥ 0 of the multi-scale contrastive term. Default 0.05. */
  lambda1?: number;
  /** Options of the multi-scale contrastive term (τ default 0.1, average pooling, mean over scales). */
  contrastive?: MultiScaleContrastiveOptions;
}

/** A multi-task objective with its terms (scalars). */
export interface MultiJointAutoEncoderTerms {
  /** The weighted sum — pass this to `minimize`. */
  total: Scalar;
  /** Multi-task cross-entropy (Eq. 1). */
  crossEntropy: Scalar;
  /** Multi-scale contrastive loss, unweighted. */
  contrastive: Scalar;
}

/**
 * Loss of the multi-joint auto-encoder (multi-task paper Eq. 6):
 *
 * L_AE = CE + λ1 · MSC,  λ1 = 0.05 by default,
 *
 * the multi-task cross-entropy of the reconstruction against its input masks plus the multi-scale
 * contrastive loss on the auto-encoder's shared representations.
 *
 * @param yTrue - Input masks `[batch, …spatial, maxClasses]`.
 * @param reconstruction - The auto-encoder output G(F(y)), same shape.
 * @param domains - Domain index of every sample.
 * @returns `{ total, crossEntropy, contrastive }`.
 * @throws {@link InvalidLossOptionError} for λ1 < 0, plus the errors of the two terms.
 */
export function multiJointAutoEncoderLoss(
  yTrue: Tensor,
  reconstruction: Tensor,
  domains: DomainIndices,
  options: MultiJointAutoEncoderOptions,
): MultiJointAutoEncoderTerms {
  const { classCounts, features, lambda1 = 0.05, contrastive = {} } = options;
  assertLambda('lambda1', lambda1);
  const ceOptions: MultiTaskCrossEntropyOptions = {};
  if (options.fromLogits !== undefined) ceOptions.fromLogits = options.fromLogits;
  if (options.epsilon !== undefined) ceOptions.epsilon = options.epsilon;
  return tidy(() => {
    const crossEntropy = multiTaskCrossEntropy(yTrue, reconstruction, domains, classCounts, ceOptions);
    const msc = multiScaleContrastiveLoss(features, domains, contrastive);
    return { total: add(crossEntropy, mul(msc, lambda1)) as Scalar, crossEntropy, contrastive: msc };
  });
}

/** Options of {@link multiTaskObjective}. */
export interface MultiTaskObjectiveOptions extends MultiTaskCrossEntropyOptions {
  /** |C_k| for every domain k. */
  classCounts: readonly number[];
  /** The segmentation network's representations at the chosen scales (required when λ2 > 0). */
  features?: readonly Tensor[];
  /** The frozen multi-joint anatomical encoder (required when λ3 > 0). */
  encoder?: DomainAwareModel;
  /** Weight λ2 ≥ 0 of MSC. No default: the paper tuned it per backbone (0.5 Att-UNet / Inception-UNet, 0.05 Dense-UNet / Efficient-UNet). */
  lambda2: number;
  /** Weight λ3 ≥ 0 of MJAP. Default 0.1. */
  lambda3?: number;
  /** Reduction of MJAP's squared code distance over code elements. Default `'sum'` (paper 002 Eq. 7). */
  codeDistance?: CodeReduction;
  /** Options of the multi-scale contrastive term. */
  contrastive?: MultiScaleContrastiveOptions;
}

/** The multi-task objective and its terms. */
export interface MultiTaskObjectiveTerms extends MultiJointAutoEncoderTerms {
  /** Multi-joint anatomical priors, unweighted (0 when no encoder was given). */
  anatomicalPriors: Scalar;
}

/**
 * Full objective of the multi-task, multi-domain segmentation network (multi-task paper Eq. 8):
 *
 * L = CE + λ2 · MSC + λ3 · MJAP
 *
 * @param yTrue - Ground truth `[batch, …spatial, maxClasses]`.
 * @param yPred - Predictions (probabilities, padding classes 0), same shape.
 * @param domains - Domain index of every sample.
 * @returns `{ total, crossEntropy, contrastive, anatomicalPriors }` (unused terms are 0).
 * @throws {@link InvalidLossOptionError} for λ < 0 or a positive λ whose input is missing.
 */
export function multiTaskObjective(
  yTrue: Tensor,
  yPred: Tensor,
  domains: DomainIndices,
  options: MultiTaskObjectiveOptions,
): MultiTaskObjectiveTerms {
  const { classCounts, features, encoder, lambda2, lambda3 = 0.1, contrastive = {} } = options;
  assertLambda('lambda2', lambda2);
  assertLambda('lambda3', lambda3);
  assertCodeReduction(options.codeDistance ?? 'sum');
  if (lambda2 > 0 && features === undefined) {
    throw new InvalidLossOptionError('lambda2 > 0 needs options.features (the representations at each scale)');
  }
  if (lambda3 > 0 && encoder === undefined) {
    throw new InvalidLossOptionError('lambda3 > 0 needs options.encoder (the frozen anatomical encoder)');
  }
  const ceOptions: MultiTaskCrossEntropyOptions = {};
  if (options.fromLogits !== undefined) ceOptions.fromLogits = options.fromLogits;
  if (options.epsilon !== undefined) ceOptions.epsilon = options.epsilon;
  return tidy(() => {
    const crossEntropy = multiTaskCrossEntropy(yTrue, yPred, domains, classCounts, ceOptions);
    const msc = features !== undefined ? multiScaleContrastiveLoss(features, domains, contrastive) : scalar(0);
    const mjap =
      encoder !== undefined
        ? multiJointAnatomicalPriorsLoss(yTrue, yPred, domains, encoder, { numDomains: classCounts.length, reduction: options.codeDistance ?? 'sum' })
        : scalar(0);
    const total = add(add(crossEntropy, mul(msc, lambda2)), mul(mjap, lambda3)) as Scalar;
    return { total, crossEntropy, contrastive: msc, anatomicalPriors: mjap };
  });
}
