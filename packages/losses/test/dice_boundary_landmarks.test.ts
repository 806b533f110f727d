import * as tf from '@tensorflow/tfjs-core';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  boundaryDistanceWeights,
  boundaryWeightedCrossEntropy,
  categoricalCrossEntropy,
  InvalidLossOptionError,
  landmarkMeanEuclideanDistance,
  landmarkMeanSquaredError,
  LossDtypeError,
  LossRankError,
  LossShapeError,
  softDiceLoss,
} from '@pedseg/losses';
import { expectClose, loadFixtures, t, useCpu, value } from './helpers.js';

const fx = loadFixtures();

beforeAll(useCpu);

describe('softDiceLoss (numpy reference)', () => {
  const d = fx.dice;
  it('per image and class, without background, squared denominator, batch Dice', () => {
    const y = t(d.onehot, d.shape);
    const p = t(d.probs, d.shape);
    expectClose(value(softDiceLoss(y, p)), d.loss, 1e-5);
    expectClose(value(softDiceLoss(y, p, { includeBackground: false })), d.noBackground, 1e-5);
    expectClose(value(softDiceLoss(y, p, { squaredDenominator: true })), d.squared, 1e-5);
    expectClose(value(softDiceLoss(y, p, { batchDice: true })), d.batch, 1e-5);
    const logits = tf.log(p);
    expectClose(value(softDiceLoss(y, logits, { activation: 'softmax' })), d.loss, 1e-5);
    tf.dispose([y, p, logits]);
  });

  it('property: in [0, 1], 0 at the target, finite for empty masks', () => {
    fc.assert(
      fc.property(fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: 8, maxLength: 8 }), fc.array(fc.constantFrom(0, 1), { minLength: 8, maxLength: 8 }), (probs, labels) => {
        const y = tf.tensor4d(labels, [2, 2, 2, 1]);
        const p = tf.tensor4d(probs, [2, 2, 2, 1]);
        const l = value(softDiceLoss(y, p));
        const self = value(softDiceLoss(y, y));
        tf.dispose([y, p]);
        return Number.isFinite(l) && l >= -1e-6 && l <= 1 + 1e-6 && Math.abs(self) < 1e-5;
      }),
      { numRuns: 40 },
    );
    expect(() => softDiceLoss(tf.zeros([1, 2, 1]), tf.zeros([1, 2, 1]), { includeBackground: false })).toThrow(InvalidLossOptionError);
    expect(() => softDiceLoss(tf.zeros([1, 2, 1]), tf.zeros([1, 2, 1]), { smooth: 0 })).toThrow(InvalidLossOptionError);
  });
});

/** Brute-force oracle: min over boundary pixels of the anisotropic Euclidean distance. */
function bruteWeights(labels: number[], h: number, w: number, spacing: number[], w0: number, sigma: number): number[] {
  const at = (i: number, j: number): number => labels[i * w + j] as number;
  const boundary: Array<[number, number]> = [];
  for (let i = 0; i < h; i++) {
    for (let j = 0; j < w; j++) {
      const nb = [[i - 1, j], [i + 1, j], [i, j - 1], [i, j + 1]].filter(([a, b]) => a! >= 0 && a! < h && b! >= 0 && b! < w);
      if (nb.some(([a, b]) => at(a!, b!) !== at(i, j))) boundary.push([i, j]);
    }
  }
  const out: number[] = [];
  for (let i = 0; i < h; i++) {
    for (let j = 0; j < w; j++) {
      if (boundary.length === 0) {
        out.push(1);
        continue;
      }
      let best = Infinity;
      for (const [a, b] of boundary) best = Math.min(best, ((a - i) * spacing[0]!) ** 2 + ((b - j) * spacing[1]!) ** 2);
      out.push(1 + w0 * Math.exp(-best / (2 * sigma * sigma)));
    }
  }
  return out;
}

describe('boundaryDistanceWeights and boundaryWeightedCrossEntropy', () => {
  const b = fx.boundary;
  it('weights match scipy.ndimage.distance_transform_edt (anisotropic spacing, an image without boundary)', () => {
    const labels = tf.tensor(b.labels, b.shape, 'int32');
    const w = boundaryDistanceWeights(labels, { w0: b.w0, sigma: b.sigma, spacing: b.spacing });
    const got = w.dataSync();
    (b.weights as number[]).forEach((e, i) => expectClose(got[i] as number, e, 1e-5));
    tf.dispose([labels, w]);
  });

  it('property: weights equal the brute-force oracle on random label maps', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 6 }),
        fc.integer({ min: 1, max: 6 }),
        fc.array(fc.integer({ min: 0, max: 2 }), { minLength: 36, maxLength: 36 }),
        fc.constantFrom<number[]>([1, 1], [2, 0.5], [0.3, 1.7]),
        (h, w, raw, spacing) => {
          const labels = raw.slice(0, h * w);
          const tl = tf.tensor(labels, [1, h, w], 'int32');
          const wt = boundaryDistanceWeights(tl, { w0: 5, sigma: 1.5, spacing });
          const got = Array.from(wt.dataSync());
          tf.dispose([tl, wt]);
          const want = bruteWeights(labels, h, w, spacing, 5, 1.5);
          return got.every((g, i) => Math.abs(g - (want[i] as number)) <= 1e-5 * (1 + Math.abs(want[i] as number)));
        },
      ),
      { numRuns: 80 },
    );
  });

  it('weighted CE matches the reference; with w0 = 0 it is the plain CE', () => {
    const labels = tf.tensor(b.labels, b.shape, 'int32');
    const y = tf.cast(tf.oneHot(labels as tf.Tensor3D, 3), 'float32');
    const p = t(b.probs, [...b.shape, 3]);
    expectClose(value(boundaryWeightedCrossEntropy(y, p, { w0: b.w0, sigma: b.sigma, spacing: b.spacing })), b.weightedCE, 1e-5);
    const weights = boundaryDistanceWeights(labels, { w0: b.w0, sigma: b.sigma, spacing: b.spacing });
    expectClose(value(boundaryWeightedCrossEntropy(y, p, { weights })), b.weightedCE, 1e-5);
    expectClose(value(boundaryWeightedCrossEntropy(y, p, { w0: 0 })), value(categoricalCrossEntropy(y, p)), 1e-6);
    expect(() => boundaryWeightedCrossEntropy(y, p, { weights: tf.ones([2, 7]) })).toThrow(LossShapeError);
    expect(() => boundaryDistanceWeights(tf.zeros([2, 3, 3]))).toThrow(LossDtypeError);
    expect(() => boundaryDistanceWeights(labels, { spacing: [1] })).toThrow(InvalidLossOptionError);
    expect(() => boundaryDistanceWeights(labels, { sigma: 0 })).toThrow(InvalidLossOptionError);
    tf.dispose([labels, y, p, weights]);
  });
});

describe('landmark losses', () => {
  const l = fx.landmarks;
  it('match PyTorch MSELoss and the numpy mean Euclidean distance', () => {
    const a = t(l.yTrue, l.shape);
    const b = t(l.yPred, l.shape);
    expectClose(value(landmarkMeanSquaredError(a, b)), l.mse, 1e-5);
    expectClose(value(landmarkMeanEuclideanDistance(a, b)), l.meanEuclidean, 1e-5);
    // An exact match has a finite (zero) gradient.
    const g = tf.grad((x: tf.Tensor) => landmarkMeanEuclideanDistance(a, x))(a);
    expect(Array.from(g.dataSync()).every((v) => v === 0)).toBe(true);
    expect(() => landmarkMeanSquaredError(a, tf.zeros([2, 5, 2]))).toThrow(LossShapeError);
    expect(() => landmarkMeanSquaredError(tf.zeros([3]), tf.zeros([3]))).toThrow(LossRankError);
    tf.dispose([a, b, g]);
  });

  it('property: ≥ 0 and symmetric', () => {
    fc.assert(
      fc.property(fc.array(fc.double({ min: -50, max: 50, noNaN: true }), { minLength: 12, maxLength: 12 }), fc.array(fc.double({ min: -50, max: 50, noNaN: true }), { minLength: 12, maxLength: 12 }), (u, v) => {
        const a = tf.tensor3d(u, [2, 2, 3]);
        const b = tf.tensor3d(v, [2, 2, 3]);
        const e1 = value(landmarkMeanEuclideanDistance(a, b));
        const e2 = value(landmarkMeanEuclideanDistance(b, a));
        const m = value(landmarkMeanSquaredError(a, b));
        tf.dispose([a, b]);
        return e1 >= 0 && m >= 0 && Math.abs(e1 - e2) <= 1e-4 * (1 + e1);
      }),
      { numRuns: 30 },
    );
  });
});
