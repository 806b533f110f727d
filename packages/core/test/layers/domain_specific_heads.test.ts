import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  DomainIndexError,
  DomainSpecificHeads,
  LayerConfigError,
  classCountMask,
  domainClassMask,
  domainClassSlice,
} from '@pedseg/core';
import { domains, expectClose, expectFlatMemory, expectGradientsMatch, expectMixedBatchEquivalence, rand, useCpu } from './helpers.js';

beforeAll(useCpu);

function softmax(v: number[]): number[] {
  const m = Math.max(...v);
  const e = v.map((x) => Math.exp(x - m));
  const s = e.reduce((a, b) => a + b, 0);
  return e.map((x) => x / s);
}

describe('DomainSpecificHeads (Eq. 4)', () => {
  it('hand-computed: each sample gets softmax(W_k u + b_k) over its own |C_k| classes, zeros beyond', () => {
    // K = 2 domains with 2 and 3 classes; C_in = 2; one pixel per sample.
    const heads = new DomainSpecificHeads({ classCounts: [2, 3] });
    const u = tf.tensor4d([1, 2, -1, 0.5], [2, 1, 1, 2]);
    heads.apply([u, domains([0, 1])]);
    const W = [
      [[0.5, -1, 9], [1, 0.25, 9]], // domain 0: column 2 is unused padding
      [[0.2, 0.3, -0.4], [-1, 0.5, 2]],
    ];
    const b = [[0.1, -0.2, 5], [0, 1, -1]];
    heads.setWeights([tf.tensor3d(W), tf.tensor2d(b)]);
    const y = heads.apply([u, domains([0, 1])]) as tf.Tensor;
    expect(y.shape).toEqual([2, 1, 1, 3]);
    const l0 = [1 * 0.5 + 2 * 1 + 0.1, 1 * -1 + 2 * 0.25 - 0.2];
    const l1 = [-1 * 0.2 + 0.5 * -1 + 0, -1 * 0.3 + 0.5 * 0.5 + 1, -1 * -0.4 + 0.5 * 2 - 1];
    const out = y.dataSync();
    expectClose(out, [...softmax(l0), 0, ...softmax(l1)], 1e-6);
    expect(out[2]).toBe(0); // exactly zero, not merely small
  });

  it('class masks and the single-domain slice', () => {
    expect(classCountMask([2, 4, 3]).arraySync()).toEqual([[1, 1, 0, 0], [1, 1, 1, 1], [1, 1, 1, 0]]);
    expect(domainClassMask(domains([2, 0, 2]), [2, 4, 3]).arraySync()).toEqual([[1, 1, 1, 0], [1, 1, 0, 0], [1, 1, 1, 0]]);
    const heads = new DomainSpecificHeads({ classCounts: [2, 4, 3] });
    const p = heads.apply([rand([2, 3, 3, 5]), domains([2, 2])]) as tf.Tensor;
    const own = domainClassSlice(p, [2, 4, 3], 2);
    expect(own.shape).toEqual([2, 3, 3, 3]);
    expectClose(tf.sum(own, -1).dataSync(), Array(18).fill(1), 1e-6);
    expect(() => domainClassSlice(p, [2, 4, 3], 3)).toThrow(DomainIndexError);
    expect(() => classCountMask([2, 0])).toThrow(LayerConfigError);
    expect(() => domainClassMask(domains([3]), [2, 2])).toThrow(DomainIndexError);
  });

  it('3D outputs, masked channels exactly zero for mixed domains', () => {
    const heads = new DomainSpecificHeads({ classCounts: [3, 2, 4] });
    const p = heads.apply([rand([3, 2, 2, 2, 2], 2, 5), domains([1, 0, 2])]) as tf.Tensor;
    expect(p.shape).toEqual([3, 2, 2, 2, 4]);
    const arr = p.arraySync() as number[][][][][];
    const flat = (i: number) => arr[i]!.flat(2) as number[][];
    expect(flat(0).every((px) => px[2] === 0 && px[3] === 0)).toBe(true);
    expect(flat(1).every((px) => px[3] === 0)).toBe(true);
    expectClose(tf.sum(p, -1).dataSync(), Array(24).fill(1), 1e-6);
  });

  it('mixed batch equals per-domain sub-batches; gradients match finite differences', () => {
    const heads = new DomainSpecificHeads({ classCounts: [2, 3] });
    expectMixedBatchEquivalence(heads, [rand([4, 2, 2, 2], 3)], [1, 0, 1, 0], true);
    expectGradientsMatch(heads, [rand([3, 2, 1, 2], 4), domains([0, 1, 1])], [0], true);
    // The unused padding column of domain 0 gets exactly zero gradient.
    const grads = tf.variableGrads(
      () => tf.sum(tf.mul(heads.apply([rand([2, 1, 1, 2], 5), domains([0, 0])]) as tf.Tensor, rand([2, 1, 1, 3], 6))) as tf.Scalar,
      [heads.trainableWeights[0]!.read() as tf.Variable],
    );
    const kernelGrad = Object.values(grads.grads)[0]!.arraySync() as number[][][];
    expect(kernelGrad[0]!.map((row) => row[2])).toEqual([0, 0]);
  });

  it('memory flat; config validation', () => {
    const heads = new DomainSpecificHeads({ classCounts: [2, 3] });
    const u = rand([2, 2, 2, 2]);
    const d = domains([0, 1]);
    expectFlatMemory(() => tf.dispose(heads.apply([u, d]) as tf.Tensor | tf.Tensor[]));
    expect(() => new DomainSpecificHeads({ classCounts: [] })).toThrow(LayerConfigError);
    expect(() => new DomainSpecificHeads({ classCounts: [2, 1.5] })).toThrow(LayerConfigError);
  });
});
