import type { KernelFunc, TensorInfo } from '@tensorflow/tfjs-core';
import { withRunner } from './kernel_runner.js';

/** Swaps the last two axes. */
function innerTransposePerm(rank: number): number[] {
  const perm = Array.from({ length: rank }, (_, i) => i);
  perm[rank - 2] = rank - 1;
  perm[rank - 1] = rank - 2;
  return perm;
}

/**
 * `BatchMatMul` for a backend whose native kernel is slow with `transposeA`/`transposeB` (tfjs-wasm:
 * 1024×512×1024 with transposeB ≈1.7 s against ≈90 ms untransposed): transpose the flagged operand
 * explicitly, then run the original kernel without flags. Unflagged calls go straight through.
 */
export function makeBatchMatMul(backendName: string): KernelFunc {
  return ({ inputs, backend, attrs }) =>
    withRunner(backend, backendName, (runner) => {
      const { a, b } = inputs as { a: TensorInfo; b: TensorInfo };
      const { transposeA, transposeB } = (attrs ?? {}) as { transposeA?: boolean; transposeB?: boolean };
      if (a.dtype !== 'float32' || b.dtype !== 'float32' || (!transposeA && !transposeB)) {
        return runner.runKeep('BatchMatMul', { a, b }, { transposeA: !!transposeA, transposeB: !!transposeB });
      }
      const aPlain = transposeA ? runner.transpose(a, innerTransposePerm(a.shape.length)) : a;
      const bPlain = transposeB ? runner.transpose(b, innerTransposePerm(b.shape.length)) : b;
      return runner.runKeep('BatchMatMul', { a: aPlain, b: bPlain }, { transposeA: false, transposeB: false });
    });
}
