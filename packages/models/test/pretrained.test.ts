import * as tf from '@tensorflow/tfjs-core';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WeightLoadError, buildResUNet, buildVggUNet, loadEncoderWeights } from '@pedseg/models';
import { resnet50Encoder } from '../src/pretrained/resnet50.js';
import { vgg19Encoder } from '../src/pretrained/vgg19.js';
import { saveFixture } from './pretrained_helpers.js';
import { gradientNorms, rand, useCpu } from './helpers.js';

const tiny = { inputSize: [32, 32] as [number, number], widthDivisor: 16, onWarning: () => undefined };
let dir = '';

beforeAll(async () => {
  await useCpu();
  dir = await mkdtemp(join(tmpdir(), 'pedseg-pretrained-'));
});
afterAll(async () => rm(dir, { recursive: true, force: true }));

describe('VGG-UNet', () => {
  it('Keras VGG19 layer names, skips at 1/1…1/8, bottleneck 1/16; gray replicated to 3 channels', async () => {
    const warnings: string[] = [];
    const net = await buildVggUNet({ ...tiny, numStructures: 2, attention: true, onWarning: (m) => warnings.push(m) });
    expect(warnings[0]).toMatch(/randomly initialized/);
    expect(net.weightReport).toBeNull();
    const names = net.model.layers.map((l) => l.name);
    for (const n of ['block1_conv1', 'block1_conv2', 'block3_conv4', 'block4_pool', 'block5_conv4']) expect(names).toContain(n);
    expect(names).not.toContain('block5_pool');
    expect(net.model.inputs[0]!.shape).toEqual([null, 32, 32, 1]);
    expect(net.model.getLayer('block1_conv1').getWeights()[0]!.shape).toEqual([3, 3, 3, 4]);
    expect(net.model.outputs[0]!.shape).toEqual([null, 32, 32, 3]);
    expect(net.fullModel.outputs.slice(1, 6).map((o) => o.shape.slice(1))).toEqual([[32, 32, 4], [16, 16, 8], [8, 8, 16], [4, 4, 32], [2, 2, 32]]);
    expect(net.attentionCount).toBe(4);
    const x = rand([2, 32, 32, 1], 1);
    for (const [n, g] of gradientNorms(net.fullModel, [x])) expect(Number.isFinite(g), n).toBe(true);
    x.dispose();
  });

  it('loads encoder weights by name from a saved fixture; decoder keeps its initialization; extra weights unused', async () => {
    const fx = await saveFixture(dir, vgg19Encoder, 16, 'vgg', true);
    const net = await buildVggUNet({ ...tiny, numStructures: 1, weights: fx.path });
    const report = net.weightReport!;
    expect(report.loaded.length).toBe(32); // 16 convolutions × (kernel, bias)
    expect(report.unused.sort()).toEqual(['predictions/bias', 'predictions/kernel']);
    expect(report.missing.every((n) => !n.startsWith('block'))).toBe(true);
    for (const name of ['block1_conv1', 'block5_conv4']) {
      const a = net.model.getLayer(name).getWeights();
      const b = fx.model.getLayer(name).getWeights();
      a.forEach((t, i) => expect(Array.from(t.dataSync())).toEqual(Array.from(b[i]!.dataSync())));
    }
    const wrong = await saveFixture(dir, vgg19Encoder, 8, 'vgg8');
    await expect(buildVggUNet({ ...tiny, numStructures: 1, weights: wrong.path })).rejects.toThrow(WeightLoadError);
    await expect(buildVggUNet({ ...tiny, numStructures: 1, weights: wrong.path })).rejects.toThrow(/block1_conv1\/kernel has shape \[3, 3, 3, 8\]/);
    await expect(buildVggUNet({ ...tiny, numStructures: 1, weights: join(dir, 'nope') })).rejects.toThrow(/does not exist/);
    await writeFile(join(dir, 'vgg8', 'weights.bin'), new Uint8Array(10));
    await expect(loadEncoderWeights(net.model, join(dir, 'vgg8'))).rejects.toThrow(/truncated/);
  });
});

describe('Res-UNet', () => {
  it('Keras ResNet50 names up to stage 4, symmetric decoder, shapes; forward + backward', async () => {
    const net = await buildResUNet({ ...tiny, outputStrategy: 'global' });
    const names = new Set(net.model.layers.map((l) => l.name));
    for (const n of ['conv1_pad', 'conv1_conv', 'conv1_bn', 'pool1_pool', 'conv2_block1_0_conv', 'conv3_block4_out', 'conv4_block6_out', 'conv4_block1_0_bn']) expect(names.has(n), n).toBe(true);
    expect(names.has('conv5_block1_1_conv')).toBe(false);
    expect(net.fullModel.outputs.slice(1, 6).map((o) => o.shape.slice(1))).toEqual([[32, 32, 3], [16, 16, 4], [8, 8, 16], [4, 4, 32], [2, 2, 64]]);
    expect(net.model.outputs[0]!.shape).toEqual([null, 32, 32, 1]);
    const x = rand([2, 32, 32, 1], 2);
    const before = tf.memory().numTensors;
    const norms = gradientNorms(net.fullModel, [x]);
    expect(tf.memory().numTensors).toBe(before);
    for (const [n, g] of norms) expect(Number.isFinite(g), n).toBe(true);
    x.dispose();
  });

  it('DSL: every encoder BN is a DSBN of the same name; ImageNet [C] statistics fill every domain', async () => {
    const fx = await saveFixture(dir, resnet50Encoder, 16, 'res');
    const net = await buildResUNet({ ...tiny, domains: { strategy: 'dsl', classCounts: [3, 2] }, weights: fx.path });
    expect(net.model.getLayer('conv1_bn').getClassName()).toBe('DomainSpecificBatchNorm');
    expect(net.weightReport!.unused).toEqual([]);
    const mean = net.model.getLayer('conv2_block1_1_bn').getWeights()[2]!;
    const src = fx.model.getLayer('conv2_block1_1_bn').getWeights()[2]!;
    expect(mean.shape).toEqual([2, src.shape[0]]);
    expect(Array.from(mean.dataSync())).toEqual([...src.dataSync(), ...src.dataSync()]);
    const out = tf.tidy(() => (net.model.predict([rand([2, 32, 32, 1], 3), tf.tensor2d([[0], [1]], [2, 1], 'int32')]) as tf.Tensor).shape);
    expect(out).toEqual([2, 32, 32, 3]);
  });
});
