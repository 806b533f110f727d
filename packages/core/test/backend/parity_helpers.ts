import * as tf from '@tensorflow/tfjs-core';
import { expect } from 'vitest';

/** Deterministic values in [-1, 1) (a small LCG), so both backends see identical inputs. */
export function seeded(size: number, seed: number): Float32Array {
  const out = new Float32Array(size);
  let state = seed >>> 0 || 1;
  for (let i = 0; i < size; i++) {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    out[i] = state / 2 ** 31 - 1;
  }
  return out;
}

/** Runs `body` on `backend` and returns its outputs as plain arrays (tensors disposed). */
export async function runOn(backend: string, body: () => tf.Tensor | tf.Tensor[]): Promise<Float32Array[]> {
  await tf.setBackend(backend);
  const outputs = tf.tidy(() => {
    const out = body();
    return Array.isArray(out) ? out : [out];
  });
  const values = await Promise.all(outputs.map(async (t) => Float32Array.from(await t.data())));
  tf.dispose(outputs);
  return values;
}

/** max |a − b| / max(|b|, 1e-6): the error relative to the reference tensor's magnitude. */
export function relativeError(actual: Float32Array, expected: Float32Array): number {
  if (actual.length !== expected.length) return Infinity;
  let diff = 0;
  let scale = 1e-6;
  for (let i = 0; i < expected.length; i++) {
    diff = Math.max(diff, Math.abs(actual[i]! - expected[i]!));
    scale = Math.max(scale, Math.abs(expected[i]!));
  }
  return diff / scale;
}

/** Runs `body` on cpu, then on wasm, and expects every output to agree to `tolerance` (relative). */
export async function expectParity(body: () => tf.Tensor | tf.Tensor[], tolerance = 1e-4): Promise<void> {
  const expected = await runOn('cpu', body);
  const actual = await runOn('wasm', body);
  expect(actual.length).toBe(expected.length);
  actual.forEach((values, i) => expect(relativeError(values, expected[i]!)).toBeLessThan(tolerance));
}
