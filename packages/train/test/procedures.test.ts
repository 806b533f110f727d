import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { beforeAll, describe, expect, it } from 'vitest';
import { Trainer, autoEncoderStep, combinedRegularizationSteps, multiTaskStep, sparSteps } from '@pedseg/train';
import type { TermValues } from '@pedseg/train';
import { discDataset, makeBatch, sameArrays, tinyDiscriminator, tinySegmenter, useCpu, weightValues } from './helpers.js';

beforeAll(useCpu);

const init = (seed: number) => tfl.initializers.glorotUniform({ seed });

/** Shape auto-encoder on 16×16×c masks: encoder F → code 8×8×4, decoder back to softmax. */
function tinyAutoEncoder(channels = 2): { autoEncoder: tfl.LayersModel; encoder: tfl.LayersModel } {
  const x = tfl.input({ shape: [16, 16, channels] });
  const code = tfl.layers.conv2d({ filters: 4, kernelSize: 3, strides: 2, padding: 'same', activation: 'relu', kernelInitializer: init(21) }).apply(x) as tfl.SymbolicTensor;
  const up = tfl.layers.upSampling2d({ size: [2, 2] }).apply(code) as tfl.SymbolicTensor;
  const recon = tfl.layers.conv2d({ filters: channels, kernelSize: 3, padding: 'same', activation: 'softmax', kernelInitializer: init(22) }).apply(up) as tfl.SymbolicTensor;
  return { autoEncoder: tfl.model({ inputs: x, outputs: recon }), encoder: tfl.model({ inputs: x, outputs: code }) };
}

/** Shape-code discriminator: code 8×8×4 → 1×1 conv → max-pool → sigmoid. */
function tinyCodeDiscriminator(): tfl.LayersModel {
  return tfl.sequential({
    layers: [
      tfl.layers.conv2d({ inputShape: [8, 8, 4], filters: 2, kernelSize: 1, activation: 'relu', kernelInitializer: init(31) }),
      tfl.layers.maxPooling2d({ poolSize: 2 }),
      tfl.layers.flatten(),
      tfl.layers.dense({ units: 1, activation: 'sigmoid', kernelInitializer: init(32) }),
    ],
  });
}

const data = discDataset(8, 17);

function flat(expectTerms: TermValues): void {
  for (const [k, v] of Object.entries(expectTerms)) expect(Number.isFinite(v), k).toBe(true);
}

describe('procedures', () => {
  it('auto-encoder pre-training, then combined regularization with the frozen encoder and alternating D', () => {
    const { autoEncoder, encoder } = tinyAutoEncoder();
    const seg = tinySegmenter(5);
    const disc = tinyDiscriminator(6);
    const trainer = new Trainer({
      autoencoder: { model: autoEncoder, optimizer: { learningRate: 1e-2 } },
      segmentation: { model: seg, optimizer: { learningRate: 1e-2 } },
      discriminator: { model: disc, optimizer: { learningRate: 1e-2 } },
    });
    const ae: number[] = [];
    for (let i = 0; i < 12; i += 1) {
      const { x, y } = makeBatch(data, [(2 * i) % 8, (2 * i + 1) % 8]);
      ae.push(autoEncoderStep(trainer, 'autoencoder', { masks: y }).crossEntropy as number);
      tf.dispose([x, y]);
    }
    expect(ae[11]).toBeLessThan(ae[0] as number);

    const frozenBefore = weightValues(autoEncoder);
    let first: TermValues | null = null;
    let last: TermValues = {};
    let baseline = 0;
    for (let i = 0; i < 10; i += 1) {
      const { x, y } = makeBatch(data, [(4 * i) % 8, (4 * i + 1) % 8, (4 * i + 2) % 8, (4 * i + 3) % 8]);
      last = combinedRegularizationSteps(trainer, { network: 'segmentation', discriminator: 'discriminator', encoder, image: x, labels: y });
      tf.dispose([x, y]);
      if (i === 0) baseline = tf.memory().numTensors;
      else expect(tf.memory().numTensors).toBe(baseline);
      first ??= last;
      flat(last);
    }
    expect(Object.keys(last).sort()).toEqual([
      'discriminator.total',
      'segmentation.adversarial',
      'segmentation.crossEntropy',
      'segmentation.shapePriors',
      'segmentation.total',
    ]);
    expect((last['segmentation.crossEntropy'] as number)).toBeLessThan(first!['segmentation.crossEntropy'] as number);
    // The frozen shape encoder (part of the auto-encoder network) never moved.
    expect(sameArrays(weightValues(autoEncoder), frozenBefore)).toBe(true);

    // λ2 = 0 (shape priors only): no discriminator step, no discriminator change.
    const discBefore = weightValues(disc);
    const { x, y } = makeBatch(data, [0, 1]);
    const noAdv = combinedRegularizationSteps(trainer, { network: 'segmentation', discriminator: 'discriminator', encoder, image: x, labels: y, lambda2: 0 });
    expect(Object.keys(noAdv)).not.toContain('discriminator.total');
    expect(sameArrays(weightValues(disc), discBefore)).toBe(true);
    tf.dispose([x, y]);
    trainer.dispose();
    [autoEncoder, seg, disc].forEach((m) => m.dispose());
  });

  it('SPAR: shape-code discriminator and segmentation network alternate, F stays frozen', () => {
    const { autoEncoder, encoder } = tinyAutoEncoder();
    const seg = tinySegmenter(7);
    const codeDisc = tinyCodeDiscriminator();
    const trainer = new Trainer({
      segmentation: { model: seg, optimizer: { learningRate: 1e-2 } },
      discriminator: { model: codeDisc, optimizer: { learningRate: 1e-2 } },
    });
    const encBefore = weightValues(autoEncoder);
    const ces: number[] = [];
    for (let i = 0; i < 10; i += 1) {
      const { x, y } = makeBatch(data, [(4 * i) % 8, (4 * i + 1) % 8, (4 * i + 2) % 8, (4 * i + 3) % 8]);
      const segBefore = weightValues(seg);
      const logs = sparSteps(trainer, { network: 'segmentation', discriminator: 'discriminator', encoder, image: x, labels: y });
      expect(sameArrays(weightValues(seg), segBefore)).toBe(false);
      flat(logs);
      expect(Object.keys(logs).sort()).toEqual(['discriminator.total', 'segmentation.crossEntropy', 'segmentation.spar', 'segmentation.total']);
      ces.push(logs['segmentation.crossEntropy'] as number);
      tf.dispose([x, y]);
    }
    expect(ces[9]).toBeLessThan(ces[0] as number);
    expect(sameArrays(weightValues(autoEncoder), encBefore)).toBe(true);
    trainer.dispose();
    [autoEncoder, seg, codeDisc].forEach((m) => m.dispose());
  });

  it('multi-task: CE over each domain’s label set + multi-scale contrastive + MJAP', () => {
    // Two domains: domain 0 has 2 classes, domain 1 has 3 (max 3 channels, padding channel 0).
    const x = tfl.input({ shape: [16, 16, 1] });
    const e1 = tfl.layers.conv2d({ filters: 4, kernelSize: 3, padding: 'same', activation: 'relu', kernelInitializer: init(41) }).apply(x) as tfl.SymbolicTensor;
    const e2 = tfl.layers.conv2d({ filters: 4, kernelSize: 3, strides: 2, padding: 'same', activation: 'relu', kernelInitializer: init(42) }).apply(e1) as tfl.SymbolicTensor;
    const up = tfl.layers.upSampling2d({ size: [2, 2] }).apply(e2) as tfl.SymbolicTensor;
    const seg = tfl.layers.conv2d({ filters: 3, kernelSize: 1, activation: 'softmax', kernelInitializer: init(43) }).apply(up) as tfl.SymbolicTensor;
    const net = tfl.model({ inputs: x, outputs: [seg, e1, e2] });
    const { encoder } = tinyAutoEncoder(3);
    const trainer = new Trainer({ network: { model: net, optimizer: { learningRate: 1e-2 } } });
    const images = makeBatch(data, [0, 1, 2, 3]);
    // Labels: domain 0 uses channels 0–1; domain 1 splits the disc into classes 1 and 2 by row.
    const labels = tf.tidy(() => {
      const y = images.y;
      const fg = tf.slice(y, [0, 0, 0, 1], [-1, -1, -1, 1]);
      const rows = tf.reshape(tf.cast(tf.less(tf.range(0, 16), 8), 'float32'), [1, 16, 1, 1]);
      const d1 = tf.concat([tf.sub(1, fg), tf.mul(fg, rows), tf.mul(fg, tf.sub(1, rows))], -1);
      const d0 = tf.concat([y, tf.zerosLike(fg)], -1);
      return tf.concat([tf.slice(d0, [0, 0, 0, 0], [2, -1, -1, -1]), tf.slice(d1, [2, 0, 0, 0], [2, -1, -1, -1])], 0);
    });
    const domains = [0, 0, 1, 1];
    const forward = () => {
      const [s, a, b] = net.apply(images.x, { training: true }) as tf.Tensor[];
      return { segmentation: s as tf.Tensor, embeddings: [a as tf.Tensor, b as tf.Tensor] };
    };
    const encBefore = weightValues(encoder);
    const first = multiTaskStep(trainer, { network: 'network', forward, labels, domains, classCounts: [2, 3], lambda2: 0.5, encoder: (m) => encoder.apply(m, { training: false }) as tf.Tensor });
    const baseline = tf.memory().numTensors;
    let last = first;
    // 60 steps: the contrastive and MJAP terms dominate the first steps. With other initial weights, CE was
    // still above its first value after 16 steps for 4 of 12; after 60 it was below for 24 of 24 (≤ 0.90×).
    for (let i = 0; i < 59; i += 1) {
      last = multiTaskStep(trainer, { network: 'network', forward, labels, domains, classCounts: [2, 3], lambda2: 0.5, encoder: (m) => encoder.apply(m, { training: false }) as tf.Tensor });
      flat(last);
    }
    expect(tf.memory().numTensors).toBe(baseline);
    expect(Object.keys(last).sort()).toEqual(['anatomicalPriors', 'contrastive', 'crossEntropy', 'total']);
    expect(last['crossEntropy']).toBeLessThan(first['crossEntropy'] as number);
    expect(last['total']).toBeLessThan(first['total'] as number);
    expect(first['contrastive']).toBeGreaterThan(0);
    expect(first['anatomicalPriors']).toBeGreaterThan(0);
    expect(sameArrays(weightValues(encoder), encBefore)).toBe(true);
    tf.dispose([images.x, images.y, labels]);
    trainer.dispose();
    net.dispose();
    encoder.dispose();
  });
});
