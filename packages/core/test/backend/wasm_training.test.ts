import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { beforeAll, describe, expect, it } from 'vitest';
import { BackendUnavailableError, initBackend, type InitBackendResult } from '@pedseg/core';
import { buildReferenceUNet } from '../../bench/reference_unet.js';
import { relativeError, seeded } from './parity_helpers.js';

// A small UNet of the reference architecture, trained on wasm (one thread). Its weights are seeded
// because an unlucky random initialization once kept the loss above 0.9 × its start after 12 steps;
// seeds 1–11 end 25 steps at 0.72–0.82 × the start. PEDSEG_TEST_SEED probes other initializations.
const SEED = Number(process.env.PEDSEG_TEST_SEED ?? 11);
let init: InitBackendResult;

beforeAll(async () => {
  init = await initBackend({ env: {}, threads: 1 });
});

function batch(seed: number): { x: tf.Tensor4D; y: tf.Tensor4D } {
  return tf.tidy(() => {
    const x = tf.tensor4d(seeded(2 * 16 * 16, seed), [2, 16, 16, 1]);
    // Labels depend on the image so that the loss can fall: class = quantised intensity.
    const classes = tf.cast(tf.clipByValue(tf.floor(tf.mul(tf.add(x, 1), 2)), 0, 3), 'int32');
    return { x, y: tf.cast(tf.oneHot(tf.reshape(classes, [2, 16, 16]), 4), 'float32') as tf.Tensor4D };
  });
}

describe('training on wasm', () => {
  it('chooses wasm automatically when no tensorflow package resolves, and says so', () => {
    expect(init.backend).toBe('wasm');
    expect(init.threads).toBe(1);
    expect(init.skipped.map((s) => s.backend)).toEqual(['tensorflow']);
    expect(init.skipped[0]!.error).toBeInstanceOf(BackendUnavailableError);
    expect(init.reason).toMatch(/^wasm .*skipped tensorflow/);
  });

  it('gives the cpu backend’s gradients for every weight of a small UNet (training-mode batch norm)', async () => {
    const model = buildReferenceUNet({ height: 16, width: 16, widths: [4, 8], compile: false });
    const { x, y } = batch(1);
    const gradients = async (backend: string) => {
      await tf.setBackend(backend);
      const { grads } = tf.variableGrads(() =>
        tf.tidy(() => tf.neg(tf.mean(tf.sum(tf.mul(y, tf.log(tf.add(model.apply(x, { training: true }) as tf.Tensor, 1e-7))), -1))) as tf.Scalar),
      );
      const out: Record<string, Float32Array> = {};
      for (const [name, g] of Object.entries(grads)) out[name] = Float32Array.from(await g.data());
      tf.dispose(Object.values(grads));
      return out;
    };
    const expected = await gradients('cpu');
    const actual = await gradients('wasm');
    expect(Object.keys(actual).sort()).toEqual(Object.keys(expected).sort());
    expect(Object.keys(actual).length).toBe(model.trainableWeights.length);
    for (const name of Object.keys(expected)) {
      expect(relativeError(actual[name]!, expected[name]!), name).toBeLessThan(1e-4);
    }
    tf.dispose([x, y]);
    model.dispose();
  });

  it('runs full training steps with a flat tensor count and a falling loss', async () => {
    await tf.setBackend('wasm');
    const model = buildReferenceUNet({ height: 16, width: 16, widths: [4, 8], seed: SEED });
    const { x, y } = batch(2);
    const losses: number[] = [];
    const counts: number[] = [];
    for (let step = 0; step < 25; step++) {
      losses.push((await model.trainOnBatch(x, y)) as number);
      counts.push(tf.memory().numTensors);
    }
    // The optimizer creates its slots on the first step; from then on nothing may accumulate.
    expect(new Set(counts.slice(1)).size).toBe(1);
    expect(losses.every(Number.isFinite)).toBe(true);
    if (process.env.PEDSEG_TEST_SEED) console.log('loss ratio', SEED, losses[losses.length - 1]! / losses[0]!);
    expect(losses[losses.length - 1]!).toBeLessThan(0.9 * losses[0]!);
    tf.dispose([x, y]);
    model.dispose();
  });
});
