import { mean, square, sub, sum, tidy } from '@tensorflow/tfjs-core';
import type { Scalar, Tensor } from '@tensorflow/tfjs-core';
import { LossShapeError } from './errors.js';
import { applyModel, frozenScalar } from './frozen.js';
import type { FrozenModel } from './frozen.js';
import { assertPair, describeShape } from './validate.js';

/** Checks two code tensors of a frozen encoder: same shape, batch first. */
export function assertCodes(codesTrue: Tensor, codesPred: Tensor, batch: number, what: string): void {
  const same = codesTrue.rank === codesPred.rank && codesTrue.shape.every((d, i) => d === codesPred.shape[i]);
  if (!same) {
    throw new LossShapeError(
      `${what} codes of the target ${describeShape(codesTrue.shape)} and of the prediction ${describeShape(codesPred.shape)} differ`,
    );
  }
  if (codesTrue.rank < 1 || codesTrue.shape[0] !== batch) {
    throw new LossShapeError(`${what} codes ${describeShape(codesTrue.shape)} must keep the batch axis (${batch}) first`);
  }
}

/** ‖a_n − b_n‖²₂ over all code elements of each sample: a `[batch]` tensor. */
export function perSampleSquaredDistance(a: Tensor, b: Tensor): Tensor {
  const d = square(sub(a, b));
  if (d.rank === 1) return d;
  return sum(d, Array.from({ length: d.rank - 1 }, (_, i) => i + 1));
}

/**
 * Squared Euclidean distance between shape codes, averaged over the batch (combined-regularization
 * paper Eq. 6 with Eq. 8's batch mean), for codes computed by the caller:
 *
 * L = (1/N) Σ_n ‖z_n − ẑ_n‖²₂
 *
 * The codes carry whatever gradient their computation allows; use {@link shapePriorsLoss} to keep a
 * frozen encoder out of the optimisation.
 *
 * @param codesTrue - Codes of the ground truth `[batch, …]`.
 * @param codesPred - Codes of the prediction, same shape.
 * @returns A scalar ≥ 0.
 * @throws {@link LossShapeError}, {@link LossDtypeError}
 */
export function shapeCodeDistance(codesTrue: Tensor, codesPred: Tensor): Scalar {
  assertPair(codesTrue, codesPred, 1);
  return tidy(() => mean(perSampleSquaredDistance(codesTrue, codesPred)) as Scalar);
}

/**
 * Shape-priors loss (combined-regularization paper Eq. 6, after Oktay et al.'s anatomically
 * constrained networks): the squared Euclidean distance between the codes of a frozen shape encoder F
 * (the encoder of an auto-encoder trained on ground-truth masks) for the prediction and the ground
 * truth, per image, averaged over the batch:
 *
 * l_shape = (1/N) Σ_n ‖F(ŷ_n; θ_F) − F(y_n; θ_F)‖²₂
 *
 * Gradients flow through F to ŷ but never to F's weights — not even when `optimizer.minimize` is
 * called without a variable list (which would otherwise update every trainable variable the loss
 * touches). Still, pass the segmentation network's variables to `minimize` explicitly.
 *
 * @param yTrue - Ground-truth masks (one-hot, `[batch, …spatial, C]`), float32.
 * @param yPred - Predicted probabilities, same shape.
 * @param encoder - The frozen shape encoder F: a function or a `LayersModel` (run in inference mode).
 * @returns A scalar ≥ 0.
 * @throws {@link LossShapeError} if the shapes differ or F's codes lose the batch axis.
 */
export function shapePriorsLoss(yTrue: Tensor, yPred: Tensor, encoder: FrozenModel): Scalar {
  assertPair(yTrue, yPred, 2);
  const batch = yPred.shape[0] as number;
  return tidy(() =>
    frozenScalar([yPred], (prediction) => {
      const codesPred = applyModel(encoder, prediction, 'the shape encoder');
      const codesTrue = applyModel(encoder, yTrue, 'the shape encoder');
      assertCodes(codesTrue, codesPred, batch, 'Shape-encoder');
      return mean(perSampleSquaredDistance(codesTrue, codesPred)) as Scalar;
    }),
  );
}
