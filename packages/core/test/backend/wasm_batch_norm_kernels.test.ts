import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import * as tfl from '@tensorflow/tfjs-layers';
import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '@pedseg/core';
import { expectParity, relativeError, runOn, seeded } from './parity_helpers.js';
import { withRunner } from '../../src/backend/kernels/kernel_runner.js';
import { conv2DFilterGradient } from '../../src/backend/kernels/conv2d_backprop_filter.js';
import { leadingAxesCount } from '../../src/backend/kernels/leading_axes_reduce.js';
import { repeatsAlongLeadingAxes } from '../../src/backend/kernels/broadcast_binary.js';

// The wasm kernels behind the batch-norm chain (leading-axes Sum/Mean as average pooling, broadcasting
// element-wise ops on an expanded operand, FusedBatchNorm as scale-and-shift) and the filter gradient's
// row convolution, against the cpu backend. Shapes are above the fast paths' size thresholds (4096
// elements, 64 reduced) unless a case tests the fallback.
const TOLERANCE = 1e-4;

function tensor(shape: number[], seed: number, offset = 0): tf.Tensor {
  return tf.tensor(
    seeded(shape.reduce((a, b) => a * b, 1), seed).map((v) => v + offset),
    shape,
  );
}

beforeAll(async () => {
  const result = await initBackend({ backend: 'wasm', threads: 1 });
  expect(result.backend).toBe('wasm');
});

describe('shape predicates', () => {
  it('leadingAxesCount: only the first k < rank axes, in any order', () => {
    expect(leadingAxesCount([0, 1, 2], 4)).toBe(3);
    expect(leadingAxesCount([2, 0, 1], 4)).toBe(3);
    expect(leadingAxesCount([0], 2)).toBe(1);
    expect(leadingAxesCount([1, 2], 4)).toBe(0);
    expect(leadingAxesCount([0, 1, 2, 3], 4)).toBe(0);
    expect(leadingAxesCount([], 4)).toBe(0);
  });

  it('repeatsAlongLeadingAxes: a suffix of the output shape after leading 1s', () => {
    expect(repeatsAlongLeadingAxes([16], [4, 8, 8, 16])).toBe(true);
    expect(repeatsAlongLeadingAxes([1, 1, 1, 16], [4, 8, 8, 16])).toBe(true);
    expect(repeatsAlongLeadingAxes([8, 16], [4, 8, 8, 16])).toBe(true);
    expect(repeatsAlongLeadingAxes([4, 1, 1, 16], [4, 8, 8, 16])).toBe(false);
    expect(repeatsAlongLeadingAxes([1, 8, 8, 1], [4, 8, 8, 16])).toBe(false);
    expect(repeatsAlongLeadingAxes([2, 8, 8, 16], [8, 8, 16])).toBe(false);
  });
});

describe('Sum and Mean over leading axes match the cpu backend', () => {
  const cases: Array<{ shape: number[]; axes: number[]; keepDims: boolean }> = [
    { shape: [4, 16, 16, 8], axes: [0, 1, 2], keepDims: false }, // batch-norm moments
    { shape: [4, 16, 16, 8], axes: [2, 0, 1], keepDims: true },
    { shape: [300, 7], axes: [0], keepDims: false },
    { shape: [5, 20, 6, 3], axes: [0, 1], keepDims: true }, // kept part is [6, 3]
    { shape: [4, 16, 16, 8], axes: [1, 2], keepDims: false }, // not leading: native kernel
    { shape: [3, 5, 2], axes: [0, 1], keepDims: false }, // 15 < 64 reduced: native kernel
  ];
  it.each(cases)('shape $shape, axes $axes, keepDims $keepDims', async (c) => {
    // An offset makes the sums large against their rounding error, as activations' moments are.
    await expectParity(() => [tf.sum(tensor(c.shape, 61, 0.5), c.axes, c.keepDims), tf.mean(tensor(c.shape, 62, -0.25), c.axes, c.keepDims)]);
  });

  it('leaves int32 to the native kernel', async () => {
    await tf.setBackend('wasm');
    const ints = tf.tensor2d(
      Array.from({ length: 200 }, (_, i) => i),
      [100, 2],
      'int32',
    );
    const sum = tf.sum(ints, 0);
    expect(sum.dtype).toBe('int32');
    expect(Array.from(await sum.data())).toEqual([9900, 10000]);
    tf.dispose([ints, sum]);
  });
});

describe('broadcasting element-wise kernels match the cpu backend', () => {
  const ops: Array<[string, (a: tf.Tensor, b: tf.Tensor) => tf.Tensor]> = [
    ['add', tf.add],
    ['sub', tf.sub],
    ['mul', tf.mul],
    ['div', tf.div],
  ];
  const shapes: Array<[number[], number[]]> = [
    [[4, 16, 16, 8], [8]],
    [[4, 16, 16, 8], [1, 1, 1, 8]],
    [[1, 16, 16, 8], [16, 8]],
    [[4, 16, 16, 8], [1, 16, 16, 1]], // along channels: native kernel
    [[4, 16, 16, 8], []], // scalar: native kernel
    [[2, 4, 8], [8]], // 64 < 4096 elements: native kernel
  ];
  for (const [name, op] of ops) {
    it.each(shapes)(`${name}: full %j with %j, both operand orders`, async (full, small) => {
      // Divisors kept away from zero.
      await expectParity(() => [op(tensor(full, 63), tensor(small, 64, 2)), op(tensor(small, 65, 2), tensor(full, 66, 3))]);
    });
  }

  it('frees its expanded operand', async () => {
    await tf.setBackend('wasm');
    const backend = tf.backend();
    const x = tensor([4, 16, 16, 8], 67);
    const v = tensor([8], 68);
    tf.mul(x, v).dispose();
    const before = backend.numDataIds();
    tf.mul(x, v).dispose();
    expect(backend.numDataIds()).toBe(before);
    tf.dispose([x, v]);
  });
});

describe('FusedBatchNorm matches the cpu backend', () => {
  const x = [4, 16, 16, 8];
  it.each([
    { stat: [8], scale: true, offset: true },
    { stat: [1, 1, 1, 8], scale: true, offset: false },
    { stat: [8], scale: false, offset: true },
    { stat: [8], scale: false, offset: false },
  ])('statistics $stat, scale $scale, offset $offset', async (c) => {
    await expectParity(() =>
      tf.batchNorm(
        tensor(x, 70, 1.5),
        tensor(c.stat, 71, 1.5),
        tf.abs(tensor(c.stat, 72, 0.5)),
        c.offset ? tensor(c.stat, 73) : undefined,
        c.scale ? tensor(c.stat, 74, 1) : undefined,
        1e-3,
      ),
    );
  });
});

describe('a training-mode batch norm layer: outputs and gradients match the cpu backend', () => {
  it('conv → batch norm (training) → ReLU, gradients of input, kernel, γ and β', async () => {
    const body = (): tf.Tensor[] => {
      const conv = tfl.layers.conv2d({ filters: 8, kernelSize: 3, padding: 'same', useBias: false, kernelInitializer: tfl.initializers.glorotUniform({ seed: 3 }) });
      const bn = tfl.layers.batchNormalization({ gammaInitializer: tfl.initializers.randomUniform({ minval: 0.5, maxval: 1.5, seed: 4 }), betaInitializer: tfl.initializers.randomUniform({ minval: -0.5, maxval: 0.5, seed: 5 }) });
      const input = tf.variable(tensor([4, 16, 16, 3], 75, 0.3));
      const weight = tensor([4, 16, 16, 8], 76);
      const loss = (): tf.Scalar => tf.sum(tf.mul(tf.relu(bn.apply(conv.apply(input), { training: true }) as tf.Tensor), weight));
      loss(); // builds the layers
      const trainable = [input, ...conv.trainableWeights.map((w) => w.read()), ...bn.trainableWeights.map((w) => w.read())] as tf.Variable[];
      const { value, grads } = tf.variableGrads(loss, trainable);
      const out = [value, ...trainable.map((v) => grads[v.name]!)];
      for (const g of out.slice(1)) expect(tf.max(tf.abs(g)).dataSync()[0]).toBeGreaterThan(1e-3);
      tf.dispose([input, weight]);
      conv.dispose();
      bn.dispose();
      return out;
    };
    await expectParity(body);
  });
});

describe('the filter gradient as a row convolution matches the cpu backend', () => {
  type Shape4 = [number, number, number, number];
  const cases: Array<{ x: Shape4; filter: Shape4; pad: 'same' | 'valid' | number }> = [
    { x: [2, 7, 9, 5], filter: [3, 3, 5, 4], pad: 'same' },
    { x: [1, 8, 6, 6], filter: [2, 3, 6, 3], pad: 'valid' },
    { x: [3, 5, 7, 9], filter: [5, 4, 9, 2], pad: 'same' }, // asymmetric padding
    { x: [2, 6, 40, 3], filter: [3, 3, 3, 2], pad: 1 }, // long rows: copyWithin
  ];
  it.each(cases)('x $x, filter $filter, pad $pad', async (c) => {
    const x = tensor(c.x, 77);
    const dy = tf.tidy(() => tensor(tf.conv2d(tf.zeros(c.x) as tf.Tensor4D, tf.zeros(c.filter) as tf.Tensor4D, 1, c.pad).shape, 78));
    const expected = await runOn('cpu', () =>
      tf.engine().runKernel('Conv2DBackpropFilter', { x, dy }, { strides: [1, 1], pad: c.pad, dataFormat: 'NHWC', filterShape: c.filter } as unknown as tf.NamedAttrMap) as tf.Tensor,
    );
    await tf.setBackend('wasm');
    const backend = tf.backend();
    const xw = tf.tensor(await x.data(), x.shape);
    const dyw = tf.tensor(await dy.data(), dy.shape);
    const before = backend.numDataIds();
    const info = tf.backend_util.computeConv2DInfo(c.x, c.filter, 1, 1, c.pad, undefined, false, 'channelsLast');
    const out = tf.engine().makeTensorFromTensorInfo(withRunner(backend, 'wasm', (runner) => conv2DFilterGradient(runner, xw, dyw, info, 'rows')));
    expect(out.shape).toEqual(c.filter);
    expect(relativeError(Float32Array.from(await out.data()), expected[0]!)).toBeLessThan(TOLERANCE);
    out.dispose();
    expect(backend.numDataIds()).toBe(before);
    tf.dispose([xw, dyw, x, dy]);
  });
});
