import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { beforeAll, describe, expect, it } from 'vitest';
import { fusedBatchNormGradConfig, registerBatchNormGradient } from '@pedseg/core';
import { relativeError, seeded } from './parity_helpers.js';

// tfjs-core's own FusedBatchNorm gradient, captured before ours replaces it.
const original = tf.getGradient('FusedBatchNorm')!;

function tensor(shape: number[], seed: number, offset = 0): tf.Tensor {
  return tf.add(tf.tensor(seeded(shape.reduce((a, b) => a * b, 1), seed), shape), offset);
}

async function values(t: tf.Tensor): Promise<Float32Array> {
  return Float32Array.from(await t.data());
}

/** Both gradient functions on the same saved tensors, every input's gradient compared. */
async function compare(x: tf.Tensor, mean: tf.Tensor, variance: tf.Tensor, scale: tf.Tensor | undefined, dy: tf.Tensor): Promise<void> {
  const attrs = { varianceEpsilon: 1e-3 };
  const saved = [x, mean, variance, ...(scale ? [scale] : [])];
  const names = ['x', 'mean', 'variance', 'offset', ...(scale ? ['scale'] : [])];
  for (const name of names) {
    const expected = tf.tidy(() => original.gradFunc(dy, saved, attrs)[name]!());
    const actual = tf.tidy(() => fusedBatchNormGradConfig.gradFunc(dy, saved, attrs)[name]!());
    expect(actual.shape).toEqual(expected.shape);
    expect(relativeError(await values(actual), await values(expected))).toBeLessThan(1e-5);
    tf.dispose([expected, actual]);
  }
}

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('fusedBatchNormGradConfig', () => {
  it('matches tfjs-core’s gradient for per-channel statistics, with and without scale', async () => {
    const shape = [3, 5, 4, 6];
    const x = tensor(shape, 1);
    const dy = tensor(shape, 2);
    const mean = tensor([6], 3);
    const variance = tensor([6], 4, 1.5);
    await compare(x, mean, variance, tensor([6], 5, 1), dy);
    await compare(x, mean, variance, undefined, dy);
    tf.dispose([x, dy, mean, variance]);
  });

  it('matches tfjs-core’s gradient when the statistics have the activation’s shape', async () => {
    const shape = [2, 3, 3, 4];
    await compare(tensor(shape, 6), tensor(shape, 7), tensor(shape, 8, 1.5), tensor(shape, 9, 1), tensor(shape, 10));
  });

  it('handles rank-5 activations (tfjs-core’s version assumes rank 4) against finite differences', async () => {
    // d/dθ of L = Σ w ⊙ batchNorm(x; θ) by central differences in float32 on a small volume.
    const shape = [2, 3, 2, 2, 3];
    const x = tensor(shape, 11);
    const w = tensor(shape, 12);
    const mean = tensor([3], 13);
    const variance = tensor([3], 14, 1.5);
    const scale = tensor([3], 15, 1);
    const offset = tensor([3], 16);
    registerBatchNormGradient();
    const loss = (a: tf.Tensor, m: tf.Tensor, v: tf.Tensor, s: tf.Tensor, o: tf.Tensor) =>
      tf.sum(tf.mul(w, tf.batchNorm(a, m, v, o, s, 1e-3)));
    const grads = tf.grads(loss)([x, mean, variance, scale, offset]);
    const inputs = [x, mean, variance, scale, offset];
    const h = 1e-2;
    for (let k = 0; k < inputs.length; k++) {
      const base = await values(inputs[k]!);
      const analytic = await values(grads[k]!);
      for (const i of [0, Math.floor(base.length / 2), base.length - 1]) {
        const shifted = (delta: number) => {
          const copy = Float32Array.from(base);
          copy[i]! += delta;
          const args = inputs.map((t, j) => (j === k ? tf.tensor(copy, t.shape) : t));
          return tf.tidy(() => loss(args[0]!, args[1]!, args[2]!, args[3]!, args[4]!).dataSync()[0]!);
        };
        const numeric = (shifted(h) - shifted(-h)) / (2 * h);
        expect(Math.abs(analytic[i]! - numeric)).toBeLessThan(2e-2 * Math.max(1, Math.abs(numeric)));
      }
    }
    tf.dispose([...grads, ...inputs, w]);
  });

  // (tfjs-core's op cannot differentiate a batch norm without scale or offset: its tape reads the
  // absent inputs. Layers always pass both, so the tests do too.)
  it('keeps the tensor count flat', () => {
    registerBatchNormGradient();
    const x = tensor([2, 4, 4, 3], 17);
    const scale = tensor([3], 18, 1);
    const run = () =>
      tf.tidy(() =>
        tf.grads((a: tf.Tensor, s: tf.Tensor) => {
          const { mean, variance } = tf.moments(a, [0, 1, 2]);
          return tf.sum(tf.square(tf.batchNorm(a, mean, variance, tf.zerosLike(s), s)));
        })([x, scale]),
      );
    tf.dispose(run());
    const before = tf.memory().numTensors;
    tf.dispose(run());
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose([x, scale]);
  });
});
