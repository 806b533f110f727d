import '@tensorflow/tfjs-backend-cpu';
// tfjs-core alone registers no gradient functions; tfjs-layers' entry point registers them all.
import '@tensorflow/tfjs-layers';
import * as tf from '@tensorflow/tfjs-core';
import { readFileSync } from 'node:fs';
import { expect } from 'vitest';

export async function useCpu(): Promise<void> {
  await tf.setBackend('cpu');
  await tf.ready();
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Json = any;

export function loadFixtures(): Json {
  return JSON.parse(readFileSync(new URL('./fixtures/losses.json', import.meta.url), 'utf8'));
}

/** Reads a scalar tensor and disposes it. */
export function value(t: tf.Tensor): number {
  const v = t.dataSync()[0] as number;
  t.dispose();
  return v;
}

export function expectClose(actual: number, expected: number, rel = 1e-5, abs = 1e-6): void {
  expect(Number.isFinite(actual)).toBe(true);
  const tol = abs + rel * Math.abs(expected);
  if (Math.abs(actual - expected) > tol) {
    throw new Error(`expected ${actual} to be within ${tol} of ${expected}`);
  }
}

/**
 * Central finite differences of a scalar function of one tensor, compared with tf.grad, on a few
 * randomly chosen coordinates (float32 tolerances).
 */
export function checkGradient(
  f: (x: tf.Tensor) => tf.Scalar,
  x0: tf.Tensor,
  { h = 1e-2, rel = 2e-2, abs = 2e-3, samples = 12, seed = 1 } = {},
): void {
  const analytic = tf.grad(f)(x0);
  const g = analytic.dataSync().slice();
  analytic.dispose();
  const base = x0.dataSync().slice();
  let state = seed;
  const rand = (): number => {
    state = (state * 1103515245 + 12345) % 2147483648;
    return state / 2147483648;
  };
  const n = base.length;
  const picks = n <= samples ? Array.from({ length: n }, (_, i) => i) : Array.from({ length: samples }, () => Math.floor(rand() * n));
  for (const i of picks) {
    const plus = base.slice();
    const minus = base.slice();
    plus[i] = (plus[i] as number) + h;
    minus[i] = (minus[i] as number) - h;
    const fp = tf.tidy(() => f(tf.tensor(plus, x0.shape)).dataSync()[0] as number);
    const fm = tf.tidy(() => f(tf.tensor(minus, x0.shape)).dataSync()[0] as number);
    const numeric = (fp - fm) / (2 * h);
    const tol = abs + rel * Math.max(Math.abs(numeric), Math.abs(g[i] as number));
    if (!(Math.abs(numeric - (g[i] as number)) <= tol)) {
      throw new Error(`gradient mismatch at ${i}: analytic ${g[i]} vs numeric ${numeric}`);
    }
  }
}

/** Runs fn, disposes what it returns, and asserts the live tensor count did not change. */
export function expectNoLeak(fn: () => tf.TensorContainer): void {
  const before = tf.memory().numTensors;
  const out = fn();
  tf.dispose(out);
  expect(tf.memory().numTensors).toBe(before);
}

/** Float32-exact tensor from fixture numbers. */
export function t(values: number[], shape: number[]): tf.Tensor {
  return tf.tensor(values, shape, 'float32');
}
