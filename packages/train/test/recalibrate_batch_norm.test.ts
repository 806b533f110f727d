import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { beforeAll, describe, expect, it } from 'vitest';
import { DomainSpecificBatchNorm } from '@pedseg/core';
import { TrainConfigError, recalibrateBatchNorm } from '@pedseg/train';
import { tinySegmenter, useCpu } from './helpers.js';

beforeAll(useCpu);

/** Features [B, 3, 3, 2] → DSBN (K = 3, the statistics under test) → 1×1 conv → DSBN. */
function dsbnModel(): { model: tfl.LayersModel; first: DomainSpecificBatchNorm } {
  const x = tfl.input({ shape: [3, 3, 2] });
  const d = tfl.input({ shape: [1], dtype: 'int32' });
  const first = new DomainSpecificBatchNorm({ numDomains: 3, momentum: 0.99 });
  let h = first.apply([x, d]) as tfl.SymbolicTensor;
  h = tfl.layers.conv2d({ filters: 2, kernelSize: 1, kernelInitializer: tfl.initializers.glorotUniform({ seed: 3 }) }).apply(h) as tfl.SymbolicTensor;
  h = new DomainSpecificBatchNorm({ numDomains: 3 }).apply([h, d]) as tfl.SymbolicTensor;
  return { model: tfl.model({ inputs: [x, d], outputs: h }), first };
}

/** Biased per-channel mean and variance over every listed sample and position of channels-last data. */
function moments(samples: readonly Float32Array[], channels: number): { mean: number[]; variance: number[] } {
  const mean: number[] = [];
  const variance: number[] = [];
  for (let c = 0; c < channels; c += 1) {
    const v = samples.flatMap((s) => Array.from(s).filter((_, i) => i % channels === c));
    const m = v.reduce((a, b) => a + b, 0) / v.length;
    mean.push(m);
    variance.push(v.reduce((a, b) => a + (b - m) ** 2, 0) / v.length);
  }
  return { mean, variance };
}

const rowsOf = (t: tfl.LayerVariable): number[][] => t.read().arraySync() as number[][];

describe('recalibrateBatchNorm', () => {
  it('sets each domain row of a DSBN to the population moments of the data it saw, keeps absent domains, weights and momenta', () => {
    const { model, first } = dsbnModel();
    const [movingMean, movingVariance] = first.nonTrainableWeights as [tfl.LayerVariable, tfl.LayerVariable];
    // Marker values for domain 2, which no batch holds.
    movingMean.write(tf.tensor2d([[0, 0], [0, 0], [5, -5]]));
    movingVariance.write(tf.tensor2d([[1, 1], [1, 1], [7, 9]]));
    const trainable = model.trainableWeights.map((w) => w.read().dataSync().slice());
    // Mixed, unequal batches with shifted, scaled features per domain.
    const sample = (seed: number, shift: number, scale: number): Float32Array =>
      tf.tidy(() => tf.add(tf.mul(tf.randomNormal([3, 3, 2], 0, 1, 'float32', seed), scale), shift).dataSync() as Float32Array);
    const data: { x: Float32Array; k: number }[][] = [
      [{ x: sample(1, 2, 1), k: 0 }, { x: sample(2, 2, 1), k: 0 }, { x: sample(3, -1, 3), k: 1 }],
      [{ x: sample(4, -1, 3), k: 1 }, { x: sample(5, 2, 1), k: 0 }],
      [{ x: sample(6, 2, 1), k: 0 }],
    ];
    const batches = data.map((b) => [tf.tensor4d(b.flatMap((s) => Array.from(s.x)), [b.length, 3, 3, 2]), tf.tensor2d(b.map((s) => [s.k]), [b.length, 1], 'int32')]);
    const before = tf.memory().numTensors;
    const result = recalibrateBatchNorm(model, batches);
    expect(tf.memory().numTensors).toBe(before);
    expect(result).toEqual({ variables: 4, batches: 3 });

    const mean = rowsOf(movingMean);
    const variance = rowsOf(movingVariance);
    for (const k of [0, 1]) {
      const expected = moments(data.flat().filter((s) => s.k === k).map((s) => s.x), 2);
      for (let c = 0; c < 2; c += 1) {
        expect(mean[k]?.[c]).toBeCloseTo(expected.mean[c] as number, 4);
        expect(variance[k]?.[c]).toBeCloseTo(expected.variance[c] as number, 4);
      }
    }
    expect(mean[2]).toEqual([5, -5]);
    expect(variance[2]).toEqual([7, 9]);
    model.trainableWeights.forEach((w, i) => expect(Array.from(w.read().dataSync())).toEqual(Array.from(trainable[i] as Float32Array)));
    expect(first.momentum).toBe(0.99);
    tf.dispose(batches.flat());
  });

  it("sets a tfjs-layers BatchNormalization to its input's moments over all batches", () => {
    const model = tinySegmenter(5);
    const bn = model.layers.find((l) => l.getClassName() === 'BatchNormalization') as tfl.layers.Layer;
    const convOut = tfl.model({ inputs: model.inputs, outputs: model.layers[1]?.output as tfl.SymbolicTensor });
    const batches = [tf.randomNormal([2, 16, 16, 1], 1, 2, 'float32', 7), tf.randomNormal([3, 16, 16, 1], 1, 2, 'float32', 8)];
    // Nothing upstream of the BN normalizes, so its input is the same in both modes.
    const features = batches.map((b) => tf.tidy(() => (convOut.predict(b) as tf.Tensor).dataSync() as Float32Array));
    const expected = moments(features, 4);
    recalibrateBatchNorm(model, batches);
    const [m, v] = bn.nonTrainableWeights.map((w) => Array.from(w.read().dataSync()));
    expected.mean.forEach((e, c) => expect(m?.[c]).toBeCloseTo(e, 4));
    expected.variance.forEach((e, c) => expect(v?.[c]).toBeCloseTo(e, 3));
    expect((bn as unknown as { momentum: number }).momentum).toBe(0.99);
    tf.dispose(batches);
  });

  it('throws a TrainConfigError without batches', () => {
    expect(() => recalibrateBatchNorm(tinySegmenter(2), [])).toThrow(TrainConfigError);
  });
});
