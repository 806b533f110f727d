import { backend_util, type KernelFunc, type TensorInfo } from '@tensorflow/tfjs-core';
import { type KernelRunner, withRunner } from './kernel_runner.js';

/** Attributes of tfjs' `Conv2DBackpropInput` kernel. */
interface Conv2DBackpropInputAttrs {
  strides: [number, number] | number;
  pad: 'valid' | 'same' | number | backend_util.ExplicitPadding;
  dataFormat: 'NHWC' | 'NCHW';
  dimRoundingMode?: 'floor' | 'round' | 'ceil';
  inputShape: [number, number, number, number];
}

/**
 * depthToSpace (NHWC) as reshape → rank-4 transpose → reshape: [N, H, W, s·s·C] → [N, H·s, W·s, C].
 * tfjs-wasm's own DepthToSpace kernel is ≈10× slower than its transpose.
 */
export function depthToSpace(runner: KernelRunner, x: TensorInfo, blockSize: number): TensorInfo {
  const [n, h, w, depth] = x.shape as [number, number, number, number];
  const channels = depth / (blockSize * blockSize);
  const blocks = runner.reshape(x, [n * h, w, blockSize, blockSize * channels]);
  const rows = runner.transpose(blocks, [0, 2, 1, 3]);
  return runner.reshape(rows, [n, h * blockSize, w * blockSize, channels]);
}

/**
 * Zero-inserts `dy` ([N, OH, OW, C]) by `stride` along height and width: [N, OH·s, OW·s, C] with the
 * original values at multiples of s. Done as a channel pad + depthToSpace.
 */
export function zeroInsert(runner: KernelRunner, dy: TensorInfo, stride: number): TensorInfo {
  if (stride === 1) return dy;
  const channels = dy.shape[3]!;
  const padded = runner.pad(dy, [
    [0, 0],
    [0, 0],
    [0, 0],
    [0, channels * (stride * stride - 1)],
  ]);
  return depthToSpace(runner, padded, stride);
}

/**
 * Valid correlation of `x` ([N, H, W, C]) with `filter` after padding H by (top, bottom) and W by
 * (left, right) zeros; negative amounts crop. Uses `Conv2D` (or `DepthwiseConv2dNative`) with explicit
 * padding so the zeros are never materialised.
 */
export function paddedCorrelation(
  runner: KernelRunner,
  kernelName: 'Conv2D' | 'DepthwiseConv2dNative',
  x: TensorInfo,
  filter: TensorInfo,
  pads: { top: number; bottom: number; left: number; right: number },
  dilations: [number, number],
): TensorInfo {
  let input = x;
  const crop = {
    top: Math.max(0, -pads.top),
    bottom: Math.max(0, -pads.bottom),
    left: Math.max(0, -pads.left),
    right: Math.max(0, -pads.right),
  };
  if (crop.top + crop.bottom + crop.left + crop.right > 0) {
    const [n, h, w, c] = x.shape as [number, number, number, number];
    input = runner.slice(x, [0, crop.top, crop.left, 0], [n, h - crop.top - crop.bottom, w - crop.left - crop.right, c]);
  }
  const pad: backend_util.ExplicitPadding = [
    [0, 0],
    [Math.max(0, pads.top), Math.max(0, pads.bottom)],
    [Math.max(0, pads.left), Math.max(0, pads.right)],
    [0, 0],
  ];
  // Through the registered Conv2D: 3×3 stride-1 gradients then run as Winograd (winograd_conv2d.ts).
  return runner.runRegistered(kernelName, { x: input, filter }, { strides: [1, 1], pad, dilations, dataFormat: 'NHWC' });
}

/**
 * Input gradient of a 2D convolution as a forward convolution: dy, zero-inserted by the stride, is
 * correlated with the spatially flipped filter whose in/out channels are swapped. Exact (it is the same
 * sum), and runs on the backend's fast forward convolution instead of tfjs-wasm's ≈1 GF/s native
 * `Conv2DBackpropInput`.
 */
function flippedFilterConv(runner: KernelRunner, dy: TensorInfo, filter: TensorInfo, convInfo: backend_util.Conv2DInfo): TensorInfo {
  const flipped = runner.flipFilter(filter, true);
  const upsampled = zeroInsert(runner, dy, convInfo.strideHeight);
  const { filterHeight: kh, filterWidth: kw, padInfo, inHeight, inWidth } = convInfo;
  const top = kh - 1 - padInfo.top;
  const left = kw - 1 - padInfo.left;
  return paddedCorrelation(
    runner,
    'Conv2D',
    upsampled,
    flipped,
    { top, left, bottom: inHeight + kh - 1 - top - upsampled.shape[1]!, right: inWidth + kw - 1 - left - upsampled.shape[2]! },
    [1, 1],
  );
}

/**
 * Non-overlapping case (kernel = stride, no padding; the UNet's 2×2 stride-2 transposed convolution):
 * one matrix product [N·OH·OW, Cout] × [Cout, KH·KW·Cin] followed by depthToSpace.
 */
function blockMatMul(runner: KernelRunner, dy: TensorInfo, filter: TensorInfo, convInfo: backend_util.Conv2DInfo): TensorInfo {
  const { batchSize, outHeight, outWidth, outChannels, inChannels, filterHeight: k, inHeight, inWidth } = convInfo;
  const rows = batchSize * outHeight * outWidth;
  const dyMat = runner.reshape(dy, [1, rows, outChannels]);
  const w = runner.reshape(runner.transpose(filter, [3, 0, 1, 2]), [1, outChannels, k * k * inChannels]);
  const product = runner.matMul(dyMat, w);
  const blocks = runner.reshape(product, [batchSize, outHeight, outWidth, k * k * inChannels]);
  const dx = depthToSpace(runner, blocks, k);
  const extraH = inHeight - outHeight * k;
  const extraW = inWidth - outWidth * k;
  if (extraH === 0 && extraW === 0) return dx;
  return runner.pad(dx, [
    [0, 0],
    [0, extraH],
    [0, extraW],
    [0, 0],
  ]);
}

/**
 * `Conv2DBackpropInput` (input gradient of conv2d, and the forward pass of conv2dTranspose) built on
 * the backend's forward convolution and matrix product. Falls back to the original kernel for
 * `NCHW` and unequal strides.
 */
export function makeConv2DBackpropInput(backendName: string): KernelFunc {
  return ({ inputs, backend, attrs }) =>
    withRunner(backend, backendName, (runner) => {
      const { dy, filter } = inputs as { dy: TensorInfo; filter: TensorInfo };
      const a = attrs as unknown as Conv2DBackpropInputAttrs;
      const convInfo = backend_util.computeConv2DInfo(a.inputShape, filter.shape as [number, number, number, number], a.strides, 1, a.pad, a.dimRoundingMode, false, 'channelsLast');
      const p = convInfo.padInfo;
      if (a.dataFormat === 'NCHW' || convInfo.strideHeight !== convInfo.strideWidth) {
        return runner.runKeep('Conv2DBackpropInput', inputs, attrs);
      }
      const noPad = p.top === 0 && p.bottom === 0 && p.left === 0 && p.right === 0;
      const s = convInfo.strideHeight;
      if (s > 1 && noPad && convInfo.filterHeight === s && convInfo.filterWidth === s) {
        return blockMatMul(runner, dy, filter, convInfo);
      }
      return flippedFilterConv(runner, dy, filter, convInfo);
    });
}
