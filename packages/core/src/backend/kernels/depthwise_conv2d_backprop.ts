import { backend_util, type KernelFunc, type TensorInfo } from '@tensorflow/tfjs-core';
import { paddedCorrelation, zeroInsert } from './conv2d_backprop_input.js';
import { withRunner } from './kernel_runner.js';

/** Attributes shared by tfjs' depthwise backprop kernels. */
interface DepthwiseBackpropAttrs {
  strides: [number, number] | number;
  dilations: [number, number] | number;
  pad: 'valid' | 'same' | number;
  dimRoundingMode?: 'floor' | 'round' | 'ceil';
}

function asPair(value: [number, number] | number | undefined): [number, number] {
  if (value === undefined) return [1, 1];
  return typeof value === 'number' ? [value, value] : value;
}

/**
 * `DepthwiseConv2dNativeBackpropInput` (missing from tfjs-wasm): dy zero-inserted by the stride is
 * correlated depthwise (multiplier 1 over Cin·M channels) with the flipped filter, then the M channels
 * belonging to each input channel are summed. Falls back to an error for unequal strides, which
 * tfjs' depthwise gradient never produces.
 */
export function makeDepthwiseConv2dNativeBackpropInput(backendName: string): KernelFunc {
  return ({ inputs, backend, attrs }) =>
    withRunner(backend, backendName, (runner) => {
      const { dy, filter } = inputs as { dy: TensorInfo; filter: TensorInfo };
      const a = attrs as unknown as DepthwiseBackpropAttrs & { inputShape: [number, number, number, number] };
      const dilations = asPair(a.dilations);
      const info = backend_util.computeConv2DInfo(a.inputShape, filter.shape as [number, number, number, number], a.strides, dilations, a.pad, a.dimRoundingMode, true);
      if (info.strideHeight !== info.strideWidth) {
        throw new Error(`DepthwiseConv2dNativeBackpropInput on '${backendName}' needs equal strides, got ${info.strideHeight}×${info.strideWidth}.`);
      }
      const [kh, kw, inChannels, multiplier] = filter.shape as [number, number, number, number];
      const flipped = runner.reshape(runner.flipFilter(filter, false), [kh, kw, inChannels * multiplier, 1]);
      const upsampled = zeroInsert(runner, dy, info.strideHeight);
      const top = info.effectiveFilterHeight - 1 - info.padInfo.top;
      const left = info.effectiveFilterWidth - 1 - info.padInfo.left;
      const perOutput = paddedCorrelation(
        runner,
        'DepthwiseConv2dNative',
        upsampled,
        flipped,
        {
          top,
          left,
          bottom: info.inHeight + info.effectiveFilterHeight - 1 - top - upsampled.shape[1]!,
          right: info.inWidth + info.effectiveFilterWidth - 1 - left - upsampled.shape[2]!,
        },
        dilations,
      );
      if (multiplier === 1) return perOutput;
      const grouped = runner.reshape(perOutput, [info.batchSize, info.inHeight, info.inWidth, inChannels, multiplier]);
      return runner.run('Sum', { x: grouped }, { axis: [4], keepDims: false });
    });
}

/**
 * `DepthwiseConv2dNativeBackpropFilter` (missing from tfjs-wasm) as a batched matrix product: the
 * KH·KW strided windows of the padded input are stacked (im2col per channel, [Cin, KH·KW, N·OH·OW])
 * and multiplied by dy grouped per channel ([Cin, N·OH·OW, M]).
 */
export function makeDepthwiseConv2dNativeBackpropFilter(backendName: string): KernelFunc {
  return ({ inputs, backend, attrs }) =>
    withRunner(backend, backendName, (runner) => {
      const { x, dy } = inputs as { x: TensorInfo; dy: TensorInfo };
      const a = attrs as unknown as DepthwiseBackpropAttrs & { filterShape: [number, number, number, number] };
      const dilations = asPair(a.dilations);
      const info = backend_util.computeConv2DInfo(x.shape as [number, number, number, number], a.filterShape, a.strides, dilations, a.pad, a.dimRoundingMode, true);
      const [kh, kw, inChannels, multiplier] = a.filterShape;
      const { batchSize: n, outHeight: oh, outWidth: ow, padInfo, strideHeight: sh, strideWidth: sw } = info;
      const xPad = runner.pad(x, [
        [0, 0],
        [padInfo.top, padInfo.bottom],
        [padInfo.left, padInfo.right],
        [0, 0],
      ]);
      const windows: TensorInfo[] = [];
      for (let i = 0; i < kh; i++) {
        for (let j = 0; j < kw; j++) {
          const begin = [0, i * dilations[0], j * dilations[1], 0];
          const end = [n, begin[1]! + (oh - 1) * sh + 1, begin[2]! + (ow - 1) * sw + 1, inChannels];
          const window = runner.run(
            'StridedSlice',
            { x: xPad },
            { begin, end, strides: [1, sh, sw, 1], beginMask: 0, endMask: 0, ellipsisMask: 0, newAxisMask: 0, shrinkAxisMask: 0 },
          );
          windows.push(runner.reshape(window, [1, n * oh * ow, inChannels]));
        }
      }
      const stacked = windows.length === 1 ? windows[0]! : runner.run('Concat', windows as unknown as Record<string, TensorInfo>, { axis: 0 });
      const patches = runner.transpose(stacked, [2, 0, 1]);
      const dyGrouped = runner.transpose(runner.reshape(dy, [n * oh * ow, inChannels, multiplier]), [1, 0, 2]);
      const product = runner.matMul(patches, dyGrouped);
      return runner.reshape(runner.transpose(product, [1, 0, 2]), [kh, kw, inChannels, multiplier]);
    });
}
