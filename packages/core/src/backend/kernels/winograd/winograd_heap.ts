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

/**
 * Most floats the 36 product operands of one pass may hold (V and M, or Vᵀ and dM: 2.25× the input
 * plus 2.25× the output per batch item); larger batches run in chunks of whole batch items, so a
 * batch of 256² activations cannot exhaust the wasm heap. 32 Mi floats = 128 MiB.
 */
export const MAX_PRODUCT_FLOATS = 32 * 1024 * 1024;

let productFloatLimit = MAX_PRODUCT_FLOATS;

/**
 * Sets the chunking bound (default {@link MAX_PRODUCT_FLOATS}) and returns the previous one; tests
 * lower it to exercise several chunks on small tensors.
 */
export function setProductFloatLimit(floats: number): number {
  const previous = productFloatLimit;
  productFloatLimit = floats;
  return previous;
}

/** Chunks [first, count] of batch items whose product operands stay within the bound. */
export function batchChunks(batch: number, floatsPerItem: number): Array<[first: number, count: number]> {
  const perChunk = Math.max(1, Math.floor(productFloatLimit / Math.max(1, floatsPerItem)));
  const chunks: Array<[number, number]> = [];
  for (let first = 0; first < batch; first += perChunk) chunks.push([first, Math.min(perChunk, batch - first)]);
  return chunks;
}
