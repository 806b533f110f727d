import { cpSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import type { SliceSet } from '@pedseg/data';
import { TrainConfigError, resolveExperimentConfig, runExperiment } from '@pedseg/train';
import { augmentedEntries, augmentedSlices } from '../src/experiment/augmentation.js';
import { tempDir, useCpu } from './helpers.js';

beforeAll(useCpu);

/** Four 8×8 slices: slice s has a bright block of label s + 1 whose position depends on s. */
function pool(): SliceSet {
  const H = 8;
  const W = 8;
  const images = new Float32Array(4 * H * W);
  const labels = new Uint8Array(4 * H * W);
  for (let s = 0; s < 4; s += 1) {
    for (let y = 1 + s; y < 4 + s; y += 1) {
      for (let x = 2; x < 6; x += 1) {
        images[s * H * W + y * W + x] = 1;
        labels[s * H * W + y * W + x] = s + 1;
      }
    }
  }
  return { height: H, width: W, count: 4, images, labels, sliceIndices: Int32Array.from([0, 1, 2, 3]), caseIds: ['a', 'a', 'b', 'b'] };
}

function lastHistory(dir: string): { train: Record<string, number> }[] {
  const ckpt = join(dir, 'fold-0/checkpoints');
  const latest = JSON.parse(readFileSync(join(ckpt, 'latest.json'), 'utf8')).checkpoint as string;
  return JSON.parse(readFileSync(join(ckpt, latest, 'state.json'), 'utf8')).history;
}

describe('training-time augmentation', () => {
  it('warps image and labels alike, as a function of (seed, epoch, batch) only', () => {
    const set = pool();
    const before = tf.memory().numTensors;
    const a = augmentedSlices(set, [3, 1], 'combReg', 5, 2, 7);
    const again = augmentedSlices(set, [3, 1], 'combReg', 5, 2, 7);
    const other = augmentedSlices(set, [3, 1], 'combReg', 5, 2, 8);
    expect(tf.memory().numTensors).toBe(before);
    expect(a.count).toBe(2);
    expect(a.caseIds).toEqual(['b', 'a']);
    expect(Array.from(a.labels)).toEqual(Array.from(again.labels));
    expect(Array.from(a.images)).toEqual(Array.from(again.images));
    expect(Array.from(a.labels)).not.toEqual(Array.from(other.labels));
    // Nearest-neighbour labels: only the slice's own label or background survive.
    expect(new Set(a.labels.subarray(0, 64))).toEqual(new Set([0, 4]));
    expect([...new Set(a.labels.subarray(64))].every((l) => l === 0 || l === 2)).toBe(true);
    // Geometry is shared: a labelled pixel is bright in the bilinear image (within interpolation).
    for (let i = 0; i < a.labels.length; i += 1) if (a.labels[i]! > 0) expect(a.images[i]!).toBeGreaterThan(0.2);
    // The identity preset returns the slices unchanged.
    const none = augmentedSlices(set, [3, 1], 'none', 5, 2, 7);
    expect(Array.from(none.labels)).toEqual([...set.labels.subarray(192, 256), ...set.labels.subarray(64, 128)]);
  });

  it('renumbers multi-domain entries into per-joint augmented pools', () => {
    const set = pool();
    const out = augmentedEntries([set, set], [{ domain: 1, slice: 2 }, { domain: 0, slice: 0 }, { domain: 1, slice: 3 }], 'none', 1, 0, 0);
    expect(out.entries).toEqual([{ domain: 1, slice: 0 }, { domain: 0, slice: 0 }, { domain: 1, slice: 1 }]);
    expect(out.pools.map((p) => p.count)).toEqual([1, 2]);
    expect(out.pools[1]!.labels[2 * 8 + 3]).toBe(0);
    expect(out.pools[1]!.labels[3 * 8 + 3]).toBe(3);
  });

  it('runExperiment: a run resumed from a checkpoint replays the augmented batches; augmentation changes them', async () => {
    const base = {
      name: 'aug',
      seed: 2,
      data: { domain: 'shoulder' as const, cases: 3, shape: [16, 16, 8] as [number, number, number], emptyFraction: 0 },
      network: { inputSize: [16, 16] as [number, number], depth: 1, filters: 4, attention: false },
      procedure: 'baseline' as const,
      learningRate: 1e-2,
      batchSize: 8,
      closingRadius: 1,
      folds: [0],
      augmentation: 'combReg' as const,
    };
    // The models' initializers are not seeded, so runs are compared from one shared checkpoint: one
    // epoch, then three copies of the folder each continue to epoch 2.
    const first = tempDir('aug-first');
    await runExperiment({ ...base, outputDir: first, epochs: 1 });
    const copies = [tempDir('aug-a'), tempDir('aug-b'), tempDir('aug-plain')];
    for (const c of copies) cpSync(first, c, { recursive: true });
    await runExperiment({ ...base, outputDir: copies[0]!, epochs: 2 });
    await runExperiment({ ...base, outputDir: copies[1]!, epochs: 2 });
    await runExperiment({ ...base, outputDir: copies[2]!, epochs: 2, augmentation: false });
    const [a, b, plain] = copies.map(lastHistory);
    expect(a).toHaveLength(2);
    expect(a![1]!.train).toEqual(b![1]!.train);
    expect(a![0]!.train).toEqual(plain![0]!.train);
    expect(a![1]!.train['segmentation.crossEntropy']).not.toBe(plain![1]!.train['segmentation.crossEntropy']);
  });

  it('validates the augmentation field', () => {
    const base = { name: 'x', outputDir: '/tmp/x', data: { domain: 'ankle' as const, cases: 3 } };
    expect(resolveExperimentConfig(base).augmentation).toBe(false);
    expect(resolveExperimentConfig({ ...base, augmentation: 'mtmd' }).augmentation).toBe('mtmd');
    expect(() => resolveExperimentConfig({ ...base, augmentation: 'rotate' as never })).toThrow(TrainConfigError);
    expect(() => resolveExperimentConfig({ ...base, augmentation: true as never })).toThrow(/augmentation must be false or one of 'combReg'/);
  });
});
