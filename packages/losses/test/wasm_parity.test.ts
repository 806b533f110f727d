import * as tf from '@tensorflow/tfjs-core';
import * as core from '@pedseg/core';
import { afterAll, describe, expect, it } from 'vitest';
import {
  binaryCrossEntropy,
  categoricalCrossEntropy,
  conditionalDiscriminatorLoss,
  multiScaleContrastiveLoss,
  multiTaskCrossEntropy,
  shapePriorsLoss,
  softDiceLoss,
  supervisedContrastiveLoss,
} from '@pedseg/losses';
import { useCpu } from './helpers.js';

// cpu ↔ wasm parity, using @pedseg/core's initBackend to get the wasm backend (with its training
// kernels). If core cannot provide wasm in this environment the suite is skipped with the reason.

async function tryWasm(): Promise<string | undefined> {
  const init = (core as { initBackend?: (o: { backend: string; threads?: number }) => Promise<unknown> }).initBackend;
  if (typeof init !== 'function') return '@pedseg/core does not export initBackend';
  try {
    await init({ backend: 'wasm', threads: 1 });
    return tf.getBackend() === 'wasm' ? undefined : `initBackend left backend ${tf.getBackend()}`;
  } catch (e) {
    return `initBackend({ backend: 'wasm' }) failed: ${(e as Error).message}`;
  }
}

/** Values and a few gradient entries of every loss, from plain-array inputs. */
function compute(): number[] {
  return tf.tidy(() => {
    const n = (shape: number[], seed: number): tf.Tensor => {
      const size = shape.reduce((a, b) => a * b, 1);
      return tf.tensor(Array.from({ length: size }, (_, i) => Math.sin(seed * 7.1 + i * 1.3)), shape);
    };
    const y = tf.tensor(Array.from({ length: 2 * 4 * 4 * 3 }, (_, i) => (Math.floor(i / 3) % 3 === i % 3 ? 1 : 0)), [2, 4, 4, 3]);
    const logits = n([2, 4, 4, 3], 1);
    const p = tf.softmax(logits);
    const W = n([48, 5], 2);
    const F = (x: tf.Tensor): tf.Tensor => tf.tanh(tf.matMul(tf.reshape(x, [2, 48]), W));
    const emb = n([6, 4], 3) as tf.Tensor2D;
    const dom = [0, 1, 0, 1, 2, 2];
    const maps = [n([6, 3, 3, 4], 4), n([6, 2, 2, 5], 5)];
    const out: number[] = [
      categoricalCrossEntropy(y, logits, { fromLogits: true }),
      binaryCrossEntropy(y, logits, { fromLogits: true }),
      multiTaskCrossEntropy(y, p, [0, 1], [3, 2]),
      softDiceLoss(y, p),
      shapePriorsLoss(y, p, F),
      conditionalDiscriminatorLoss(logits, n([2, 4, 4, 3], 6), { fromLogits: true }),
      supervisedContrastiveLoss(emb, dom),
      multiScaleContrastiveLoss(maps, dom),
    ].map((s) => s.dataSync()[0] as number);
    const g1 = tf.grad((x: tf.Tensor) => categoricalCrossEntropy(y, x, { fromLogits: true }))(logits);
    const g2 = tf.grad((x: tf.Tensor) => supervisedContrastiveLoss(x as tf.Tensor2D, dom))(emb);
    const g3 = tf.grad((x: tf.Tensor) => shapePriorsLoss(y, x, F))(p);
    return [...out, ...Array.from(g1.dataSync()).slice(0, 8), ...Array.from(g2.dataSync()).slice(0, 8), ...Array.from(g3.dataSync()).slice(0, 8)];
  });
}

await useCpu();
const onCpu = compute();
const skipReason = await tryWasm();

afterAll(useCpu);

describe.skipIf(skipReason !== undefined)(`cpu ↔ wasm parity${skipReason ? ` (skipped: ${skipReason})` : ''}`, () => {
  it('values and gradients agree to float32 tolerance', () => {
    const onWasm = compute();
    expect(onWasm.length).toBe(onCpu.length);
    onWasm.forEach((v, i) => {
      const c = onCpu[i] as number;
      expect(Math.abs(v - c)).toBeLessThanOrEqual(1e-5 + 1e-4 * Math.abs(c));
    });
  });
});
