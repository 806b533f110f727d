import { backend_util, type KernelFunc, type TensorInfo } from '@tensorflow/tfjs-core';
import { type KernelRunner, withRunner } from './kernel_runner.js';

/** Attributes of tfjs' `Conv2DBackpropFilter` kernel. */
interface Conv2DBackpropFilterAttrs {
  strides: [number, number] | number;
  pad: 'valid' | 'same' | number | backend_util.ExplicitPadding;
  dataFormat: 'NHWC' | 'NCHW';
  dimRoundingMode?: 'floor' | 'round' | 'ceil';
  filterShape: [number, number, number, number];
}

/** Largest im2col buffer (float32 elements, 256 MB) {@link filterGradientByMatMul} may allocate. */
const MAX_COLUMN_ELEMENTS = 64 * 1024 * 1024;

/**
 * Input channels up to which {@link filterGradientByMatMul} is used. Measured on tfjs-wasm 4.22
 * (2 threads, 3×3, batch 4, stride 1): with Cin = 1 (a UNet's first layer) the matrix product takes
 * ≈2 ms against ≈10 ms for the identity, whose XNNPACK convolution then has only N = 4 input channels;
 * from Cin = 16 up the two are within ±20 % of each other and the identity is usually ahead at 128×128
 * (the column buffer is 9× the input and is filled by one JS thread).
 */
const MAX_MATMUL_IN_CHANNELS = 4;

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
 * Computes the filter gradient, by {@link filterGradientByMatMul} where it is faster (stride 1, few
 * input channels) and otherwise by the dilated-convolution identity. `path` forces a choice:
 * `convolution` always uses the identity, `matMul` uses the matrix product wherever it applies at all
 * (any input channel count; for tests and benchmarks).
 */
export function conv2DFilterGradient(
  runner: KernelRunner,
  x: TensorInfo,
  dy: TensorInfo,
  info: backend_util.Conv2DInfo,
  path: 'auto' | 'convolution' | 'matMul' = 'auto',
): TensorInfo {
  return path !== 'convolution' && matMulApplies(runner, x, dy, info, path === 'matMul')
    ? filterGradientByMatMul(runner, x, dy, info)
    : filterGradientByConvolution(runner, x, dy, info);
}

/**
 * `Conv2DBackpropFilter` (missing from tfjs-wasm). Stride 1: {@link filterGradientByMatMul}. Otherwise
 * as one forward convolution:
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
