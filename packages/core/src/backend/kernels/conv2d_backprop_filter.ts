import { backend_util, type KernelFunc, type TensorInfo } from '@tensorflow/tfjs-core';
import { type KernelRunner, withRunner } from './kernel_runner.js';
import { winogradFilterGradient } from './winograd/winograd_filter_gradient.js';

/** Attributes of tfjs' `Conv2DBackpropFilter` kernel. */
interface Conv2DBackpropFilterAttrs {
  strides: [number, number] | number;
  pad: 'valid' | 'same' | number | backend_util.ExplicitPadding;
  dataFormat: 'NHWC' | 'NCHW';
  dimRoundingMode?: 'floor' | 'round' | 'ceil';
  filterShape: [number, number, number, number];
}

/**
 * Largest column buffer (float32 elements, 256 MB) {@link filterGradientByMatMul} or
 * {@link filterGradientByRowConvolution} may allocate.
 */
const MAX_COLUMN_ELEMENTS = 64 * 1024 * 1024;

/**
 * Input channels up to which {@link filterGradientByMatMul} is used. Measured on tfjs-wasm 4.22
 * (2 threads, 3×3, batch 4, stride 1): with Cin = 1 (a UNet's first layer) the matrix product takes
 * ≈2 ms against ≈10 ms for the identity, whose XNNPACK convolution then has only N = 4 input channels;
 * from Cin = 16 up the two are within ±20 % of each other and the identity is usually ahead at 128×128
 * (the column buffer is 9× the input and is filled by one JS thread).
 */
const MAX_MATMUL_IN_CHANNELS = 4;

/** Runs lengths from which `copyWithin` beats an element loop (its call overhead dominates below). */
const MIN_COPY_WITHIN = 16;

/** Whether {@link filterGradientByMatMul} applies: stride 1, few input channels, float32 on a heap backend. */
function matMulApplies(runner: KernelRunner, x: TensorInfo, dy: TensorInfo, info: backend_util.Conv2DInfo, anyChannels: boolean): boolean {
  return (
    runner.hasHeap() &&
    x.dtype === 'float32' &&
    dy.dtype === 'float32' &&
    info.strideHeight === 1 &&
    info.strideWidth === 1 &&
    info.dilationHeight === 1 &&
    info.dilationWidth === 1 &&
    (anyChannels || info.inChannels <= MAX_MATMUL_IN_CHANNELS) &&
    info.filterHeight * info.filterWidth * info.inChannels * info.batchSize * info.outHeight * info.outWidth <= MAX_COLUMN_ELEMENTS
  );
}

/**
 * Stride-1 filter gradient as one plain matrix product: dW (as [KH·KW·Cin, Cout]) = colsᵀ · dy, where
 * colsᵀ[(kh,kw,ci), (n,oh,ow)] = x_pad[n, oh+kh, ow+kw, ci] is built from x transposed once to
 * [Cin, N, H, W], so every row of colsᵀ is a run of contiguous copies (with zeros where the window
 * leaves the image). Both operands are untransposed, which avoids tfjs-wasm's transposeA cliff, and the
 * result is already in [KH, KW, Cin, Cout] order.
 */
export function filterGradientByMatMul(runner: KernelRunner, x: TensorInfo, dy: TensorInfo, info: backend_util.Conv2DInfo): TensorInfo {
  const { batchSize: n, inHeight: h, inWidth: w, inChannels: cin, outHeight: oh, outWidth: ow, outChannels: cout } = info;
  const { filterHeight: kh, filterWidth: kw, padInfo } = info;
  const xT = runner.transpose(x, [3, 0, 1, 2]);
  const plane = oh * ow;
  const rows = kh * kw * cin;
  const cols = runner.heapOutput([1, rows, n * plane]);
  // One view of the whole heap, taken after the last allocation (heap growth detaches earlier ones):
  // copyWithin inside it needs no subarray objects, ≈3× faster than set(subarray) for these short rows.
  const sourceView = runner.heapView(xT);
  const targetView = runner.heapView(cols);
  const heap = new Float32Array(targetView.buffer);
  const sourceBase = sourceView.byteOffset / 4;
  const targetBase = targetView.byteOffset / 4;
  for (let i = 0; i < kh; i++) {
    for (let j = 0; j < kw; j++) {
      // Output columns whose window column ow + j − left lies inside the image.
      const shift = j - padInfo.left;
      const owStart = Math.max(0, -shift);
      const owEnd = Math.min(ow, w - shift);
      for (let ci = 0; ci < cin; ci++) {
        const row = targetBase + ((i * kw + j) * cin + ci) * n * plane;
        for (let b = 0; b < n; b++) {
          const sourcePlane = sourceBase + (ci * n + b) * h * w;
          for (let r = 0; r < oh; r++) {
            const to = row + b * plane + r * ow;
            const hIn = r + i - padInfo.top;
            if (hIn < 0 || hIn >= h || owStart >= owEnd) {
              heap.fill(0, to, to + ow);
              continue;
            }
            for (let k = 0; k < owStart; k++) heap[to + k] = 0;
            const from = sourcePlane + hIn * w + owStart + shift;
            heap.copyWithin(to + owStart, from, from + (owEnd - owStart));
            for (let k = owEnd; k < ow; k++) heap[to + k] = 0;
          }
        }
      }
    }
  }
  const product = runner.matMul(cols, runner.reshape(dy, [1, n * plane, cout]));
  return runner.reshape(product, [kh, kw, cin, cout]);
}

/**
 * Stride-1 filter gradient as one forward convolution whose reduction runs over long contiguous rows.
 * With the window's column shift kw folded into a copy of x,
 *
 *   X[(kw, ci), h, 0, (n, ow)] = x[n, h, ow + kw − left, ci]   (zero outside the image)
 *   dW[kh, kw, ci, co] = Σ_{oh} Σ_{(n, ow)} X[(kw, ci), oh + kh − top, 0, (n, ow)] · dy[n, oh, ow, co]
 *
 * is a convolution over height only: batch KW·Cin, input channels N·OW, filter dy transposed to
 * [OH, 1, N·OW, Cout], the forward's top/bottom padding as explicit padding, output [KW·Cin, KH, 1, Cout].
 * XNNPACK then reads N·OW contiguous channels per indirection entry, where the dilated identity
 * ({@link filterGradientByConvolution}) reads only N (the batch). Measured on tfjs-wasm 4.22 (2 threads,
 * 4×64×64×64 → 32): ≈15 % less CPU time than the identity, whose whole training step it shortens by
 * ≈7 % (reference UNet); still ≈1.5× a forward convolution of the same size. X costs KW copies of x,
 * built from x transposed once to [Cin, H, N, W] so every (kw, ci, h, n) is one contiguous run.
 */
export function filterGradientByRowConvolution(runner: KernelRunner, x: TensorInfo, dy: TensorInfo, info: backend_util.Conv2DInfo): TensorInfo {
  const { batchSize: n, inHeight: h, inWidth: w, inChannels: cin, outHeight: oh, outWidth: ow, outChannels: cout } = info;
  const { filterHeight: kh, filterWidth: kw, padInfo } = info;
  const xT = runner.transpose(x, [3, 1, 0, 2]);
  const rowLength = n * ow;
  const rows = runner.heapOutput([kw * cin, h, 1, rowLength]);
  const dyT = runner.reshape(runner.transpose(dy, [1, 0, 2, 3]), [oh, 1, rowLength, cout]);
  // Views after the last allocation (heap growth detaches earlier ones); copyWithin inside one view.
  const sourceView = runner.heapView(xT);
  const targetView = runner.heapView(rows);
  const heap = new Float32Array(targetView.buffer);
  const sourceBase = sourceView.byteOffset / 4;
  const targetBase = targetView.byteOffset / 4;
  for (let j = 0; j < kw; j++) {
    const shift = j - padInfo.left;
    const owStart = Math.max(0, -shift);
    const owEnd = Math.max(owStart, Math.min(ow, w - shift));
    for (let ci = 0; ci < cin; ci++) {
      for (let r = 0; r < h; r++) {
        const to = targetBase + ((j * cin + ci) * h + r) * rowLength;
        const from = sourceBase + (ci * h + r) * n * w;
        for (let b = 0; b < n; b++) {
          const t = to + b * ow;
          for (let k = 0; k < owStart; k++) heap[t + k] = 0;
          const f = from + b * w + owStart + shift;
          const run = owEnd - owStart;
          if (run >= MIN_COPY_WITHIN) heap.copyWithin(t + owStart, f, f + run);
          else for (let k = 0; k < run; k++) heap[t + owStart + k] = heap[f + k]!;
          for (let k = owEnd; k < ow; k++) heap[t + k] = 0;
        }
      }
    }
  }
  const pad: backend_util.ExplicitPadding = [
    [0, 0],
    [padInfo.top, padInfo.bottom],
    [0, 0],
    [0, 0],
  ];
  const out = runner.run('Conv2D', { x: rows, filter: dyT }, { strides: [1, 1], pad, dilations: [1, 1], dataFormat: 'NHWC' });
  // out is [(kw, ci), kh, 1, co]; the filter order is [kh, kw, ci, co].
  return runner.transpose(runner.reshape(out, [kw, cin, kh, cout]), [2, 0, 1, 3]);
}

/**
 * Whether {@link filterGradientByRowConvolution} applies: stride and dilation 1, float32 on a heap
 * backend, and its KW shifted copies of x within the column-buffer bound.
 */
function rowsApply(runner: KernelRunner, x: TensorInfo, dy: TensorInfo, info: backend_util.Conv2DInfo): boolean {
  return (
    runner.hasHeap() &&
    info.filterWidth * info.inChannels * info.inHeight * info.batchSize * info.outWidth <= MAX_COLUMN_ELEMENTS &&
    x.dtype === 'float32' &&
    dy.dtype === 'float32' &&
    info.strideHeight === 1 &&
    info.strideWidth === 1 &&
    info.dilationHeight === 1 &&
    info.dilationWidth === 1
  );
}

/** The dilated-convolution identity (any stride); see {@link makeConv2DBackpropFilter}. */
export function filterGradientByConvolution(runner: KernelRunner, x: TensorInfo, dy: TensorInfo, info: backend_util.Conv2DInfo): TensorInfo {
  const { filterHeight: kh, filterWidth: kw, inChannels, outChannels, padInfo } = info;
  const xT = runner.transpose(x, [3, 1, 2, 0]);
  const dyT = runner.transpose(dy, [1, 2, 0, 3]);
  const pad: backend_util.ExplicitPadding = [
    [0, 0],
    [padInfo.top, padInfo.bottom],
    [padInfo.left, padInfo.right],
    [0, 0],
  ];
  const full = runner.run(
    'Conv2D',
    { x: xT, filter: dyT },
    { strides: [1, 1], pad, dilations: [info.strideHeight, info.strideWidth], dataFormat: 'NHWC' },
  );
  const cropped =
    full.shape[1] === kh && full.shape[2] === kw ? full : runner.slice(full, [0, 0, 0, 0], [inChannels, kh, kw, outChannels]);
  return runner.transpose(cropped, [1, 2, 0, 3]);
}

/**
 * Computes the filter gradient: {@link filterGradientByMatMul} for stride 1 and few input channels,
 * {@link filterGradientByRowConvolution} for other stride-1 layers, the dilated-convolution identity
 * otherwise. `path` forces a choice (for tests and benchmarks): `convolution` always uses the identity,
 * `matMul` the matrix product wherever it applies at all (any input channel count), `rows` the row
 * convolution wherever it applies.
 */
export function conv2DFilterGradient(
  runner: KernelRunner,
  x: TensorInfo,
  dy: TensorInfo,
  info: backend_util.Conv2DInfo,
  path: 'auto' | 'convolution' | 'matMul' | 'rows' = 'auto',
): TensorInfo {
  if (path === 'convolution') return filterGradientByConvolution(runner, x, dy, info);
  const winograd = path === 'auto' ? winogradFilterGradient(runner, x, dy, info) : undefined;
  if (winograd !== undefined) return winograd;
  if (path !== 'rows' && matMulApplies(runner, x, dy, info, path === 'matMul')) return filterGradientByMatMul(runner, x, dy, info);
  if (path !== 'matMul' && rowsApply(runner, x, dy, info)) return filterGradientByRowConvolution(runner, x, dy, info);
  return filterGradientByConvolution(runner, x, dy, info);
}

/**
 * `Conv2DBackpropFilter` (missing from tfjs-wasm). Stride 1: {@link filterGradientByMatMul} (few input
 * channels) or {@link filterGradientByRowConvolution}. Otherwise as one forward convolution:
 *
 * dW[kh,kw,ci,co] = Σ_{n,oh,ow} x_pad[n, oh·s+kh, ow·s+kw, ci] · dy[n,oh,ow,co]
 *
 * is a valid correlation of x transposed to [Cin, H, W, N] (batch ↔ channels) with dy transposed to
 * [OH, OW, N, Cout] used as the filter, with dilation = stride; the [Cin, ≥KH, ≥KW, Cout] result is
 * cropped to the filter size and transposed back to [KH, KW, Cin, Cout]. The forward padding is passed
 * as explicit convolution padding, so x is never padded in memory.
 */
export function makeConv2DBackpropFilter(backendName: string): KernelFunc {
  return ({ inputs, backend, attrs }) =>
    withRunner(backend, backendName, (runner) => {
      const { x, dy } = inputs as { x: TensorInfo; dy: TensorInfo };
      const a = attrs as unknown as Conv2DBackpropFilterAttrs;
      if (a.dataFormat === 'NCHW') {
        throw new Error(`Conv2DBackpropFilter on '${backendName}' supports only dataFormat 'NHWC'.`);
      }
      const info = backend_util.computeConv2DInfo(x.shape as [number, number, number, number], a.filterShape, a.strides, 1, a.pad, a.dimRoundingMode, false, 'channelsLast');
      return conv2DFilterGradient(runner, x, dy, info);
    });
}
