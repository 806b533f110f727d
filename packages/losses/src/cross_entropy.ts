import { add, clipByValue, div, log, logSoftmax, mean, mul, neg, sub, sum, tensor1d, tidy } from '@tensorflow/tfjs-core';
import type { Scalar, Tensor } from '@tensorflow/tfjs-core';
import { DEFAULT_EPSILON, negLogNegative, negLogPositive } from './log_terms.js';
import { assertClassWeights, assertNonNegative, assertOneOf, assertPair } from './validate.js';

/**
 * How the per-pixel cross-entropy is reduced over the class axis.
 * - `'mean'`: divide by |C| (combined-regularization paper Eq. 3, multi-task paper Eq. 1).
 * - `'sum'`: the usual Keras / PyTorch convention (|C| times the `'mean'` value).
 */
export type ClassReduction = 'mean' | 'sum';

/** Options of {@link categoricalCrossEntropy}. */
export interface CategoricalCrossEntropyOptions {
  /** `yPred` holds unnormalised scores; a stable log-softmax is applied. Default `false` (probabilities). */
  fromLogits?: boolean;
  /** One non-negative weight w_c per class, multiplying that class' term. Default: all 1. */
  classWeights?: readonly number[];
  /** Reduction over classes. Default `'mean'`, the papers' 1/|C| normalisation. */
  classReduction?: ClassReduction;
  /** Probabilities are clipped to [ε, 1 − ε] before the log. Default 1e-7. Ignored with `fromLogits`. */
  epsilon?: number;
}

/** Options of {@link binaryCrossEntropy}. */
export interface BinaryCrossEntropyOptions {
  /** `yPred` holds logits l (the sigmoid is applied inside, in its stable softplus form). Default `false`. */
  fromLogits?: boolean;
  /** `[w_background, w_foreground]` weights of the (1 − y) and y terms. Default `[1, 1]`. */
  classWeights?: readonly [number, number];
  /** Probabilities are clipped to [ε, 1 − ε] before the log. Default 1e-7. Ignored with `fromLogits`. */
  epsilon?: number;
}

/** Element-wise −Σ_c w_c·y_c·log ŷ_c over the last axis (the class axis), before any reduction. */
export function pixelCrossEntropy(
  yTrue: Tensor,
  yPred: Tensor,
  fromLogits: boolean,
  epsilon: number,
  classWeights?: readonly number[],
): Tensor {
  const logP = fromLogits ? logSoftmax(yPred) : log(clipByValue(yPred, epsilon, 1));
  let terms = neg(mul(yTrue, logP));
  if (classWeights !== undefined) terms = mul(terms, tensor1d([...classWeights]));
  return sum(terms, -1);
}

/**
 * Categorical cross-entropy of one-hot (or soft) targets, combined-regularization paper Eq. 2–3:
 *
 * L_CE = (1/N) Σ_n (1/(|C|·|Ω|)) Σ_{c∈C} Σ_{u∈Ω} −w_c · y_{n,c,u} · log ŷ_{n,c,u}
 *
 * with `classReduction: 'sum'` dropping the 1/|C|. Tensors are channels-last (`[batch, …spatial, C]`,
 * rank ≥ 2); the mean runs over the batch and every pixel. Class weights multiply each class' term
 * and are not renormalised (unlike PyTorch's weighted `reduction='mean'`).
 *
 * @param yTrue - Targets, same shape as `yPred`, float32.
 * @param yPred - Probabilities (softmax outputs) or, with `fromLogits`, scores.
 * @returns A scalar.
 * @throws {@link LossShapeError}, {@link LossRankError}, {@link LossDtypeError}, {@link InvalidLossOptionError}
 */
export function categoricalCrossEntropy(
  yTrue: Tensor,
  yPred: Tensor,
  options: CategoricalCrossEntropyOptions = {},
): Scalar {
  const { fromLogits = false, classWeights, classReduction = 'mean', epsilon = DEFAULT_EPSILON } = options;
  assertPair(yTrue, yPred, 2);
  const numClasses = yPred.shape[yPred.rank - 1] as number;
  if (classWeights !== undefined) assertClassWeights('classWeights', classWeights, numClasses);
  assertOneOf('classReduction', classReduction, ['mean', 'sum']);
  assertNonNegative('epsilon', epsilon);
  return tidy(() => {
    const perPixel = pixelCrossEntropy(yTrue, yPred, fromLogits, epsilon, classWeights);
    const loss = mean(perPixel);
    return (classReduction === 'mean' ? div(loss, numClasses) : loss) as Scalar;
  });
}

/**
 * Binary cross-entropy for one-channel sigmoid outputs (the individual and global strategies of the
 * combined-regularization paper, and any multi-label sigmoid head):
 *
 * L_BCE = mean_u −[ w_1 · y_u · log ŷ_u + w_0 · (1 − y_u) · log(1 − ŷ_u) ]
 *
 * From logits l the two logs are −softplus(−l) and −softplus(l), which never overflow.
 *
 * @param yTrue - Targets in [0, 1], same shape as `yPred`, float32.
 * @param yPred - Probabilities or, with `fromLogits`, logits. Any rank ≥ 1.
 * @returns A scalar: the mean over every element.
 * @throws {@link LossShapeError}, {@link LossRankError}, {@link LossDtypeError}, {@link InvalidLossOptionError}
 */
export function binaryCrossEntropy(yTrue: Tensor, yPred: Tensor, options: BinaryCrossEntropyOptions = {}): Scalar {
  const { fromLogits = false, classWeights, epsilon = DEFAULT_EPSILON } = options;
  assertPair(yTrue, yPred, 1);
  if (classWeights !== undefined) assertClassWeights('classWeights', classWeights, 2);
  assertNonNegative('epsilon', epsilon);
  return tidy(() => {
    let positive = mul(yTrue, negLogPositive(yPred, fromLogits, epsilon));
    let negative = mul(sub(1, yTrue), negLogNegative(yPred, fromLogits, epsilon));
    if (classWeights !== undefined) {
      negative = mul(negative, classWeights[0]);
      positive = mul(positive, classWeights[1]);
    }
    return mean(add(positive, negative)) as Scalar;
  });
}
