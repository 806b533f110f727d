import { backend_util, type KernelFunc, type TensorInfo } from '@tensorflow/tfjs-core';
import { depthToSpace } from './conv2d_backprop_input.js';
import { type KernelRunner, withRunner } from './kernel_runner.js';

/** Attributes shared by tfjs' Conv3D backprop kernels. */
interface Conv3DBackpropAttrs {
  strides: [number, number, number] | number;
  pad: 'valid' | 'same';
}

type Shape5D = [number, number, number, number, number];

/**
 * Zero-inserts [N, D, H, W, C] by `s` along D, H and W: [N, D·s, H·s, W·s, C] with the values at
 * multiples of s (height and width as in 2D, then depth by a pad of a unit axis).
 */
function zeroInsert3D(runner: KernelRunner, x: TensorInfo, s: number): TensorInfo {
  if (s === 1) return x;
  const [n, d, h, w, c] = x.shape as Shape5D;
  const planes = runner.pad(runner.reshape(x, [n * d, h, w, c]), [
    [0, 0],
    [0, 0],
    [0, 0],
    [0, c * (s * s - 1)],
  ]);
  const spread = depthToSpace(runner, planes, s);
  const deep = runner.pad(runner.reshape(spread, [n, d, 1, h * s * w * s * c]), [
    [0, 0],
    [0, 0],
    [0, s - 1],
    [0, 0],
  ]);
  return runner.reshape(deep, [n, d * s, h * s, w * s, c]);
}

/** Pads (negative amounts crop) the three spatial axes of a 5D tensor. */
function padOrCrop3D(runner: KernelRunner, x: TensorInfo, pads: Array<[number, number]>): TensorInfo {
  let out = x;
  if (pads.some(([a, b]) => a < 0 || b < 0)) {
    const shape = out.shape as Shape5D;
    const begin = [0, ...pads.map(([a]) => Math.max(0, -a)), 0];
    const size = [shape[0], ...pads.map(([a, b], i) => shape[i + 1]! - Math.max(0, -a) - Math.max(0, -b)), shape[4]];
    out = runner.slice(out, begin, size);
  }
  if (pads.some(([a, b]) => a > 0 || b > 0)) {
    out = runner.pad(out, [[0, 0], ...pads.map(([a, b]): [number, number] => [Math.max(0, a), Math.max(0, b)]), [0, 0]]);
  }
  return out;
}

/**
 * 3D convolution as KD 2D convolutions (depth taps become batch slices) summed: tfjs-wasm's native
 * Conv3D runs at ≈0.4 GF/s against ≈15 GF/s for its XNNPACK 2D convolution. Equal strides, no dilation.
 */
export function conv3dVia2D(
  runner: KernelRunner,
  x: TensorInfo,
  filter: TensorInfo,
  stride: number,
  pads: { front: number; back: number; top: number; bottom: number; left: number; right: number },
): TensorInfo {
  const [n, d, h, w, inC] = x.shape as Shape5D;
  const [kd, kh, kw, , outC] = filter.shape as Shape5D;
  const depth = d + pads.front + pads.back;
  const outD = Math.floor((depth - kd) / stride) + 1;
  const xPad = pads.front > 0 || pads.back > 0 ? runner.pad(x, [[0, 0], [pads.front, pads.back], [0, 0], [0, 0], [0, 0]]) : x;
  let total: TensorInfo | undefined;
  for (let i = 0; i < kd; i++) {
    const planes =
      stride === 1
        ? runner.slice(xPad, [0, i, 0, 0, 0], [n, outD, h, w, inC])
        : runner.run(
            'StridedSlice',
            { x: xPad },
            {
              begin: [0, i, 0, 0, 0],
              end: [n, i + (outD - 1) * stride + 1, h, w, inC],
              strides: [1, stride, 1, 1, 1],
              beginMask: 0,
              endMask: 0,
              ellipsisMask: 0,
              newAxisMask: 0,
              shrinkAxisMask: 0,
            },
          );
    const tap = runner.reshape(runner.slice(filter, [i, 0, 0, 0, 0], [1, kh, kw, inC, outC]), [kh, kw, inC, outC]);
    const out = runner.run(
      'Conv2D',
      { x: runner.reshape(planes, [n * outD, h, w, inC]), filter: tap },
      {
        strides: [stride, stride],
        pad: [
          [0, 0],
          [pads.top, pads.bottom],
          [pads.left, pads.right],
          [0, 0],
        ],
        dilations: [1, 1],
        dataFormat: 'NHWC',
      },
    );
    total = total === undefined ? out : runner.run('Add', { a: total, b: out });
  }
  const [, oh, ow] = total!.shape as [number, number, number, number];
  return runner.reshape(total!, [n, outD, oh, ow, outC]);
}

/**
 * `Conv3D` for tfjs-wasm through {@link conv3dVia2D}; falls back to the native kernel for dilations
 * or unequal strides.
 */
export function makeConv3D(backendName: string): KernelFunc {
  return ({ inputs, backend, attrs }) =>
    withRunner(backend, backendName, (runner) => {
      const { x, filter } = inputs as { x: TensorInfo; filter: TensorInfo };
      const a = attrs as unknown as Conv3DBackpropAttrs & { dilations?: [number, number, number] | number; dataFormat?: string };
      const info = backend_util.computeConv3DInfo(x.shape as Shape5D, filter.shape as Shape5D, a.strides, a.dilations ?? 1, a.pad);
      const { strideDepth: sd, strideHeight: sh, strideWidth: sw } = info;
      const dilated = info.dilationDepth !== 1 || info.dilationHeight !== 1 || info.dilationWidth !== 1;
      if (dilated || sd !== sh || sh !== sw || (a.dataFormat !== undefined && a.dataFormat !== 'NDHWC')) {
        return runner.runKeep('Conv3D', inputs, attrs);
      }
      return conv3dVia2D(runner, x, filter, sd, info.padInfo);
    });
}

function conv3dInfo(xShape: Shape5D, filterShape: Shape5D, a: Conv3DBackpropAttrs): backend_util.Conv3DInfo {
  return backend_util.computeConv3DInfo(xShape, filterShape, a.strides, 1, a.pad);
}

/**
 * `Conv3DBackpropInputV2` for tfjs-wasm, whose native kernel returns wrong values (checked against
 * the cpu backend and a direct sum): dy, zero-inserted by the stride and padded, is correlated with
 * the flipped, channel-swapped filter by the native forward `Conv3D`.
 */
export function makeConv3DBackpropInputV2(backendName: string): KernelFunc {
  return ({ inputs, backend, attrs }) =>
    withRunner(backend, backendName, (runner) => {
      const { dy, filter } = inputs as { dy: TensorInfo; filter: TensorInfo };
      const a = attrs as unknown as Conv3DBackpropAttrs & { inputShape: Shape5D };
      const info = conv3dInfo(a.inputShape, filter.shape as Shape5D, a);
      const { strideDepth: sd, strideHeight: sh, strideWidth: sw, filterDepth: kd, filterHeight: kh, filterWidth: kw, padInfo } = info;
      if (sd !== sh || sh !== sw) throw new Error(`Conv3DBackpropInputV2 on '${backendName}' needs equal strides, got ${sd}×${sh}×${sw}.`);
      const [, , , inC, outC] = filter.shape as Shape5D;
      const flipped = runner.reshape(runner.flipFilter(runner.reshape(filter, [kd * kh * kw, 1, inC, outC]), true), [kd, kh, kw, outC, inC]);
      const up = zeroInsert3D(runner, dy, sd);
      const front = kd - 1 - padInfo.front;
      const top = kh - 1 - padInfo.top;
      const left = kw - 1 - padInfo.left;
      const padded = padOrCrop3D(runner, up, [
        [front, info.inDepth + kd - 1 - front - up.shape[1]!],
        [top, info.inHeight + kh - 1 - top - up.shape[2]!],
        [left, info.inWidth + kw - 1 - left - up.shape[3]!],
      ]);
      return conv3dVia2D(runner, padded, flipped, 1, { front: 0, back: 0, top: 0, bottom: 0, left: 0, right: 0 });
    });
}

/**
 * `Conv3DBackpropFilterV2` for tfjs-wasm, whose native kernel is wrong for strides above 1 and slow
 * (≈0.4 GF/s): one 2D filter gradient per depth tap of the filter, stacked.
 */
export function makeConv3DBackpropFilterV2(backendName: string): KernelFunc {
  return ({ inputs, backend, attrs }) =>
    withRunner(backend, backendName, (runner) => {
      const { x, dy } = inputs as { x: TensorInfo; dy: TensorInfo };
      const a = attrs as unknown as Conv3DBackpropAttrs & { filterShape: Shape5D };
      const info = conv3dInfo(x.shape as Shape5D, a.filterShape, a);
      const { strideDepth: sd, strideHeight: sh, strideWidth: sw, filterDepth: kd, filterHeight: kh, filterWidth: kw, padInfo } = info;
      if (sd !== sh || sh !== sw) throw new Error(`Conv3DBackpropFilterV2 on '${backendName}' needs equal strides, got ${sd}×${sh}×${sw}.`);
      // dW[kd] is a 2D filter gradient over the depth slices x_pad[:, od·s + kd] paired with dy[:, od].
      const [n, , h, w, inC] = x.shape as Shape5D;
      const outC = a.filterShape[4];
      const { outDepth: od, outHeight: oh, outWidth: ow } = info;
      const xPad = padInfo.front > 0 || padInfo.back > 0 ? runner.pad(x, [[0, 0], [padInfo.front, padInfo.back], [0, 0], [0, 0], [0, 0]]) : x;
      const dyPlanes = runner.reshape(dy, [n * od, oh, ow, outC]);
      const taps: TensorInfo[] = [];
      for (let i = 0; i < kd; i++) {
        const planes = runner.run(
          'StridedSlice',
          { x: xPad },
          {
            begin: [0, i, 0, 0, 0],
            end: [n, i + (od - 1) * sd + 1, h, w, inC],
            strides: [1, sd, 1, 1, 1],
            beginMask: 0,
            endMask: 0,
            ellipsisMask: 0,
            newAxisMask: 0,
            shrinkAxisMask: 0,
          },
        );
        const grad = runner.run(
          'Conv2DBackpropFilter',
          { x: runner.reshape(planes, [n * od, h, w, inC]), dy: dyPlanes },
          {
            strides: [sh, sw],
            pad: [
              [0, 0],
              [padInfo.top, padInfo.bottom],
              [padInfo.left, padInfo.right],
              [0, 0],
            ],
            dataFormat: 'NHWC',
            filterShape: [kh, kw, inC, outC],
          },
        );
        taps.push(runner.reshape(grad, [1, kh, kw, inC, outC]));
      }
      return taps.length === 1 ? taps[0]! : runner.run('Concat', taps as unknown as Record<string, TensorInfo>, { axis: 0 });
    });
}
