import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { beforeAll, describe, expect, it } from 'vitest';
import { createVolume } from '@pedseg/volume';
import { ModelInputError, buildUNet, predictVolume } from '@pedseg/models';
import { expectClose, seeded, useCpu } from './helpers.js';

beforeAll(useCpu);

function identity(h: number, w: number): tfl.LayersModel {
  const x = tfl.input({ shape: [h, w, 1] });
  return tfl.model({ inputs: x, outputs: tfl.layers.activation({ activation: 'linear' }).apply(x) as tfl.SymbolicTensor });
}

const shape = [5, 6, 4] as const;
const raw = Float32Array.from(seeded(5 * 6 * 4, 11), (v) => 100 + 20 * v);
const volume = createVolume(raw, [...shape], { spacing: [0.5, 0.7, 3] });
const mean = raw.reduce((s, v) => s + v, 0) / raw.length;
const std = Math.sqrt(raw.reduce((s, v) => s + (v - mean) ** 2, 0) / raw.length);
const normalized = raw.map((v) => (v - mean) / std);

describe('predictVolume', () => {
  it('identity network: every voxel comes back normalized, for each slice axis and a ragged last batch', async () => {
    const sizes: Record<number, [number, number]> = { 0: [4, 6], 1: [4, 5], 2: [6, 5] }; // [H, W] = [dims[b], dims[a]]
    for (const axis of [0, 1, 2] as const) {
      const before = tf.memory().numTensors;
      const p = await predictVolume(identity(...sizes[axis]!), volume, { sliceAxis: axis, batchSize: 3 });
      expect(tf.memory().numTensors).toBe(before);
      expect(p.numChannels).toBe(1);
      expectClose(p.data, normalized, 1e-5);
      expect(p.spacing).toEqual([0.5, 0.7, 3]);
      expect(p.channel(0).shape).toEqual([5, 6, 4]);
    }
    const m = await predictVolume(identity(6, 5), volume, { normalize: false });
    expectClose(m.data, raw, 1e-3);
  });

  it('slice orientation: W runs along the lower in-slice axis, H along the higher one', async () => {
    // 'same' 3×3 convolution whose only tap copies the left neighbour: out(h, w) = in(h, w − 1), 0 at w = 0.
    const shift = (h: number, w: number) => {
      const x = tfl.input({ shape: [h, w, 1] });
      const conv = tfl.layers.conv2d({ filters: 1, kernelSize: 3, padding: 'same', useBias: false });
      const model = tfl.model({ inputs: x, outputs: conv.apply(x) as tfl.SymbolicTensor });
      const k = new Float32Array(9);
      k[1 * 3 + 0] = 1; // kernel[row 1, col 0]: the pixel to the left
      conv.setWeights([tf.tensor4d(k, [3, 3, 1, 1])]);
      return model;
    };
    const dims = [5, 6, 4];
    const at = (x: number, y: number, z: number) => normalized[x + 5 * (y + 6 * z)]!;
    const cases: Array<[0 | 1 | 2, [number, number], (x: number, y: number, z: number) => number]> = [
      [2, [6, 5], (x, y, z) => (x === 0 ? 0 : at(x - 1, y, z))],
      [1, [4, 5], (x, y, z) => (x === 0 ? 0 : at(x - 1, y, z))],
      [0, [4, 6], (x, y, z) => (y === 0 ? 0 : at(x, y - 1, z))],
    ];
    for (const [axis, size, expected] of cases) {
      const p = await predictVolume(shift(...size), volume, { sliceAxis: axis });
      const want = new Float32Array(5 * 6 * 4);
      for (let z = 0; z < dims[2]!; z++) for (let y = 0; y < dims[1]!; y++) for (let x = 0; x < dims[0]!; x++) want[x + 5 * (y + 6 * z)] = expected(x, y, z);
      expectClose(p.data, want, 1e-5);
    }
  });

  it('resizes to the network size and back: softmax sums stay 1, a constant volume gives a constant result', async () => {
    const x = tfl.input({ shape: [8, 8, 1] });
    const y = tfl.layers.conv2d({ filters: 3, kernelSize: 1, activation: 'softmax' }).apply(x) as tfl.SymbolicTensor;
    const model = tfl.model({ inputs: x, outputs: y });
    const p = await predictVolume(model, volume, { batchSize: 2 });
    expect(p.numChannels).toBe(3);
    const N = 5 * 6 * 4;
    const sums = Array.from({ length: N }, (_, i) => p.data[i]! + p.data[N + i]! + p.data[2 * N + i]!);
    expectClose(sums, new Float32Array(N).fill(1), 1e-5);
    const flat = await predictVolume(model, createVolume(new Float32Array(N).fill(7), [5, 6, 4]));
    const c1 = flat.channel(1).data;
    expect(Math.max(...c1) - Math.min(...c1)).toBeLessThan(1e-6);
  });

  it('multi-domain networks get the domain input; bad options throw ModelInputError', async () => {
    const net = buildUNet({ inputSize: [8, 8], depth: 1, filters: 2, domains: { strategy: 'dsl', classCounts: [2, 3] } });
    const p = await predictVolume(net.model, volume, { domain: 1, batchSize: 4 });
    expect(p.numChannels).toBe(3);
    const N = 5 * 6 * 4;
    const sums = Array.from({ length: N }, (_, i) => p.data[i]! + p.data[N + i]! + p.data[2 * N + i]!);
    expectClose(sums, new Float32Array(N).fill(1), 1e-5);
    const d0 = await predictVolume(net.model, volume, { domain: 0 });
    expect(Math.max(...d0.channel(2).data)).toBe(0); // domain 0 has 2 classes: channel 2 is exactly 0
    await expect(predictVolume(net.model, volume)).rejects.toThrow(ModelInputError);
    await expect(predictVolume(net.model, volume, { domain: 5 })).rejects.toThrow(/out of range/);
    await expect(predictVolume(identity(6, 5), volume, { domain: 0 })).rejects.toThrow(/no domain input/);
    await expect(predictVolume(identity(6, 5), volume, { batchSize: 0 })).rejects.toThrow(/batchSize/);
    await expect(predictVolume(identity(6, 5), volume, { sliceAxis: 3 as 2 })).rejects.toThrow(/sliceAxis/);
    const bad = createVolume(Float32Array.from(raw).fill(NaN, 3, 4), [5, 6, 4]);
    await expect(predictVolume(identity(6, 5), bad)).rejects.toThrow(/voxel 3/);
  });
});
