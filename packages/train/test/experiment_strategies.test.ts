import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import { generatePhantom } from '@pedseg/data';
import { encodeNifti, parseNifti } from '@pedseg/volume';
import { TrainConfigError, predictCommand, resolveExperimentConfig, runExperiment } from '@pedseg/train';
import type { ExperimentConfig } from '@pedseg/train';
import { tempDir, tinyAnkleExperiment, useCpu } from './helpers.js';

beforeAll(useCpu);

function tiny(dir: string, extra: Partial<ExperimentConfig>): ExperimentConfig {
  return tinyAnkleExperiment(dir, extra);
}

function trainTerms(dir: string): string[] {
  const ckpt = join(dir, 'fold-0/checkpoints');
  const latest = JSON.parse(readFileSync(join(ckpt, 'latest.json'), 'utf8')).checkpoint as string;
  const state = JSON.parse(readFileSync(join(ckpt, latest, 'state.json'), 'utf8'));
  const train = state.history[0].train as Record<string, number>;
  for (const v of Object.values(train)) expect(Number.isFinite(v)).toBe(true);
  return Object.keys(train).sort();
}

function predictionLabels(dir: string, caseId: string): Set<number> {
  const v = parseNifti(readFileSync(join(dir, 'fold-0', `${caseId}_prediction.nii.gz`)));
  return new Set(Array.from(v.data as ArrayLike<number>));
}

describe('runExperiment strategies', () => {
  it("global: one sigmoid channel + BCE, C largest components named per bone", async () => {
    const dir = tempDir('global');
    const before = tf.memory().numTensors;
    const report = await runExperiment(tiny(dir, { strategy: 'global', procedure: 'combined-regularization' }));
    expect(tf.memory().numTensors).toBe(before);
    const scores = report.cases[0]!;
    expect(Object.keys(scores.structures).sort()).toEqual(['calcaneus', 'talus', 'tibia']);
    // The shape auto-encoder and the discriminator see one-channel masks; the BCE term is logged as crossEntropy.
    expect(trainTerms(dir)).toEqual(['discriminator.total', 'segmentation.adversarial', 'segmentation.crossEntropy', 'segmentation.shapePriors', 'segmentation.total']);
    for (const l of predictionLabels(dir, scores.caseId)) expect([0, 1, 2, 3]).toContain(l);
    // The t-SNE of shape codes has whole "bone" masks for the global strategy (it predicts no bone names).
    const codes = JSON.parse(readFileSync(join(dir, 'fold-0/figures/tsne-shape-codes.json'), 'utf8')) as { group: string; kind: string }[];
    expect(new Set(codes.map((p) => p.group))).toEqual(new Set(['bone']));
    expect(codes.some((p) => p.kind === 'truth')).toBe(true);
    // `pedseg predict --strategy global` thresholds the one sigmoid channel (argmax of one channel would be all 0).
    const out = join(dir, 'predicted.nii.gz');
    const input = join(dir, 'image.nii.gz');
    writeFileSync(input, encodeNifti(generatePhantom('ankle', { seed: 3, caseIndex: 0, landmarksPerBone: 0, size: { shape: [16, 16, 8] } }).image));
    const io = { stdout: () => undefined, stderr: (t: string) => { throw new Error(t); } };
    expect(await predictCommand.run(['--model', join(dir, 'fold-0/checkpoints/best/networks/segmentation'), '--input', input, '--output', out, '--strategy', 'global'], io)).toBe(0);
    const labels = new Set(Array.from(parseNifti(readFileSync(out)).data as ArrayLike<number>));
    expect([...labels].every((l) => l === 0 || l === 1)).toBe(true);
  });

  it('individual: one sigmoid member network per bone, merged by @pedseg/postprocess', async () => {
    const dir = tempDir('individual');
    const before = tf.memory().numTensors;
    // Combined regularization: one one-channel auto-encoder and one discriminator per bone (experiment_individual.test.ts).
    const report = await runExperiment(tiny(dir, { strategy: 'individual', procedure: 'combined-regularization' }));
    expect(tf.memory().numTensors).toBe(before);
    expect(trainTerms(dir)).toContain('segmentation.shapePriors');
    expect(Object.keys(report.cases[0]!.structures).sort()).toEqual(['calcaneus', 'talus', 'tibia']);
    const model = JSON.parse(readFileSync(join(dir, 'fold-0/checkpoints/best/networks/segmentation/model.json'), 'utf8'));
    // Three sigmoid outputs (one per member network) concatenated.
    expect(JSON.stringify(model)).toMatch(/sigmoid/);
    for (const l of predictionLabels(dir, report.cases[0]!.caseId)) expect([0, 1, 2, 3]).toContain(l);
  });

  it('spar: shape-code discriminator step then CE + λ·SPAR (multi and individual)', async () => {
    const dir = tempDir('spar');
    const before = tf.memory().numTensors;
    await runExperiment(tiny(dir, { procedure: 'spar', lambda: 0.05 }));
    expect(tf.memory().numTensors).toBe(before);
    expect(trainTerms(dir)).toEqual(['discriminator.total', 'segmentation.crossEntropy', 'segmentation.spar', 'segmentation.total']);
    expect(existsSync(join(dir, 'fold-0/autoencoder/latest.json'))).toBe(true);
    const dir2 = tempDir('spar-individual');
    const report = await runExperiment(tiny(dir2, { procedure: 'spar', strategy: 'individual' }));
    expect(trainTerms(dir2)).toContain('segmentation.spar');
    expect(Object.keys(report.cases[0]!.structures)).toHaveLength(3);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('validates strategy and procedure fields', () => {
    const base = { name: 'x', outputDir: '/tmp/x', data: { domain: 'ankle' as const, cases: 5 } };
    expect(resolveExperimentConfig({ ...base, procedure: 'spar' })).toMatchObject({ lambda: 0.01, lambda1: 0, lambda2: 0, strategy: 'multi' });
    expect(resolveExperimentConfig({ ...base, procedure: 'spar', preset: 'spar/unet' })).toMatchObject({ lambda: 0.01, learningRate: 1e-4 });
    expect(() => resolveExperimentConfig({ ...base, strategy: 'both' as never })).toThrow(TrainConfigError);
    expect(() => resolveExperimentConfig({ ...base, procedure: 'multi-task' })).toThrow(/data\.domains/);
    expect(() => resolveExperimentConfig({ ...base, procedure: 'spar', lambda: -1 })).toThrow(/lambda must be ≥ 0/);
  });
});
