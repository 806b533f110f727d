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
      return runner.run('Conv3D', { x: padded, filter: flipped }, { strides: [1, 1, 1], pad: 'valid', dilations: [1, 1, 1] });
    });
}

/**
 * `Conv3DBackpropFilterV2` for tfjs-wasm, whose native kernel is right for stride 1 only: for larger
 * strides, dy is zero-inserted and the input cropped so that the same filter gradient is a stride-1
 * problem, which the native kernel then solves.
 */
export function makeConv3DBackpropFilterV2(backendName: string): KernelFunc {
  return ({ inputs, backend, attrs }) =>
    withRunner(backend, backendName, (runner) => {
      const { x, dy } = inputs as { x: TensorInfo; dy: TensorInfo };
      const a = attrs as unknown as Conv3DBackpropAttrs & { filterShape: Shape5D };
      const info = conv3dInfo(x.shape as Shape5D, a.filterShape, a);
      const { strideDepth: sd, strideHeight: sh, strideWidth: sw, filterDepth: kd, filterHeight: kh, filterWidth: kw, padInfo } = info;
      if (sd === 1 && sh === 1 && sw === 1) return runner.runKeep('Conv3DBackpropFilterV2', inputs, attrs);
      if (sd !== sh || sh !== sw) throw new Error(`Conv3DBackpropFilterV2 on '${backendName}' needs equal strides, got ${sd}×${sh}×${sw}.`);
      const s = sd;
      const up = zeroInsert3D(runner, dy, s);
      const span = (out: number, k: number) => (out - 1) * s + k;
      // Pad x as the forward pass did, then keep exactly the extent the (stride-1) windows cover.
      const xPad = padOrCrop3D(runner, x, [
        [padInfo.front, span(info.outDepth, kd) - padInfo.front - info.inDepth],
        [padInfo.top, span(info.outHeight, kh) - padInfo.top - info.inHeight],
        [padInfo.left, span(info.outWidth, kw) - padInfo.left - info.inWidth],
      ]);
      const [n, , , , outC] = up.shape as Shape5D;
      const dyTight = runner.slice(up, [0, 0, 0, 0, 0], [n, (info.outDepth - 1) * s + 1, (info.outHeight - 1) * s + 1, (info.outWidth - 1) * s + 1, outC]);
      return runner.runKeep('Conv3DBackpropFilterV2', { x: xPad, dy: dyTight }, { strides: [1, 1, 1], pad: 'valid', filterShape: a.filterShape });
    });
}
