import * as tfl from '@tensorflow/tfjs-layers';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { saveModel } from '@pedseg/core';
import { buildInceptionUNet } from '@pedseg/models';
import { inceptionV3Encoder } from '../src/pretrained/inception_v3.js';
import { gradientNorms, rand, useCpu } from './helpers.js';

let dir = '';
beforeAll(async () => {
  await useCpu();
  dir = await mkdtemp(join(tmpdir(), 'pedseg-inception-'));
});
afterAll(async () => rm(dir, { recursive: true, force: true }));

describe('Inception-UNet', () => {
  it('Keras InceptionV3 names (conv2d … conv2d_93, mixed0 … mixed10), weights by name; forward + backward', async () => {
    const x = tfl.input({ shape: [32, 32, 3] });
    const enc = inceptionV3Encoder({ domain: null, numDomains: 1, epsilon: 1e-3, momentum: 0.99, dims: 2 }, x, 16);
    const fixture = tfl.model({ inputs: x, outputs: enc.bottleneck });
    await saveModel(fixture, join(dir, 'inc'));
    const net = await buildInceptionUNet({ inputSize: [32, 32], widthDivisor: 16, numStructures: 1, weights: join(dir, 'inc') });
    const names = new Set(net.model.layers.map((l) => l.name));
    for (const n of ['conv2d', 'conv2d_93', 'batch_normalization_93', 'mixed0', 'mixed7', 'mixed9_1', 'mixed10']) expect(names.has(n), n).toBe(true);
    expect(names.has('conv2d_94')).toBe(false);
    expect(net.model.layers.filter((l) => l.name.startsWith('batch_normalization')).length).toBe(94);
    expect(net.fullModel.outputs.slice(1, 7).map((o) => o.shape.slice(1, 3))).toEqual([[32, 32], [16, 16], [8, 8], [4, 4], [2, 2], [1, 1]]);
    expect(net.weightReport!.unused).toEqual([]);
    expect(net.weightReport!.loaded.length).toBe(fixture.weights.length);
    const img = rand([1, 32, 32, 1], 3);
    for (const [n, g] of gradientNorms(net.fullModel, [img])) expect(Number.isFinite(g), n).toBe(true);
    img.dispose();
  });
});
