import type { Tensor } from '@tensorflow/tfjs-core';
import { InvalidLossOptionError, LossDtypeError, LossRankError, LossShapeError } from './errors.js';

// Internal argument checks shared by every loss. They run before any tensor is allocated.

export function describeShape(shape: readonly number[]): string {
  return `[${shape.join(', ')}]`;
}

export function assertFloat(name: string, t: Tensor): void {
  if (t.dtype !== 'float32') {
    throw new LossDtypeError(`${name} must be float32, got ${t.dtype}`);
  }
}

export function assertMinRank(name: string, t: Tensor, minRank: number): void {
  if (t.rank < minRank) {
    throw new LossRankError(
      `${name} must have rank >= ${minRank}, got rank ${t.rank} (shape ${describeShape(t.shape)})`,
    );
  }
}

export function assertRank(name: string, t: Tensor, rank: number): void {
  if (t.rank !== rank) {
    throw new LossRankError(`${name} must have rank ${rank}, got rank ${t.rank} (shape ${describeShape(t.shape)})`);
  }
}

export function assertSameShape(nameA: string, a: Tensor, nameB: string, b: Tensor): void {
  const same = a.rank === b.rank && a.shape.every((d, i) => d === b.shape[i]);
  if (!same) {
    throw new LossShapeError(
      `${nameA} ${describeShape(a.shape)} and ${nameB} ${describeShape(b.shape)} must have the same shape`,
    );
  }
}

export function assertNonEmpty(name: string, t: Tensor): void {
  if (t.size === 0) {
    throw new LossShapeError(`${name} must not be empty (shape ${describeShape(t.shape)})`);
  }
}

/** Checks a prediction / target pair: same shape, float32, rank >= minRank, not empty. */
export function assertPair(yTrue: Tensor, yPred: Tensor, minRank: number): void {
  assertMinRank('yPred', yPred, minRank);
  assertMinRank('yTrue', yTrue, minRank);
  assertSameShape('yTrue', yTrue, 'yPred', yPred);
  assertFloat('yPred', yPred);
  assertFloat('yTrue', yTrue);
  assertNonEmpty('yPred', yPred);
}

/** A weighting factor λ: finite and >= 0. */
export function assertLambda(name: string, value: number): void {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
    throw new InvalidLossOptionError(`${name} must be a finite number >= 0, got ${String(value)}`);
  }
}

/** A strictly positive finite number (temperature, sigma, smoothing used as divisor …). */
export function assertPositive(name: string, value: number): void {
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) {
    throw new InvalidLossOptionError(`${name} must be a finite number > 0, got ${String(value)}`);
  }
}

/** A finite number >= 0 (epsilon, smoothing, w0). */
export function assertNonNegative(name: string, value: number): void {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
    throw new InvalidLossOptionError(`${name} must be a finite number >= 0, got ${String(value)}`);
  }
}

/** Class weights: one finite, non-negative number per class. */
export function assertClassWeights(name: string, weights: readonly number[], numClasses: number): void {
  if (weights.length !== numClasses) {
    throw new InvalidLossOptionError(
      `${name} must have one weight per class (${numClasses}), got ${weights.length}`,
    );
  }
  weights.forEach((w, i) => {
    if (typeof w !== 'number' || !Number.isFinite(w) || w < 0) {
      throw new InvalidLossOptionError(`${name}[${i}] must be a finite number >= 0, got ${String(w)}`);
    }
  });
}

export function assertOneOf<T extends string>(name: string, value: T, allowed: readonly T[]): void {
  if (!allowed.includes(value)) {
    throw new InvalidLossOptionError(`${name} must be one of ${allowed.join(', ')}, got ${String(value)}`);
  }
}
