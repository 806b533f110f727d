import { backend_util, util, type KernelFunc, type TensorInfo } from '@tensorflow/tfjs-core';
import { withRunner } from './kernel_runner.js';

/** Attributes of tfjs' `Sum` and `Mean` kernels. */
interface ReduceAttrs {
  axis: number | number[];
  keepDims: boolean;
}

/** Fewest reduced elements per output for which the matrix product is used (below, call overhead dominates). */
const MIN_REDUCED = 64;

/**
 * The number of leading axes `axes` reduces when they are exactly the first k axes of a rank-r tensor
 * (0 < k < r), else 0.
 */
export function leadingAxesCount(axes: number[], rank: number): number {
  const sorted = [...axes].sort((a, b) => a - b);
  if (sorted.length === 0 || sorted.length >= rank) return 0;
  return sorted.every((a, i) => a === i) ? sorted.length : 0;
}

/** Largest pooling window handed to XNNPACK (its multipass average pooling takes any size; a sane bound). */
const MAX_REDUCED = 1 << 26;

/**
 * `Sum` or `Mean` for tfjs-wasm. A reduction over the leading axes (batch-norm moments and their
 * gradients: NHWC over N, H, W) is run as XNNPACK's average pooling of x viewed as [1, P, 1, C] with a
 * [P, 1] window (multi-threaded, vectorised over channels), scaled by P for `Sum`. The native kernels
 * transpose the reduced axes to the end first and reduce on one thread: ≈4–13 ms against ≈0.3–0.5 ms
 * for a 4×128×128×C activation. Other reductions, non-float32 inputs and small ones go to the original
 * kernel.
 */
export function makeLeadingAxesReduce(kernelName: 'Sum' | 'Mean', backendName: string): KernelFunc {
  return ({ inputs, backend, attrs }) =>
    withRunner(backend, backendName, (runner) => {
      const { x } = inputs as { x: TensorInfo };
      const { axis, keepDims } = attrs as unknown as ReduceAttrs;
      const axes = util.parseAxisParam(axis, x.shape);
      const k = leadingAxesCount(axes, x.shape.length);
      const reduced = util.sizeFromShape(x.shape.slice(0, k));
      const kept = util.sizeFromShape(x.shape.slice(k));
      if (x.dtype !== 'float32' || k === 0 || reduced < MIN_REDUCED || reduced > MAX_REDUCED || kept === 0 || !runner.hasHeap()) {
        return runner.runKeep(kernelName, inputs, attrs);
      }
      const column = runner.reshape(x, [1, reduced, 1, kept]);
      let result = runner.run('AvgPool', { x: column }, { filterSize: [reduced, 1], strides: [1, 1], pad: 'valid' });
      if (kernelName === 'Sum') {
        const sum = runner.heapOutput([kept]);
        const [mean, target] = [runner.heapView(result), runner.heapView(sum)];
        for (let c = 0; c < kept; c++) target[c] = mean[c]! * reduced;
        result = sum;
      }
      const [outShape] = backend_util.computeOutAndReduceShapes(x.shape, axes);
      return runner.reshape(result, keepDims ? backend_util.expandShapeToKeepDim(outShape, axes) : outShape);
    });
}
