import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import { buildUNet } from '@pedseg/models';
import { TrainConfigError, resolveExperimentConfig, runExperiment } from '@pedseg/train';
import { transferWeights } from '../src/experiment/transfer.js';
import { tempDir, useCpu } from './helpers.js';

beforeAll(useCpu);

describe('transfer strategy', () => {
  it('transferWeights copies every layer but the head, whose shape may even match', () => {
    const source = buildUNet({ inputSize: [16, 16], depth: 1, filters: 2, numStructures: 2, name: 'segmentation' });
    const same = buildUNet({ inputSize: [16, 16], depth: 1, filters: 2, numStructures: 2, name: 'segmentation' });
    const other = buildUNet({ inputSize: [16, 16], depth: 1, filters: 2, numStructures: 3, name: 'segmentation' });
    for (const target of [same, other]) {
      const before = target.model.layers.filter((l) => l.weights.length > 0).map((l) => l.getWeights().map((w) => Array.from(w.dataSync())));
      const summary = transferWeights(source.model, target.model);
      const src = source.model.layers.filter((l) => l.weights.length > 0);
      const dst = target.model.layers.filter((l) => l.weights.length > 0);
      expect(summary.reinitialized).toEqual([dst.at(-1)!.name]);
      expect(summary.copied).toHaveLength(dst.length - 1);
      dst.forEach((layer, i) => {
        const got = layer.getWeights().map((w) => Array.from(w.dataSync()));
        const expected = i === dst.length - 1 ? before[i] : src[i]!.getWeights().map((w) => Array.from(w.dataSync()));
        expect(got).toEqual(expected);
      });
    }
    for (const n of [source, same, other]) n.model.dispose();
  });

  it('runExperiment: pre-trains on the source joint, fine-tunes and evaluates on the target joint', async () => {
    const dir = tempDir('transfer');
    const before = tf.memory().numTensors;
    const report = await runExperiment({
      name: 'transfer',
      outputDir: dir,
      seed: 4,
      data: { cases: 3, shape: [16, 16, 8], emptyFraction: 0 },
      network: { inputSize: [16, 16], depth: 1, filters: 4, attention: false },
      procedure: 'baseline',
      transfer: { from: 'shoulder', to: 'ankle', pretrainEpochs: 2, fineTuneEpochs: 1 },
      learningRate: 1e-2,
      batchSize: 8,
      closingRadius: 1,
      folds: [0],
    });
    expect(tf.memory().numTensors).toBe(before);
    expect(Object.keys(report.cases[0]!.structures).sort()).toEqual(['calcaneus', 'talus', 'tibia']);
    const summary = JSON.parse(readFileSync(join(dir, 'fold-0/transfer.json'), 'utf8'));
    expect(summary).toMatchObject({ from: 'shoulder', to: 'ankle', pretrainEpochs: 2, sourceCases: ['shoulder_001', 'shoulder_002', 'shoulder_003'] });
    expect(summary.copied.length).toBeGreaterThan(0);
    expect(summary.reinitialized).toHaveLength(1);
    const state = (sub: string): { history: unknown[] } => {
      const ckpt = join(dir, 'fold-0', sub);
      return JSON.parse(readFileSync(join(ckpt, JSON.parse(readFileSync(join(ckpt, 'latest.json'), 'utf8')).checkpoint, 'state.json'), 'utf8'));
    };
    expect(state('pretrain').history).toHaveLength(2);
    expect(state('checkpoints').history).toHaveLength(1);
    expect(existsSync(join(dir, 'fold-0/learning_curves.svg'))).toBe(true);
  });

  it('validates the transfer field', () => {
    const base = { name: 'x', outputDir: '/tmp/x', data: { cases: 3 } };
    const r = resolveExperimentConfig({ ...base, epochs: 3, transfer: { from: 'knee', to: 'ankle', fineTuneEpochs: 5 } });
    expect(r.data.domain).toBe('ankle');
    expect(r.epochs).toBe(5);
    expect(r.transfer).toEqual({ from: 'knee', to: 'ankle', pretrainEpochs: 3 });
    expect(() => resolveExperimentConfig({ ...base, transfer: { from: 'knee', to: 'knee' } })).toThrow(TrainConfigError);
    expect(() => resolveExperimentConfig({ ...base, transfer: { from: 'hip' as never, to: 'knee' } })).toThrow(/transfer.from must be one of/);
    expect(() => resolveExperimentConfig({ ...base, data: { cases: 3, domain: 'shoulder' }, transfer: { from: 'knee', to: 'ankle' } })).toThrow(/contradicts transfer.to/);
    expect(() => resolveExperimentConfig({ ...base, transfer: { from: 'knee', to: 'ankle', pretrainEpochs: 0 } })).toThrow(/pretrainEpochs/);
  });
});
