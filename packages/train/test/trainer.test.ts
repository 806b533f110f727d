import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { combinedRegularizationObjective, conditionalDiscriminatorLoss } from '@pedseg/losses';
import { Adam, NonFiniteLossError, TrainConfigError, Trainer } from '@pedseg/train';
import type { LossTerms } from '@pedseg/train';
import { discDataset, makeBatch, sameArrays, tinyDiscriminator, tinySegmenter, useCpu, weightValues } from './helpers.js';

beforeAll(useCpu);

function setup(): { trainer: Trainer; seg: ReturnType<typeof tinySegmenter>; disc: ReturnType<typeof tinyDiscriminator> } {
  const seg = tinySegmenter();
  const disc = tinyDiscriminator();
  const trainer = new Trainer({
    segmentation: { model: seg, optimizer: { learningRate: 1e-2 } },
    discriminator: { model: disc, optimizer: { learningRate: 1e-2 } },
  });
  return { trainer, seg, disc };
}

function discriminatorLoss(seg: ReturnType<typeof tinySegmenter>, disc: ReturnType<typeof tinyDiscriminator>, x: tf.Tensor, y: tf.Tensor): () => LossTerms {
  return () => {
    // The segmentation network predicts in inference mode: its batch-norm statistics must not move here.
    const fake = seg.apply(x, { training: false }) as tf.Tensor;
    const realOut = disc.apply(tf.concat([y, x], -1), { training: true }) as tf.Tensor;
    const fakeOut = disc.apply(tf.concat([fake, x], -1), { training: true }) as tf.Tensor;
    return { total: conditionalDiscriminatorLoss(realOut, fakeOut) };
  };
}

function segmentationLoss(seg: ReturnType<typeof tinySegmenter>, disc: ReturnType<typeof tinyDiscriminator>, x: tf.Tensor, y: tf.Tensor): () => LossTerms {
  return () => {
    const pred = seg.apply(x, { training: true }) as tf.Tensor;
    const t = combinedRegularizationObjective(y, pred, { discriminator: disc, image: x, lambda1: 0, lambda2: 0.01 });
    return { total: t.total, ce: t.crossEntropy, adversarial: t.adversarial };
  };
}

describe('Trainer', () => {
  it('a discriminator step never changes the segmentation network (trainable or not), and vice versa', () => {
    const { trainer, seg, disc } = setup();
    const data = discDataset(4);
    const { x, y } = makeBatch(data, [0, 1, 2, 3]);
    for (let i = 0; i < 3; i += 1) {
      const segBefore = weightValues(seg);
      const discBefore = weightValues(disc);
      const d = trainer.step('discriminator', discriminatorLoss(seg, disc, x, y));
      expect(Number.isFinite(d.total)).toBe(true);
      expect(sameArrays(weightValues(seg), segBefore)).toBe(true);
      expect(sameArrays(weightValues(disc), discBefore)).toBe(false);

      const segBefore2 = weightValues(seg);
      const discBefore2 = weightValues(disc);
      const s = trainer.step('segmentation', segmentationLoss(seg, disc, x, y));
      expect(Object.keys(s).sort()).toEqual(['adversarial', 'ce', 'total']);
      expect(sameArrays(weightValues(disc), discBefore2)).toBe(true);
      expect(sameArrays(weightValues(seg), segBefore2)).toBe(false);
    }
    expect(trainer.optimizer('segmentation').step).toBe(3);
    expect(trainer.optimizer('discriminator').step).toBe(3);
    tf.dispose([x, y]);
    trainer.dispose();
    seg.dispose();
    disc.dispose();
  });

  it('alternate() logs every term of every network separately, losses fall, memory stays flat', () => {
    const { trainer, seg, disc } = setup();
    const data = discDataset(8);
    const run = (i: number) => {
      const idx = [0, 1, 2, 3].map((k) => (k + 4 * i) % 8);
      const { x, y } = makeBatch(data, idx);
      const logs = trainer.alternate([
        { network: 'discriminator', loss: discriminatorLoss(seg, disc, x, y) },
        { network: 'segmentation', loss: segmentationLoss(seg, disc, x, y) },
      ]);
      tf.dispose([x, y]);
      return logs;
    };
    const first = run(0);
    expect(Object.keys(first).sort()).toEqual(['discriminator.total', 'segmentation.adversarial', 'segmentation.ce', 'segmentation.total']);
    const baseline = tf.memory().numTensors;
    let last = first;
    for (let i = 1; i <= 15; i += 1) {
      last = run(i);
      for (const v of Object.values(last)) expect(Number.isFinite(v)).toBe(true);
      expect(tf.memory().numTensors).toBe(baseline);
    }
    expect(last['segmentation.ce']).toBeLessThan(first['segmentation.ce'] as number);
    trainer.dispose();
    seg.dispose();
    disc.dispose();
  });

  it('matches tfjs AdamOptimizer on the same gradients', () => {
    const a = tf.variable(tf.tensor1d([1, -2, 3]));
    const b = tf.variable(tf.tensor1d([1, -2, 3]));
    const ours = new Adam([a], { learningRate: 0.05 });
    const theirs = tf.train.adam(0.05, 0.9, 0.999, 1e-7);
    for (let i = 0; i < 10; i += 1) {
      const g = tf.tidy(() => tf.mul(tf.sin(a), 2));
      const gb = tf.tidy(() => tf.mul(tf.sin(b), 2));
      ours.applyGradients([g]);
      theirs.applyGradients([{ name: b.name, tensor: gb }]);
      tf.dispose([g, gb]);
    }
    expect(Array.from(a.dataSync())).toEqual(Array.from(b.dataSync()));
    ours.dispose();
    theirs.dispose();
    tf.dispose([a, b]);
  });

  it('rejects bad configuration and non-finite terms without touching the weights', () => {
    const seg = tinySegmenter();
    expect(() => new Trainer({})).toThrow(TrainConfigError);
    expect(() => new Trainer({ 'bad name': { model: seg, optimizer: { learningRate: 1e-3 } } })).toThrow(TrainConfigError);
    expect(() => new Trainer({ s: { model: seg, optimizer: { learningRate: 0 } } })).toThrow(TrainConfigError);
    expect(() => new Trainer({ a: { model: seg, optimizer: { learningRate: 1e-3 } }, b: { model: seg, optimizer: { learningRate: 1e-3 } } })).toThrow(
      /belongs to both/,
    );
    const trainer = new Trainer({ s: { model: seg, optimizer: { learningRate: 1e-3 } } });
    expect(() => trainer.step('nope', () => ({ total: tf.scalar(0) }))).toThrow(/unknown network 'nope'/);
    const before = weightValues(seg);
    const baseline = tf.memory().numTensors;
    const x = tf.ones([1, 16, 16, 1]);
    expect(() =>
      trainer.step('s', () => {
        const p = seg.apply(x, { training: true }) as tf.Tensor;
        return { total: tf.div(tf.sum(p), 0) as tf.Scalar, ce: tf.sum(p) as tf.Scalar };
      }),
    ).toThrow(NonFiniteLossError);
    expect(() =>
      trainer.step('s', () => {
        const p = seg.apply(x, { training: true }) as tf.Tensor;
        return { total: tf.sum(p) as tf.Scalar, map: p as unknown as tf.Scalar };
      }),
    ).toThrow(/term 'map' is not a scalar/);
    x.dispose();
    expect(tf.memory().numTensors).toBe(baseline);
    // Batch-norm moving statistics were updated by the forward pass in training mode? No weight update: compare trainable weights only.
    const after = weightValues(seg);
    const trainableIdx = seg.weights.map((w, i) => (w.trainable ? i : -1)).filter((i) => i >= 0);
    expect(sameArrays(trainableIdx.map((i) => after[i] as Float32Array), trainableIdx.map((i) => before[i] as Float32Array))).toBe(true);
    trainer.dispose();
    seg.dispose();
  });
});
