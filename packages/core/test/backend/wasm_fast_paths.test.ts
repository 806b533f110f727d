import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '@pedseg/core';
import { expectParity, relativeError, runOn, seeded } from './parity_helpers.js';
import { withRunner } from '../../src/backend/kernels/kernel_runner.js';
import { conv2DFilterGradient } from '../../src/backend/kernels/conv2d_backprop_filter.js';

// The wasm fast paths that the generic kernel tests do not reach: SplitV's and Concat's heap copies and the filter
// gradient's matrix-product path forced at any channel count, against the cpu backend.
const TOLERANCE = 1e-4;

function tensor(shape: number[], seed: number): tf.Tensor {
  return tf.tensor(seeded(shape.reduce((a, b) => a * b, 1), seed), shape);
}

beforeAll(async () => {
  const result = await initBackend({ backend: 'wasm', threads: 1 });
  expect(result.backend).toBe('wasm');
});

interface SplitCase {
  shape: number[];
  splits: number | number[];
  axis: number;
}
const splitCases: SplitCase[] = [
  { shape: [2, 8, 8, 64], splits: [32, 32], axis: 3 }, // concatenate's gradient: copyWithin runs
  { shape: [2, 5, 6, 7], splits: [3, 4], axis: -1 }, // short runs: element loop
  { shape: [3, 4, 5, 6], splits: [1, -1, 2], axis: 1 }, // inferred size, inner axis
  { shape: [6, 4, 3], splits: 3, axis: 0 }, // equal parts along the outermost axis
];

describe('wasm SplitV matches the cpu backend', () => {
  it.each(splitCases)('shape $shape, splits $splits, axis $axis', async (c) => {
    await expectParity(() => tf.split(tensor(c.shape, 46), c.splits, c.axis));
  });

  it('leaves int32 to the original kernel and frees nothing it should keep', async () => {
    await tf.setBackend('wasm');
    const ints = tf.tensor2d([1, 2, 3, 4, 5, 6], [2, 3], 'int32');
    const [left, right] = tf.split(ints, [1, 2], 1) as [tf.Tensor, tf.Tensor];
    expect(Array.from(await left.data())).toEqual([1, 4]);
    expect(Array.from(await right.data())).toEqual([2, 3, 5, 6]);
    const backend = tf.backend();
    const x = tensor([2, 4, 4, 64], 47);
    tf.dispose(tf.split(x, 2, 3));
    const before = backend.numDataIds();
    tf.dispose(tf.split(x, 2, 3));
    expect(backend.numDataIds()).toBe(before);
    tf.dispose([ints, left, right, x]);
  });
});

const concatCases: Array<{ shapes: number[][]; axis: number }> = [
  { shapes: [[2, 8, 8, 32], [2, 8, 8, 32]], axis: 3 }, // skip connection: copyWithin runs
  { shapes: [[2, 5, 6, 3], [2, 5, 6, 4], [2, 5, 6, 1]], axis: -1 }, // short runs: element loop
  { shapes: [[3, 2, 5], [3, 4, 5]], axis: 1 },
  { shapes: [[2, 3], [4, 3], [0, 3]], axis: 0 }, // an empty part is skipped
];

describe('wasm Concat matches the cpu backend', () => {
  it.each(concatCases)('shapes $shapes, axis $axis', async (c) => {
    await expectParity(() => tf.concat(c.shapes.map((shape, i) => tensor(shape, 50 + i)), c.axis));
  });

  it('leaves int32 to the original kernel and frees nothing it should keep', async () => {
    await tf.setBackend('wasm');
    const ints = tf.concat([tf.tensor2d([1, 2], [2, 1], 'int32'), tf.tensor2d([3, 4], [2, 1], 'int32')], 1);
    expect(Array.from(await ints.data())).toEqual([1, 3, 2, 4]);
    const backend = tf.backend();
    const a = tensor([2, 4, 4, 32], 48);
    const b = tensor([2, 4, 4, 16], 49);
    tf.dispose(tf.concat([a, b], 3));
    const before = backend.numDataIds();
    tf.dispose(tf.concat([a, b], 3));
    expect(backend.numDataIds()).toBe(before);
    tf.dispose([ints, a, b]);
  });
});

describe('the filter gradient as a matrix product matches the cpu backend at any channel count', () => {
  type Shape4 = [number, number, number, number];
  const cases: Array<{ x: Shape4; filter: Shape4; pad: 'same' | 'valid' }> = [
    { x: [2, 7, 9, 5], filter: [3, 3, 5, 4], pad: 'same' },
    { x: [1, 8, 6, 6], filter: [2, 3, 6, 3], pad: 'valid' },
    { x: [2, 5, 7, 9], filter: [3, 3, 9, 2], pad: 'same' },
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
    const info = tf.backend_util.computeConv2DInfo(c.x, c.filter, 1, 1, c.pad, undefined, false, 'channelsLast');
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
