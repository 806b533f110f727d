import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { LayerInputError, MultiDomainMBConv, SqueezeExcitation } from '@pedseg/core';
import { domains, expectClose, expectFlatMemory, expectGradientsMatch, expectMixedBatchEquivalence, rand, useCpu } from './helpers.js';

beforeAll(useCpu);

const sigmoid = (v: number) => 1 / (1 + Math.exp(-v));
const silu = (v: number) => v * sigmoid(v);

describe('SqueezeExcitation', () => {
  it('hand-computed: x · sigmoid(W_e σ(W_s GAP(x) + b_s) + b_e)', () => {
    const se = new SqueezeExcitation({ squeezeChannels: 1, activation: 'silu' });
    // One sample, 2×1 pixels, 2 channels: channel means 2 and -1.
    const x = tf.tensor4d([1, 0, 3, -2], [1, 2, 1, 2]);
    se.apply(x);
    se.setWeights([tf.tensor2d([[0.5], [1]]), tf.tensor1d([0.25]), tf.tensor2d([[2, -1]]), tf.tensor1d([0, 0.5])]);
    const h = silu(0.5 * 2 + 1 * -1 + 0.25);
    const e = [sigmoid(2 * h), sigmoid(-1 * h + 0.5)];
    expectClose((se.apply(x) as tf.Tensor).dataSync(), [1 * e[0]!, 0, 3 * e[0]!, -2 * e[1]!], 1e-6);
  });

  it('3D, gradients, memory', () => {
    const se = new SqueezeExcitation({ squeezeChannels: 2 });
    expect((se.apply(rand([1, 2, 2, 2, 3])) as tf.Tensor).shape).toEqual([1, 2, 2, 2, 3]);
    const se2 = new SqueezeExcitation({ squeezeChannels: 1, activation: 'relu' });
    expectGradientsMatch(se2, [rand([2, 2, 2, 3], 3)], [0], true);
    const x = rand([2, 2, 2, 3]);
    expectFlatMemory(() => tf.dispose(se2.apply(x) as tf.Tensor | tf.Tensor[]));
  });
});

describe('MultiDomainMBConv (Fig. 3)', () => {
  it('MBConv1 without SE equals depthwise conv → BN → SiLU → 1×1 conv → BN (+ skip), built from tf ops', () => {
    const block = new MultiDomainMBConv({ numDomains: 2, filters: 2, expandRatio: 1, seRatio: 0 });
    const x = rand([2, 3, 3, 2], 1);
    block.apply([x, domains([0, 1])]);
    const names = block.getWeights().map((_, i) => block.weights[i]!.name.split('/').pop());
    expect(names).toEqual([
      'depthwise_kernel', 'depthwise_bn_gamma', 'depthwise_bn_beta', 'project_kernel', 'project_bn_gamma', 'project_bn_beta',
      'depthwise_bn_moving_mean', 'depthwise_bn_moving_variance', 'project_bn_moving_mean', 'project_bn_moving_variance',
    ].filter((n) => names.includes(n)).sort((a, b) => names.indexOf(a) - names.indexOf(b)));
    const dw = block.weights.find((w) => w.name.endsWith('depthwise_kernel'))!.read();
    const pw = block.weights.find((w) => w.name.endsWith('project_kernel'))!.read();
    const s = 1 / Math.sqrt(1 + 1e-5); // default moving statistics, γ = 1, β = 0
    const expected = tf.tidy(() => {
      const h = tf.mul(tf.depthwiseConv2d(x as tf.Tensor4D, dw as tf.Tensor4D, 1, 'same'), s);
      const a = tf.mul(h, tf.sigmoid(h));
      return tf.add(tf.mul(tf.conv2d(a as tf.Tensor4D, pw as tf.Tensor4D, 1, 'same'), s), x);
    });
    expect(block.hasSkip).toBe(true);
    expectClose((block.apply([x, domains([0, 1])]) as tf.Tensor).dataSync(), expected.dataSync(), 1e-5);
  });

  it('MBConv6 with SE and stride 2: shapes, no skip, weights', () => {
    const block = new MultiDomainMBConv({ numDomains: 3, filters: 4, kernelSize: 5, strides: 2, expandRatio: 6 });
    const y = block.apply([rand([2, 5, 5, 2]), domains([0, 2])], { training: true }) as tf.Tensor;
    expect(y.shape).toEqual([2, 3, 3, 4]);
    expect(block.computeOutputShape([[null, 5, 5, 2], [null]])).toEqual([null, 3, 3, 4]);
    expect(block.hasSkip).toBe(false);
    const shapes = Object.fromEntries(block.weights.map((w) => [w.name.split('/').pop(), w.shape]));
    expect(shapes['expand_kernel']).toEqual([1, 1, 2, 12]);
    expect(shapes['depthwise_kernel']).toEqual([5, 5, 12, 1]);
    expect(shapes['se_squeeze_kernel']).toEqual([12, 1]);
    expect(shapes['project_kernel']).toEqual([1, 1, 12, 4]);
    expect(shapes['project_bn_gamma']).toEqual([3, 4]);
    expect(() => block.apply([rand([1, 2, 2, 2, 2]), domains([0])])).toThrow(LayerInputError);
  });

  it('mixed batch equals per-domain sub-batches; gradients match finite differences', () => {
    const block = new MultiDomainMBConv({ numDomains: 2, filters: 2, expandRatio: 2, seRatio: 0.5 });
    expectMixedBatchEquivalence(block, [rand([4, 2, 2, 2], 3)], [1, 0, 0, 1], true);
    expectGradientsMatch(block, [rand([3, 2, 2, 2], 4), domains([0, 1, 0])], [0], true);
  });

  it('memory flat across training steps', () => {
    const block = new MultiDomainMBConv({ numDomains: 2, filters: 2, expandRatio: 2 });
    const x = rand([2, 3, 3, 2]);
    const d = domains([1, 0]);
    const opt = tf.train.sgd(0.01);
    tf.dispose(block.apply([x, d]) as tf.Tensor); // build the weights before minimize() collects the variables
    expectFlatMemory(() => opt.minimize(() => tf.mean(block.apply([x, d], { training: true }) as tf.Tensor) as tf.Scalar));
  });
});
