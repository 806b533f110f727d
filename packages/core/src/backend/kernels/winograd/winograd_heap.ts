import type { TensorInfo } from '@tensorflow/tfjs-core';
import type { KernelRunner } from '../kernel_runner.js';
import type { WasmMemory } from './winograd_module.js';

/** Winograd tile size: F(4×4, 3×3) maps 6×6 input tiles to 4×4 output tiles. */
export const TILE = 4;
/** The 36 = 6×6 element-wise products of F(4×4, 3×3), each one matrix product. */
export const PRODUCTS = 36;

/**
 * Below this many multiply-adds per output pixel (cin·cout) the transforms cost more than the
 * products save; measured with packages/core/bench/winograd-conv2d.ts (8×8 channels breaks even).
 */
export const MIN_CHANNEL_PRODUCT = 16 * 16;

/** Whether Winograd may run (`PEDSEG_WINOGRAD=0` keeps the native kernels; read on every call). */
export function winogradEnabled(): boolean {
  const flag = typeof process !== 'undefined' ? process.env?.['PEDSEG_WINOGRAD'] : undefined;
  return flag !== '0' && flag !== 'false';
}

/** Byte offset of a float32 tensor on the wasm heap. */
export const heapPointer = (runner: KernelRunner, info: TensorInfo): number => runner.heapView(info).byteOffset;

/**
 * Three tables of 36 addresses on the heap (a temporary of the runner), for the transforms' matrix
 * arguments. `write(slot, matrices)` fills slot 0, 1 or 2 and returns its address. Addresses are byte
 * offsets, so they stay valid when a later allocation grows the heap.
 */
export function addressTables(runner: KernelRunner, memory: WasmMemory): (slot: number, matrices: TensorInfo[]) => number {
  const tables = runner.heapOutput([3 * PRODUCTS]);
  const base = heapPointer(runner, tables);
  return (slot, matrices) => {
    const address = base + slot * PRODUCTS * 4;
    new Int32Array(memory.buffer, address, PRODUCTS).set(matrices.map((t) => heapPointer(runner, t)));
    return address;
  };
}

/** `count` zeros on the heap (a temporary of the runner). */
export function heapZeros(runner: KernelRunner, count: number): TensorInfo {
  const zeros = runner.heapOutput([count]);
  runner.heapView(zeros).fill(0);
  return zeros;
}
