import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, it } from 'vitest';
import {
  binaryCrossEntropy,
  boundaryWeightedCrossEntropy,
  categoricalCrossEntropy,
  conditionalAdversarialTerm,
  conditionalDiscriminatorLoss,
  landmarkMeanEuclideanDistance,
  landmarkMeanSquaredError,
  multiJointAnatomicalPriorsLoss,
  multiScaleContrastiveLoss,
  multiTaskCrossEntropy,
  shapePriorsLoss,
  softDiceLoss,
  sparTerm,
  supervisedContrastiveLoss,
} from '@pedseg/losses';
import { checkGradient, loadFixtures, t, useCpu } from './helpers.js';

// Analytic gradients (tf.grad on the cpu backend) against central finite differences in float32.

const fx = loadFixtures();
beforeAll(useCpu);

const probsIn = (shape: number[], seed: number): tf.Tensor => tf.randomUniform(shape, 0.2, 0.8, 'float32', seed);

describe('gradients match central finite differences', () => {
  const c = fx.categorical;
  const y = (): tf.Tensor => t(c.onehot, c.shape);

  it('categorical CE from probabilities and from logits (with class weights)', () => {
    const yt = y();
    const p = probsIn(c.shape, 1);
    const l = t(c.logits, c.shape);
    checkGradient((x) => categoricalCrossEntropy(yt, x), p, { h: 1e-3 });
    checkGradient((x) => categoricalCrossEntropy(yt, x, { fromLogits: true, classWeights: c.classWeights }), l);
    tf.dispose([yt, p, l]);
  });

  it('binary CE from probabilities and logits', () => {
    const b = fx.binary;
    const yt = t(b.target, b.shape);
    const l = tf.randomNormal(b.shape, 0, 2, 'float32', 2);
    checkGradient((x) => binaryCrossEntropy(yt, x, { fromLogits: true, classWeights: [0.5, 2] }), l);
    checkGradient((x) => binaryCrossEntropy(yt, x), probsIn(b.shape, 3), { h: 1e-3 });
    tf.dispose([yt, l]);
  });

  it('multi-task CE from probabilities and masked logits', () => {
    const m = fx.multiTask;
    const yt = t(m.onehot, m.shape);
    const l = t(m.logits, m.shape);
    checkGradient((x) => multiTaskCrossEntropy(yt, x, m.domains, m.classCounts, { fromLogits: true }), l, { samples: 20 });
    checkGradient((x) => multiTaskCrossEntropy(yt, x, m.domains, m.classCounts), probsIn(m.shape, 4), { h: 1e-3, samples: 20 });
    tf.dispose([yt, l]);
  });

  it('soft Dice and boundary-weighted CE', () => {
    const d = fx.dice;
    const yt = t(d.onehot, d.shape);
    checkGradient((x) => softDiceLoss(yt, x), probsIn(d.shape, 5), { h: 1e-3 });
    checkGradient((x) => softDiceLoss(yt, x, { activation: 'softmax', squaredDenominator: true }), tf.randomNormal(d.shape, 0, 1, 'float32', 6));
    const w = tf.randomUniform(d.shape.slice(0, -1), 1, 5, 'float32', 7);
    checkGradient((x) => boundaryWeightedCrossEntropy(yt, x, { fromLogits: true }), tf.randomNormal(d.shape, 0, 1, 'float32', 8));
    checkGradient((x) => boundaryWeightedCrossEntropy(yt, x, { weights: w }), probsIn(d.shape, 9), { h: 1e-3 });
    tf.dispose([yt, w]);
  });

  it('shape priors and MJAP through frozen encoders', () => {
    const sp = fx.shapePriors;
    const W = t(sp.W.flat(), [18, 6]);
    const b = t(sp.b.flat(), [2, 6]);
    const yt = t(sp.yTrue, sp.shape);
    const F = (x: tf.Tensor): tf.Tensor => tf.tanh(tf.matMul(tf.reshape(x, [4, 18]), W));
    const Fk = (x: tf.Tensor, k: tf.Tensor1D): tf.Tensor => tf.tanh(tf.add(tf.matMul(tf.reshape(x, [4, 18]), W), tf.gather(b, k)));
    checkGradient((x) => shapePriorsLoss(yt, x, F), probsIn(sp.shape, 10), { h: 1e-3 });
    checkGradient((x) => multiJointAnatomicalPriorsLoss(yt, x, sp.domains, Fk), probsIn(sp.shape, 11), { h: 1e-3 });
    tf.dispose([W, b, yt]);
  });

  it('adversarial terms (logits) and the frozen D / SPAR terms', () => {
    const real = tf.randomNormal([2, 3, 3, 1], 0, 2, 'float32', 12);
    checkGradient((x) => conditionalDiscriminatorLoss(real, x, { fromLogits: true }), tf.randomNormal([2, 3, 3, 1], 0, 2, 'float32', 13));
    const image = tf.randomNormal([2, 3, 3, 1], 0, 1, 'float32', 14);
    const kernel = tf.randomNormal([3, 3, 3, 1], 0, 0.5, 'float32', 15);
    const D = (mask: tf.Tensor, img: tf.Tensor): tf.Tensor => tf.sigmoid(tf.conv2d(tf.concat([mask, img], -1) as tf.Tensor4D, kernel as tf.Tensor4D, 1, 'same'));
    checkGradient((x) => conditionalAdversarialTerm(x, image, D), probsIn([2, 3, 3, 2], 16), { h: 1e-3 });
    const W = tf.randomNormal([18, 4], 0, 0.5, 'float32', 17);
    const F = (x: tf.Tensor): tf.Tensor => tf.tanh(tf.matMul(tf.reshape(x, [2, 18]), W));
    const Dz = (z: tf.Tensor): tf.Tensor => tf.sigmoid(tf.sum(z, 1, true));
    checkGradient((x) => sparTerm(x, F, Dz), probsIn([2, 3, 3, 2], 18), { h: 1e-3 });
    tf.dispose([real, image, kernel, W]);
  });

  it('supervised and multi-scale contrastive losses', () => {
    const s = fx.supcon[0];
    const z = tf.tensor2d(s.embeddings);
    checkGradient((x) => supervisedContrastiveLoss(x as tf.Tensor2D, s.domains, { temperature: 0.5 }), z, { h: 1e-3, samples: 30 });
    const maps = fx.multiScale.maps.map((a: number[][][][]) => tf.tensor4d(a));
    checkGradient((x) => multiScaleContrastiveLoss([x, maps[1]], fx.multiScale.domains, { temperature: [0.5, 1] }), maps[0], { h: 1e-3 });
    checkGradient((x) => multiScaleContrastiveLoss([maps[0], x], fx.multiScale.domains, { pooling: 'max', temperature: 1 }), maps[1], { h: 1e-3 });
    tf.dispose([z, ...maps]);
  });

  it('landmark losses', () => {
    const l = fx.landmarks;
    const a = t(l.yTrue, l.shape);
    const b = t(l.yPred, l.shape);
    checkGradient((x) => landmarkMeanSquaredError(a, x), b);
    checkGradient((x) => landmarkMeanEuclideanDistance(a, x), tf.add(b, 0.3));
    tf.dispose([a, b]);
  });
});
