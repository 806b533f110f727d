import * as tf from '@tensorflow/tfjs-core';
import fc from 'fast-check';
import { beforeAll, describe, it } from 'vitest';
import {
  conditionalAdversarialLoss,
  conditionalDiscriminatorLoss,
  multiJointAnatomicalPriorsLoss,
  multiTaskCrossEntropy,
  shapePriorsLoss,
  softDiceLoss,
  boundaryWeightedCrossEntropy,
} from '@pedseg/losses';
import { useCpu, value } from './helpers.js';

beforeAll(useCpu);

// Probabilities drawn from a set rich in the edge values 0 and 1.
const prob = fc.oneof(fc.constantFrom(0, 1, 1e-12, 1 - 1e-9), fc.double({ min: 0, max: 1, noNaN: true }));
const finiteNonNegative = (v: number): boolean => Number.isFinite(v) && v >= -1e-7;

describe('properties: ≥ 0 and finite, even at probabilities exactly 0 and 1', () => {
  it('multi-task CE, Dice and boundary-weighted CE', () => {
    fc.assert(
      fc.property(
        fc.array(prob, { minLength: 24, maxLength: 24 }),
        fc.array(fc.integer({ min: 0, max: 2 }), { minLength: 8, maxLength: 8 }),
        fc.array(fc.integer({ min: 0, max: 1 }), { minLength: 2, maxLength: 2 }),
        (probs, labels, domains) => {
          const counts = [3, 2];
          const lab = labels.map((l, i) => Math.min(l, (counts[domains[Math.floor(i / 4)]!] as number) - 1));
          const y = tf.tidy(() => tf.cast(tf.oneHot(tf.tensor3d(lab, [2, 2, 2], 'int32'), 3), 'float32'));
          const p = tf.tensor4d(probs, [2, 2, 2, 3]);
          const vals = [
            value(multiTaskCrossEntropy(y, p, domains, counts)),
            value(multiTaskCrossEntropy(y, p, domains, counts, { fromLogits: true })),
            value(softDiceLoss(y, p)),
            value(boundaryWeightedCrossEntropy(y, p)),
          ];
          tf.dispose([y, p]);
          return vals.every(finiteNonNegative);
        },
      ),
      { numRuns: 40 },
    );
  });

  it('adversarial terms from probabilities and from extreme logits', () => {
    fc.assert(
      fc.property(
        fc.array(prob, { minLength: 6, maxLength: 6 }),
        fc.array(prob, { minLength: 6, maxLength: 6 }),
        fc.array(fc.double({ min: -1e4, max: 1e4, noNaN: true }), { minLength: 6, maxLength: 6 }),
        (real, fake, logits) => {
          const r = tf.tensor2d(real, [2, 3]);
          const f = tf.tensor2d(fake, [2, 3]);
          const l = tf.tensor2d(logits, [2, 3]);
          const vals = [
            value(conditionalDiscriminatorLoss(r, f)),
            value(conditionalAdversarialLoss(f)),
            value(conditionalDiscriminatorLoss(l, l, { fromLogits: true })),
            value(conditionalAdversarialLoss(l, { fromLogits: true })),
          ];
          tf.dispose([r, f, l]);
          return vals.every(finiteNonNegative);
        },
      ),
      { numRuns: 40 },
    );
  });

  it('shape priors and MJAP are ≥ 0 and 0 when the prediction equals the target', () => {
    const W = tf.randomNormal([12, 5], 0, 1, 'float32', 21);
    const F = (x: tf.Tensor): tf.Tensor => tf.tanh(tf.matMul(tf.reshape(x, [x.shape[0] as number, 12]), W));
    const Fk = (x: tf.Tensor, k: tf.Tensor1D): tf.Tensor => tf.mul(F(x), tf.expandDims(tf.add(tf.cast(k, 'float32'), 1), 1));
    fc.assert(
      fc.property(fc.array(prob, { minLength: 24, maxLength: 24 }), fc.array(prob, { minLength: 24, maxLength: 24 }), (a, b) => {
        const y = tf.tensor4d(a, [2, 2, 2, 3]);
        const p = tf.tensor4d(b, [2, 2, 2, 3]);
        const vals = [value(shapePriorsLoss(y, p, F)), value(multiJointAnatomicalPriorsLoss(y, p, [0, 1], Fk))];
        const self = [value(shapePriorsLoss(y, y, F)), value(multiJointAnatomicalPriorsLoss(y, y, [1, 1], Fk))];
        tf.dispose([y, p]);
        return vals.every(finiteNonNegative) && self.every((v) => v === 0);
      }),
      { numRuns: 30 },
    );
    W.dispose();
  });
});
