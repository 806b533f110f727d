import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { beforeAll, describe, expect, it } from 'vitest';
import { WASM_TRAINING_KERNELS, initBackend } from '@pedseg/core';
import { relativeError, runOn, seeded } from './parity_helpers.js';

// Each registered wasm kernel against the cpu backend's own implementation, called through
// engine().runKernel with identical inputs. Tolerance: 1e-4 relative to the reference's magnitude.
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

function runKernel(name: string, inputs: Record<string, tf.Tensor>, attrs: Record<string, unknown>): tf.Tensor {
  return tf.engine().runKernel(name, inputs, attrs as unknown as tf.NamedAttrMap) as tf.Tensor;
}

type Pad = 'same' | 'valid' | number;
interface ConvCase {
  x: [number, number, number, number];
  filter: [number, number, number, number];
  stride: number;
  pad: Pad;
}

const conv2dCases: ConvCase[] = [
  { x: [2, 7, 9, 3], filter: [3, 3, 3, 5], stride: 1, pad: 'same' },
  { x: [2, 7, 9, 3], filter: [3, 3, 3, 5], stride: 1, pad: 'valid' },
  { x: [2, 7, 9, 3], filter: [3, 3, 3, 5], stride: 2, pad: 'same' },
  { x: [2, 8, 8, 3], filter: [3, 3, 3, 4], stride: 2, pad: 'same' },
  { x: [3, 9, 7, 2], filter: [3, 3, 2, 4], stride: 2, pad: 'valid' },
  { x: [1, 11, 10, 2], filter: [5, 4, 2, 3], stride: 3, pad: 'same' },
  { x: [2, 6, 7, 3], filter: [3, 3, 3, 2], stride: 1, pad: 1 },
  { x: [2, 8, 6, 4], filter: [2, 2, 4, 3], stride: 2, pad: 'valid' },
  { x: [2, 9, 7, 4], filter: [2, 2, 4, 3], stride: 2, pad: 'valid' },
  { x: [2, 8, 6, 4], filter: [2, 2, 4, 3], stride: 2, pad: 'same' },
  { x: [2, 5, 5, 3], filter: [1, 1, 3, 6], stride: 1, pad: 'same' },
  // Stride 1 with one input channel (the filter gradient's matrix-product path, asymmetric 'same'
  // padding) and with more channels than that path takes (the convolution identity).
  { x: [2, 6, 5, 1], filter: [4, 3, 1, 3], stride: 1, pad: 'same' },
  { x: [1, 9, 8, 1], filter: [3, 3, 1, 2], stride: 1, pad: 2 },
  { x: [2, 6, 6, 6], filter: [3, 3, 6, 4], stride: 1, pad: 'same' },
];

beforeAll(async () => {
  const result = await initBackend({ backend: 'wasm', threads: 1 });
  expect(result.backend).toBe('wasm');
});

describe('wasm training kernels match the cpu backend', () => {
  it('registers every training kernel for wasm', () => {
    for (const name of WASM_TRAINING_KERNELS) expect(tf.getKernel(name, 'wasm')).toBeDefined();
  });

  it.each(conv2dCases)('Conv2DBackpropFilter: x $x, filter $filter, stride $stride, pad $pad', async (c) => {
    const outShape = tf.tidy(() => tf.conv2d(tf.zeros(c.x) as tf.Tensor4D, tf.zeros(c.filter) as tf.Tensor4D, c.stride, c.pad).shape);
    await expectParity(() =>
      runKernel('Conv2DBackpropFilter', { x: tensor(c.x, 1), dy: tensor(outShape, 2) }, { strides: [c.stride, c.stride], pad: c.pad, dataFormat: 'NHWC', filterShape: c.filter }),
    );
  });

  it.each(conv2dCases)('Conv2DBackpropInput: x $x, filter $filter, stride $stride, pad $pad', async (c) => {
    const outShape = tf.tidy(() => tf.conv2d(tf.zeros(c.x) as tf.Tensor4D, tf.zeros(c.filter) as tf.Tensor4D, c.stride, c.pad).shape);
    await expectParity(() =>
      runKernel('Conv2DBackpropInput', { dy: tensor(outShape, 3), filter: tensor(c.filter, 4) }, { strides: [c.stride, c.stride], pad: c.pad, dataFormat: 'NHWC', inputShape: c.x }),
    );
  });

  it('conv2d gradients through tf.grads (both inputs), and conv2dTranspose forward', async () => {
    for (const c of conv2dCases.slice(0, 4)) {
      await expectParity(() => {
        const f = (x: tf.Tensor, w: tf.Tensor) => tf.sum(tf.mul(tf.conv2d(x as tf.Tensor4D, w as tf.Tensor4D, c.stride, c.pad), 0.5));
        return tf.grads(f)([tensor(c.x, 5), tensor(c.filter, 6)]);
      });
    }
    await expectParity(() => tf.conv2dTranspose(tensor([2, 4, 5, 6], 7) as tf.Tensor4D, tensor([2, 2, 3, 6], 8) as tf.Tensor4D, [2, 8, 10, 3], 2, 'same'));
  });

  interface DepthwiseCase {
    x: [number, number, number, number];
    filter: [number, number, number, number];
    stride: number;
    pad: 'same' | 'valid';
    dilation: number;
  }
  const depthwiseCases: DepthwiseCase[] = [
    { x: [2, 7, 9, 3], filter: [3, 3, 3, 1], stride: 1, pad: 'same', dilation: 1 },
    { x: [2, 7, 9, 3], filter: [3, 3, 3, 2], stride: 1, pad: 'valid', dilation: 1 },
    { x: [2, 7, 9, 3], filter: [3, 3, 3, 2], stride: 2, pad: 'same', dilation: 1 },
    { x: [3, 9, 8, 2], filter: [3, 2, 2, 3], stride: 2, pad: 'valid', dilation: 1 },
    { x: [2, 9, 9, 2], filter: [3, 3, 2, 2], stride: 1, pad: 'same', dilation: 2 },
    { x: [1, 11, 10, 3], filter: [3, 3, 3, 1], stride: 1, pad: 'valid', dilation: 3 },
  ];

  /** The filter with (dilation − 1) zeros between taps: a dilated depthwise conv is an ordinary one with it. */
  function dilateFilter(values: Float32Array, shape: [number, number, number, number], d: number): tf.Tensor {
    const [kh, kw, c, m] = shape;
    const eh = (kh - 1) * d + 1;
    const ew = (kw - 1) * d + 1;
    const out = new Float32Array(eh * ew * c * m);
    for (let i = 0; i < kh; i++) for (let j = 0; j < kw; j++) for (let k = 0; k < c * m; k++) out[((i * d) * ew + j * d) * c * m + k] = values[(i * kw + j) * c * m + k]!;
    return tf.tensor(out, [eh, ew, c, m]);
  }

  it.each(depthwiseCases)('DepthwiseConv2dNativeBackpropFilter and BackpropInput: x $x, filter $filter, stride $stride, pad $pad, dilation $dilation', async (c) => {
    const outShape = tf.tidy(
      () => tf.depthwiseConv2d(tf.zeros(c.x) as tf.Tensor4D, tf.zeros(c.filter) as tf.Tensor4D, c.stride, c.pad, 'NHWC', c.dilation).shape,
    );
    const attrs = { strides: [c.stride, c.stride], dilations: [c.dilation, c.dilation], pad: c.pad };
    const filterValues = seeded(c.filter.reduce((a, b) => a * b, 1), 12);
    const actual = await runOn('wasm', () => [
      runKernel('DepthwiseConv2dNativeBackpropFilter', { x: tensor(c.x, 9), dy: tensor(outShape, 10) }, { ...attrs, filterShape: c.filter }),
      runKernel('DepthwiseConv2dNativeBackpropInput', { dy: tensor(outShape, 11), filter: tf.tensor(filterValues, c.filter) }, { ...attrs, inputShape: c.x }),
    ]);
    // The cpu kernels ignore `dilations` (tfjs' gradient never passes one > 1), so the reference uses
    // the explicitly dilated filter with dilation 1 and keeps every d-th tap of its filter gradient.
    const d = c.dilation;
    const dilatedShape: [number, number, number, number] = [(c.filter[0] - 1) * d + 1, (c.filter[1] - 1) * d + 1, c.filter[2], c.filter[3]];
    const plain = { strides: [c.stride, c.stride], dilations: [1, 1], pad: c.pad };
    const expected = await runOn('cpu', () => [
      tf.stridedSlice(
        runKernel('DepthwiseConv2dNativeBackpropFilter', { x: tensor(c.x, 9), dy: tensor(outShape, 10) }, { ...plain, filterShape: dilatedShape }),
        [0, 0, 0, 0],
        dilatedShape,
        [d, d, 1, 1],
      ),
      runKernel('DepthwiseConv2dNativeBackpropInput', { dy: tensor(outShape, 11), filter: dilateFilter(filterValues, c.filter, d) }, { ...plain, inputShape: c.x }),
    ]);
    actual.forEach((values, i) => expect(relativeError(values, expected[i]!)).toBeLessThan(TOLERANCE));
    if (d > 1) return;
    // And through the op's gradient, which is how training reaches these kernels.
    await expectParity(() =>
      tf.grads((x: tf.Tensor, w: tf.Tensor) => tf.sum(tf.square(tf.depthwiseConv2d(x as tf.Tensor4D, w as tf.Tensor4D, c.stride, c.pad))))([
        tensor(c.x, 13),
        tensor(c.filter, 14),
      ]),
    );
  });

  it('UnsortedSegmentSum: float and int32 data, out-of-range ids dropped', async () => {
    await expectParity(() => [
      tf.unsortedSegmentSum(tensor([7, 3], 15), tf.tensor1d([0, 2, 2, 1, 3, 0, 2], 'int32'), 4),
      tf.cast(tf.unsortedSegmentSum(tf.tensor2d([[1, 2], [3, 4], [5, 6]], [3, 2], 'int32'), tf.tensor1d([1, 1, 0], 'int32'), 2), 'float32'),
      tf.unsortedSegmentSum(tensor([4, 2], 17), tf.tensor1d([0, 5, -1, 1], 'int32'), 3),
    ]);
    // gather's gradient is UnsortedSegmentSum.
    await expectParity(() => tf.grad((t: tf.Tensor) => tf.sum(tf.square(tf.gather(t, tf.tensor1d([3, 0, 3, 1], 'int32')))))(tensor([5, 3], 18)));
  });

  it('BatchMatMul with every transpose combination, batch broadcast', async () => {
    const outputs = () => {
      const results: tf.Tensor[] = [];
      for (const transposeA of [false, true]) {
        for (const transposeB of [false, true]) {
          const a = tensor(transposeA ? [2, 5, 3] : [2, 3, 5], 19);
          const b = tensor(transposeB ? [1, 4, 5] : [1, 5, 4], 20);
          results.push(tf.matMul(a, b, transposeA, transposeB));
        }
      }
      results.push(tf.matMul(tensor([6, 7], 21), tensor([6, 3], 22), true, false));
      return results;
    };
    await expectParity(outputs);
  });

  type Shape5 = [number, number, number, number, number];
  const conv3dCases: Array<{ x: Shape5; filter: Shape5; stride: number; pad: 'same' | 'valid' }> = [
    { x: [2, 5, 6, 4, 3], filter: [3, 3, 3, 3, 4], stride: 1, pad: 'same' },
    { x: [1, 5, 4, 6, 2], filter: [3, 3, 3, 2, 3], stride: 1, pad: 'valid' },
    { x: [1, 7, 6, 5, 2], filter: [3, 2, 3, 2, 3], stride: 2, pad: 'valid' },
    { x: [2, 6, 5, 7, 2], filter: [3, 3, 3, 2, 2], stride: 2, pad: 'same' },
    { x: [1, 4, 6, 4, 3], filter: [2, 2, 2, 3, 2], stride: 2, pad: 'valid' },
  ];
  it.each(conv3dCases)('Conv3D, Conv3DBackpropInputV2 and FilterV2 (native wasm kernels are wrong or slow): x $x, filter $filter, stride $stride, pad $pad', async (c) => {
    const outShape = tf.tidy(() => tf.conv3d(tf.zeros(c.x) as tf.Tensor5D, tf.zeros(c.filter) as tf.Tensor5D, c.stride, c.pad).shape);
    const attrs = { strides: [c.stride, c.stride, c.stride], pad: c.pad };
    await expectParity(() => [
      tf.conv3d(tensor(c.x, 25) as tf.Tensor5D, tensor(c.filter, 26) as tf.Tensor5D, c.stride, c.pad),
      runKernel('Conv3DBackpropFilterV2', { x: tensor(c.x, 25), dy: tensor(outShape, 27) }, { ...attrs, filterShape: c.filter }),
      runKernel('Conv3DBackpropInputV2', { dy: tensor(outShape, 27), filter: tensor(c.filter, 26) }, { ...attrs, inputShape: c.x }),
      ...tf.grads((x: tf.Tensor, w: tf.Tensor) => tf.sum(tf.square(tf.conv3d(x as tf.Tensor5D, w as tf.Tensor5D, c.stride, c.pad))))([
        tensor(c.x, 25),
        tensor(c.filter, 26),
      ]),
    ]);
  });

  it('native wasm pooling and resize gradients match (not overridden)', async () => {
    await expectParity(() => [
      tf.grad((x: tf.Tensor) => tf.sum(tf.square(tf.maxPool3d(x as tf.Tensor5D, 2, 2, 'valid'))))(tensor([2, 4, 6, 4, 3], 29)),
      tf.grad((x: tf.Tensor) => tf.sum(tf.square(tf.avgPool3d(x as tf.Tensor5D, 2, 2, 'same'))))(tensor([1, 5, 4, 3, 2], 30)),
      tf.grad((x: tf.Tensor) => tf.sum(tf.square(tf.avgPool(x as tf.Tensor4D, 3, 2, 'same'))))(tensor([2, 7, 5, 3], 32)),
      // Square: tfjs' cpu ResizeBilinearGrad mixes up height and width for non-square images.
      tf.grad((x: tf.Tensor) => tf.sum(tf.square(tf.image.resizeBilinear(x as tf.Tensor4D, [9, 9]))))(tensor([2, 4, 4, 2], 33)),
    ]);
  });

  const maxPoolCases: Array<{ x: number[]; size: number; stride: number; pad: 'same' | 'valid' }> = [
    { x: [2, 6, 8, 3], size: 2, stride: 2, pad: 'valid' },
    { x: [2, 8, 8, 3], size: 2, stride: 2, pad: 'valid' },
    { x: [2, 7, 5, 3], size: 2, stride: 2, pad: 'valid' },
    { x: [1, 9, 6, 2], size: 3, stride: 3, pad: 'valid' },
    { x: [1, 7, 9, 2], size: 2, stride: 2, pad: 'same' },
    { x: [2, 7, 5, 3], size: 3, stride: 2, pad: 'same' },
    { x: [1, 9, 6, 2], size: 3, stride: 1, pad: 'same' },
    { x: [3, 5, 7, 1], size: 3, stride: 2, pad: 'valid' },
  ];
  it.each(maxPoolCases)('MaxPoolGrad (native wasm kernel misplaces gradients): x $x, size $size, stride $stride, pad $pad', async (c) => {
    await expectParity(() => tf.grad((x: tf.Tensor) => tf.sum(tf.square(tf.maxPool(x as tf.Tensor4D, c.size, c.stride, c.pad))))(tensor(c.x, 31)));
  });

  it('MaxPoolGrad gives ties to the first element of the window, as the cpu backend does', async () => {
    // After a ReLU whole windows are 0: exactly one element per window may receive the gradient.
    await expectParity(() => tf.grad((x: tf.Tensor) => tf.sum(tf.maxPool(tf.relu(x) as tf.Tensor4D, 2, 2, 'valid')))(tf.sub(tensor([2, 6, 4, 3], 34), 0.8)));
  });

  it('frees every intermediate tensor', async () => {
    await tf.setBackend('wasm');
    const x = tensor([2, 8, 8, 3], 23);
    const w = tensor([3, 3, 3, 4], 24);
    const run = () => tf.tidy(() => tf.grads((a: tf.Tensor, b: tf.Tensor) => tf.sum(tf.conv2d(a as tf.Tensor4D, b as tf.Tensor4D, 2, 'same')))([x, w]));
    tf.dispose(run());
    const before = tf.memory();
    tf.dispose(run());
    const after = tf.memory();
    expect(after.numTensors).toBe(before.numTensors);
    expect(after.numBytes).toBe(before.numBytes);
    tf.dispose([x, w]);
  });
});
