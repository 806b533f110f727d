import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { DomainIndexError, LayerConfigError, MultiDomainConvBlock } from '@pedseg/core';
import { domains, expectClose, expectFlatMemory, expectGradientsMatch, expectMixedBatchEquivalence, rand, useCpu } from './helpers.js';

beforeAll(useCpu);

describe('MultiDomainConvBlock (Eq. 3)', () => {
  it('computes σ(DSBN(Θ ∗ u)) — hand-computed 1×1 case', () => {
    const block = new MultiDomainConvBlock({ numDomains: 2, filters: 1, kernelSize: 1, activation: 'relu' });
    // Samples [1, 3] (domain 0) and [2, 4] (domain 1); kernel 2 → conv [2, 6] and [4, 8].
    const x = tf.tensor4d([1, 3, 2, 4], [2, 1, 2, 1]);
    block.apply([x, domains([0, 1])]);
    const [kernel, , , mm, mv] = block.getWeights();
    expect(kernel!.shape).toEqual([1, 1, 1, 1]);
    block.setWeights([tf.fill([1, 1, 1, 1], 2), tf.tensor2d([[1], [2]]), tf.tensor2d([[0], [0.5]]), mm!, mv!]);
    const y = block.apply([x, domains([0, 1])], { training: true }) as tf.Tensor;
    // Each domain: conv values a±2 → normalized ∓1 (σ² = 4), then γ, β, ReLU.
    const n = 2 / Math.sqrt(4 + 1e-5);
    expectClose(y.dataSync(), [0, n, 0.5 - 2 * n < 0 ? 0 : 0.5 - 2 * n, 0.5 + 2 * n], 1e-5);
    // Inference with moving statistics (mean 0, var 1): σ(γ_k·2x/√(1+ε) + β_k).
    block.setWeights([tf.fill([1, 1, 1, 1], 2), tf.tensor2d([[1], [2]]), tf.tensor2d([[0], [0.5]]), tf.zeros([2, 1]), tf.ones([2, 1])]);
    const z = block.apply([x, domains([0, 1])]) as tf.Tensor;
    const s = 1 / Math.sqrt(1 + 1e-5);
    expectClose(z.dataSync(), [2 * s, 6 * s, 2 * 4 * s + 0.5, 2 * 8 * s + 0.5], 1e-5);
  });

  it('2D and 3D, strides: output shapes agree with computeOutputShape', () => {
    const b2 = new MultiDomainConvBlock({ numDomains: 3, filters: 4, strides: 2, activation: 'silu' });
    const y2 = b2.apply([rand([2, 5, 4, 3]), domains([0, 2])], { training: true }) as tf.Tensor;
    expect(y2.shape).toEqual([2, 3, 2, 4]);
    expect(b2.computeOutputShape([[null, 5, 4, 3], [null]])).toEqual([null, 3, 2, 4]);
    const b3 = new MultiDomainConvBlock({ numDomains: 2, filters: 2 });
    const y3 = b3.apply([rand([2, 3, 3, 2, 1]), domains([1, 0])]) as tf.Tensor;
    expect(y3.shape).toEqual([2, 3, 3, 2, 2]);
    expect(b3.trainableWeights.map((w) => w.shape)).toEqual([[3, 3, 3, 1, 2], [2, 2], [2, 2]]);
  });

  it('mixed batch equals per-domain sub-batches (training and inference)', () => {
    const block = new MultiDomainConvBlock({ numDomains: 3, filters: 2, activation: 'silu' });
    expectMixedBatchEquivalence(block, [rand([5, 3, 3, 2], 3)], [1, 0, 1, 2, 0], true);
    expectMixedBatchEquivalence(block, [rand([5, 3, 3, 2], 3)], [1, 0, 1, 2, 0], false);
  });

  it('gradients match finite differences (2D and 3D)', () => {
    const b2 = new MultiDomainConvBlock({ numDomains: 2, filters: 2, activation: 'silu' });
    expectGradientsMatch(b2, [rand([3, 3, 3, 1], 5), domains([0, 1, 1])], [0], true);
    const b3 = new MultiDomainConvBlock({ numDomains: 2, filters: 1, kernelSize: 2, activation: 'tanh' });
    expectGradientsMatch(b3, [rand([2, 2, 2, 2, 1], 6), domains([1, 0])], [0], false);
  });

  it('memory is flat across calls and training steps', () => {
    const block = new MultiDomainConvBlock({ numDomains: 2, filters: 2 });
    const x = rand([2, 4, 4, 1]);
    const d = domains([0, 1]);
    const opt = tf.train.sgd(0.01);
    expectFlatMemory(() => tf.dispose(block.apply([x, d], { training: true }) as tf.Tensor | tf.Tensor[]));
    expectFlatMemory(() => {
      opt.minimize(() => tf.mean(block.apply([x, d], { training: true }) as tf.Tensor) as tf.Scalar);
    });
  });

  it('typed errors for bad config, domain and inputs', () => {
    expect(() => new MultiDomainConvBlock({ numDomains: 2, filters: 0 })).toThrow(LayerConfigError);
    expect(() => new MultiDomainConvBlock({ numDomains: 2, filters: 1, activation: 'gelu' as 'relu' })).toThrow(LayerConfigError);
    const block = new MultiDomainConvBlock({ numDomains: 2, filters: 1 });
    expect(() => block.apply([rand([2, 3, 3, 1]), domains([0, 5])])).toThrow(DomainIndexError);
  });
});
