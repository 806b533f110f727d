import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  combinedRegularizationObjective,
  conditionalAdversarialTerm,
  conditionalDiscriminatorLoss,
  DomainLabelError,
  InvalidLossOptionError,
  LossDtypeError,
  LossInputError,
  LossRankError,
  LossShapeError,
  multiTaskObjective,
  sparObjective,
  sparTerm,
  supervisedContrastiveLoss,
} from '@pedseg/losses';
import { useCpu } from './helpers.js';

beforeAll(useCpu);

describe('typed errors', () => {
  it('carry their class name and share the LossInputError base', () => {
    for (const E of [LossShapeError, LossRankError, LossDtypeError, DomainLabelError, InvalidLossOptionError]) {
      const e = new E('x');
      expect(e).toBeInstanceOf(LossInputError);
      expect(e.name).toBe(E.name);
    }
  });

  it('reject negative or non-finite λ in every objective', () => {
    const y = tf.zeros([2, 3, 3, 2]);
    const id = (x: tf.Tensor): tf.Tensor => x;
    for (const lambda of [-0.01, Number.NaN, Number.POSITIVE_INFINITY]) {
      expect(() => combinedRegularizationObjective(y, y, { lambda1: lambda, lambda2: 0, encoder: id })).toThrow(InvalidLossOptionError);
      expect(() => combinedRegularizationObjective(y, y, { lambda1: 0, lambda2: lambda })).toThrow(InvalidLossOptionError);
      expect(() => sparObjective(y, y, { encoder: id, discriminator: id, lambda })).toThrow(InvalidLossOptionError);
      expect(() => multiTaskObjective(y, y, [0, 1], { classCounts: [2, 2], lambda2: lambda, lambda3: 0 })).toThrow(InvalidLossOptionError);
      expect(() => multiTaskObjective(y, y, [0, 1], { classCounts: [2, 2], lambda2: 0, lambda3: lambda })).toThrow(InvalidLossOptionError);
    }
    expect(() => combinedRegularizationObjective(y, y, { lambda1: 0, lambda2: 0, crossEntropy: 'focal' as 'binary' })).toThrow(InvalidLossOptionError);
    tf.dispose(y);
  });

  it('reject images that do not match the mask, ranks and dtypes', () => {
    const y = tf.zeros([2, 3, 3, 2]);
    const D = (m: tf.Tensor): tf.Tensor => m;
    expect(() => conditionalAdversarialTerm(y, tf.zeros([2, 4, 3, 1]), D)).toThrow(LossShapeError);
    expect(() => conditionalAdversarialTerm(y, tf.zeros([3, 3, 3, 1]), D)).toThrow(LossShapeError);
    expect(() => sparTerm(tf.zeros([2]), D, D)).toThrow(LossRankError);
    expect(() => conditionalDiscriminatorLoss(tf.zeros([2, 1], 'int32'), tf.zeros([2, 1]))).toThrow(LossDtypeError);
    expect(() => supervisedContrastiveLoss(tf.zeros([2, 3], 'int32') as tf.Tensor2D, [0, 0])).toThrow(LossDtypeError);
    expect(() => supervisedContrastiveLoss(tf.zeros([2, 3]) as tf.Tensor2D, tf.tensor2d([[0], [0]], [2, 1], 'int32') as unknown as tf.Tensor1D)).toThrow(LossRankError);
    tf.dispose(y);
  });
});
