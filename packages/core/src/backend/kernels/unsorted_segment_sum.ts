import { util, type KernelFunc, type TensorInfo } from '@tensorflow/tfjs-core';
import { withRunner } from './kernel_runner.js';

/**
 * `UnsortedSegmentSum` (missing from tfjs-wasm; the gradient of gather) as a matrix product:
 * out[s, …] = Σ_i [ids_i = s] · x[i, …] = oneHot(ids, S)ᵀ · x. Ids outside [0, S) select nothing,
 * as on the cpu backend. int32 data is summed in float32 and cast back (exact below 2^24).
 */
export function makeUnsortedSegmentSum(backendName: string): KernelFunc {
  return ({ inputs, backend, attrs }) =>
    withRunner(backend, backendName, (runner) => {
      const { x, segmentIds } = inputs as { x: TensorInfo; segmentIds: TensorInfo };
      const { numSegments } = attrs as unknown as { numSegments: number };
      const idCount = util.sizeFromShape(segmentIds.shape);
      const inner = x.shape.slice(segmentIds.shape.length);
      const innerSize = util.sizeFromShape(inner);
      const ids = runner.reshape(segmentIds.dtype === 'int32' ? segmentIds : runner.run('Cast', { x: segmentIds }, { dtype: 'int32' }), [idCount]);
      // tfjs-wasm's OneHot writes int32 values whatever `dtype` says, so ask for int32 and cast.
      const oneHot = runner.run('OneHot', { indices: ids }, { depth: numSegments, onValue: 1, offValue: 0, dtype: 'int32' });
      const oneHotFloat = runner.run('Cast', { x: oneHot }, { dtype: 'float32' });
      const selector = runner.reshape(runner.transpose(oneHotFloat, [1, 0]), [1, numSegments, idCount]);
      const xFloat = x.dtype === 'float32' ? x : runner.run('Cast', { x }, { dtype: 'float32' });
      const values = runner.reshape(xFloat, [1, idCount, innerSize]);
      const summed = runner.reshape(runner.matMul(selector, values), [numSegments, ...inner]);
      return x.dtype === 'float32' ? summed : runner.run('Cast', { x: summed }, { dtype: x.dtype });
    });
}
