import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { InstanceNormalization, LayerInputError } from '@pedseg/core';
import { expectClose, expectFlatMemory, expectGradientsMatch, rand, useCpu } from './helpers.js';

beforeAll(useCpu);

describe('InstanceNormalization', () => {
  it('hand-computed: each (sample, channel) normalized over its own pixels', () => {
    const layer = new InstanceNormalization();
    // Sample 0: channel 0 = [1, 3] (μ 2, σ² 1), channel 1 = [0, 4] (μ 2, σ² 4); sample 1: [10, 10] (σ² 0), [-1, 1].
    const x = tf.tensor4d([1, 0, 3, 4, 10, -1, 10, 1], [2, 1, 2, 2]);
    layer.apply(x);
    layer.setWeights([tf.tensor1d([2, 1]), tf.tensor1d([0, 0.5])]);
    const e = 1e-5;
    const y = layer.apply(x, { training: true }) as tf.Tensor;
    const n = (v: number, m: number, s2: number) => (v - m) / Math.sqrt(s2 + e);
    expectClose(
      y.dataSync(),
      [2 * n(1, 2, 1), n(0, 2, 4) + 0.5, 2 * n(3, 2, 1), n(4, 2, 4) + 0.5, 0, n(-1, 0, 1) + 0.5, 0, n(1, 0, 1) + 0.5],
      1e-5,
    );
    // No running statistics: inference gives the same result.
    expectClose((layer.apply(x) as tf.Tensor).dataSync(), y.dataSync(), 0);
  });

  it('3D, center/scale off, gradients, memory, rank check', () => {
    const plain = new InstanceNormalization({ center: false, scale: false });
    const y = plain.apply(rand([2, 2, 2, 2, 3], 2)) as tf.Tensor;
    expect(plain.weights.length).toBe(0);
    const { mean, variance } = tf.moments(y, [1, 2, 3]);
    expectClose(mean.dataSync(), Array(6).fill(0), 1e-5);
    expectClose(variance.dataSync(), Array(6).fill(1), 1e-3);
    const layer = new InstanceNormalization();
    layer.apply(rand([2, 2, 2, 2]));
    layer.setWeights([tf.tensor1d([1.5, 0.5]), tf.tensor1d([0.2, -0.1])]);
    expectGradientsMatch(layer, [rand([2, 2, 2, 2], 3, 2)], [0], true, 5e-3, 5e-3, false);
    const x = rand([2, 2, 2, 2]);
    expectFlatMemory(() => tf.dispose(layer.apply(x) as tf.Tensor | tf.Tensor[]));
    expect(() => new InstanceNormalization().apply(rand([2, 3]))).toThrow(LayerInputError);
  });
});
