import { existsSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import { TrainConfigError, resolveExperimentConfig, runExperiment, writeExperimentReport } from '@pedseg/train';
import { tempDir, useCpu } from './helpers.js';

beforeAll(useCpu);

describe('runExperiment', () => {
  it('runs folds end to end (AE pre-training, alternating D, predict, post-process, evaluate) and merges the report', async () => {
    const dir = tempDir('exp');
    const before = tf.memory().numTensors;
    const config = {
      name: 'tiny',
      outputDir: dir,
      seed: 3,
      data: { domain: 'shoulder' as const, cases: 3, shape: [16, 16, 8] as [number, number, number], emptyFraction: 0 },
      network: { inputSize: [16, 16] as [number, number], depth: 1, filters: 4, attention: true },
      procedure: 'combined-regularization' as const,
      learningRate: 1e-2,
      batchSize: 8,
      epochs: 1,
      closingRadius: 1,
      folds: [0],
    };
    const report = await runExperiment(config);
    expect(report.cases).toHaveLength(1);
    const scores = report.cases[0]!;
    expect(Object.keys(scores.structures).sort()).toEqual(['humerus', 'scapula']);
    for (const s of Object.values(scores.structures)) {
      expect(s.dice).toBeGreaterThanOrEqual(0);
      expect(s.dice).toBeLessThanOrEqual(1);
    }
    for (const f of ['fold-0/scores.json', 'fold-0/learning_curves.svg', `fold-0/${scores.caseId}_prediction.nii.gz`, 'per_case.csv', 'summary.csv', 'summary.json', 'config.json']) {
      expect(existsSync(join(dir, f)), f).toBe(true);
    }
    expect(existsSync(join(dir, 'fold-0/checkpoints/best/networks/segmentation/model.json'))).toBe(true);
    // Figures of the test case: up to 3 contour overlays (truth solid, prediction dashed) and, for the
    // attention UNet, the finest gate's coefficients over the middle one.
    const figures = readdirSync(join(dir, 'fold-0/figures'));
    const contours = figures.filter((f) => f.startsWith(`contours-${scores.caseId}-z`));
    expect(contours.length).toBeGreaterThanOrEqual(1);
    expect(contours.length).toBeLessThanOrEqual(3);
    expect(readFileSync(join(dir, 'fold-0/figures', contours[0]!), 'utf8')).toMatch(/<path class="ground-truth" data-label="[12]"/);
    expect(figures.filter((f) => f.startsWith('attention-'))).toHaveLength(1);
    expect(readFileSync(join(dir, 'fold-0/figures', figures.find((f) => f.startsWith('attention-'))!), 'utf8')).toContain('data:image/png;base64,');
    expect(figures).not.toContain('tsne-bottleneck.svg');
    expect(existsSync(join(dir, 'fold-0/checkpoints/latest.json'))).toBe(true);
    const log = JSON.parse(readFileSync(join(dir, 'fold-0/checkpoints', JSON.parse(readFileSync(join(dir, 'fold-0/checkpoints/latest.json'), 'utf8')).checkpoint, 'state.json'), 'utf8'));
    const terms = Object.keys(log.history[0].train).sort();
    expect(terms).toEqual(['discriminator.total', 'segmentation.adversarial', 'segmentation.crossEntropy', 'segmentation.shapePriors', 'segmentation.total']);
    for (const v of Object.values(log.history[0].train as Record<string, number>)) expect(Number.isFinite(v)).toBe(true);
    expect(tf.memory().numTensors).toBe(before);

    // A second fold run alone, then `report` merges both.
    await runExperiment({ ...config, folds: [1], procedure: 'baseline' });
    rmSync(join(dir, 'summary.csv'));
    const merged = await writeExperimentReport(dir);
    expect(merged.cases.map((c) => c.fold)).toEqual([0, 1]);
    const summary = readFileSync(join(dir, 'summary.csv'), 'utf8').trim().split('\n');
    expect(summary[0]).toBe('structure,dice,sensitivity,specificity,mssd,assd,ravd');
    expect(summary[1]).toMatch(/^humerus,\d\.\d{4} ± \d\.\d{4},/);
    expect(readFileSync(join(dir, 'per_case.csv'), 'utf8').trim().split('\n')).toHaveLength(1 + 2 * 2);
  });

  it('validates the config', () => {
    const base = { name: 'x', outputDir: '/tmp/x', data: { domain: 'ankle' as const, cases: 5 } };
    expect(resolveExperimentConfig({ ...base, preset: 'combreg/att-unet' })).toMatchObject({ learningRate: 1e-3, batchSize: 32, epochs: 20, lambda1: 0.1, lambda2: 0.01 });
    expect(resolveExperimentConfig({ ...base, procedure: 'baseline' })).toMatchObject({ lambda1: 0, lambda2: 0 });
    expect(() => resolveExperimentConfig({ ...base, data: { domain: 'ankle', cases: 2 } })).toThrow(TrainConfigError);
    expect(() => resolveExperimentConfig({ ...base, folds: [7] })).toThrow(/fold 7/);
    expect(() => resolveExperimentConfig({ ...base, batchSize: 0 })).toThrow(/batchSize/);
  });
});
