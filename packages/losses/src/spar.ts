import { tidy } from '@tensorflow/tfjs-core';
import type { Scalar, Tensor } from '@tensorflow/tfjs-core';
import type { AdversarialLossOptions } from './adversarial.js';
import { conditionalAdversarialLoss, conditionalDiscriminatorLoss } from './adversarial.js';
import { applyModel, frozenScalar } from './frozen.js';
import type { FrozenModel } from './frozen.js';
import { assertFloat, assertMinRank, assertNonEmpty } from './validate.js';

/**
 * Loss of the shape-code discriminator (SPAR paper, Section 2.3): binary cross-entropy between the
 * codes of ground-truth masks z = F(y) (label 1) and of predictions ẑ = F(ŷ) (label 0), averaged over
 * the batch (and over D's output elements if it returns a map):
 *
 * l_D = (1/N) Σ_n [ −log(1 − D(ẑ_n)) − log D(z_n) ]
 *
 * Compute the codes with the frozen encoder F and minimise over D's variables only.
 *
 * @param realOutput - D(F(y)) `[batch, …]`.
 * @param fakeOutput - D(F(ŷ)), same shape.
 * @returns A scalar ≥ 0.
 */
export function sparDiscriminatorLoss(realOutput: Tensor, fakeOutput: Tensor, options: AdversarialLossOptions = {}): Scalar {
  return conditionalDiscriminatorLoss(realOutput, fakeOutput, options);
}

/**
 * Shape-priors-based adversarial regularization of the segmentation network (SPAR paper):
 *
 * l_SPAR(ŷ) = (1/N) Σ_n −log D(F(ŷ_n))
 *
 * from the shape-code discriminator's output on predicted codes (tensor-level: D and F must be kept
 * out of the variables passed to `minimize`; {@link sparTerm} does it for you).
 *
 * @param fakeOutput - D(F(ŷ)) `[batch, …]`.
 * @returns A scalar ≥ 0.
 */
export function sparLoss(fakeOutput: Tensor, options: AdversarialLossOptions = {}): Scalar {
  return conditionalAdversarialLoss(fakeOutput, options);
}

/**
 * l_SPAR(ŷ) = (1/N) Σ_n −log D(F(ŷ_n)) with both the shape encoder F and the shape-code
 * discriminator D frozen: gradients reach ŷ through D ∘ F, never their weights.
 *
 * @param yPred - Predicted masks (probabilities) `[batch, …spatial, C]`.
 * @param encoder - The frozen shape encoder F.
 * @param discriminator - The shape-code discriminator D (function of the codes, or a `LayersModel`).
 * @returns A scalar ≥ 0.
 */
export function sparTerm(
  yPred: Tensor,
  encoder: FrozenModel,
  discriminator: FrozenModel,
  options: AdversarialLossOptions = {},
): Scalar {
  assertMinRank('yPred', yPred, 2);
  assertFloat('yPred', yPred);
  assertNonEmpty('yPred', yPred);
  return tidy(() =>
    frozenScalar([yPred], (prediction) =>
      sparLoss(
        applyModel(discriminator, applyModel(encoder, prediction, 'the shape encoder'), 'the shape-code discriminator'),
        options,
      ),
    ),
  );
}
