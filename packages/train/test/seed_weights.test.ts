import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import * as tfl from '@tensorflow/tfjs-layers';
import { beforeAll, describe, expect, it } from 'vitest';
import { seedInitialWeights } from '@pedseg/train';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

function tinyModel(): tfl.LayersModel {
  const input = tfl.input({ shape: [8, 8, 1] });
  const conv = tfl.layers.conv2d({ filters: 4, kernelSize: 3, padding: 'same', useBias: true }).apply(input) as tfl.SymbolicTensor;
  const bn = tfl.layers.batchNormalization().apply(conv) as tfl.SymbolicTensor;
  const out = tfl.layers.conv2d({ filters: 2, kernelSize: 1 }).apply(bn) as tfl.SymbolicTensor;
  return tfl.model({ inputs: input, outputs: out });
}

const values = (m: tfl.LayersModel): Float32Array[] => m.getWeights().map((w) => w.dataSync() as Float32Array);

describe('seedInitialWeights', () => {
  it('gives identical random weights for the same seed, different ones for another seed, and keeps constants', () => {
    const a = tinyModel();
    const b = tinyModel();
    const c = tinyModel();
    const before = values(a);
    // Weights in order: kernel, bias, gamma, beta, kernel, bias, moving mean, moving variance; only the kernels are random.
    expect(seedInitialWeights(a, 7)).toBe(2);
    seedInitialWeights(b, 7);
    seedInitialWeights(c, 8);
    const [va, vb, vc] = [values(a), values(b), values(c)];
    va.forEach((w, i) => expect(Array.from(w)).toEqual(Array.from(vb[i]!)));
    expect(Array.from(va[0]!)).not.toEqual(Array.from(vc[0]!));
    // Constant weights untouched; random ones keep their scale (Glorot-uniform limit sqrt(6 / (9 + 36)) for 3×3, 1 → 4).
    [1, 2, 3, 5, 6, 7].forEach((i) => expect(Array.from(va[i]!)).toEqual(Array.from(before[i]!)));
    const limit = Math.sqrt(6 / (9 * 1 + 9 * 4));
    expect(Math.max(...Array.from(va[0]!, Math.abs))).toBeLessThan(limit * 1.6);
    expect(Math.max(...Array.from(va[0]!, Math.abs))).toBeGreaterThan(limit * 0.3);
    [a, b, c].forEach((m) => m.dispose());
  });
});
