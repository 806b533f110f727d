import { beforeAll, describe, expect, it, vi } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import type { Tensor } from '@tensorflow/tfjs-core';
import type { SliceSet } from '@pedseg/data';
import type * as Recalibration from '../src/engine/recalibrate_batch_norm.js';
import type * as Procedures from '../src/procedures.js';
import type { LayersModel } from '@tensorflow/tfjs-layers';
import { runExperiment } from '@pedseg/train';
import { jointMaskBatches } from '../src/experiment/multi_domain.js';
import { tempDir, tinyAnkleExperiment, useCpu } from './helpers.js';

// The frozen shape encoders run in inference mode inside the shape prior, SPAR and MJAP, so the runner
// recalibrates their batch-norm statistics after pre-training (recalibrate_batch_norm.test.ts tests the
// function itself). These tests check that wiring: which model is recalibrated, on what data.
const calls = vi.hoisted(() => [] as Array<{ model: string; samples: number; channels: number[]; domains: number[] }>);
/** Samples the auto-encoder pre-training stepped on, per network: one epoch sees every training slice once. */
const pretrained = vi.hoisted(() => new Map<string, number>());

vi.mock('../src/procedures.js', async (importOriginal) => {
  const actual = await importOriginal<typeof Procedures>();
  return {
    ...actual,
    autoEncoderStep: (...args: Parameters<typeof actual.autoEncoderStep>) => {
      const [, network, options] = args;
      pretrained.set(network, (pretrained.get(network) ?? 0) + options.masks.shape[0]!);
      return actual.autoEncoderStep(...args);
    },
  };
});

vi.mock('../src/engine/recalibrate_batch_norm.js', async (importOriginal) => {
  const actual = await importOriginal<typeof Recalibration>();
  return {
    ...actual,
    recalibrateBatchNorm: (model: LayersModel, batches: Iterable<Tensor | Tensor[]>) => {
      const record = { model: model.name, samples: 0, channels: [] as number[], domains: [] as number[] };
      // Record each batch while the real function consumes it (batches are disposed once consumed).
      function* observed(): Generator<Tensor | Tensor[]> {
        for (const batch of batches) {
          const inputs = Array.isArray(batch) ? batch : [batch];
          record.samples += inputs[0]!.shape[0]!;
          record.channels.push(inputs[0]!.shape[3]!);
          if (inputs[1] !== undefined) record.domains.push(...(inputs[1].dataSync() as Int32Array));
          yield batch;
        }
      }
      const result = actual.recalibrateBatchNorm(model, observed());
      calls.push(record);
      return result;
    },
  };
});

beforeAll(useCpu);

describe('batch-norm recalibration of pre-trained shape encoders', () => {
  it('combined regularization: the auto-encoder, over every training label map', async () => {
    calls.length = 0;
    pretrained.clear();
    await runExperiment(tinyAnkleExperiment(tempDir('recal-combined'), { procedure: 'combined-regularization', lambda1: 0.1, lambda2: 0, autoEncoderEpochs: 1 }));
    expect(calls).toHaveLength(1);
    const call = calls[0]!;
    // Multi strategy: one auto-encoder on all C + 1 channels (background + the ankle's bones).
    expect(call.channels.every((c) => c === call.channels[0] && c > 1)).toBe(true);
    // Every training slice once: as many as one pre-training epoch stepped on.
    expect(call.samples).toBe(pretrained.get('autoencoder'));
  });

  it('individual strategy: one recalibration per bone, on that bone\'s masks only', async () => {
    calls.length = 0;
    pretrained.clear();
    await runExperiment(tinyAnkleExperiment(tempDir('recal-individual'), { procedure: 'combined-regularization', strategy: 'individual', lambda1: 0.1, lambda2: 0, autoEncoderEpochs: 1 }));
    // One auto-encoder per bone (`autoencoder-s<c>`), each recalibrated on one-channel masks of all training slices.
    expect(calls).toHaveLength(pretrained.size);
    expect(calls.length).toBeGreaterThan(1);
    for (const call of calls) {
      expect(call.channels.every((c) => c === 1)).toBe(true);
      expect(call.samples).toBe(pretrained.get('autoencoder-s0'));
    }
  });

  it('multi-domain DSL with MJAP: the multi-joint auto-encoder, per joint with its domain index', async () => {
    calls.length = 0;
    pretrained.clear();
    await runExperiment({
      ...tinyAnkleExperiment(tempDir('recal-mtmd'), { domainStrategy: 'dsl', lambda2: 0.5, lambda3: 0.1, autoEncoderEpochs: 1 }),
      data: { domains: ['ankle', 'shoulder'], cases: 3, shape: [16, 16, 8], emptyFraction: 0 },
    });
    expect(calls).toHaveLength(1);
    const call = calls[0]!;
    // Both joints, every sample tagged with its joint's domain index, joints in order (one joint per batch).
    expect(new Set(call.domains)).toEqual(new Set([0, 1]));
    expect(call.domains).toHaveLength(call.samples);
    expect([...call.domains].sort((a, b) => a - b)).toEqual(call.domains);
  });
});

describe('jointMaskBatches', () => {
  const pool = (labels: number[][]): SliceSet => ({
    height: 1,
    width: 2,
    count: labels.length,
    images: new Float32Array(labels.length * 2),
    labels: Uint8Array.from(labels.flat()),
    sliceIndices: Int32Array.from(labels.map((_, i) => i)),
    caseIds: labels.map(() => 'c'),
  });

  it('yields every slice of every pool once, one-hot over maxClasses, with its pool index, in batches of at most batchSize', () => {
    const pools = [pool([[0, 1], [2, 0], [1, 1]]), pool([[3, 0]])];
    const seen: Array<{ masks: number[][][][]; domains: number[] }> = [];
    for (const [masks, domains] of jointMaskBatches(pools, 4, 2)) {
      seen.push({ masks: masks!.arraySync() as number[][][][], domains: Array.from(domains!.dataSync()) });
    }
    expect(seen.map((b) => b.domains)).toEqual([[0, 0], [0], [1]]);
    const oneHot = (v: number): number[] => [0, 1, 2, 3].map((c) => (c === v ? 1 : 0));
    expect(seen[0]!.masks).toEqual([[[oneHot(0), oneHot(1)]], [[oneHot(2), oneHot(0)]]]);
    expect(seen[1]!.masks).toEqual([[[oneHot(1), oneHot(1)]]]);
    expect(seen[2]!.masks).toEqual([[[oneHot(3), oneHot(0)]]]);
  });

  it('disposes each batch once the next is drawn', () => {
    const before = tf.memory().numTensors;
    for (const batch of jointMaskBatches([pool([[0, 1], [1, 0], [0, 0]])], 2, 1)) expect(batch).toHaveLength(2);
    expect(tf.memory().numTensors).toBe(before);
  });
});
