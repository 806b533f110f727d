import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import type { LayersModel } from '@tensorflow/tfjs-layers';
import { expect } from 'vitest';

/** Selects the pure-JS cpu backend (call from beforeAll). */
export async function useCpu(): Promise<void> {
  await tf.setBackend('cpu');
  await tf.ready();
}

/** Deterministic pseudo-random values in [-1, 1) (LCG). */
export function seeded(n: number, seed = 1): Float32Array {
  const out = new Float32Array(n);
  let s = seed >>> 0;
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    out[i] = s / 2 ** 31 - 1;
  }
  return out;
}

/** A float32 tensor of seeded values. */
export function rand(shape: number[], seed = 1): tf.Tensor {
  return tf.tensor(seeded(shape.reduce((a, b) => a * b, 1), seed), shape);
}

/** Elementwise |a − b| ≤ atol + rtol·|b|. */
export function expectClose(actual: ArrayLike<number>, expected: ArrayLike<number>, atol = 1e-5, rtol = 1e-5): void {
  expect(actual.length).toBe(expected.length);
  for (let i = 0; i < expected.length; i++) {
    const a = actual[i] as number;
    const e = expected[i] as number;
    if (!(Math.abs(a - e) <= atol + rtol * Math.abs(e))) {
      throw new Error(`element ${i}: got ${a}, expected ${e} (atol ${atol}, rtol ${rtol})`);
    }
  }
}

/**
 * One forward + backward pass in training mode: the loss is the sum of every output times a fixed random
 * projection. Returns the gradient norm per trainable weight (all must be finite; most must be non-zero).
 */
export function gradientNorms(model: LayersModel, inputs: tf.Tensor[]): Map<string, number> {
  const vars = model.trainableWeights.map((w) => w.read() as tf.Variable);
  const norms = new Map<string, number>();
  tf.tidy(() => {
    const projections = tf.tidy(() => {
      const out = model.apply(inputs, { training: true }) as tf.Tensor | tf.Tensor[];
      return (Array.isArray(out) ? out : [out]).map((o, i) => rand(o.shape, 77 + i));
    });
    const { grads } = tf.variableGrads(() => {
      const out = model.apply(inputs, { training: true }) as tf.Tensor | tf.Tensor[];
      const outs = Array.isArray(out) ? out : [out];
      return outs.map((o, i) => tf.sum(tf.mul(o, projections[i] as tf.Tensor))).reduce((a, b) => tf.add(a, b)) as tf.Scalar;
    }, vars);
    model.trainableWeights.forEach((w, i) => {
      const g = grads[(vars[i] as tf.Variable).name];
      norms.set(w.originalName, g ? tf.norm(g).dataSync()[0] as number : NaN);
    });
  });
  return norms;
}
