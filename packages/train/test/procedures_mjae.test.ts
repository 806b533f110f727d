import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildMultiJointAutoEncoder } from '@pedseg/models';
import type { ShapeAutoEncoder } from '@pedseg/models';
import { TrainConfigError, Trainer, autoEncoderStep, resolveExperimentConfig, seedInitialWeights } from '@pedseg/train';
import { sameArrays, useCpu } from './helpers.js';

beforeAll(useCpu);

const CLASS_COUNTS = [3, 2];
const DOMAINS = [0, 0, 0, 1, 1, 1];

function tinyMjae(seed: number): ShapeAutoEncoder {
  const ae = buildMultiJointAutoEncoder({ inputSize: [8, 8], classCounts: CLASS_COUNTS, depth: 1, filters: 4 });
  seedInitialWeights(ae.autoEncoder, seed);
  return ae;
}

/** One-hot label maps `[6, 8, 8, 3]` padded to max |C_k|: discs and squares of each joint's labels. */
function masks(): tf.Tensor4D {
  const n = DOMAINS.length;
  const buf = new Float32Array(n * 64 * 3);
  DOMAINS.forEach((k, i) => {
    for (let y = 0; y < 8; y += 1) {
      for (let x = 0; x < 8; x += 1) {
        const r = 1.5 + i * 0.4;
        let label = 0;
        if (k === 0) label = (x - 3.5) ** 2 + (y - 3.5) ** 2 <= r * r ? (x < 4 ? 1 : 2) : 0;
        else label = Math.abs(x - 2 - (i % 3)) <= 1 && y >= 2 && y <= 6 ? 1 : 0;
        buf[((i * 8 + y) * 8 + x) * 3 + label] = 1;
      }
    }
  });
  return tf.tensor4d(buf, [n, 8, 8, 3]);
}

/** Slow oracle of the supervised contrastive loss on rows (cosine similarity, τ, anchors with a positive). */
function supConOracle(rows: number[][], domains: number[], tau: number): number {
  const unit = rows.map((r) => {
    const norm = Math.sqrt(r.reduce((s, v) => s + v * v, 0));
    return r.map((v) => v / norm);
  });
  const sim = (a: number, b: number): number => (unit[a] as number[]).reduce((s, v, j) => s + v * ((unit[b] as number[])[j] as number), 0) / tau;
  let total = 0;
  let anchors = 0;
  for (let i = 0; i < rows.length; i += 1) {
    const positives = domains.map((_, p) => p).filter((p) => p !== i && domains[p] === domains[i]);
    if (positives.length === 0) continue;
    anchors += 1;
    let denominator = 0;
    for (let j = 0; j < rows.length; j += 1) if (j !== i) denominator += Math.exp(sim(i, j));
    let s = 0;
    for (const p of positives) s += Math.log(Math.exp(sim(i, p)) / denominator);
    total += -s / positives.length;
  }
  return total / anchors;
}

function weightsOf(ae: ShapeAutoEncoder, layer: string): Float32Array[] {
  return ae.autoEncoder.getLayer(layer).getWeights().map((w) => Float32Array.from(w.dataSync() as Float32Array));
}

describe('multi-joint auto-encoder pre-training: L_AE = CE + λ1·MSC (paper 002 Eq. 6)', () => {
  it('logs the MSC term, equal to a slow SupCon oracle averaged over every embedding scale', () => {
    const ae = tinyMjae(7);
    const y = masks();
    const d = tf.tensor1d(DOMAINS, 'int32');
    // The oracle reads the same training-mode pass (batch statistics) the step will differentiate.
    const outs = ae.fullModel.apply([y, d], { training: true }) as tf.Tensor[];
    expect(outs.length).toBe(1 + 3); // reconstruction + encoder level, code, decoder level
    const perScale = outs.slice(1).map((e) => supConOracle(tf.tidy(() => tf.mean(e, [1, 2]).arraySync() as number[][]), DOMAINS, 0.1));
    const expected = perScale.reduce((a, b) => a + b, 0) / perScale.length;
    tf.dispose(outs);
    const trainer = new Trainer({ autoencoder: { model: ae.autoEncoder, optimizer: { learningRate: 1e-3 } } });
    const before = tf.memory().numTensors;
    const logs = autoEncoderStep(trainer, 'autoencoder', { masks: y, domains: d, contrastive: { fullModel: ae.fullModel, classCounts: CLASS_COUNTS } });
    expect(tf.memory().numTensors).toBe(before);
    expect(Object.keys(logs).sort()).toEqual(['contrastive', 'crossEntropy', 'total']);
    expect(Number.isFinite(logs['contrastive'])).toBe(true);
    expect(logs['contrastive']).toBeGreaterThan(0);
    expect(logs['contrastive']).toBeCloseTo(expected, 4);
    // Default λ1 = 0.05.
    expect(logs['total']).toBeCloseTo((logs['crossEntropy'] as number) + 0.05 * (logs['contrastive'] as number), 5);
    trainer.dispose();
    tf.dispose([y, d]);
    ae.autoEncoder.dispose();
  });

  it('the MSC gradient reaches the encoder and decoder but not the output layers', () => {
    // Two identical auto-encoders, one step each on the same batch: λ1 = 0 (CE only) and λ1 = 1.
    const [a, b] = [tinyMjae(11), tinyMjae(11)];
    expect(sameArrays(weightsOf(a, 'enc0_input'), weightsOf(b, 'enc0_input'))).toBe(true);
    const initial = { enc: weightsOf(a, 'enc0_input'), code: weightsOf(a, 'code_1'), head: weightsOf(a, 'head') };
    const y = masks();
    const d = tf.tensor1d(DOMAINS, 'int32');
    const step = (ae: ShapeAutoEncoder, lambda1: number): Record<string, number> => {
      const trainer = new Trainer({ autoencoder: { model: ae.autoEncoder, optimizer: { learningRate: 1e-2 } } });
      const logs = autoEncoderStep(trainer, 'autoencoder', { masks: y, domains: d, contrastive: { fullModel: ae.fullModel, classCounts: CLASS_COUNTS, lambda1 } });
      trainer.dispose();
      return logs;
    };
    const la = step(a, 0);
    const lb = step(b, 1);
    // λ1 = 0 still reports the (unoptimized) MSC; same forward pass, so the same values.
    expect(la['contrastive']).toBeCloseTo(lb['contrastive'] as number, 6);
    expect(la['total']).toBeCloseTo(la['crossEntropy'] as number, 6);
    expect(lb['total']).toBeCloseTo((lb['crossEntropy'] as number) + (lb['contrastive'] as number), 5);
    // Both steps moved the encoder's input layer and the code layer, but differently: MSC adds its gradient there.
    for (const layer of ['enc0_input', 'code_1']) {
      expect(sameArrays(weightsOf(a, layer), layer === 'enc0_input' ? initial.enc : initial.code)).toBe(false);
      expect(sameArrays(weightsOf(a, layer), weightsOf(b, layer))).toBe(false);
    }
    // The domain-specific output layers lie after the last embedding: the MSC cannot reach them, so
    // their update is the CE's alone, bit for bit.
    expect(sameArrays(weightsOf(a, 'head'), initial.head)).toBe(false);
    expect(sameArrays(weightsOf(a, 'head'), weightsOf(b, 'head'))).toBe(true);
    tf.dispose([y, d]);
    a.autoEncoder.dispose();
    b.autoEncoder.dispose();
  });

  it('typed errors: MSC without domains, or a fullModel of another network', () => {
    const [a, b] = [tinyMjae(1), tinyMjae(2)];
    const trainer = new Trainer({ autoencoder: { model: a.autoEncoder, optimizer: { learningRate: 1e-3 } } });
    const y = masks();
    const d = tf.tensor1d(DOMAINS, 'int32');
    const before = tf.memory().numTensors;
    expect(() => autoEncoderStep(trainer, 'autoencoder', { masks: y, contrastive: { fullModel: a.fullModel, classCounts: CLASS_COUNTS } })).toThrow(TrainConfigError);
    expect(() => autoEncoderStep(trainer, 'autoencoder', { masks: y, domains: d, contrastive: { fullModel: b.fullModel, classCounts: CLASS_COUNTS } })).toThrow(/not a weight of auto-encoder/);
    expect(tf.memory().numTensors).toBe(before);
    trainer.dispose();
    tf.dispose([y, d]);
    a.autoEncoder.dispose();
    b.autoEncoder.dispose();
  });

  it('config: λ1 of the multi-joint auto-encoder defaults to 0.05 for multi-task, is configurable, and stays the shape-priors weight elsewhere', () => {
    const base = { name: 'x', outputDir: '/tmp/x', data: { domains: ['ankle', 'shoulder'] as ('ankle' | 'shoulder')[], cases: 3 } };
    expect(resolveExperimentConfig(base).lambda1).toBe(0.05);
    expect(resolveExperimentConfig({ ...base, lambda1: 0.2 }).lambda1).toBe(0.2);
    expect(resolveExperimentConfig({ ...base, preset: 'mtmd/auto-encoder' }).lambda1).toBe(0.05);
    expect(() => resolveExperimentConfig({ ...base, lambda1: -1 })).toThrow(TrainConfigError);
    const single = { name: 'x', outputDir: '/tmp/x', data: { domain: 'ankle' as const, cases: 3 } };
    expect(resolveExperimentConfig(single).lambda1).toBe(0.1);
    expect(resolveExperimentConfig({ ...single, procedure: 'spar' }).lambda1).toBe(0);
  });
});
