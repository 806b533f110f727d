import { mean, square, sub, sum, tidy } from '@tensorflow/tfjs-core';
import type { Scalar, Tensor } from '@tensorflow/tfjs-core';
import { LossShapeError } from './errors.js';
import { applyModel, frozenScalar } from './frozen.js';
import type { FrozenModel } from './frozen.js';
import { assertOneOf, assertPair, describeShape } from './validate.js';

/**
 * How the squared code distance is reduced over the code elements of one sample: `'sum'` is the papers'
 * ‖F(ŷ) − F(y)‖²₂ (000 Eq. 6, 002 Eq. 7); `'mean'` divides it by the number of code elements h·w·c, so
 * the term's scale does not grow with the code map and the papers' λ stays usable for any code size.
 */
export type CodeReduction = 'sum' | 'mean';

/** Options of the code-distance losses ({@link shapePriorsLoss}, {@link shapeCodeDistance}). */
export interface CodeDistanceOptions {
  /** Reduction over the code elements of each sample. Default `'sum'` (the papers' squared Euclidean norm). */
  reduction?: CodeReduction;
}

/** Validates a {@link CodeReduction} (throws `InvalidLossOptionError`). */
export function assertCodeReduction(reduction: CodeReduction): void {
  assertOneOf('reduction', reduction, ['sum', 'mean']);
}

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

/**
 * ‖a_n − b_n‖²₂ over all code elements of each sample (`'sum'`), or that divided by the number of
 * code elements (`'mean'`): a `[batch]` tensor.
 */
export function perSampleSquaredDistance(a: Tensor, b: Tensor, reduction: CodeReduction = 'sum'): Tensor {
  const d = square(sub(a, b));
  if (d.rank === 1) return d;
  const axes = Array.from({ length: d.rank - 1 }, (_, i) => i + 1);
  return reduction === 'mean' ? mean(d, axes) : sum(d, axes);
}

/**
 * Squared Euclidean distance between shape codes, averaged over the batch (combined-regularization
 * paper Eq. 6 with Eq. 8's batch mean), for codes computed by the caller:
 *
 * L = (1/N) Σ_n ‖z_n − ẑ_n‖²₂   (`reduction: 'mean'`: each norm divided by the code's element count)
 *
 * The codes carry whatever gradient their computation allows; use {@link shapePriorsLoss} to keep a
 * frozen encoder out of the optimisation.
 *
 * @param codesTrue - Codes of the ground truth `[batch, …]`.
 * @param codesPred - Codes of the prediction, same shape.
 * @param options - `reduction` over code elements, default `'sum'` (see {@link CodeReduction}).
 * @returns A scalar ≥ 0.
 * @throws {@link LossShapeError}, {@link LossDtypeError}, {@link InvalidLossOptionError}
 */
export function shapeCodeDistance(codesTrue: Tensor, codesPred: Tensor, options: CodeDistanceOptions = {}): Scalar {
  const reduction = options.reduction ?? 'sum';
  assertCodeReduction(reduction);
  assertPair(codesTrue, codesPred, 1);
  return tidy(() => mean(perSampleSquaredDistance(codesTrue, codesPred, reduction)) as Scalar);
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
 * The squared norm sums over the whole code map, so the term grows with h·w·c (e.g. 16×16×512 codes for
 * 256×256 masks); `reduction: 'mean'` divides it by that count when the paper's λ1 would otherwise let
 * the term swamp the cross-entropy (see {@link CodeReduction}).
 *
 * @param yTrue - Ground-truth masks (one-hot, `[batch, …spatial, C]`), float32.
 * @param yPred - Predicted probabilities, same shape.
 * @param encoder - The frozen shape encoder F: a function or a `LayersModel` (run in inference mode).
 * @param options - `reduction` over code elements, default `'sum'` (the paper's Eq. 6).
 * @returns A scalar ≥ 0.
 * @throws {@link LossShapeError} if the shapes differ or F's codes lose the batch axis;
 *   {@link InvalidLossOptionError} for an unknown reduction.
 */
export function shapePriorsLoss(yTrue: Tensor, yPred: Tensor, encoder: FrozenModel, options: CodeDistanceOptions = {}): Scalar {
  const reduction = options.reduction ?? 'sum';
  assertCodeReduction(reduction);
  assertPair(yTrue, yPred, 2);
  const batch = yPred.shape[0] as number;
  return tidy(() =>
    frozenScalar([yPred], (prediction) => {
      const codesPred = applyModel(encoder, prediction, 'the shape encoder');
      const codesTrue = applyModel(encoder, yTrue, 'the shape encoder');
      assertCodes(codesTrue, codesPred, batch, 'Shape-encoder');
      return mean(perSampleSquaredDistance(codesTrue, codesPred, reduction)) as Scalar;
    }),
  );
}
