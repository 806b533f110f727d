import { maximum, mean, sqrt, square, sub, sum, tidy } from '@tensorflow/tfjs-core';

const TINY = 1e-30;
import type { Scalar, Tensor } from '@tensorflow/tfjs-core';
import { assertPair } from './validate.js';

/**
 * Mean squared error between predicted and ground-truth landmark coordinates (the shape-fitting
 * paper's training loss for its PCA shape-regression network):
 *
 * L_MSE = (1/(N·L·D)) Σ_n Σ_l Σ_d (p̂_{n,l,d} − p_{n,l,d})²
 *
 * the mean over every coordinate, as PyTorch's `MSELoss`.
 *
 * @param yTrue - Landmarks `[batch, landmarks, dims]` (any rank ≥ 2, last axis = coordinates).
 * @param yPred - Predicted landmarks, same shape.
 * @returns A scalar ≥ 0.
 * @throws {@link LossShapeError}, {@link LossRankError}, {@link LossDtypeError}
 */
export function landmarkMeanSquaredError(yTrue: Tensor, yPred: Tensor): Scalar {
  assertPair(yTrue, yPred, 2);
  return tidy(() => mean(square(sub(yPred, yTrue))) as Scalar);
}

/**
 * Mean Euclidean distance per landmark:
 *
 * L = (1/(N·L)) Σ_n Σ_l ‖p̂_{n,l} − p_{n,l}‖₂
 *
 * The norm's gradient is taken as 0 where a landmark is matched exactly (the true derivative is
 * undefined there), so a perfect prediction gives a finite zero gradient instead of NaN (the norm is
 * clamped below at 1e-15).
 *
 * @param yTrue - Landmarks `[batch, landmarks, dims]` (any rank ≥ 2, last axis = coordinates).
 * @param yPred - Predicted landmarks, same shape.
 * @returns A scalar ≥ 0, in the coordinates' unit.
 * @throws {@link LossShapeError}, {@link LossRankError}, {@link LossDtypeError}
 */
export function landmarkMeanEuclideanDistance(yTrue: Tensor, yPred: Tensor): Scalar {
  assertPair(yTrue, yPred, 2);
  return tidy(() => {
    // Below TINY the norm is clamped: sqrt's infinite derivative at 0 never meets the 0 upstream, the
    // gradient there is 0, and the value is off by at most 1e-15.
    return mean(sqrt(maximum(sum(square(sub(yPred, yTrue)), -1), TINY))) as Scalar;
  });
}
