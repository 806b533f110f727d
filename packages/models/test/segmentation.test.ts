import * as tf from '@tensorflow/tfjs-core';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadModel, saveModel } from '@pedseg/core';
import { ModelConfigError, buildAttentionUNet, buildUNet, foldBatchNorm, sharedLabelOffsets } from '@pedseg/models';
import { expectClose, gradientNorms, rand, useCpu } from './helpers.js';

const tiny = { inputSize: [16, 16] as [number, number], depth: 2, filters: 2 };

beforeAll(useCpu);

describe('UNet / Att-UNet output strategies', () => {
  it('multi: softmax over C + 1 channels, 2·depth + 1 embeddings, depth attention maps', () => {
    const net = buildAttentionUNet({ ...tiny, numStructures: 3 });
    expect(net.model.outputs[0]!.shape).toEqual([null, 16, 16, 4]);
    expect(net.embeddingCount).toBe(5);
    expect(net.attentionCount).toBe(2);
    const shapes = net.fullModel.outputs.map((o) => o.shape);
    // encoder fine→coarse, bottleneck, decoder coarse→fine, then attention coarse→fine
    expect(shapes.slice(1)).toEqual([
      [null, 16, 16, 2], [null, 8, 8, 4], [null, 4, 4, 8], [null, 8, 8, 4], [null, 16, 16, 2],
      [null, 8, 8, 1], [null, 16, 16, 1],
    ]);
    const probs = tf.tidy(() => tf.sum(net.model.predict(rand([2, 16, 16, 1])) as tf.Tensor, -1).dataSync());
    expectClose(probs, new Float32Array(2 * 16 * 16).fill(1), 1e-5);
  });

  it('global: one sigmoid channel; individual: C member networks, one sigmoid channel each', () => {
    const g = buildUNet({ ...tiny, outputStrategy: 'global' });
    expect(g.model.outputs[0]!.shape).toEqual([null, 16, 16, 1]);
    expect(g.attentionCount).toBe(0);
    const single = buildUNet({ ...tiny, outputStrategy: 'global' }).model.countParams();
    const ind = buildAttentionUNet({ ...tiny, outputStrategy: 'individual', numStructures: 3 });
    expect(ind.model.outputs[0]!.shape).toEqual([null, 16, 16, 3]);
    expect(ind.attentionCount).toBe(6);
    expect(ind.fullModel.outputs[1]!.shape).toEqual([null, 16, 16, 6]);
    const singleAtt = buildAttentionUNet({ ...tiny, outputStrategy: 'global' }).model.countParams();
    expect(ind.model.countParams()).toBe(3 * singleAtt);
    expect(single).toBeLessThan(singleAtt);
    const out = tf.tidy(() => (ind.model.predict(rand([1, 16, 16, 1])) as tf.Tensor).dataSync());
    expect(Array.from(out).every((v) => v > 0 && v < 1)).toBe(true);
  });

  it('the default Att-UNet has ≈7.9M parameters (paper: 7.9M) and accepts 256×256 inputs', () => {
    const net = buildAttentionUNet({ numStructures: 3 });
    expect(net.model.inputs[0]!.shape).toEqual([null, 256, 256, 1]);
    expect(net.model.countParams()).toBe(7857668);
    expect(net.embeddingCount).toBe(9);
  });

  it('shared vs DSL differ in one option; shapes and head layouts', () => {
    const classCounts = [3, 4, 2];
    const shared = buildAttentionUNet({ ...tiny, domains: { strategy: 'shared', classCounts } });
    const dsl = buildAttentionUNet({ ...tiny, domains: { strategy: 'dsl', classCounts } });
    expect(sharedLabelOffsets(classCounts)).toEqual({ offsets: [1, 3, 6], channels: 7 });
    expect(shared.model.outputs[0]!.shape).toEqual([null, 16, 16, 7]);
    expect(dsl.model.outputs[0]!.shape).toEqual([null, 16, 16, 4]);
    expect(dsl.model.inputs.map((i) => i.shape)).toEqual([[null, 16, 16, 1], [null, 1]]);
    const classes = new Set(dsl.model.layers.map((l) => l.getClassName()));
    expect(classes.has('MultiDomainConvBlock') && classes.has('MultiDomainAttentionGate') && classes.has('DomainSpecificHeads')).toBe(true);
    expect(classes.has('BatchNormalization')).toBe(false);
    const domain = tf.tensor2d([[0], [1], [2]], [3, 1], 'int32');
    const out = tf.tidy(() => (dsl.model.predict([rand([3, 16, 16, 1]), domain]) as tf.Tensor).arraySync() as number[][][][]);
    // a domain-2 sample (2 classes) has exactly zero probability in channels 2 and 3
    expect(out[2]![3]![5]!.slice(2)).toEqual([0, 0]);
    domain.dispose();
  });

  it('DSL: a mixed-domain batch equals per-sample inference (moving statistics)', () => {
    const dsl = buildAttentionUNet({ ...tiny, domains: { strategy: 'dsl', classCounts: [3, 2] } });
    // give the two domains different moving statistics so routing matters
    for (const w of dsl.model.weights) {
      if (w.originalName.includes('moving_mean')) w.write(rand(w.shape as number[], 5));
    }
    const x = rand([3, 16, 16, 1], 3);
    const d = [1, 0, 1];
    const mixed = tf.tidy(() => (dsl.model.apply([x, tf.tensor1d(d, 'int32')], { training: false }) as tf.Tensor).dataSync());
    const parts = d.map((k, i) =>
      tf.tidy(() => (dsl.model.apply([tf.slice(x, [i, 0, 0, 0], [1, 16, 16, 1]), tf.tensor1d([k], 'int32')], { training: false }) as tf.Tensor).dataSync()),
    );
    const joined = new Float32Array(mixed.length);
    parts.forEach((p, i) => joined.set(p, i * p.length));
    expectClose(mixed, joined, 1e-5, 1e-4);
    const other = tf.tidy(() => (dsl.model.apply([tf.slice(x, [0, 0, 0, 0], [1, 16, 16, 1]), tf.tensor1d([0], 'int32')], { training: false }) as tf.Tensor).dataSync());
    expect(Math.max(...Array.from(other).map((v, i) => Math.abs(v - (parts[0]![i] as number))))).toBeGreaterThan(1e-4);
    x.dispose();
  });

  it('forward + backward (cpu): every trainable weight of every strategy gets a finite gradient', () => {
    const nets = [
      buildAttentionUNet({ ...tiny, numStructures: 2 }),
      buildUNet({ ...tiny, outputStrategy: 'individual', numStructures: 2 }),
      buildAttentionUNet({ ...tiny, domains: { strategy: 'shared', classCounts: [3, 2] } }),
      buildAttentionUNet({ ...tiny, domains: { strategy: 'dsl', classCounts: [3, 2] } }),
    ];
    for (const net of nets) {
      const x = rand([2, 16, 16, 1], 9);
      const inputs = net.options.domains ? [x, tf.tensor1d([0, 1], 'int32')] : [x];
      const before = tf.memory().numTensors;
      const norms = gradientNorms(net.fullModel, inputs);
      expect(tf.memory().numTensors).toBe(before);
      expect(norms.size).toBe(net.fullModel.trainableWeights.length);
      for (const [name, n] of norms) {
        expect(Number.isFinite(n), name).toBe(true);
      }
      const nonzero = [...norms.values()].filter((n) => n > 0).length;
      expect(nonzero).toBeGreaterThan(norms.size * 0.9);
      inputs.forEach((t) => t.dispose());
    }
  });

  it('fullModel yields segmentation, embeddings and attention in one pass, identical to model', () => {
    const net = buildAttentionUNet({ ...tiny, numStructures: 1 });
    const x = rand([1, 16, 16, 1], 4);
    const before = tf.memory().numTensors;
    tf.tidy(() => {
      const outs = net.splitOutputs(net.fullModel.apply(x, { training: false }) as tf.Tensor[]);
      expect(outs.embeddings.length).toBe(5);
      expect(outs.attention.length).toBe(2);
      const alone = net.model.apply(x, { training: false }) as tf.Tensor;
      expectClose(outs.segmentation.dataSync(), alone.dataSync(), 0);
      const a = outs.attention[1]!.dataSync();
      expect(Array.from(a).every((v) => v > 0 && v < 1)).toBe(true);
    });
    expect(tf.memory().numTensors).toBe(before);
    expect(() => net.splitOutputs([x])).toThrow(/expected 8 outputs/);
    x.dispose();
  });

  it('save / load round trip through @pedseg/core keeps the outputs (DSL Att-UNet)', async () => {
    const net = buildAttentionUNet({ ...tiny, domains: { strategy: 'dsl', classCounts: [3, 2] } });
    const dir = await mkdtemp(join(tmpdir(), 'pedseg-models-'));
    try {
      await saveModel(net.model, join(dir, 'm'));
      const loaded = await loadModel(join(dir, 'm'));
      const x = rand([2, 16, 16, 1], 2);
      const d = tf.tensor2d([[1], [0]], [2, 1], 'int32');
      const a = tf.tidy(() => (net.model.predict([x, d]) as tf.Tensor).dataSync());
      const b = tf.tidy(() => (loaded.predict([x, d]) as tf.Tensor).dataSync());
      expectClose(b, a, 0);
      tf.dispose([x, d]);
      loaded.dispose();
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('foldBatchNorm: the folded inference copy gives the same outputs with fewer layers', () => {
    const net = buildAttentionUNet({ ...tiny, domains: { strategy: 'shared', classCounts: [3, 2] } });
    for (const w of net.model.weights) {
      if (w.originalName.endsWith('moving_mean') || w.originalName.endsWith('/beta')) w.write(rand(w.shape as number[], 6));
      if (w.originalName.endsWith('moving_variance') || w.originalName.endsWith('/gamma')) w.write(tf.tidy(() => tf.add(tf.abs(rand(w.shape as number[], 7)), 0.5)));
    }
    const folded = foldBatchNorm(net);
    expect(folded.model.layers.length).toBeLessThan(net.model.layers.length);
    expect(folded.model.layers.some((l) => l.getClassName() === 'BatchNormalization')).toBe(false);
    const x = rand([2, 16, 16, 1], 8);
    const d = tf.tensor2d([[0], [1]], [2, 1], 'int32');
    tf.tidy(() => {
      const a = net.fullModel.predict([x, d]) as tf.Tensor[];
      const b = folded.fullModel.predict([x, d]) as tf.Tensor[];
      a.forEach((t, i) => expectClose(b[i]!.dataSync(), t.dataSync(), 1e-4, 1e-3));
    });
    tf.dispose([x, d]);
    expect(() => foldBatchNorm(buildUNet({ ...tiny, domains: { strategy: 'dsl', classCounts: [3, 2] } }))).toThrow(/DSL/);
  });

  it('rejects invalid options with ModelConfigError', () => {
    expect(() => buildUNet({ inputSize: [20, 16], depth: 3, numStructures: 1 })).toThrow(ModelConfigError);
    expect(() => buildUNet({ inputSize: [20, 16], depth: 3, numStructures: 1 })).toThrow(/divisible by 2\^3/);
    expect(() => buildUNet({ ...tiny })).toThrow(/numStructures/);
    expect(() => buildUNet({ ...tiny, numStructures: 2, widths: [2, 4] })).toThrow(/widths/);
    expect(() => buildUNet({ ...tiny, outputStrategy: 'global', domains: { strategy: 'dsl', classCounts: [2, 3] } })).toThrow(/softmax/);
    expect(() => buildUNet({ ...tiny, domains: { strategy: 'dsbn' as 'dsl', classCounts: [2, 3] } })).toThrow(/strategy/);
    expect(() => buildUNet({ ...tiny, domains: { strategy: 'dsl', classCounts: [1, 3] } })).toThrow(/classCounts\[0\]/);
  });
});
