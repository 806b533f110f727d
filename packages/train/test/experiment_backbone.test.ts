import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import { TrainConfigError, resolveExperimentConfig, runExperiment } from '@pedseg/train';
import { tempDir, useCpu } from './helpers.js';

beforeAll(useCpu);

describe('pre-trained-encoder backbones', () => {
  it('runExperiment with a tiny VGG-UNet (random encoder, the models warn) trains, predicts and scores', async () => {
    const dir = tempDir('vgg');
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    const before = tf.memory().numTensors;
    try {
      const report = await runExperiment({
        name: 'vgg',
        outputDir: dir,
        seed: 1,
        data: { domain: 'shoulder', cases: 3, shape: [16, 16, 8], emptyFraction: 0 },
        network: { inputSize: [16, 16], backbone: 'vgg', widthDivisor: 16, attention: false },
        procedure: 'baseline',
        learningRate: 1e-2,
        batchSize: 8,
        epochs: 1,
        closingRadius: 1,
        folds: [0],
      });
      expect(Object.keys(report.cases[0]!.structures).sort()).toEqual(['humerus', 'scapula']);
      expect(warn.mock.calls.map((c) => String(c[0])).join('\n')).toMatch(/random/i);
    } finally {
      warn.mockRestore();
    }
    expect(tf.memory().numTensors).toBe(before);
    // The saved network carries the Keras layer names of the VGG19 encoder.
    const model = readFileSync(join(dir, 'fold-0/checkpoints/best/networks/segmentation/model.json'), 'utf8');
    expect(model).toContain('block1_conv1');
    expect(model).toContain('block4_conv1');
  });

  it('validates backbone fields', () => {
    const base = { name: 'x', outputDir: '/tmp/x', data: { domain: 'ankle' as const, cases: 3 } };
    expect(resolveExperimentConfig(base).network).toMatchObject({ backbone: null, widthDivisor: 1, weights: null });
    expect(resolveExperimentConfig({ ...base, network: { inputSize: [64, 64], backbone: 'dense' } }).network.backbone).toBe('dense');
    expect(() => resolveExperimentConfig({ ...base, network: { inputSize: [48, 48], backbone: 'dense' } })).toThrow(/divisible by 32 for the 'dense' backbone/);
    expect(() => resolveExperimentConfig({ ...base, network: { inputSize: [32, 32], backbone: 'alexnet' as never } })).toThrow(TrainConfigError);
    expect(() => resolveExperimentConfig({ ...base, strategy: 'individual', network: { inputSize: [32, 32], backbone: 'vgg' } })).toThrow(/individual/);
    expect(() => resolveExperimentConfig({ ...base, network: { inputSize: [32, 32], backbone: 'vgg', widthDivisor: 0 } })).toThrow(/widthDivisor/);
  });
});
