import { backend_util, type KernelFunc, type TensorInfo } from '@tensorflow/tfjs-core';
import { withRunner } from './kernel_runner.js';

/** Attributes of tfjs' `Conv2DBackpropFilter` kernel. */
interface Conv2DBackpropFilterAttrs {
  strides: [number, number] | number;
  pad: 'valid' | 'same' | number | backend_util.ExplicitPadding;
  dataFormat: 'NHWC' | 'NCHW';
  dimRoundingMode?: 'floor' | 'round' | 'ceil';
  filterShape: [number, number, number, number];
}

/**
 * `Conv2DBackpropFilter` (missing from tfjs-wasm) as one forward convolution:
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
    });
}
