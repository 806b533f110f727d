import * as tf from '@tensorflow/tfjs-core';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  binaryCrossEntropy,
  categoricalCrossEntropy,
  DomainLabelError,
  InvalidLossOptionError,
  LossDtypeError,
  LossRankError,
  LossShapeError,
  multiTaskCrossEntropy,
} from '@pedseg/losses';
import { expectClose, loadFixtures, t, useCpu, value } from './helpers.js';

const fx = loadFixtures();

beforeAll(useCpu);

describe('categoricalCrossEntropy (PyTorch reference)', () => {
  const c = fx.categorical;
  it('matches F.cross_entropy from logits and from probabilities, both class reductions', () => {
    const y = t(c.onehot, c.shape);
    const logits = t(c.logits, c.shape);
    const probs = t(c.probs, c.shape);
    expectClose(value(categoricalCrossEntropy(y, logits, { fromLogits: true, classReduction: 'sum' })), c.fromLogitsSum);
    expectClose(value(categoricalCrossEntropy(y, logits, { fromLogits: true })), c.fromLogitsMean);
    expectClose(value(categoricalCrossEntropy(y, probs, { classReduction: 'sum' })), c.fromProbsSum);
    expectClose(value(categoricalCrossEntropy(y, probs)), c.fromProbsMean);
    expectClose(
      value(categoricalCrossEntropy(y, logits, { fromLogits: true, classReduction: 'sum', classWeights: c.classWeights })),
      c.weightedFromLogitsSum,
    );
    tf.dispose([y, logits, probs]);
  });

  it('is finite at probabilities exactly 0 and 1', () => {
    const y = tf.tensor2d([[1, 0], [0, 1]]);
    const p = tf.tensor2d([[0, 1], [1, 0]]);
    const v = value(categoricalCrossEntropy(y, p));
    expect(Number.isFinite(v)).toBe(true);
    expectClose(v, -Math.log(1e-7) / 2, 1e-3);
    expect(value(categoricalCrossEntropy(y, y))).toBeCloseTo(0, 6);
    const g = tf.grad((q: tf.Tensor) => categoricalCrossEntropy(y, q))(p);
    expect(Array.from(g.dataSync()).every(Number.isFinite)).toBe(true);
    tf.dispose([y, p, g]);
  });

  it('property: >= 0 and minimal at the one-hot target', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 2, max: 5 }),
        fc.array(fc.float({ min: -5, max: 5, noNaN: true }), { minLength: 20, maxLength: 20 }),
        fc.integer({ min: 0, max: 4 }),
        (numClasses, raw, label) => {
          const cls = label % numClasses;
          const y = tf.cast(tf.oneHot(tf.tensor1d([cls], "int32"), numClasses), "float32");
          const p = tf.softmax(tf.tensor2d([raw.slice(0, numClasses)]));
          const atPrediction = value(categoricalCrossEntropy(y, p));
          const atTarget = value(categoricalCrossEntropy(y, y));
          tf.dispose([y, p]);
          return atPrediction >= 0 && atTarget >= 0 && atTarget <= atPrediction + 1e-7;
        },
      ),
      { numRuns: 50 },
    );
  });
});

describe('binaryCrossEntropy (PyTorch reference)', () => {
  const b = fx.binary;
  it('matches binary_cross_entropy(_with_logits), including saturated logits and pos_weight', () => {
    const y = t(b.target, b.shape);
    const l = t(b.logits, b.shape);
    const p = t(b.probs, b.shape);
    expectClose(value(binaryCrossEntropy(y, l, { fromLogits: true })), b.fromLogits);
    expectClose(value(binaryCrossEntropy(y, p)), b.fromProbs, 1e-4);
    expectClose(value(binaryCrossEntropy(y, l, { fromLogits: true, classWeights: [1, 3] })), b.fromLogitsPosWeight3);
    tf.dispose([y, l, p]);
  });

  it('property: finite and >= 0 for probabilities including exact 0 and 1, and huge logits', () => {
    fc.assert(
      fc.property(
        fc.array(fc.constantFrom(0, 1, 0.5, 1e-30, 1 - 1e-8), { minLength: 4, maxLength: 4 }),
        fc.array(fc.constantFrom(0, 1), { minLength: 4, maxLength: 4 }),
        fc.array(fc.float({ min: -1e6, max: 1e6, noNaN: true }), { minLength: 4, maxLength: 4 }),
        (probs, targets, logits) => {
          const y = tf.tensor1d(targets);
          const a = value(binaryCrossEntropy(y, tf.tensor1d(probs)));
          const b2 = value(binaryCrossEntropy(y, tf.tensor1d(logits), { fromLogits: true }));
          y.dispose();
          return Number.isFinite(a) && a >= 0 && Number.isFinite(b2) && b2 >= 0;
        },
      ),
      { numRuns: 40 },
    );
    tf.disposeVariables();
  });
});

describe('multiTaskCrossEntropy (Eq. 1)', () => {
  const m = fx.multiTask;
  it('matches the per-domain loop, from probabilities and from (masked) logits, tensor or array domains', () => {
    const y = t(m.onehot, m.shape);
    const p = t(m.probs, m.shape);
    const l = t(m.logits, m.shape);
    expectClose(value(multiTaskCrossEntropy(y, p, m.domains, m.classCounts)), m.fromProbs);
    const d = tf.tensor1d(m.domains, 'int32');
    expectClose(value(multiTaskCrossEntropy(y, p, d, m.classCounts)), m.fromProbs);
    expectClose(value(multiTaskCrossEntropy(y, l, d, m.classCounts, { fromLogits: true })), m.fromLogits);
    tf.dispose([y, p, l, d]);
  });

  it('equals the single-domain categorical CE when K = 1', () => {
    const c = fx.categorical;
    const y = t(c.onehot, c.shape);
    const p = t(c.probs, c.shape);
    expectClose(value(multiTaskCrossEntropy(y, p, [0, 0], [3])), c.fromProbsMean);
    tf.dispose([y, p]);
  });

  it('skips domains absent from the batch and checks domain labels', () => {
    const m2 = fx.multiTask;
    const y = t(m2.onehot, m2.shape);
    const p = t(m2.probs, m2.shape);
    // Declaring a third, absent domain changes nothing.
    expectClose(value(multiTaskCrossEntropy(y, p, m2.domains, [...m2.classCounts, 2])), m2.fromProbs);
    expect(() => multiTaskCrossEntropy(y, p, [0, 1, 1], m2.classCounts)).toThrow(DomainLabelError);
    expect(() => multiTaskCrossEntropy(y, p, [0, 1, 1, 0, 2], m2.classCounts)).toThrow(DomainLabelError);
    expect(() => multiTaskCrossEntropy(y, p, [0, 1, 1, 0, 0.5], m2.classCounts)).toThrow(DomainLabelError);
    expect(() => multiTaskCrossEntropy(y, p, tf.tensor1d([0, 1, 1, 0, 1]), m2.classCounts)).toThrow(LossDtypeError);
    expect(() => multiTaskCrossEntropy(y, p, m2.domains, [3, 4])).toThrow(InvalidLossOptionError);
    expect(() => multiTaskCrossEntropy(y, p, m2.domains, [])).toThrow(InvalidLossOptionError);
    tf.dispose([y, p]);
  });
});

describe('cross-entropy bad input', () => {
  it('rejects mismatched shapes, wrong ranks, dtypes and class weights with typed errors', () => {
    const a = tf.zeros([2, 3, 3]);
    const b = tf.zeros([2, 3, 4]);
    const v = tf.zeros([3]);
    expect(() => categoricalCrossEntropy(a, b)).toThrow(LossShapeError);
    expect(() => categoricalCrossEntropy(v, v)).toThrow(LossRankError);
    expect(() => categoricalCrossEntropy(a, a, { classWeights: [1, 2] })).toThrow(InvalidLossOptionError);
    expect(() => categoricalCrossEntropy(a, a, { classWeights: [1, -2, 1] })).toThrow(InvalidLossOptionError);
    expect(() => binaryCrossEntropy(a, tf.cast(a, "int32"))).toThrow(LossDtypeError);
    expect(() => binaryCrossEntropy(a, b)).toThrow(LossShapeError);
    expect(() => binaryCrossEntropy(tf.zeros([0]), tf.zeros([0]))).toThrow(LossShapeError);
    tf.dispose([a, b, v]);
  });
});
