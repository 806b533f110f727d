import { backend_util, util, type KernelFunc, type TensorInfo } from '@tensorflow/tfjs-core';
import { type KernelRunner, withRunner } from './kernel_runner.js';

/** The element-wise kernels {@link makeBroadcastBinary} is registered for. */
export type BroadcastBinaryKernel = 'Add' | 'Sub' | 'Multiply' | 'RealDiv';

/** Smallest output (elements) for which the operand is expanded; below, the native loop is as fast. */
const MIN_OUTPUT = 4096;

/**
 * Whether `small` repeats along the leading axes of `outShape` only: its shape without leading 1s is a
 * suffix of `outShape` (a per-channel vector against NHWC features, a scalar, …).
 */
export function repeatsAlongLeadingAxes(small: readonly number[], outShape: readonly number[]): boolean {
  let first = 0;
  while (first < small.length && small[first] === 1) first++;
  const core = small.slice(first);
  if (core.length > outShape.length) return false;
  const offset = outShape.length - core.length;
  return core.every((d, i) => d === outShape[offset + i]);
}

/**
 * `small`'s values repeated to `outShape` by doubling copies on the heap (memory speed): the operand
 * the native kernel then sees has the output's shape, so it takes its plain element-wise loop.
 */
function expand(runner: KernelRunner, small: TensorInfo, outShape: number[]): TensorInfo {
  const out = runner.heapOutput(outShape);
  const source = runner.heapView(small);
  const target = runner.heapView(out);
  const block = source.length;
  target.set(source);
  for (let filled = block; filled < target.length; ) {
    const count = Math.min(filled, target.length - filled);
    target.copyWithin(filled, 0, count);
    filled += count;
  }
  return out;
}

/**
 * An element-wise binary kernel for tfjs-wasm whose broadcasting case is fast: when one float32 operand
 * has the output's shape and the other repeats along its leading axes (batch norm's per-channel scale,
 * shift and mean against NHWC activations), the small operand is first expanded to the full shape and
 * the native kernel runs without broadcasting. tfjs-wasm's broadcasting loop computes indices per
 * element, ≈1.3 ms for 4×128×128×16 · [16] on one thread, against ≈0.6 ms for the expansion plus the
 * plain loop (measured ≈1.3 ms against ≈0.6 ms in a full kernel call). Scalars (the native kernel has a
 * fast path for them) and every other case go to the original kernel.
 */
export function makeBroadcastBinary(kernelName: BroadcastBinaryKernel, backendName: string): KernelFunc {
  return ({ inputs, backend, attrs }) =>
    withRunner(backend, backendName, (runner) => {
      const { a, b } = inputs as { a: TensorInfo; b: TensorInfo };
      if (a.dtype !== 'float32' || b.dtype !== 'float32' || !runner.hasHeap() || util.arraysEqual(a.shape, b.shape)) {
        return runner.runKeep(kernelName, inputs, attrs);
      }
      const outShape = backend_util.assertAndGetBroadcastShape(a.shape, b.shape);
      const size = util.sizeFromShape(outShape);
      const aFull = util.arraysEqual(a.shape, outShape);
      const bFull = util.arraysEqual(b.shape, outShape);
      const small = aFull ? b : bFull ? a : undefined;
      // A scalar (size 1) is excluded: the native kernel has a fast path for it.
      const smallSize = small === undefined ? 0 : util.sizeFromShape(small.shape);
      if (size < MIN_OUTPUT || small === undefined || smallSize < 2 || !repeatsAlongLeadingAxes(small.shape, outShape)) {
        return runner.runKeep(kernelName, inputs, attrs);
      }
      const expanded = expand(runner, small, outShape);
      return runner.runKeep(kernelName, aFull ? { a, b: expanded } : { a: expanded, b }, attrs);
    });
}
