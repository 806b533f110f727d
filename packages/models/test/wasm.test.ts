import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '@pedseg/core';
import { buildAttentionUNet, buildMultiJointAutoEncoder } from '@pedseg/models';
import { gradientNorms, rand, useCpu } from './helpers.js';

// Forward + backward on the wasm backend (with @pedseg/core's training kernels), checked against cpu.
describe('wasm backend: forward + backward agree with cpu', () => {
  beforeAll(useCpu);
  afterAll(useCpu);

  it('DSL Att-UNet and multi-joint auto-encoder', async () => {
    const unet = buildAttentionUNet({ inputSize: [16, 16], depth: 2, filters: 4, domains: { strategy: 'dsl', classCounts: [3, 2] } });
    const ae = buildMultiJointAutoEncoder({ inputSize: [16, 16], depth: 2, filters: 2, classCounts: [3, 2] });
    const cases = [
      { model: unet.fullModel, inputs: () => [rand([2, 16, 16, 1], 1), tf.tensor1d([1, 0], 'int32')] },
      { model: ae.fullModel, inputs: () => [rand([2, 16, 16, 3], 2), tf.tensor1d([0, 1], 'int32')] },
    ];
    const onCpu = cases.map((c) => {
      const inputs = c.inputs();
      const n = gradientNorms(c.model, inputs);
      tf.dispose(inputs);
      return n;
    });
    const started = await initBackend({ backend: 'wasm', threads: 1, onWarning: () => undefined });
    expect(started.backend).toBe('wasm');
    cases.forEach((c, i) => {
      const inputs = c.inputs();
      const before = tf.memory().numTensors;
      const n = gradientNorms(c.model, inputs);
      expect(tf.memory().numTensors).toBe(before);
      tf.dispose(inputs);
      for (const [name, g] of n) {
        const ref = onCpu[i]!.get(name)!;
        expect(Number.isFinite(g), name).toBe(true);
        expect(Math.abs(g - ref), name).toBeLessThanOrEqual(1e-3 * Math.max(1, ref));
      }
    });
    expect(tf.getBackend()).toBe('wasm');
  });
});
