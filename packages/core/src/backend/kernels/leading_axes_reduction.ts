import { util, type KernelFunc, type TensorInfo } from '@tensorflow/tfjs-core';
import { withRunner } from './kernel_runner.js';

/** Attributes of tfjs' `Sum` and `Mean` kernels. */
interface ReductionAttrs {
  axis: number | number[];
  keepDims: boolean;
}

/** Fewest reduced elements per output for which the matrix product is used (below: the native kernel). */
const MIN_REDUCED_SIZE = 256;

/**
 * `Sum` / `Mean` for a backend whose native reduction first transposes the reduced axes innermost
 * (tfjs-wasm: a full copy of the activation, then a scalar loop — ≈2–5 ms for the batch statistics of a
 * 4×128×128×16 activation). When the reduced axes are the leading ones — batch-norm moments over
 * [0, 1, 2] of NHWC — x already is a [P, C] matrix, and the reduction is the plain matrix product of a
 * [1, P] row of ones (1/P for the mean) with it (≈0.5 ms there). Other axes, dtypes and small
 * reductions go to the original kernel.
 */
function makeLeadingAxesReduction(kernelName: 'Sum' | 'Mean', backendName: string): KernelFunc {
  return ({ inputs, backend, attrs }) =>
    withRunner(backend, backendName, (runner) => {
      const { x } = inputs as { x: TensorInfo };
      const { axis, keepDims } = attrs as unknown as ReductionAttrs;
      const axes = util.parseAxisParam(axis, x.shape).sort((a, b) => a - b);
      const leading = axes.every((a, i) => a === i);
      const reduced = util.sizeFromShape(x.shape.slice(0, axes.length));
      const kept = util.sizeFromShape(x.shape.slice(axes.length));
      if (!runner.hasHeap() || x.dtype !== 'float32' || !leading || axes.length === 0 || reduced < MIN_REDUCED_SIZE || kept === 0) {
        return runner.runKeep(kernelName, { x }, attrs);
      }
      const weights = runner.heapOutput([1, 1, reduced]);
      runner.heapView(weights).fill(kernelName === 'Mean' ? 1 / reduced : 1);
      const product = runner.matMul(weights, runner.reshape(x, [1, reduced, kept]));
      const kepts = x.shape.slice(axes.length);
      return runner.reshape(product, keepDims ? [...axes.map(() => 1), ...kepts] : kepts);
    });
}

/** `Sum` over leading axes as a matrix product; see {@link makeLeadingAxesReduction}. */
export function makeSum(backendName: string): KernelFunc {
  return makeLeadingAxesReduction('Sum', backendName);
}

/** `Mean` over leading axes as a matrix product; see {@link makeLeadingAxesReduction}. */
export function makeMean(backendName: string): KernelFunc {
  return makeLeadingAxesReduction('Mean', backendName);
}
