import { clipByValue, log, neg, softplus, sub } from '@tensorflow/tfjs-core';
import type { Tensor } from '@tensorflow/tfjs-core';

/** Default probability clip, as in Keras: log(1e-7) ≈ −16.1 bounds every term without NaN or Infinity. */
export const DEFAULT_EPSILON = 1e-7;

/**
 * −log p for a probability p, or −log σ(l) = softplus(−l) for a logit l. softplus is evaluated by
 * tfjs with overflow thresholds, so large |l| stays finite and its gradient is σ(l) exactly.
 */
export function negLogPositive(x: Tensor, fromLogits: boolean, epsilon: number): Tensor {
  if (fromLogits) return softplus(neg(x));
  return neg(log(clipByValue(x, epsilon, 1 - epsilon)));
}

/** −log(1 − p) for a probability p, or −log(1 − σ(l)) = softplus(l) for a logit l. */
export function negLogNegative(x: Tensor, fromLogits: boolean, epsilon: number): Tensor {
  if (fromLogits) return softplus(x);
  return neg(log(clipByValue(sub(1, x), epsilon, 1 - epsilon)));
}
