import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  combinedRegularizationObjective,
  conditionalAdversarialLoss,
  conditionalAdversarialTerm,
  conditionalDiscriminatorLoss,
  DomainLabelError,
  InvalidLossOptionError,
  LossShapeError,
  multiJointAnatomicalPriorsLoss,
  multiJointAutoEncoderLoss,
  multiScaleContrastiveLoss,
  multiTaskCrossEntropy,
  multiTaskObjective,
  shapeCodeDistance,
  shapePriorsLoss,
  sparDiscriminatorLoss,
  sparLoss,
  sparObjective,
  sparTerm,
  categoricalCrossEntropy,
} from '@pedseg/losses';
import { expectClose, loadFixtures, t, useCpu, value } from './helpers.js';

const fx = loadFixtures();
const sp = fx.shapePriors;

beforeAll(useCpu);

/** The fixture's encoder F(y) = tanh(flatten(y)·W) as [batch, 3, 2] codes, with W a variable. */
function makeEncoder(w: tf.Tensor) {
  return (y: tf.Tensor): tf.Tensor => tf.reshape(tf.tanh(tf.matMul(tf.reshape(y, [y.shape[0] as number, -1]), w)), [y.shape[0] as number, 3, 2]);
}
function makeDomainEncoder(w: tf.Tensor, b: tf.Tensor) {
  return (y: tf.Tensor, k: tf.Tensor1D): tf.Tensor =>
    tf.reshape(tf.tanh(tf.add(tf.matMul(tf.reshape(y, [y.shape[0] as number, -1]), w), tf.gather(b, k))), [y.shape[0] as number, 3, 2]);
}

/** A tiny "segmentation network": softmax(x·V) reshaped to the fixture's mask shape. */
function segmentation(v: tf.Variable, x: tf.Tensor): tf.Tensor {
  return tf.softmax(tf.reshape(tf.matMul(x, v), sp.shape));
}

describe('shapePriorsLoss (Eq. 6)', () => {
  it('matches the numpy reference', () => {
    const w = t(sp.W.flat(), [18, 6]);
    const y = t(sp.yTrue, sp.shape);
    const p = t(sp.yPred, sp.shape);
    expectClose(value(shapePriorsLoss(y, p, makeEncoder(w))), sp.loss, 1e-5);
    const f = makeEncoder(w);
    const [zy, zp] = [f(y), f(p)];
    expectClose(value(shapeCodeDistance(zy, zp)), sp.loss, 1e-5);
    tf.dispose([w, y, p, zy, zp]);
  });

  it('never produces gradients for F, and the gradient reaching ŷ equals the plain chain rule', () => {
    const wF = tf.variable(t(sp.W.flat(), [18, 6]), true, 'F/kernel');
    const v = tf.variable(tf.randomNormal([4, sp.shape.slice(1).reduce((a: number, b: number) => a * b, 1)], 0, 0.5, 'float32', 3), true, 'S/kernel');
    const x = tf.randomNormal([sp.shape[0], 4], 0, 1, 'float32', 4);
    const y = t(sp.yTrue, sp.shape);
    const F = makeEncoder(wF);
    const { value: loss, grads } = tf.variableGrads(() => shapePriorsLoss(y, segmentation(v, x), F), [v, wF]);
    expect(Object.keys(grads)).toEqual(['S/kernel']);
    // Reference: ordinary backprop with F's kernel as a constant.
    const wConst = tf.clone(wF);
    const ref = tf.grad((vv: tf.Tensor) => {
      const p = tf.softmax(tf.reshape(tf.matMul(x, vv), sp.shape));
      const Fc = makeEncoder(wConst);
      return tf.mean(tf.sum(tf.square(tf.sub(Fc(p), Fc(y))), [1, 2])) as tf.Scalar;
    })(v);
    const a = grads['S/kernel']!.dataSync();
    const r = ref.dataSync();
    r.forEach((rv, i) => expectClose(a[i] as number, rv, 1e-4, 1e-7));
    expect(Number.isFinite(loss.dataSync()[0]!)).toBe(true);

    // An optimizer step with no variable list (all trainable variables) leaves F untouched.
    const before = wF.dataSync().slice();
    const vBefore = v.dataSync().slice();
    const opt = tf.train.adam(0.05);
    for (let i = 0; i < 3; i++) opt.minimize(() => shapePriorsLoss(y, segmentation(v, x), F), true)?.dispose();
    expect(Array.from(wF.dataSync())).toEqual(Array.from(before));
    expect(Array.from(v.dataSync())).not.toEqual(Array.from(vBefore));
    opt.dispose();
    tf.dispose([loss, ...Object.values(grads), wConst, ref, x, y, wF, v]);
  });

  it('keeps a tfjs-layers LayersModel encoder frozen too', () => {
    const encoder = tfl.sequential({
      layers: [tfl.layers.flatten({ inputShape: sp.shape.slice(1) }), tfl.layers.dense({ units: 5, activation: 'tanh' }), tfl.layers.batchNormalization()],
    });
    const v = tf.variable(tf.randomNormal([4, 18], 0, 0.5, 'float32', 5), true, 'S2/kernel');
    const x = tf.randomNormal([sp.shape[0], 4], 0, 1, 'float32', 6);
    const y = t(sp.yTrue, sp.shape);
    const encoderWeights = encoder.weights.map((w) => w.read().dataSync().slice());
    const { grads } = tf.variableGrads(
      () => shapePriorsLoss(y, segmentation(v, x), encoder),
      [v, ...encoder.trainableWeights.map((w) => w.read() as tf.Variable)],
    );
    expect(Object.keys(grads)).toEqual(['S2/kernel']);
    const opt = tf.train.sgd(0.5);
    for (let i = 0; i < 2; i++) opt.minimize(() => shapePriorsLoss(y, segmentation(v, x), encoder), true)?.dispose();
    encoder.weights.forEach((w, i) => expect(Array.from(w.read().dataSync())).toEqual(Array.from(encoderWeights[i]!)));
    tf.dispose([...Object.values(grads), v, x, y]);
    encoder.dispose();
    opt.dispose();
  });

  it('rejects mismatched masks and codes without a batch axis', () => {
    const y = tf.zeros([2, 3, 3, 2]);
    const p = tf.zeros([2, 3, 3, 3]);
    expect(() => shapePriorsLoss(y, p, (m) => m)).toThrow(LossShapeError);
    expect(() => shapePriorsLoss(y, y, (m) => tf.sum(m))).toThrow(LossShapeError);
    tf.dispose([y, p]);
  });
});

describe('multiJointAnatomicalPriorsLoss (Eq. 7)', () => {
  it('matches the numpy reference and keeps the domain-aware encoder frozen', () => {
    const w = tf.variable(t(sp.W.flat(), [18, 6]), true, 'MJ/kernel');
    const b = tf.variable(t(sp.b.flat(), [2, 6]), true, 'MJ/bias');
    const y = t(sp.yTrue, sp.shape);
    const p = t(sp.yPred, sp.shape);
    const F = makeDomainEncoder(w, b);
    expectClose(value(multiJointAnatomicalPriorsLoss(y, p, sp.domains, F, { numDomains: 2 })), sp.mjap, 1e-5);
    const d = tf.tensor1d(sp.domains, 'int32') as tf.Tensor1D;
    expectClose(value(multiJointAnatomicalPriorsLoss(y, p, d, F)), sp.mjap, 1e-5);
    const pv = tf.variable(p, true, 'MJ/pred');
    const { grads } = tf.variableGrads(() => multiJointAnatomicalPriorsLoss(y, pv, sp.domains, F), [pv, w, b]);
    expect(Object.keys(grads)).toEqual(['MJ/pred']);
    expect(() => multiJointAnatomicalPriorsLoss(y, p, [0, 1, 1], F)).toThrow(DomainLabelError);
    expect(() => multiJointAnatomicalPriorsLoss(y, p, [0, 1, 1, 2], F, { numDomains: 2 })).toThrow(DomainLabelError);
    tf.dispose([...Object.values(grads), w, b, y, p, d, pv]);
  });
});

describe('adversarial terms (Eqs. 10–13) and SPAR', () => {
  const a = fx.adversarial;
  it('match the numpy reference from logits (saturated ±60 included) and from probabilities', () => {
    const rl = t(a.realLogits, a.shape);
    const fl = t(a.fakeLogits, a.shape);
    const rp = t(a.realProbs, a.shape);
    const fp = t(a.fakeProbs, a.shape);
    expectClose(value(conditionalDiscriminatorLoss(rl, fl, { fromLogits: true })), a.discriminatorFromLogits, 1e-5);
    expectClose(value(conditionalAdversarialLoss(fl, { fromLogits: true })), a.generatorFromLogits, 1e-5);
    expectClose(value(conditionalDiscriminatorLoss(rp, fp)), a.discriminatorFromProbs, 1e-4);
    expectClose(value(conditionalAdversarialLoss(fp)), a.generatorFromProbs, 1e-4);
    expectClose(value(sparDiscriminatorLoss(rl, fl, { fromLogits: true })), a.discriminatorFromLogits, 1e-5);
    expectClose(value(sparLoss(fl, { fromLogits: true })), a.generatorFromLogits, 1e-5);
    tf.dispose([rl, fl, rp, fp]);
  });

  it('are finite at likelihoods exactly 0 and 1', () => {
    const zero = tf.zeros([2, 2, 2, 1]);
    const one = tf.ones([2, 2, 2, 1]);
    for (const v of [
      value(conditionalDiscriminatorLoss(zero, one)),
      value(conditionalAdversarialLoss(zero)),
      value(conditionalDiscriminatorLoss(one, zero)),
    ]) {
      expect(Number.isFinite(v) && v >= 0).toBe(true);
    }
    expect(() => conditionalDiscriminatorLoss(zero, tf.zeros([2, 2]))).toThrow(LossShapeError);
    tf.dispose([zero, one]);
  });

  it('conditionalAdversarialTerm and sparTerm keep D (and F) frozen', () => {
    const dW = tf.variable(tf.randomNormal([5, 1], 0, 0.5, 'float32', 7), true, 'D/kernel');
    const D = (mask: tf.Tensor, image: tf.Tensor): tf.Tensor => tf.sigmoid(tf.conv2d(tf.concat([mask, image], -1) as tf.Tensor4D, tf.reshape(dW, [1, 1, 5, 1]) as tf.Tensor4D, 1, 'same'));
    const image = tf.randomNormal([4, 3, 3, 3], 0, 1, 'float32', 8);
    const pv = tf.variable(t(sp.yPred, sp.shape), true, 'adv/pred');
    const { grads } = tf.variableGrads(() => conditionalAdversarialTerm(pv, image, D), [pv, dW]);
    expect(Object.keys(grads)).toEqual(['adv/pred']);
    // value = −mean log D(ŷ, x)
    const direct = value(conditionalAdversarialLoss(D(pv, image)));
    expectClose(value(conditionalAdversarialTerm(pv, image, D)), direct, 1e-6);

    const wF = tf.variable(t(sp.W.flat(), [18, 6]), true, 'SPAR/F');
    const codeD = tf.variable(tf.randomNormal([6, 1], 0, 0.5, 'float32', 9), true, 'SPAR/D');
    const F = makeEncoder(wF);
    const Dz = (z: tf.Tensor): tf.Tensor => tf.sigmoid(tf.matMul(tf.reshape(z, [z.shape[0] as number, 6]), codeD));
    const spar = tf.variableGrads(() => sparTerm(pv, F, Dz), [pv, wF, codeD]);
    expect(Object.keys(spar.grads)).toEqual(['adv/pred']);
    expectClose(value(sparTerm(pv, F, Dz)), value(sparLoss(Dz(F(pv)))), 1e-6);
    tf.dispose([...Object.values(grads), ...Object.values(spar.grads), spar.value, dW, image, pv, wF, codeD]);
  });
});

describe('LayersModel discriminators', () => {
  it('two-input models get [mask, image], one-input models the channel concatenation; weights stay frozen', () => {
    const mask = tfl.input({ shape: [3, 3, 2] });
    const img = tfl.input({ shape: [3, 3, 1] });
    const merged = tfl.layers.concatenate().apply([mask, img]) as tfl.SymbolicTensor;
    const out = tfl.layers.conv2d({ filters: 1, kernelSize: 1, activation: 'sigmoid' }).apply(merged) as tfl.SymbolicTensor;
    const twoInputs = tfl.model({ inputs: [mask, img], outputs: out });
    const oneInput = tfl.sequential({ layers: [tfl.layers.conv2d({ inputShape: [3, 3, 3], filters: 1, kernelSize: 1, activation: 'sigmoid' })] });
    oneInput.layers[0]!.setWeights(twoInputs.layers[3]!.getWeights());
    const pv = tf.variable(tf.randomUniform([2, 3, 3, 2], 0.1, 0.9, 'float32', 30), true, 'lm/pred');
    const image = tf.randomNormal([2, 3, 3, 1], 0, 1, 'float32', 31);
    const a = value(conditionalAdversarialTerm(pv, image, twoInputs));
    const b = value(conditionalAdversarialTerm(pv, image, oneInput));
    expectClose(a, b, 1e-6);
    const before = twoInputs.getWeights().map((w) => w.dataSync().slice());
    const opt = tf.train.sgd(1);
    opt.minimize(() => conditionalAdversarialTerm(pv, image, twoInputs), true)?.dispose();
    twoInputs.getWeights().forEach((w, i) => expect(Array.from(w.dataSync())).toEqual(Array.from(before[i]!)));
    opt.dispose();
    tf.dispose([pv, image]);
    twoInputs.dispose();
    oneInput.dispose();
  });
});

describe('objectives', () => {
  const y = (): tf.Tensor => t(sp.yTrue, sp.shape);
  const p = (): tf.Tensor => t(sp.yPred, sp.shape);

  it('combinedRegularizationObjective = CE + 0.1·shape + 0.01·adv by default, and returns each term', () => {
    const yt = y();
    const yp = p();
    const w = t(sp.W.flat(), [18, 6]);
    const image = tf.randomNormal([4, 3, 3, 1], 0, 1, 'float32', 10);
    const D = (mask: tf.Tensor, img: tf.Tensor): tf.Tensor => tf.sigmoid(tf.mean(tf.concat([mask, img], -1), -1, true));
    const terms = combinedRegularizationObjective(yt, yp, { encoder: makeEncoder(w), discriminator: D, image });
    const ce = value(categoricalCrossEntropy(yt, yp));
    const shape = value(shapePriorsLoss(yt, yp, makeEncoder(w)));
    const adv = value(conditionalAdversarialLoss(D(yp, image)));
    expectClose(value(terms.crossEntropy), ce, 1e-6);
    expectClose(value(terms.shapePriors), shape, 1e-6);
    expectClose(value(terms.adversarial), adv, 1e-6);
    expectClose(value(terms.total), ce + 0.1 * shape + 0.01 * adv, 1e-6);
    // Ablation: λ2 = 0 without a discriminator.
    const noAdv = combinedRegularizationObjective(yt, yp, { encoder: makeEncoder(w), lambda2: 0 });
    expectClose(value(noAdv.total), ce + 0.1 * shape, 1e-6);
    tf.dispose([noAdv.crossEntropy, noAdv.shapePriors, noAdv.adversarial]);
    expect(() => combinedRegularizationObjective(yt, yp, { lambda1: -0.1 })).toThrow(InvalidLossOptionError);
    expect(() => combinedRegularizationObjective(yt, yp, { lambda2: 0 })).toThrow(InvalidLossOptionError);
    expect(() => combinedRegularizationObjective(yt, yp, { encoder: makeEncoder(w) })).toThrow(InvalidLossOptionError);
    tf.dispose([yt, yp, w, image]);
  });

  it('combinedRegularizationObjective from logits feeds probabilities to F and D', () => {
    const yt = y();
    const logits = tf.log(p());
    const w = t(sp.W.flat(), [18, 6]);
    const terms = combinedRegularizationObjective(yt, logits, { encoder: makeEncoder(w), lambda2: 0, fromLogits: true });
    const probs = tf.softmax(logits);
    expectClose(value(terms.shapePriors), value(shapePriorsLoss(yt, probs, makeEncoder(w))), 1e-5);
    expectClose(value(terms.crossEntropy), value(categoricalCrossEntropy(yt, probs)), 1e-5);
    tf.dispose([terms.total, terms.adversarial, yt, logits, w, probs]);
  });

  it('sparObjective = CE + 0.01·SPAR by default', () => {
    const yt = y();
    const yp = p();
    const w = t(sp.W.flat(), [18, 6]);
    const F = makeEncoder(w);
    const Dz = (z: tf.Tensor): tf.Tensor => tf.sigmoid(tf.sum(z, [1, 2]));
    const terms = sparObjective(yt, yp, { encoder: F, discriminator: Dz });
    const ce = value(categoricalCrossEntropy(yt, yp));
    const s = value(sparLoss(Dz(F(yp))));
    expectClose(value(terms.spar), s, 1e-6);
    expectClose(value(terms.total), ce + 0.01 * s, 1e-6);
    tf.dispose(terms.crossEntropy);
    expect(() => sparObjective(yt, yp, { encoder: F, discriminator: Dz, lambda: -1 })).toThrow(InvalidLossOptionError);
    tf.dispose([yt, yp, w]);
  });

  it('multiJointAutoEncoderLoss = CE + 0.05·MSC and multiTaskObjective = CE + λ2·MSC + λ3·MJAP', () => {
    const m = fx.multiTask;
    const yt = t(m.onehot, m.shape);
    const yp = t(m.probs, m.shape);
    const features = [tf.randomNormal([5, 2, 2, 4], 0, 1, 'float32', 11), tf.randomNormal([5, 6], 0, 1, 'float32', 12)];
    const ae = multiJointAutoEncoderLoss(yt, yp, m.domains, { classCounts: m.classCounts, features });
    const msc = value(multiScaleContrastiveLoss(features, m.domains));
    expectClose(value(ae.crossEntropy), m.fromProbs, 1e-5);
    expectClose(value(ae.contrastive), msc, 1e-6);
    expectClose(value(ae.total), m.fromProbs + 0.05 * msc, 1e-5);

    const w = t(Array.from({ length: 2 * 3 * 3 * 6 }, (_, i) => Math.sin(i)), [18, 6]);
    const b = t(Array.from({ length: 12 }, (_, i) => Math.cos(i)), [2, 6]);
    const F = makeDomainEncoder(w, b);
    const full = multiTaskObjective(yt, yp, m.domains, { classCounts: m.classCounts, features, encoder: F, lambda2: 0.5 });
    const mjap = value(multiJointAnatomicalPriorsLoss(yt, yp, m.domains, F));
    expectClose(value(full.anatomicalPriors), mjap, 1e-6);
    expectClose(value(full.total), value(multiTaskCrossEntropy(yt, yp, m.domains, m.classCounts)) + 0.5 * msc + 0.1 * mjap, 1e-5);
    tf.dispose([full.crossEntropy, full.contrastive]);
    expect(() => multiTaskObjective(yt, yp, m.domains, { classCounts: m.classCounts, lambda2: 0.5, encoder: F })).toThrow(InvalidLossOptionError);
    expect(() => multiJointAutoEncoderLoss(yt, yp, m.domains, { classCounts: m.classCounts, features, lambda1: -1 })).toThrow(InvalidLossOptionError);
    tf.dispose([yt, yp, ...features, w, b]);
  });
});
