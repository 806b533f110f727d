import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { createVolume } from '@pedseg/volume';
import { buildAttentionUNet, buildUNet, predictVolume, type SegmentationNetwork } from '@pedseg/models';
import { expectClose, rand, seeded, useCpu } from './helpers.js';

beforeAll(useCpu);

const tiny = { inputSize: [16, 16] as [number, number], depth: 2, filters: 4, numStructures: 2 };

/** Non-trivial batch-norm statistics, so folding changes the weights it produces. */
function randomizeNorms(net: SegmentationNetwork): void {
  for (const w of net.model.weights) {
    if (w.originalName.endsWith('moving_mean') || w.originalName.endsWith('/beta')) w.write(rand(w.shape as number[], 6));
    if (w.originalName.endsWith('moving_variance') || w.originalName.endsWith('/gamma')) w.write(tf.tidy(() => tf.add(tf.abs(rand(w.shape as number[], 7)), 0.5)));
  }
}

const volume = createVolume(Float32Array.from(seeded(12 * 10 * 3, 21), (v) => 50 + 10 * v), [12, 10, 3], { spacing: [1, 1, 2] });

describe('predictVolume with a SegmentationNetwork', () => {
  it('predicts with the batch-norm-folded copy: same probabilities as the model, no tensor left behind', async () => {
    const net = buildAttentionUNet(tiny);
    randomizeNorms(net);
    const unfolded = await predictVolume(net.model, volume, { batchSize: 2 });
    const before = tf.memory().numTensors;
    const folded = await predictVolume(net, volume, { batchSize: 2 });
    expect(tf.memory().numTensors).toBe(before);
    expect(folded.numChannels).toBe(unfolded.numChannels);
    expectClose(folded.data, unfolded.data, 1e-4, 1e-3);
    // foldBatchNorm: false runs the network's own model, bit for bit.
    const plain = await predictVolume(net, volume, { batchSize: 2, foldBatchNorm: false });
    expect(Array.from(plain.data)).toEqual(Array.from(unfolded.data));
    net.model.dispose();
  });

  it('runs a network that cannot be folded (DSL) as it is', async () => {
    const net = buildUNet({ ...tiny, domains: { strategy: 'dsl', classCounts: [2, 2] } });
    const direct = await predictVolume(net.model, volume, { domain: 1 });
    const viaNetwork = await predictVolume(net, volume, { domain: 1 });
    expect(Array.from(viaNetwork.data)).toEqual(Array.from(direct.data));
    net.model.dispose();
  });
});
