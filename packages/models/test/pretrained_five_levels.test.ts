import * as tf from '@tensorflow/tfjs-core';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildDenseUNet, buildEfficientUNet } from '@pedseg/models';
import { densenet121Encoder } from '../src/pretrained/densenet121.js';
import { efficientNetB3Encoder } from '../src/pretrained/efficientnet_b3.js';
import { saveFixture } from './pretrained_helpers.js';
import { gradientNorms, rand, useCpu } from './helpers.js';

const tiny = { inputSize: [32, 32] as [number, number], widthDivisor: 16, onWarning: () => undefined };
let dir = '';

beforeAll(async () => {
  await useCpu();
  dir = await mkdtemp(join(tmpdir(), 'pedseg-pretrained5-'));
});
afterAll(async () => rm(dir, { recursive: true, force: true }));

describe('Dense-UNet', () => {
  it('Keras DenseNet121 names (with slashes), 5 levels, weights load by name; forward + backward', async () => {
    const fx = await saveFixture(dir, densenet121Encoder, 16, 'dense');
    const net = await buildDenseUNet({ ...tiny, numStructures: 2, attention: true, weights: fx.path });
    const names = new Set(net.model.layers.map((l) => l.name));
    for (const n of ['conv1/conv', 'conv1/bn', 'conv2_block6_concat', 'pool3_conv', 'conv4_block24_2_conv', 'conv5_block16_concat', 'bn']) expect(names.has(n), n).toBe(true);
    expect(net.embeddingCount).toBe(11);
    expect(net.fullModel.outputs.slice(1, 7).map((o) => o.shape.slice(1, 3))).toEqual([[32, 32], [16, 16], [8, 8], [4, 4], [2, 2], [1, 1]]);
    expect(net.weightReport!.unused).toEqual([]);
    expect(net.weightReport!.loaded.length).toBe(fx.model.weights.length);
    const a = net.model.getLayer('conv1/bn').getWeights()[2]!.dataSync();
    expect(Array.from(a)).toEqual(Array.from(fx.model.getLayer('conv1/bn').getWeights()[2]!.dataSync()));
    const x = rand([1, 32, 32, 1], 7);
    for (const [n, g] of gradientNorms(net.fullModel, [x])) expect(Number.isFinite(g), n).toBe(true);
    x.dispose();
  });
});

describe('Efficient-UNet', () => {
  it('Keras EfficientNet-B3 names (26 blocks); DSL multi-domain MBConv loads the Keras weights and computes the same encoder', async () => {
    const fx = await saveFixture(dir, efficientNetB3Encoder, 8, 'eff');
    const plain = await buildEfficientUNet({ ...tiny, widthDivisor: 8, numStructures: 1, weights: fx.path });
    const names = plain.model.layers.map((l) => l.name);
    expect(names.filter((n) => /^block\d[a-z]_dwconv$/.test(n)).length).toBe(26);
    for (const n of ['stem_conv', 'block1a_se_reduce', 'block7b_project_bn', 'top_activation']) expect(names).toContain(n);
    expect(plain.weightReport!.unused).toEqual([]);
    const dsl = await buildEfficientUNet({ ...tiny, widthDivisor: 8, domains: { strategy: 'dsl', classCounts: [3, 2] }, weights: fx.path });
    expect(dsl.model.getLayer('block2a').getClassName()).toBe('MultiDomainMBConv');
    expect(dsl.weightReport!.unused).toEqual([]);
    expect(dsl.weightReport!.loaded.length).toBe(fx.model.weights.length * 1);
    const x = rand([2, 32, 32, 1], 9);
    tf.tidy(() => {
      const ref = fx.model.predict(tf.tile(x, [1, 1, 1, 3])) as tf.Tensor;
      const outs = dsl.splitOutputs(dsl.fullModel.predict([x, tf.tensor2d([[0], [1]], [2, 1], 'int32')]) as tf.Tensor[]);
      const bottleneck = outs.embeddings[5]!;
      expect(bottleneck.shape).toEqual(ref.shape);
      const diff = tf.max(tf.abs(tf.sub(bottleneck, ref))).dataSync()[0]!;
      expect(diff).toBeLessThan(1e-4 * Math.max(1, tf.max(tf.abs(ref)).dataSync()[0]!));
    });
    for (const [n, g] of gradientNorms(dsl.fullModel, [x, tf.tensor1d([0, 1], 'int32')])) expect(Number.isFinite(g), n).toBe(true);
    x.dispose();
  });
});
