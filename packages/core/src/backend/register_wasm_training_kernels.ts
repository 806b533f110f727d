import { getKernel, registerKernel, unregisterKernel, type KernelConfig, type KernelFunc } from '@tensorflow/tfjs-core';
import { makeBatchMatMul } from './kernels/batch_mat_mul.js';
import { makeBroadcastBinary } from './kernels/broadcast_binary.js';
import { makeFusedBatchNorm } from './kernels/fused_batch_norm.js';
import { makeLeadingAxesReduce } from './kernels/leading_axes_reduce.js';
import { makeConcat } from './kernels/concat.js';
import { makeConv2DBackpropFilter } from './kernels/conv2d_backprop_filter.js';
import { makeConv2DBackpropInput } from './kernels/conv2d_backprop_input.js';
import { makeConv3D, makeConv3DBackpropFilterV2, makeConv3DBackpropInputV2 } from './kernels/conv3d_backprop.js';
import {
  makeDepthwiseConv2dNativeBackpropFilter,
  makeDepthwiseConv2dNativeBackpropInput,
} from './kernels/depthwise_conv2d_backprop.js';
import { rememberOriginalKernel } from './kernels/kernel_runner.js';
import { makeMaxPoolGrad } from './kernels/max_pool_grad.js';
import { makeSplitV } from './kernels/split_v.js';
import { makeUnsortedSegmentSum } from './kernels/unsorted_segment_sum.js';
import { makeWinogradConv2D } from './kernels/winograd/winograd_conv2d.js';

/**
 * The kernels {@link registerWasmTrainingKernels} installs, and why:
 * missing from tfjs-wasm 4.22 (`Conv2DBackpropFilter`, `DepthwiseConv2dNativeBackpropFilter`,
 * `DepthwiseConv2dNativeBackpropInput`, `UnsortedSegmentSum`) or registered but an order of magnitude
 * slower than the rewrite (`Conv2DBackpropInput`, `BatchMatMul` with transpose flags), or giving wrong
 * results (`MaxPoolGrad`: the gradient lands on the wrong element in some windows;
 * `Conv3DBackpropInputV2`: wrong values; `Conv3DBackpropFilterV2`: wrong for strides above 1; all three
 * Conv3D kernels ≈40× slower than the same work as 2D convolutions). `SplitV` (concatenate's gradient)
 * is replaced because the native kernel's one strided slice per part is ≈5× slower than copying runs,
 * and `Concat` (the skip connections) for the same reason. The batch-norm chain's kernels are
 * replaced where tfjs-wasm takes a slow generic path: `Sum` and `Mean` over the leading axes (native:
 * transpose first), `Add`, `Sub`, `Multiply`, `RealDiv` broadcasting a per-channel operand (native:
 * per-element index arithmetic) and `FusedBatchNorm` (same); each keeps the native kernel for every
 * other case.
 */
export const WASM_TRAINING_KERNELS: readonly string[] = [
  'Conv2DBackpropFilter',
  'Conv2DBackpropInput',
  'DepthwiseConv2dNativeBackpropFilter',
  'DepthwiseConv2dNativeBackpropInput',
  'UnsortedSegmentSum',
  'BatchMatMul',
  'MaxPoolGrad',
  'Conv3D',
  'Conv3DBackpropInputV2',
  'Conv3DBackpropFilterV2',
  'SplitV',
  'Concat',
  'Sum',
  'Mean',
  'Add',
  'Sub',
  'Multiply',
  'RealDiv',
  'FusedBatchNorm',
  'Conv2D',
  'FusedConv2D',
];

const factories: Record<string, (backendName: string) => KernelFunc> = {
  Conv2DBackpropFilter: makeConv2DBackpropFilter,
  Conv2DBackpropInput: makeConv2DBackpropInput,
  DepthwiseConv2dNativeBackpropFilter: makeDepthwiseConv2dNativeBackpropFilter,
  DepthwiseConv2dNativeBackpropInput: makeDepthwiseConv2dNativeBackpropInput,
  UnsortedSegmentSum: makeUnsortedSegmentSum,
  BatchMatMul: makeBatchMatMul,
  MaxPoolGrad: makeMaxPoolGrad,
  Conv3D: makeConv3D,
  Conv3DBackpropInputV2: makeConv3DBackpropInputV2,
  Conv3DBackpropFilterV2: makeConv3DBackpropFilterV2,
  SplitV: makeSplitV,
  Concat: makeConcat,
  Sum: (name) => makeLeadingAxesReduce('Sum', name),
  Mean: (name) => makeLeadingAxesReduce('Mean', name),
  Add: (name) => makeBroadcastBinary('Add', name),
  Sub: (name) => makeBroadcastBinary('Sub', name),
  Multiply: (name) => makeBroadcastBinary('Multiply', name),
  RealDiv: (name) => makeBroadcastBinary('RealDiv', name),
  FusedBatchNorm: makeFusedBatchNorm,
  Conv2D: (name) => makeWinogradConv2D('Conv2D', name),
  FusedConv2D: (name) => makeWinogradConv2D('FusedConv2D', name),
};

const ours = new WeakSet<KernelFunc>();

/**
 * Registers the training kernels for tfjs' wasm backend (see {@link WASM_TRAINING_KERNELS}). They are
 * composed of the wasm backend's own native kernels (XNNPACK convolution and matrix product,
 * transpose, pad, depthToSpace), never JavaScript loops. Idempotent.
 *
 * {@link initBackend} calls this; call it yourself only when you set up the wasm backend yourself.
 * Calling it before `tf.setBackend('wasm')` is best; afterwards also works, because each override keeps
 * the original kernel's `setupFunc`.
 *
 * @param backendName - the name the wasm backend is registered under (default `wasm`)
 * @returns the kernel names newly registered by this call (empty when already done)
 */
export function registerWasmTrainingKernels(backendName = 'wasm'): string[] {
  const registered: string[] = [];
  for (const kernelName of WASM_TRAINING_KERNELS) {
    const existing = getKernel(kernelName, backendName);
    if (existing !== undefined && ours.has(existing.kernelFunc)) continue;
    const kernelFunc = factories[kernelName]!(backendName);
    ours.add(kernelFunc);
    const config: KernelConfig = existing === undefined ? { kernelName, backendName, kernelFunc } : { ...existing, kernelFunc };
    if (existing !== undefined) {
      rememberOriginalKernel(existing);
      // Unregister first: registering over an existing kernel logs a warning on every start.
      unregisterKernel(kernelName, backendName);
    }
    registerKernel(config);
    registered.push(kernelName);
  }
  return registered;
}
