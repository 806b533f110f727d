import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { Trainer, TrainConfigError, combinedRegularizationSteps, resolveExperimentConfig } from '@pedseg/train';
import type { ExperimentConfig } from '@pedseg/train';
import { discDataset, makeBatch, tinySegmenter, useCpu } from './helpers.js';

beforeAll(useCpu);

const base: ExperimentConfig = { name: 'x', outputDir: '/tmp/x', data: { domain: 'ankle', cases: 5 } };

describe('codeDistance (shape-priors reduction over code elements)', () => {
  it("resolves to the paper's 'sum' by default, accepts 'mean' (also per method), rejects anything else", () => {
    expect(resolveExperimentConfig(base).codeDistance).toBe('sum');
    expect(resolveExperimentConfig({ ...base, codeDistance: 'mean' }).codeDistance).toBe('mean');
    const compared = resolveExperimentConfig({ ...base, methods: [{ name: 'a' }, { name: 'b', codeDistance: 'mean' }] });
    expect(compared.methods?.map((m) => m.codeDistance)).toEqual(['sum', 'mean']);
    expect(() => resolveExperimentConfig({ ...base, codeDistance: 'max' as 'sum' })).toThrow(TrainConfigError);
    expect(() => resolveExperimentConfig({ ...base, codeDistance: 'max' as 'sum' })).toThrow(/codeDistance/);
  });

  it("combinedRegularizationSteps: the logged 'mean' term is the 'sum' term over the code's element count", () => {
    // A fixed encoder: 2×2 average pooling of 16×16×2 masks, codes 8×8×2 = 128 elements.
    const encoder = (m: tf.Tensor): tf.Tensor => tf.avgPool(m as tf.Tensor4D, 2, 2, 'valid');
    const data = discDataset(4, 3);
    const { x, y } = makeBatch(data, [0, 1, 2, 3]);
    const terms = (['sum', 'mean'] as const).map((codeDistance) => {
      const seg = tinySegmenter(5);
      const trainer = new Trainer({ segmentation: { model: seg, optimizer: { learningRate: 1e-2 } } });
      const logs = combinedRegularizationSteps(trainer, { network: 'segmentation', encoder, image: x, labels: y, lambda2: 0, codeDistance });
      trainer.dispose();
      seg.dispose();
      return logs;
    });
    const [sum, mean] = terms as [Record<string, number>, Record<string, number>];
    expect(sum['segmentation.shapePriors']).toBeGreaterThan(0);
    expect(mean['segmentation.shapePriors'] as number).toBeCloseTo((sum['segmentation.shapePriors'] as number) / 128, 6);
    expect(mean['segmentation.crossEntropy'] as number).toBeCloseTo(sum['segmentation.crossEntropy'] as number, 6);
    tf.dispose([x, y]);
  });
});
