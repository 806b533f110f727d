import { backend_util, util, type KernelFunc, type TensorInfo } from '@tensorflow/tfjs-core';
import { originalKernel } from './kernel_runner.js';

/** tfjs-wasm's direct heap access (BackendWasm.makeOutput / typedArrayFromHeap). */
interface HeapBackend {
  makeOutput(shape: number[], dtype: 'float32'): TensorInfo;
  typedArrayFromHeap(info: TensorInfo): Float32Array;
}

/** Runs lengths from which `copyWithin` beats an element loop (its call overhead dominates below). */
const MIN_COPY_WITHIN = 32;

/**
 * `Concat` for tfjs-wasm, the counterpart of `SplitV` override's copies: each input's run of every
 * output row is copied directly on the heap. The native kernel goes through tfjs' generic JS
 * concatenation (≈5 ms to join two 4×128×128×16 activations along channels, a UNet's skip connection).
 * Non-float32 inputs, a single non-empty input and backends without heap access go to the original
 * kernel.
 */
export function makeConcat(backendName: string): KernelFunc {
  return (args) => {
    const { backend, attrs } = args;
    const inputs = Object.values(args.inputs) as TensorInfo[];
    const { makeOutput, typedArrayFromHeap } = backend as Partial<HeapBackend>;
    const parts = inputs.filter((t) => util.sizeFromShape(t.shape) > 0);
    if (
      typeof makeOutput !== 'function' ||
      typeof typedArrayFromHeap !== 'function' ||
      parts.length < 2 ||
      inputs.some((t) => t.dtype !== 'float32')
    ) {
      const original = originalKernel('Concat', backendName);
      if (original === undefined) throw new Error(`Concat on '${backendName}': no original kernel to fall back to.`);
      return original.kernelFunc(args);
    }
    const { axis } = attrs as unknown as { axis: number | number[] };
    const dim = util.parseAxisParam(axis, inputs[0]!.shape)[0]!;
    backend_util.assertParamsConsistent(
      inputs.map((t) => t.shape),
      dim,
    );
    const outShape = backend_util.computeOutShape(
      inputs.map((t) => t.shape),
      dim,
    );
    const out = makeOutput.call(backend, outShape, 'float32');
    const outer = util.sizeFromShape(outShape.slice(0, dim));
    const inner = util.sizeFromShape(outShape.slice(dim + 1));
    const rowLength = outShape[dim]! * inner;
    // Views after the last allocation: heap growth detaches earlier ones.
    const target = typedArrayFromHeap.call(backend, out);
    const heap = new Float32Array(target.buffer);
    const targetBase = target.byteOffset / 4;
    let offset = 0;
    for (const part of parts) {
      const length = part.shape[dim]! * inner;
      const sourceBase = typedArrayFromHeap.call(backend, part).byteOffset / 4;
      for (let row = 0; row < outer; row++) {
        const from = sourceBase + row * length;
        const to = targetBase + row * rowLength + offset;
        if (length >= MIN_COPY_WITHIN) {
          heap.copyWithin(to, from, from + length);
        } else {
          for (let k = 0; k < length; k++) heap[to + k] = heap[from + k]!;
        }
      }
      offset += length;
    }
    return out;
  };
}
