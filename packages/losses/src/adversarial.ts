import { add, concat, mean, tidy } from '@tensorflow/tfjs-core';
import type { Scalar, Tensor } from '@tensorflow/tfjs-core';
import type { LayersModel } from '@tensorflow/tfjs-layers';
import { LossShapeError } from './errors.js';
import { frozenScalar } from './frozen.js';
import { DEFAULT_EPSILON, negLogNegative, negLogPositive } from './log_terms.js';
import { assertFloat, assertMinRank, assertNonEmpty, assertNonNegative, assertSameShape, describeShape } from './validate.js';

/** Options shared by the adversarial losses. */
export interface AdversarialLossOptions {
  /** The discriminator outputs logits (no final sigmoid); the stable softplus forms are used. Default `false`. */
  fromLogits?: boolean;
  /** Likelihoods are clipped to [ε, 1 − ε] before the log. Default 1e-7. Ignored with `fromLogits`. */
  epsilon?: number;
}

/**
 * A conditional discriminator D(y, x): a function of the mask and the image, or a `LayersModel`
 * called with `[mask, image]` when it has two inputs and with their channel concatenation
 * `concat([mask, image], -1)` when it has one (run in inference mode).
 */
export type ConditionalDiscriminator = ((mask: Tensor, image: Tensor) => Tensor) | LayersModel;

function checkOutput(name: string, t: Tensor): void {
  assertMinRank(name, t, 1);
  assertFloat(name, t);
  assertNonEmpty(name, t);
}

/**
 * Discriminator loss of the conditional adversarial regularization (combined-regularization paper
 * Eqs. 10–12), binary cross-entropy with label 1 for ground truth and 0 for predictions, averaged over
 * the likelihood map and the batch:
 *
 * L_D = (1/N) Σ_n mean_{map} [ −log(1 − D(ŷ_n, x_n)) − log D(y_n, x_n) ]
 *
 * Minimise it over the discriminator's variables only (pass them to `minimize`).
 *
 * @param realOutput - D(y, x), the likelihood map of ground-truth masks `[batch, …]`.
 * @param fakeOutput - D(ŷ, x), the likelihood map of predicted masks, same shape.
 * @returns A scalar ≥ 0.
 * @throws {@link LossShapeError}, {@link LossRankError}, {@link LossDtypeError}, {@link InvalidLossOptionError}
 */
export function conditionalDiscriminatorLoss(
  realOutput: Tensor,
  fakeOutput: Tensor,
  options: AdversarialLossOptions = {},
): Scalar {
  const { fromLogits = false, epsilon = DEFAULT_EPSILON } = options;
  checkOutput('realOutput', realOutput);
  checkOutput('fakeOutput', fakeOutput);
  assertSameShape('realOutput', realOutput, 'fakeOutput', fakeOutput);
  assertNonNegative('epsilon', epsilon);
  return tidy(
    () =>
      mean(add(negLogNegative(fakeOutput, fromLogits, epsilon), negLogPositive(realOutput, fromLogits, epsilon))) as Scalar,
  );
}

/**
 * The segmentation network's adversarial term (combined-regularization paper Eq. 13), from the
 * discriminator's likelihood map of the prediction, averaged over the map and the batch:
 *
 * l_adv = (1/N) Σ_n mean_{map} −log D(ŷ_n, x_n)
 *
 * This tensor-level form lets gradients reach D's weights if D was run on the tape; pass only the
 * segmentation network's variables to `minimize`, or use {@link conditionalAdversarialTerm}, which
 * keeps D frozen.
 *
 * @param fakeOutput - D(ŷ, x) `[batch, …]`.
 * @returns A scalar ≥ 0.
 */
export function conditionalAdversarialLoss(fakeOutput: Tensor, options: AdversarialLossOptions = {}): Scalar {
  const { fromLogits = false, epsilon = DEFAULT_EPSILON } = options;
  checkOutput('fakeOutput', fakeOutput);
  assertNonNegative('epsilon', epsilon);
  return tidy(() => mean(negLogPositive(fakeOutput, fromLogits, epsilon)) as Scalar);
}

/** Runs a conditional discriminator on a mask and its image (see {@link ConditionalDiscriminator}). */
export function applyConditionalDiscriminator(discriminator: ConditionalDiscriminator, mask: Tensor, image: Tensor): Tensor {
  let out: unknown;
  if (typeof discriminator === 'function') {
    out = discriminator(mask, image);
  } else if (discriminator.inputs.length === 2) {
    out = discriminator.apply([mask, image], { training: false });
  } else {
    out = discriminator.apply(concat([mask, image], -1), { training: false });
  }
  if (Array.isArray(out)) {
    throw new LossShapeError(`the discriminator must return one likelihood map, got ${out.length} tensors`);
  }
  return out as Tensor;
}

/**
 * l_adv = (1/N) Σ_n mean −log D(ŷ_n, x_n) (Eq. 13) with a frozen discriminator: gradients reach ŷ
 * through D, never D's weights (θ_D fixed during the segmentation step, Eq. 14).
 *
 * @param yPred - Predicted masks (probabilities) `[batch, …spatial, C]`.
 * @param image - The conditioning images x `[batch, …spatial, channels]`.
 * @param discriminator - D, run in inference mode.
 * @returns A scalar ≥ 0.
 * @throws {@link LossShapeError} if the image does not share the batch and spatial axes of `yPred`.
 */
export function conditionalAdversarialTerm(
  yPred: Tensor,
  image: Tensor,
  discriminator: ConditionalDiscriminator,
  options: AdversarialLossOptions = {},
): Scalar {
  assertMinRank('yPred', yPred, 2);
  assertFloat('yPred', yPred);
  assertFloat('image', image);
  const spatial = yPred.shape.slice(0, -1);
  if (image.rank !== yPred.rank || !spatial.every((d, i) => d === image.shape[i])) {
    throw new LossShapeError(
      `image ${describeShape(image.shape)} must share the batch and spatial axes of yPred ${describeShape(yPred.shape)}`,
    );
  }
  return tidy(() =>
    frozenScalar([yPred], (prediction) =>
      conditionalAdversarialLoss(applyConditionalDiscriminator(discriminator, prediction, image), options),
    ),
  );
}
