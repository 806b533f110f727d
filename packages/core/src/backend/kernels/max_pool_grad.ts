import { backend_util, type KernelFunc, type TensorInfo } from '@tensorflow/tfjs-core';
import { zeroInsert } from './conv2d_backprop_input.js';
import { type KernelRunner, withRunner } from './kernel_runner.js';

/** Attributes of tfjs' `MaxPoolGrad` kernel. */
interface MaxPoolGradAttrs {
  filterSize: [number, number] | number;
  strides: [number, number] | number;
  pad: 'valid' | 'same' | number;
  dimRoundingMode?: 'floor' | 'round' | 'ceil';
}

/** Pads (negative: crops) H and W of a [N, H, W, C] tensor. */
function padOrCrop(runner: KernelRunner, x: TensorInfo, top: number, bottom: number, left: number, right: number): TensorInfo {
  let out = x;
  if (top < 0 || bottom < 0 || left < 0 || right < 0) {
    const [n, h, w, c] = out.shape as [number, number, number, number];
    const t = Math.max(0, -top);
    const l = Math.max(0, -left);
    out = runner.slice(out, [0, t, l, 0], [n, h - t - Math.max(0, -bottom), w - l - Math.max(0, -right), c]);
  }
  if (top > 0 || bottom > 0 || left > 0 || right > 0) {
    out = runner.pad(out, [
      [0, 0],
      [Math.max(0, top), Math.max(0, bottom)],
      [Math.max(0, left), Math.max(0, right)],
      [0, 0],
    ]);
  }
  return out;
}

/**
 * Non-overlapping windows (kernel = stride, no padding; the UNet's 2×2 pooling): gather each window's
 * k² taps on a last axis with one transpose, take the first maximal tap with ArgMax (first index on
 * ties, as the cpu backend's scan), route dy there with OneHot, and transpose back.
 */
function nonOverlapping(runner: KernelRunner, dy: TensorInfo, input: TensorInfo, output: TensorInfo, k: number): TensorInfo {
  // (output is used only for its shape here.)
  const [n, h, w, c] = input.shape as [number, number, number, number];
  const [, oh, ow] = output.shape as [number, number, number, number];
  const covered = oh * k === h && ow * k === w ? input : runner.slice(input, [0, 0, 0, 0], [n, oh * k, ow * k, c]);
  const taps = runner.reshape(runner.transpose(runner.reshape(covered, [n * oh, k, ow, k, c]), [0, 2, 4, 1, 3]), [n, oh, ow, c, k * k]);
  // The window's maximum is the pooled value, so ArgMax over the taps is the first tap equal to it.
  const first = runner.run('ArgMax', { x: taps }, { axis: 4 });
  // tfjs-wasm's OneHot writes int32 whatever dtype is asked for.
  const route = runner.run('Cast', { x: runner.run('OneHot', { indices: first }, { depth: k * k, onValue: 1, offValue: 0, dtype: 'int32' }) }, { dtype: 'float32' });
  const spread = runner.run('Multiply', { a: route, b: runner.reshape(dy, [n, oh, ow, c, 1]) });
  const back = runner.reshape(runner.transpose(runner.reshape(spread, [n * oh, ow, c, k, k]), [0, 3, 1, 4, 2]), [n, oh * k, ow * k, c]);
  return back === covered || (oh * k === h && ow * k === w) ? back : padOrCrop(runner, back, 0, h - oh * k, 0, w - ow * k);
}

/**
 * {@link nonOverlapping} as one pass over the heap (float32 on a heap backend): for each window, the
 * first tap in scan order holding the window's maximum receives dy, every other element 0. The native
 * version takes two transposes, ArgMax, OneHot, Cast and a product: ≈10 ms for a 4×128×128×16
 * activation on 2 threads against ≈2 ms here.
 */
function nonOverlappingOnHeap(runner: KernelRunner, dy: TensorInfo, input: TensorInfo, output: TensorInfo, k: number): TensorInfo {
  const [n, h, w, c] = input.shape as [number, number, number, number];
  const [, oh, ow] = output.shape as [number, number, number, number];
  const result = runner.heapOutput([n, h, w, c]);
  // Views after the last allocation: heap growth detaches earlier ones.
  const dx = runner.heapView(result);
  const x = runner.heapView(input);
  const g = runner.heapView(dy);
  dx.fill(0);
  const rowStride = w * c;
  for (let b = 0; b < n; b++) {
    for (let oy = 0; oy < oh; oy++) {
      for (let ox = 0; ox < ow; ox++) {
        const corner = ((b * h + oy * k) * w + ox * k) * c;
        const gradientBase = ((b * oh + oy) * ow + ox) * c;
        for (let ch = 0; ch < c; ch++) {
          let best = corner + ch;
          let bestValue = x[best]!;
          for (let i = 0; i < k; i++) {
            for (let j = 0; j < k; j++) {
              const at = corner + i * rowStride + j * c + ch;
              const value = x[at]!;
              if (value > bestValue) {
                bestValue = value;
                best = at;
              }
            }
          }
          dx[best] = g[gradientBase + ch]!;
        }
      }
    }
  }
  return result;
}

/**
 * `MaxPoolGrad` for tfjs-wasm. Its native kernel (and its `MaxPoolWithArgmax`) misplace the gradient
 * in some windows, e.g. when the maximum is a window's last element — checked against the cpu
 * backend and a direct oracle. Here each window tap is visited in the cpu backend's scan order; the
 * gradient goes to the first tap that equals the pooled maximum (ties as on cpu), and each tap's
 * contribution is zero-inserted by the stride and shifted into place, all with native kernels.
 * Non-overlapping float32 windows (the UNet's 2×2 pooling) take one JS pass over the heap instead.
 */
export function makeMaxPoolGrad(backendName: string): KernelFunc {
  return ({ inputs, backend, attrs }) =>
    withRunner(backend, backendName, (runner) => {
      const { dy, input, output } = inputs as { dy: TensorInfo; input: TensorInfo; output: TensorInfo };
      const a = attrs as unknown as MaxPoolGradAttrs;
      const info = backend_util.computePool2DInfo(input.shape as [number, number, number, number], a.filterSize, a.strides, 1, a.pad, a.dimRoundingMode);
      const { batchSize: n, inHeight: h, inWidth: w, inChannels: c, outHeight: oh, outWidth: ow, strideHeight: sh, strideWidth: sw } = info;
      const { filterHeight: kh, filterWidth: kw, padInfo } = info;
      if (sh !== sw) return runner.runKeep('MaxPoolGrad', inputs, attrs);
      const s = sh;
      const unpadded = padInfo.top === 0 && padInfo.left === 0 && padInfo.bottom <= 0 && padInfo.right <= 0;
      if (kh === s && kw === s && unpadded) {
        const onHeap = runner.hasHeap() && input.dtype === 'float32' && dy.dtype === 'float32';
        return onHeap ? nonOverlappingOnHeap(runner, dy, input, output, s) : nonOverlapping(runner, dy, input, output, s);
      }
      // Pad with −∞ so that padding never equals a window's maximum.
      const hp = Math.max(h + padInfo.top + padInfo.bottom, (oh - 1) * s + kh);
      const wp = Math.max(w + padInfo.left + padInfo.right, (ow - 1) * s + kw);
      const xPad = runner.run(
        'PadV2',
        { x: input },
        {
          paddings: [
            [0, 0],
            [padInfo.top, hp - h - padInfo.top],
            [padInfo.left, wp - w - padInfo.left],
            [0, 0],
          ],
          constantValue: -Infinity,
        },
      );
      let taken: TensorInfo | undefined;
      let total: TensorInfo | undefined;
      for (let i = 0; i < kh; i++) {
        for (let j = 0; j < kw; j++) {
          const tap = runner.run(
            'StridedSlice',
            { x: xPad },
            {
              begin: [0, i, j, 0],
              end: [n, i + (oh - 1) * s + 1, j + (ow - 1) * s + 1, c],
              strides: [1, s, s, 1],
              beginMask: 0,
              endMask: 0,
              ellipsisMask: 0,
              newAxisMask: 0,
              shrinkAxisMask: 0,
            },
          );
          const equal = runner.run('Equal', { a: tap, b: output });
          const selected = taken === undefined ? equal : runner.run('LogicalAnd', { a: equal, b: runner.run('LogicalNot', { x: taken }) });
          taken = taken === undefined ? selected : runner.run('LogicalOr', { a: taken, b: selected });
          const contribution = runner.run('Multiply', { a: dy, b: runner.run('Cast', { x: selected }, { dtype: 'float32' }) });
          const spread = zeroInsert(runner, contribution, s);
          const placed = padOrCrop(runner, spread, i, hp - i - spread.shape[1]!, j, wp - j - spread.shape[2]!);
          total = total === undefined ? placed : runner.run('Add', { a: total, b: placed });
        }
      }
      return runner.slice(total!, [0, padInfo.top, padInfo.left, 0], [n, h, w, c]);
    });
}
