import { add, mul, scalar, sigmoid, softmax, tidy } from '@tensorflow/tfjs-core';
import type { Scalar, Tensor } from '@tensorflow/tfjs-core';
import type { ConditionalDiscriminator } from './adversarial.js';
import { conditionalAdversarialTerm } from './adversarial.js';
import type { ClassReduction } from './cross_entropy.js';
import { binaryCrossEntropy, categoricalCrossEntropy } from './cross_entropy.js';
import { InvalidLossOptionError } from './errors.js';
import type { FrozenModel } from './frozen.js';
import { assertCodeReduction, shapePriorsLoss } from './shape_priors.js';
import type { CodeReduction } from './shape_priors.js';
import { sparTerm } from './spar.js';
import { assertLambda, assertOneOf, assertPair } from './validate.js';

/** The cross-entropy part of an objective, and how `yPred` is to be read. */
export interface SegmentationCrossEntropyOptions {
  /**
   * `'categorical'` (softmax outputs, multi-class strategy; default) or `'binary'` (one sigmoid
   * channel, individual and global strategies).
   */
  crossEntropy?: 'categorical' | 'binary';
  /**
   * `yPred` holds logits. The cross-entropy uses the stable logit forms and the frozen networks receive
   * softmax / sigmoid probabilities. Default `false`.
   */
  fromLogits?: boolean;
  /** Per-class weights of the cross-entropy (`[w_background, w_foreground]` for binary). */
  classWeights?: readonly number[];
  /** Class reduction of the categorical cross-entropy. Default `'mean'` (papers' 1/|C|). */
  classReduction?: ClassReduction;
  /** The discriminator outputs logits (no final sigmoid). Default `false`. */
  discriminatorFromLogits?: boolean;
}

/** Options of {@link combinedRegularizationObjective}. */
export interface CombinedRegularizationOptions extends SegmentationCrossEntropyOptions {
  /** The frozen shape encoder F (required when `lambda1 > 0`). */
  encoder?: FrozenModel;
  /** The conditional discriminator D (required with `image` when `lambda2 > 0`); frozen here. */
  discriminator?: ConditionalDiscriminator;
  /** The conditioning images x `[batch, …spatial, channels]`. */
  image?: Tensor;
  /** Weight λ1 ≥ 0 of the shape-priors term. Default 0.1. */
  lambda1?: number;
  /**
   * Reduction of the shape-priors code distance over code elements: `'sum'` (default, Eq. 6's squared
   * norm) or `'mean'` (divided by the code's element count; see {@link CodeReduction}).
   */
  codeDistance?: CodeReduction;
  /** Weight λ2 ≥ 0 of the adversarial term. Default 0.01. */
  lambda2?: number;
}

/** The combined objective and its terms (scalars, each already reduced over the batch). */
export interface CombinedRegularizationTerms {
  /** l_CE + λ1·l_shape + λ2·l_adv — pass this to `minimize`. */
  total: Scalar;
  /** l_CE (categorical or binary). */
  crossEntropy: Scalar;
  /** l_shape, unweighted (0 when no encoder was given). */
  shapePriors: Scalar;
  /** l_adv, unweighted (0 when no discriminator was given). */
  adversarial: Scalar;
}

/** Options of {@link sparObjective}. */
export interface SparObjectiveOptions extends SegmentationCrossEntropyOptions {
  /** The frozen shape encoder F. */
  encoder: FrozenModel;
  /** The shape-code discriminator D; frozen here. */
  discriminator: FrozenModel;
  /** Weight λ ≥ 0 of the SPAR term. Default 0.01. */
  lambda?: number;
}

/** The SPAR objective and its terms. */
export interface SparObjectiveTerms {
  /** l_CE + λ·l_SPAR — pass this to `minimize`. */
  total: Scalar;
  /** l_CE. */
  crossEntropy: Scalar;
  /** l_SPAR, unweighted. */
  spar: Scalar;
}

function checkCrossEntropyOptions(options: SegmentationCrossEntropyOptions): void {
  assertOneOf('crossEntropy', options.crossEntropy ?? 'categorical', ['categorical', 'binary']);
}

function crossEntropyTerm(yTrue: Tensor, yPred: Tensor, options: SegmentationCrossEntropyOptions): Scalar {
  const fromLogits = options.fromLogits ?? false;
  if ((options.crossEntropy ?? 'categorical') === 'binary') {
    const classWeights = options.classWeights as readonly [number, number] | undefined;
    return binaryCrossEntropy(yTrue, yPred, classWeights ? { fromLogits, classWeights } : { fromLogits });
  }
  return categoricalCrossEntropy(yTrue, yPred, {
    fromLogits,
    classReduction: options.classReduction ?? 'mean',
    ...(options.classWeights ? { classWeights: options.classWeights } : {}),
  });
}

function probabilities(yPred: Tensor, options: SegmentationCrossEntropyOptions): Tensor {
  if (!(options.fromLogits ?? false)) return yPred;
  return (options.crossEntropy ?? 'categorical') === 'binary' ? sigmoid(yPred) : softmax(yPred);
}

/**
 * Combined regularization objective (combined-regularization paper Eq. 16), per batch:
 *
 * l_S = l_CE(ŷ, y) + λ1 · l_shape(ŷ, y; θ_F) + λ2 · l_adv(ŷ, x; θ_D)
 *
 * with the paper's λ1 = 0.1 and λ2 = 0.01 as defaults. F and D are both frozen here (no gradient ever
 * reaches their weights); train D in the alternating step with {@link conditionalDiscriminatorLoss}.
 * With λ1 = 0 (or λ2 = 0) the encoder (or discriminator) may be omitted — the ablations of the paper;
 * the unweighted terms are still computed for logging whenever their networks are given.
 *
 * The terms are returned alongside the total for logging; inside `optimizer.minimize` only the
 * returned `total` survives the closure, so read the others there (`dataSync()`) or `tf.keep` them.
 *
 * @param yTrue - One-hot ground truth (or one binary channel), float32.
 * @param yPred - Predictions (probabilities, or logits with `fromLogits`), same shape.
 * @returns `{ total, crossEntropy, shapePriors, adversarial }`.
 * @throws {@link InvalidLossOptionError} for λ < 0, or a positive λ whose network is missing.
 */
export function combinedRegularizationObjective(
  yTrue: Tensor,
  yPred: Tensor,
  options: CombinedRegularizationOptions = {},
): CombinedRegularizationTerms {
  const { encoder, discriminator, image, lambda1 = 0.1, lambda2 = 0.01 } = options;
  assertLambda('lambda1', lambda1);
  assertLambda('lambda2', lambda2);
  const codeDistance = options.codeDistance ?? 'sum';
  assertCodeReduction(codeDistance);
  checkCrossEntropyOptions(options);
  assertPair(yTrue, yPred, 2);
  if (lambda1 > 0 && encoder === undefined) {
    throw new InvalidLossOptionError('lambda1 > 0 needs the frozen shape encoder (options.encoder)');
  }
  if (lambda2 > 0 && (discriminator === undefined || image === undefined)) {
    throw new InvalidLossOptionError('lambda2 > 0 needs the discriminator and the conditioning image (options.discriminator, options.image)');
  }
  const adversarialOptions = { fromLogits: options.discriminatorFromLogits ?? false };
  return tidy(() => {
    const crossEntropy = crossEntropyTerm(yTrue, yPred, options);
    const p = probabilities(yPred, options);
    const shapePriors = encoder !== undefined ? shapePriorsLoss(yTrue, p, encoder, { reduction: codeDistance }) : scalar(0);
    const adversarial =
      discriminator !== undefined && image !== undefined
        ? conditionalAdversarialTerm(p, image, discriminator, adversarialOptions)
        : scalar(0);
    const total = add(add(crossEntropy, mul(shapePriors, lambda1)), mul(adversarial, lambda2)) as Scalar;
    return { total, crossEntropy, shapePriors, adversarial };
  });
}

/**
 * SPAR objective (shape-priors-based adversarial regularization paper, Section 2.3):
 *
 * l_S = l_CE(ŷ, y) + λ · l_SPAR(ŷ),  l_SPAR(ŷ) = −log D(F(ŷ))
 *
 * with the paper's λ = 0.01 as default; F and D frozen here. Train D in the alternating step with
 * {@link sparDiscriminatorLoss}.
 *
 * @param yTrue - One-hot ground truth, float32.
 * @param yPred - Predictions (probabilities, or logits with `fromLogits`), same shape.
 * @returns `{ total, crossEntropy, spar }`.
 * @throws {@link InvalidLossOptionError} for λ < 0.
 */
export function sparObjective(yTrue: Tensor, yPred: Tensor, options: SparObjectiveOptions): SparObjectiveTerms {
  const { encoder, discriminator, lambda = 0.01 } = options;
  assertLambda('lambda', lambda);
  checkCrossEntropyOptions(options);
  assertPair(yTrue, yPred, 2);
  if (encoder === undefined || discriminator === undefined) {
    throw new InvalidLossOptionError('sparObjective needs options.encoder and options.discriminator');
  }
  return tidy(() => {
    const crossEntropy = crossEntropyTerm(yTrue, yPred, options);
    const spar = sparTerm(probabilities(yPred, options), encoder, discriminator, {
      fromLogits: options.discriminatorFromLogits ?? false,
    });
    return { total: add(crossEntropy, mul(spar, lambda)) as Scalar, crossEntropy, spar };
  });
}
