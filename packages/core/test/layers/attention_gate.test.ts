import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { beforeAll, describe, expect, it } from 'vitest';
import { AttentionGate, DomainIndexError, LayerInputError, MultiDomainAttentionGate } from '@pedseg/core';
import { domains, expectClose, expectFlatMemory, expectGradientsMatch, expectMixedBatchEquivalence, rand, useCpu } from './helpers.js';

beforeAll(useCpu);

const sigmoid = (v: number) => 1 / (1 + Math.exp(-v));

describe('AttentionGate / MultiDomainAttentionGate', () => {
  it('zero kernels give α = 0.5 everywhere and gate x by one half (training and inference)', () => {
    const gate = new MultiDomainAttentionGate({ numDomains: 2, intermediateChannels: 3, returnAttention: true });
    const x = rand([2, 3, 3, 2], 1);
    const g = rand([2, 3, 3, 4], 2);
    gate.apply([x, g, domains([0, 1])]);
    gate.setWeights(gate.getWeights().map((w, i) => (i < 3 ? tf.zerosLike(w) : w)));
    for (const training of [true, false]) {
      const [gated, alpha] = gate.apply([x, g, domains([0, 1])], { training }) as tf.Tensor[];
      expect(alpha!.shape).toEqual([2, 3, 3, 1]);
      expectClose(alpha!.dataSync(), Array(18).fill(0.5), 1e-7);
      expectClose(gated!.dataSync(), Array.from(x.dataSync(), (v) => v / 2), 1e-7);
    }
  });

  it('hand-computed single-domain gate at inference (1×1 scalars, default moving statistics)', () => {
    const gate = new AttentionGate({ intermediateChannels: 1, returnAttention: true });
    const x = tf.tensor4d([1, -2, 0.5, 3], [1, 2, 2, 1]);
    const g = tf.tensor4d([0.5, 1, -1, 2], [1, 2, 2, 1]);
    gate.apply([x, g]);
    const w = gate.getWeights();
    // kernels: theta_x = 0.8, phi_g = -0.6, psi = 1.5; BN: γ = 1, β = 0, mean 0, var 1 (defaults).
    gate.setWeights([tf.fill([1, 1, 1, 1], 0.8), tf.fill([1, 1, 1, 1], -0.6), tf.fill([1, 1, 1, 1], 1.5), ...w.slice(3)]);
    const [gated, alpha] = gate.apply([x, g]) as tf.Tensor[];
    const s = 1 / Math.sqrt(1 + 1e-5);
    const xs = [1, -2, 0.5, 3];
    const gs = [0.5, 1, -1, 2];
    const expected = xs.map((xv, i) => sigmoid(1.5 * Math.max(0, 0.8 * xv * s + -0.6 * gs[i]! * s) * s));
    expectClose(alpha!.dataSync(), expected, 1e-6);
    expectClose(gated!.dataSync(), expected.map((a, i) => a * xs[i]!), 1e-6);
    expect(gate.getWeights().map((t) => t.shape)).toEqual([[1, 1, 1, 1], [1, 1, 1, 1], [1, 1, 1, 1], ...Array(8).fill([1, 1]), [1, 1], [1, 1], [1, 1], [1, 1]]);
  });

  it('returns only the gated features by default; 3D works; symbolic shapes', () => {
    const gate = new AttentionGate({ intermediateChannels: 2 });
    const y = gate.apply([rand([1, 2, 2, 2, 3]), rand([1, 2, 2, 2, 1])], { training: true }) as tf.Tensor;
    expect(y.shape).toEqual([1, 2, 2, 2, 3]);
    const x = tfl.input({ shape: [4, 4, 2] });
    const g = tfl.input({ shape: [4, 4, 3] });
    const d = tfl.input({ shape: [], dtype: 'int32' });
    const out = new MultiDomainAttentionGate({ numDomains: 3, intermediateChannels: 2, returnAttention: true }).apply([x, g, d]) as tfl.SymbolicTensor[];
    expect(out.map((o) => o.shape)).toEqual([[null, 4, 4, 2], [null, 4, 4, 1]]);
  });

  it('mixed batch equals per-domain sub-batches', () => {
    const gate = new MultiDomainAttentionGate({ numDomains: 2, intermediateChannels: 2, returnAttention: true });
    expectMixedBatchEquivalence(gate, [rand([4, 2, 2, 2], 3), rand([4, 2, 2, 1], 4)], [1, 0, 0, 1], true);
  });

  it('gradients match finite differences', () => {
    // Built first, so that the helper's reseeding of the weights takes effect (an unbuilt layer has none).
    const gate = new MultiDomainAttentionGate({ numDomains: 2, intermediateChannels: 2 });
    const gateInputs = [rand([3, 2, 2, 2], 5), rand([3, 2, 2, 1], 6), domains([0, 1, 1])];
    tf.dispose(gate.apply(gateInputs, { training: true }) as tf.Tensor);
    expectGradientsMatch(gate, gateInputs, [0, 1], true, 5e-3, 5e-3, true, 2000);
    const plain = new AttentionGate({ intermediateChannels: 1, returnAttention: true });
    const plainInputs = [rand([2, 2, 2, 1], 7), rand([2, 2, 2, 2], 8)];
    tf.dispose(plain.apply(plainInputs, { training: false }) as tf.Tensor[]);
    expectGradientsMatch(plain, plainInputs, [0, 1], false, 5e-3, 5e-3, true, 2000);
  });

  it('memory flat; typed errors', () => {
    const gate = new MultiDomainAttentionGate({ numDomains: 2, intermediateChannels: 2 });
    const x = rand([2, 2, 2, 2]);
    const g = rand([2, 2, 2, 1]);
    const d = domains([0, 1]);
    const opt = tf.train.adam(0.01);
    expectFlatMemory(() => tf.dispose(gate.apply([x, g, d], { training: true }) as tf.Tensor | tf.Tensor[]));
    expectFlatMemory(() => opt.minimize(() => tf.sum(gate.apply([x, g, d], { training: true }) as tf.Tensor) as tf.Scalar));
    expect(() => gate.apply([x, g, domains([0, 2])])).toThrow(DomainIndexError);
    expect(() => gate.apply([x, rand([2, 1, 2, 1]), domains([0, 1])])).toThrow(LayerInputError);
    expect(() => gate.apply([x, g])).toThrow(LayerInputError);
  });
});
