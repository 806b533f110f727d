import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '@pedseg/core';
import { setProductFloatLimit } from '../../src/backend/kernels/winograd/winograd_heap.js';
import { relativeError, runOn, seeded } from './parity_helpers.js';

// The Winograd filter gradient of 3×3 stride-1 convolutions (dU = Vᵀ·(A dY Aᵀ), dW = Gᵀ dU G;
// winograd_filter_gradient.ts) against the cpu backend, and against the wasm backend's other filter
// gradient methods (PEDSEG_WINOGRAD=0): where it applies, its values must differ from theirs (it ran)
// while both match cpu. It applies from 64 tiles (batch · ⌈oh/4⌉ · ⌈ow/4⌉) on.

beforeAll(async () => {
  await initBackend({ backend: 'wasm', threads: 1 });
});

const tensor = (shape: number[], seed: number): tf.Tensor => tf.tensor(seeded(shape.reduce((a, b) => a * b, 1), seed), shape);

/** dL/dfilter of L = Σ conv(x, f) ⊙ r, the upstream gradient r making every output position count differently. */
function filterGradient(xShape: number[], cout: number, pad: Parameters<typeof tf.conv2d>[3], seed: number): () => tf.Tensor {
  return () => {
    const x = tensor(xShape, seed) as tf.Tensor4D;
    const f = tensor([3, 3, xShape[3]!, cout], seed + 1) as tf.Tensor4D;
    const y = tf.conv2d(x, f, 1, pad);
    const r = tensor(y.shape, seed + 2);
    return tf.grad((fi: tf.Tensor) => tf.sum(tf.mul(tf.conv2d(x, fi as tf.Tensor4D, 1, pad), r)))(f);
  };
}

async function nativeOn(body: () => tf.Tensor): Promise<Float32Array[]> {
  process.env['PEDSEG_WINOGRAD'] = '0';
  try {
    return await runOn('wasm', body);
  } finally {
    delete process.env['PEDSEG_WINOGRAD'];
  }
}

const cases: Array<{ name: string; x: number[]; cout: number; pad: Parameters<typeof tf.conv2d>[3] }> = [
  { name: "same, 2×32×32, 16 → 16 (128 tiles)", x: [2, 32, 32, 16], cout: 16, pad: 'same' },
  { name: 'same, odd 33×30 (partial tiles), 32 → 20', x: [1, 33, 30, 32], cout: 20, pad: 'same' },
  { name: 'valid, batch 4, 17×19, 16 → 32', x: [4, 17, 19, 16], cout: 32, pad: 'valid' },
  { name: 'explicit asymmetric padding, batch 3, 24 → 16', x: [3, 24, 26, 24], cout: 16, pad: [[0, 0], [2, 0], [0, 1], [0, 0]] },
  { name: 'padding 2 (output larger than the input), 16 → 16', x: [1, 30, 30, 16], cout: 16, pad: 2 },
];

describe('Winograd filter gradient on wasm', () => {
  it.each(cases)('$name matches cpu and differs from the other methods', async ({ x, cout, pad }) => {
    const body = filterGradient(x, cout, pad, 7);
    const [cpu] = await runOn('cpu', body);
    const [winograd] = await runOn('wasm', body);
    const [native] = await nativeOn(body);
    expect(relativeError(winograd!, cpu!)).toBeLessThan(2e-5);
    expect(relativeError(native!, cpu!)).toBeLessThan(2e-5);
    expect(winograd!.some((v, i) => v !== native![i])).toBe(true);
  });

  it('below 64 tiles the other methods run (bit-identical with and without Winograd)', async () => {
    // 1 × 7 × 7 tiles = 49 < 64.
    const body = filterGradient([1, 28, 28, 16], 16, 'same', 11);
    const [withOverride] = await runOn('wasm', body);
    const [native] = await nativeOn(body);
    expect(withOverride).toEqual(native);
  });

  it('leaves no tensors behind over repeated training-like steps', async () => {
    await tf.setBackend('wasm');
    const x = tensor([2, 32, 32, 16], 3) as tf.Tensor4D;
    const f = tf.variable(tensor([3, 3, 16, 16], 4));
    const optimizer = tf.train.sgd(1e-3);
    const step = (): void => {
      const loss = optimizer.minimize(() => tf.sum(tf.square(tf.conv2d(x, f as unknown as tf.Tensor4D, 1, 'same'))), true);
      if (loss !== null) loss.dispose();
    };
    step();
    const before = { tensors: tf.memory().numTensors, buffers: tf.engine().backend.numDataIds() };
    for (let i = 0; i < 4; i++) step();
    expect(tf.memory().numTensors).toBe(before.tensors);
    expect(tf.engine().backend.numDataIds()).toBe(before.buffers);
    tf.dispose([x, f]);
    optimizer.dispose();
  });
});

describe('Winograd in batch chunks (bounded product operands)', () => {
  it('forward and filter gradient over 2 + 2 + 1 batch items equal the unchunked results', async () => {
    // Per batch item 36 · 64 tiles · (16 + 16) channels = 73,728 floats; a bound of 2 items' worth
    // splits a batch of 5 into chunks of 2, 2 and 1 (the last one shorter).
    const body = (): tf.Tensor[] => {
      const x = tensor([5, 32, 32, 16], 21) as tf.Tensor4D;
      const f = tensor([3, 3, 16, 16], 22) as tf.Tensor4D;
      const r = tensor([5, 32, 32, 16], 23);
      const loss = (fi: tf.Tensor): tf.Scalar => tf.sum(tf.mul(tf.conv2d(x, fi as tf.Tensor4D, 1, 'same'), r));
      const { value, grad } = tf.valueAndGrad(loss)(f);
      return [tf.conv2d(x, f, 1, 'same'), value, grad];
    };
    const whole = await runOn('wasm', body);
    const previous = setProductFloatLimit(2 * 36 * 64 * 32);
    let chunked: Float32Array[];
    try {
      chunked = await runOn('wasm', body);
    } finally {
      setProductFloatLimit(previous);
    }
    const [cpu] = [await runOn('cpu', body)];
    chunked.forEach((values, i) => expect(relativeError(values, cpu[i]!), `output ${i}`).toBeLessThan(2e-5));
    // Chunking changes only the order of the filter gradient's sum, not the forward values.
    expect(chunked[0]).toEqual(whole[0]);
    expect(relativeError(chunked[2]!, whole[2]!)).toBeLessThan(1e-5);
  });
});
