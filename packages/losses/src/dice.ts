import { add, div, mean, mul, sigmoid, slice, softmax, square, sub, sum, tidy } from '@tensorflow/tfjs-core';
import type { Scalar, Tensor } from '@tensorflow/tfjs-core';
import { InvalidLossOptionError } from './errors.js';
import { assertOneOf, assertPair, assertPositive } from './validate.js';

/** Options of {@link softDiceLoss}. */
export interface SoftDiceLossOptions {
  /** Activation applied to `yPred` first: `'none'` (probabilities, default), `'softmax'` or `'sigmoid'`. */
  activation?: 'none' | 'softmax' | 'sigmoid';
  /** Smoothing s > 0 added to numerator and denominator. Default 1e-5 (as MONAI's `smooth_nr`/`smooth_dr`). */
  smooth?: number;
  /** Count channel 0 (the background). Default `true`; `false` needs at least two channels. */
  includeBackground?: boolean;
  /** Use Σŷ² + Σy² in the denominator (Milletari's V-Net form) instead of Σŷ + Σy. Default `false`. */
  squaredDenominator?: boolean;
  /** Pool the sums over the whole batch before the ratio (one Dice per class). Default `false`. */
  batchDice?: boolean;
}

/**
 * Soft Dice loss:
 *
 * L_Dice = 1 − mean_{n,c} (2 Σ_u y_{n,c,u} ŷ_{n,c,u} + s) / (Σ_u y_{n,c,u} + Σ_u ŷ_{n,c,u} + s)
 *
 * per image n and class c (channels-last tensors, rank ≥ 2), averaged over images and classes; with
 * `batchDice` the sums also run over the batch. An empty class predicted empty scores Dice 1 (loss 0)
 * thanks to s > 0, matching the empty-mask convention of `@pedseg/metrics`.
 *
 * @param yTrue - Targets, same shape as `yPred`, float32.
 * @param yPred - Probabilities (or scores with `activation`).
 * @returns A scalar in [0, 1] for probabilities and binary targets.
 * @throws {@link LossShapeError}, {@link LossRankError}, {@link LossDtypeError}, {@link InvalidLossOptionError}
 */
export function softDiceLoss(yTrue: Tensor, yPred: Tensor, options: SoftDiceLossOptions = {}): Scalar {
  const {
    activation = 'none',
    smooth = 1e-5,
    includeBackground = true,
    squaredDenominator = false,
    batchDice = false,
  } = options;
  assertPair(yTrue, yPred, 2);
  assertOneOf('activation', activation, ['none', 'softmax', 'sigmoid']);
  assertPositive('smooth', smooth);
  const numClasses = yPred.shape[yPred.rank - 1] as number;
  if (!includeBackground && numClasses < 2) {
    throw new InvalidLossOptionError('includeBackground: false needs at least two channels');
  }
  return tidy(() => {
    let p = activation === 'softmax' ? softmax(yPred) : activation === 'sigmoid' ? sigmoid(yPred) : yPred;
    let y = yTrue;
    if (!includeBackground) {
      const begin = new Array<number>(yPred.rank).fill(0);
      begin[yPred.rank - 1] = 1;
      p = slice(p, begin);
      y = slice(y, begin);
    }
    const first = batchDice ? 0 : 1;
    const axes = Array.from({ length: yPred.rank - 1 - first }, (_, a) => a + first);
    const reduce = (t: Tensor): Tensor => (axes.length > 0 ? sum(t, axes) : t);
    const intersection = reduce(mul(y, p));
    const denominator = squaredDenominator ? add(reduce(square(y)), reduce(square(p))) : add(reduce(y), reduce(p));
    const dice = div(add(mul(intersection, 2), smooth), add(denominator, smooth));
    return sub(1, mean(dice)) as Scalar;
  });
}
