import * as tf from '@tensorflow/tfjs-core';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadModel, saveModel } from '@pedseg/core';
import {
  DomainSpecificConv,
  ModelConfigError,
  buildConditionalDiscriminator,
  buildMultiJointAutoEncoder,
  buildShapeAutoEncoder,
  buildShapeCodeDiscriminator,
} from '@pedseg/models';
import { expectClose, gradientNorms, rand, useCpu } from './helpers.js';

beforeAll(useCpu);

const small = { inputSize: [16, 16] as [number, number], depth: 2, filters: 2 };

describe('shape auto-encoder', () => {
  it('F, G and G∘F share layers; shapes; G(F(y)) equals the auto-encoder output', () => {
    const ae = buildShapeAutoEncoder({ ...small, numChannels: 4 });
    expect(ae.codeShape).toEqual([4, 4, 8]);
    expect(ae.encoder.outputs[0]!.shape).toEqual([null, 4, 4, 8]);
    expect(ae.decoder.inputs[0]!.shape).toEqual([null, 4, 4, 8]);
    expect(ae.autoEncoder.outputs[0]!.shape).toEqual([null, 16, 16, 4]);
    expect(ae.embeddingCount).toBe(5);
    expect(ae.autoEncoder.countParams()).toBe(ae.encoder.countParams() + ae.decoder.countParams());
    const y = rand([2, 16, 16, 4], 1);
    tf.tidy(() => {
      const direct = ae.autoEncoder.predict(y) as tf.Tensor;
      const composed = ae.decoder.predict(ae.encoder.predict(y) as tf.Tensor) as tf.Tensor;
      expectClose(composed.dataSync(), direct.dataSync(), 1e-6);
      expectClose(tf.sum(direct, -1).dataSync(), new Float32Array(2 * 256).fill(1), 1e-5);
      const { reconstruction, embeddings } = ae.splitOutputs(ae.fullModel.predict(y) as tf.Tensor[]);
      expectClose(reconstruction.dataSync(), direct.dataSync(), 1e-6);
      expect(embeddings.map((e) => e.shape)).toEqual([[2, 16, 16, 2], [2, 8, 8, 4], [2, 4, 4, 8], [2, 8, 8, 4], [2, 16, 16, 2]]);
    });
    y.dispose();
    const binary = buildShapeAutoEncoder({ ...small });
    expect(binary.autoEncoder.layers.at(-1)!.getConfig()['activation']).toBe('sigmoid');
  });

  it('forward + backward reach every weight; default size', () => {
    const ae = buildShapeAutoEncoder({ ...small, numChannels: 3 });
    const x = rand([2, 16, 16, 3], 3);
    const before = tf.memory().numTensors;
    const norms = gradientNorms(ae.fullModel, [x]);
    expect(tf.memory().numTensors).toBe(before);
    for (const [name, n] of norms) expect(Number.isFinite(n) && n > 0, name).toBe(true);
    x.dispose();
    const full = buildShapeAutoEncoder({ numChannels: 4 });
    expect(full.codeShape).toEqual([16, 16, 256]);
    expect(full.autoEncoder.countParams()).toBe(1749876);
  });

  it('rejects bad options', () => {
    expect(() => buildShapeAutoEncoder({ inputSize: [18, 16], depth: 2 })).toThrow(ModelConfigError);
    expect(() => buildShapeAutoEncoder({ numChannels: 0 })).toThrow(/numChannels/);
    expect(() => buildMultiJointAutoEncoder({ ...small })).toThrow(/classCounts/);
  });
});

describe('multi-joint auto-encoder', () => {
  it('domain-specific input / output layers, DSBN, 2·depth + 1 embeddings, mixed batch = per-sample', () => {
    const ae = buildMultiJointAutoEncoder({ ...small, classCounts: [3, 2] });
    const classes = ae.autoEncoder.layers.map((l) => l.getClassName());
    expect(classes).toContain('DomainSpecificConv');
    expect(classes).toContain('DomainSpecificHeads');
    expect(classes).not.toContain('BatchNormalization');
    expect(ae.autoEncoder.outputs[0]!.shape).toEqual([null, 16, 16, 3]);
    expect(ae.embeddingCount).toBe(5);
    for (const w of ae.autoEncoder.weights) if (w.originalName.includes('moving_mean')) w.write(rand(w.shape as number[], 8));
    const y = rand([2, 16, 16, 3], 4);
    const mixed = tf.tidy(() => (ae.autoEncoder.apply([y, tf.tensor1d([1, 0], 'int32')]) as tf.Tensor).dataSync());
    const one = tf.tidy(() => (ae.autoEncoder.apply([tf.slice(y, [1], [1]), tf.tensor1d([0], 'int32')]) as tf.Tensor).dataSync());
    expectClose(mixed.slice(one.length), one, 1e-5, 1e-4);
    const norms = gradientNorms(ae.fullModel, [y, tf.tensor1d([1, 0], 'int32')]);
    for (const [name, n] of norms) expect(Number.isFinite(n), name).toBe(true);
    y.dispose();
  });

  it('DomainSpecificConv applies domain k its own kernel (hand-built 1×1 case) and round-trips through save/load', async () => {
    const layer = new DomainSpecificConv({ numDomains: 2, filters: 1, kernelSize: 1 });
    const x = tf.tensor4d([1, 2, 3, 4], [2, 1, 1, 2]);
    layer.apply([x, tf.tensor1d([0, 0], 'int32')]);
    // kernel [1, 1, 2, 2]: domain 0 → (1, 10), domain 1 → (100, 1000)
    layer.setWeights([tf.tensor4d([1, 100, 10, 1000], [1, 1, 2, 2])]);
    const out = tf.tidy(() => (layer.apply([x, tf.tensor1d([1, 0], 'int32')]) as tf.Tensor).dataSync());
    expect(Array.from(out)).toEqual([1 * 100 + 2 * 1000, 3 * 1 + 4 * 10]);
    const ae = buildMultiJointAutoEncoder({ ...small, classCounts: [2, 3] });
    const dir = await mkdtemp(join(tmpdir(), 'pedseg-ae-'));
    try {
      await saveModel(ae.encoder, join(dir, 'f'));
      const f = await loadModel(join(dir, 'f'));
      const y = rand([1, 16, 16, 3], 5);
      const d = tf.tensor2d([[1]], [1, 1], 'int32');
      tf.tidy(() => expectClose((f.predict([y, d]) as tf.Tensor).dataSync(), (ae.encoder.predict([y, d]) as tf.Tensor).dataSync(), 0));
      tf.dispose([y, d]);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
    x.dispose();
  });
});

describe('discriminators', () => {
  it('conditional discriminator: mask ⊕ image → likelihood map in (0, 1); ≈0.7M parameters at the defaults', () => {
    const d = buildConditionalDiscriminator({ inputSize: [32, 32], maskChannels: 4, widths: [4, 8, 16] });
    expect(d.outputs[0]!.shape).toEqual([null, 4, 4, 1]);
    const kernels = d.layers.filter((l) => l.getClassName() === 'Conv2D').map((l) => l.getConfig()['kernelSize']);
    expect(kernels.every((k) => JSON.stringify(k) === '[4,4]')).toBe(true);
    const out = tf.tidy(() => (d.predict([rand([2, 32, 32, 4], 1), rand([2, 32, 32, 1], 2)]) as tf.Tensor).dataSync());
    expect(Array.from(out).every((v) => v > 0 && v < 1)).toBe(true);
    const m = rand([2, 32, 32, 4], 1);
    const i = rand([2, 32, 32, 1], 2);
    for (const [name, n] of gradientNorms(d, [m, i])) expect(Number.isFinite(n) && n > 0, name).toBe(true);
    tf.dispose([m, i]);
    expect(buildConditionalDiscriminator({ maskChannels: 4 }).countParams()).toBe(666177);
    expect(() => buildConditionalDiscriminator({ inputSize: [20, 32] })).toThrow(/divisible/);
  });

  it('shape-code discriminator: 1×1 convs, features and spatial size halved per layer, sigmoid [batch, 1]', () => {
    const d = buildShapeCodeDiscriminator({ codeShape: [8, 8, 32] });
    const convs = d.layers.filter((l) => l.name.endsWith('_conv'));
    expect(convs.map((l) => (l.outputShape as number[]).slice(1))).toEqual([[8, 8, 16], [4, 4, 8], [2, 2, 4]]);
    const pools = d.layers.filter((l) => l.name.endsWith('_pool'));
    expect(pools.map((l) => (l.outputShape as number[]).slice(1))).toEqual([[4, 4, 16], [2, 2, 8], [1, 1, 4]]);
    expect(d.outputs[0]!.shape).toEqual([null, 1]);
    const z = rand([3, 8, 8, 32], 6);
    for (const [name, n] of gradientNorms(d, [z])) expect(Number.isFinite(n), name).toBe(true);
    z.dispose();
    expect(() => buildShapeCodeDiscriminator({ codeShape: [8, 8, 4] })).toThrow(ModelConfigError);
  });
});
