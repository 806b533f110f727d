import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '@pedseg/core';
import { relativeError, runOn, seeded } from './parity_helpers.js';
import { withRunner } from '../../src/backend/kernels/kernel_runner.js';
import { conv2DFilterGradient } from '../../src/backend/kernels/conv2d_backprop_filter.js';

// The wasm Sum/Mean overrides (a matrix product with a row of ones over leading axes) and the forced
// matrix-product path of the filter gradient, against the cpu backend.
const TOLERANCE = 1e-4;

function tensor(shape: number[], seed: number): tf.Tensor {
  return tf.tensor(seeded(shape.reduce((a, b) => a * b, 1), seed), shape);
}

async function expectParity(body: () => tf.Tensor | tf.Tensor[]): Promise<void> {
  const expected = await runOn('cpu', body);
  const actual = await runOn('wasm', body);
  expect(actual.length).toBe(expected.length);
  actual.forEach((values, i) => expect(relativeError(values, expected[i]!)).toBeLessThan(TOLERANCE));
}

beforeAll(async () => {
  const result = await initBackend({ backend: 'wasm', threads: 1 });
  expect(result.backend).toBe('wasm');
});

interface ReductionCase {
  shape: number[];
  axis: number[];
  keepDims: boolean;
}
const reductionCases: ReductionCase[] = [
  { shape: [4, 16, 16, 8], axis: [0, 1, 2], keepDims: false }, // batch-norm moments: matrix product
  { shape: [4, 16, 16, 8], axis: [2, 0, 1], keepDims: true }, // unsorted axes, kept dimensions
  { shape: [2, 20, 20, 3], axis: [0, 1], keepDims: false }, // leading axes, two kept axes
  { shape: [600, 5], axis: [0], keepDims: true },
  { shape: [4, 16, 16, 8], axis: [1, 2], keepDims: false }, // not leading: original kernel
  { shape: [3, 4, 5], axis: [0, 1], keepDims: false }, // too small: original kernel
  { shape: [300, 2], axis: [-2], keepDims: false }, // negative axis
];

describe('wasm Sum and Mean over leading axes match the cpu backend', () => {
  it.each(reductionCases)('Sum and Mean: shape $shape, axis $axis, keepDims $keepDims', async (c) => {
    await expectParity(() => {
      const x = tf.add(tensor(c.shape, 41), 0.25);
      return [tf.sum(x, c.axis, c.keepDims), tf.mean(x, c.axis, c.keepDims)];
    });
  });

  it('keeps the output shape and leaves integer sums to the original kernel', async () => {
    await tf.setBackend('wasm');
    const x = tensor([4, 16, 16, 8], 42);
    expect(tf.sum(x, [0, 1, 2], true).shape).toEqual([1, 1, 1, 8]);
    expect(tf.mean(x, [0, 1, 2]).shape).toEqual([8]);
    const ints = tf.ones([20, 20, 3], 'int32');
    expect(Array.from(await tf.sum(ints, [0, 1]).data())).toEqual([400, 400, 400]);
    tf.dispose([x, ints]);
  });

  it('frees every intermediate buffer of the backend', async () => {
    await tf.setBackend('wasm');
    const x = tensor([4, 16, 16, 8], 43);
    const backend = tf.backend();
    const run = () => tf.tidy(() => [tf.sum(x, [0, 1, 2]), tf.mean(x, [0, 1, 2], true)]);
    tf.dispose(run());
    const before = backend.numDataIds();
    tf.dispose(run());
    expect(backend.numDataIds()).toBe(before);
    tf.dispose(x);
  });
});

describe('the filter gradient as a matrix product matches the cpu backend at any channel count', () => {
  const cases = [
    { x: [2, 7, 9, 5], filter: [3, 3, 5, 4], pad: 'same' as const },
    { x: [1, 8, 6, 6], filter: [2, 3, 6, 3], pad: 'valid' as const },
    { x: [2, 5, 7, 9], filter: [3, 3, 9, 2], pad: 'same' as const },
  ];
  it.each(cases)('x $x, filter $filter, pad $pad', async (c) => {
    const x = tensor(c.x, 44);
    const dy = tf.tidy(() => tensor(tf.conv2d(tf.zeros(c.x) as tf.Tensor4D, tf.zeros(c.filter) as tf.Tensor4D, 1, c.pad).shape, 45));
    const expected = await runOn('cpu', () =>
      tf.engine().runKernel('Conv2DBackpropFilter', { x, dy }, { strides: [1, 1], pad: c.pad, dataFormat: 'NHWC', filterShape: c.filter } as unknown as tf.NamedAttrMap) as tf.Tensor,
    );
    await tf.setBackend('wasm');
    const backend = tf.backend();
    const before = backend.numDataIds();
    const info = tf.backend_util.computeConv2DInfo(c.x as [number, number, number, number], c.filter as [number, number, number, number], 1, 1, c.pad, undefined, false, 'channelsLast');
    const xw = tf.tensor(await x.data(), x.shape);
    const dyw = tf.tensor(await dy.data(), dy.shape);
    const out = tf.engine().makeTensorFromTensorInfo(withRunner(backend, 'wasm', (runner) => conv2DFilterGradient(runner, xw, dyw, info, 'matMul')));
    expect(out.shape).toEqual(c.filter);
    expect(relativeError(Float32Array.from(await out.data()), expected[0]!)).toBeLessThan(TOLERANCE);
    tf.dispose([out, xw, dyw]);
    expect(backend.numDataIds()).toBe(before);
    tf.dispose([x, dy]);
  });
});
