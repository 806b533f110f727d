import { backend_util, type DataId, type KernelFunc, type TensorInfo } from '@tensorflow/tfjs-core';
import { withRunner, type KernelRunner } from '../kernel_runner.js';
import { addressTables, batchChunks, heapPointer as pointer, heapZeros, MIN_CHANNEL_PRODUCT, PRODUCTS, TILE, winogradEnabled } from './winograd_heap.js';
import { wasmBackendMemory, winogradTransformsFor, type WasmMemory, type WinogradTransforms } from './winograd_module.js';

/** Attributes shared by tfjs' `Conv2D` and `FusedConv2D` kernels. */
interface Conv2DAttrs {
  strides: [number, number] | number;
  pad: 'valid' | 'same' | number | backend_util.ExplicitPadding;
  dataFormat: 'NHWC' | 'NCHW';
  dilations: [number, number] | number;
  dimRoundingMode?: 'floor' | 'round' | 'ceil';
  activation?: string;
}

/** Fused activations folded into the output transform as a clamp [lo, hi]. */
const CLAMPS: Record<string, [number, number]> = {
  linear: [-Infinity, Infinity],
  relu: [0, Infinity],
  relu6: [0, 6],
};

const single = (v: [number, number] | number): [number, number] => (typeof v === 'number' ? [v, v] : v);

/** The convolution geometry when Winograd F(4×4, 3×3) applies, else undefined. */
function winogradGeometry(x: TensorInfo, filter: TensorInfo, attrs: Conv2DAttrs, activation: string): backend_util.Conv2DInfo | undefined {
  if (x.dtype !== 'float32' || filter.dtype !== 'float32' || x.shape.length !== 4 || filter.shape.length !== 4) return undefined;
  if (attrs.dataFormat !== 'NHWC' || CLAMPS[activation] === undefined) return undefined;
  const [kh, kw, cin, cout] = filter.shape as [number, number, number, number];
  if (kh !== 3 || kw !== 3 || cin % 4 !== 0 || cout % 4 !== 0 || cin * cout < MIN_CHANNEL_PRODUCT) return undefined;
  const [sy, sx] = single(attrs.strides);
  const [dy, dx] = single(attrs.dilations);
  if (sy !== 1 || sx !== 1 || dy !== 1 || dx !== 1) return undefined;
  const info = backend_util.computeConv2DInfo(
    x.shape as [number, number, number, number],
    filter.shape as [number, number, number, number],
    [1, 1],
    [1, 1],
    attrs.pad,
    attrs.dimRoundingMode,
    false,
    'channelsLast',
  );
  return info.outHeight > 0 && info.outWidth > 0 ? info : undefined;
}

/** The part of tfjs-wasm's backend the filter cache needs. */
interface CachingBackend {
  dataIdMap: { has(dataId: DataId): boolean };
  disposeData(dataId: DataId, force?: boolean): boolean;
}

/** Transformed filters (36 matrices [1, cin, cout]) by the filter's data id, per backend. */
const filterCaches = new WeakMap<object, Map<DataId, TensorInfo[]>>();
/** Filters seen once: a filter is cached from its second use on (training uses each filter once). */
const seenFilters = new WeakSet<DataId>();
/** Most floats the cache keeps per backend (256 MiB); the oldest entries go first. */
const MAX_CACHED_FLOATS = 64 * 1024 * 1024;
/**
 * Fewest tiles (batch · ⌈oh/4⌉ · ⌈ow/4⌉) for which Winograd beats the native kernel when the filter
 * must be transformed and packed for this call alone (bench/winograd-conv2d.ts, fresh filters on both
 * sides, 2 threads: 16 tiles ≈1.7× slower, 64 even, 256 1.5–1.9× faster).
 */
const MIN_TILES_UNCACHED = 128;

const floatsOf = (u: TensorInfo[]): number => u.length * u[0]!.shape[1]! * u[0]!.shape[2]!;

/** Frees the entries whose filter the backend no longer holds, then the oldest beyond the budget. */
function sweep(backend: CachingBackend, cache: Map<DataId, TensorInfo[]>, keep?: DataId): void {
  let floats = 0;
  for (const [dataId, u] of cache) {
    if (backend.dataIdMap.has(dataId)) {
      floats += floatsOf(u);
      continue;
    }
    for (const t of u) backend.disposeData(t.dataId);
    cache.delete(dataId);
  }
  for (const [dataId, u] of cache) {
    if (floats <= MAX_CACHED_FLOATS) break;
    if (dataId === keep) continue;
    for (const t of u) backend.disposeData(t.dataId);
    cache.delete(dataId);
    floats -= floatsOf(u);
  }
}

/**
 * The filter's 36 transformed matrices, or undefined when the native kernel is the faster choice.
 * A filter used a second time (inference) is transformed once and cached: XNNPACK then also keeps
 * its packed copy of each matrix, which it would otherwise repack on every call. A filter seen for
 * the first time (every filter of a training step) is transformed into temporaries of this call,
 * and only when the image has enough tiles to pay for that. Cache entries whose filter the backend
 * no longer holds are freed on the next call.
 */
function transformedFilter(
  runner: KernelRunner,
  transforms: WinogradTransforms,
  filter: TensorInfo,
  tiles: number,
  writeTable: (slot: number, infos: TensorInfo[]) => number,
): TensorInfo[] | undefined {
  const backend = runner.backend as CachingBackend;
  let cache = filterCaches.get(backend);
  if (cache === undefined) {
    cache = new Map();
    filterCaches.set(backend, cache);
  }
  sweep(backend, cache);
  const hit = cache.get(filter.dataId);
  if (hit !== undefined) {
    // Refresh its age for the eviction order.
    cache.delete(filter.dataId);
    cache.set(filter.dataId, hit);
    return hit;
  }
  const reused = seenFilters.has(filter.dataId);
  seenFilters.add(filter.dataId);
  if (!reused && tiles < MIN_TILES_UNCACHED) return undefined;
  const [, , cin, cout] = filter.shape as [number, number, number, number];
  const u = Array.from({ length: PRODUCTS }, () => runner.heapOutput([1, cin, cout]));
  transforms.filterTransform(pointer(runner, filter), cin, cout, writeTable(0, u));
  if (reused) {
    for (const t of u) runner.release(t);
    cache.set(filter.dataId, u);
    sweep(backend, cache, filter.dataId);
  }
  return u;
}

/**
 * y = act(conv(x, filter) + bias) by Winograd F(4×4, 3×3): each 6×6 input tile d and 3×3 filter g
 * give a 4×4 output tile Aᵀ[(G g Gᵀ) ⊙ (Bᵀ d B)]A. Summed over input channels, the element-wise
 * product becomes 36 matrix products [tiles, cin]×[cin, cout] run on XNNPACK (tfjs-wasm's
 * `BatchMatMul`): 36·cin·cout multiply-adds per 16 outputs instead of 9·16, a 4× cut. The transforms
 * run in a small SIMD module on the same heap (winograd_wat.ts), so nothing is copied.
 *
 * Float32 error grows with the transform's constants (up to 8 and 1/24): ≈1e-6 relative to the output
 * magnitude for the networks here, against ≈1e-7 for direct summation.
 */
function winogradConv2D(
  runner: KernelRunner,
  transforms: WinogradTransforms,
  memory: WasmMemory,
  x: TensorInfo,
  filter: TensorInfo,
  bias: TensorInfo | undefined,
  info: backend_util.Conv2DInfo,
  clamp: [number, number],
): TensorInfo | undefined {
  const { batchSize: n, inHeight: h, inWidth: w, inChannels: cin, outChannels: cout, outHeight: oh, outWidth: ow } = info;
  const tilesY = Math.ceil(oh / TILE);
  const tilesX = Math.ceil(ow / TILE);
  const tiles = n * tilesY * tilesX;
  const writeTable = addressTables(runner, memory);
  const u = transformedFilter(runner, transforms, filter, tiles, writeTable);
  if (u === undefined) return undefined;
  const zero = heapZeros(runner, cin);
  const sink = runner.heapOutput([cout]);
  const y = runner.heapOutput([n, oh, ow, cout]);
  const biasPointer = bias === undefined ? 0 : pointer(runner, bias);
  const tilesPerItem = tilesY * tilesX;
  const chunks = batchChunks(n, PRODUCTS * tilesPerItem * (cin + cout));
  let v: TensorInfo[] = [];
  for (const [first, count] of chunks) {
    const rows = count * tilesPerItem;
    if (v[0]?.shape[1] !== rows) {
      runner.free(v);
      v = Array.from({ length: PRODUCTS }, () => runner.heapOutput([1, rows, cin]));
    }
    const xAt = pointer(runner, x) + first * h * w * cin * 4;
    transforms.inputTransform(xAt, count, h, w, cin, info.padInfo.top, info.padInfo.left, tilesY, tilesX, writeTable(1, v), pointer(runner, zero));
    const m = v.map((vk, k) => runner.run('BatchMatMul', { a: vk, b: u[k]! }, { transposeA: false, transposeB: false }));
    const yAt = pointer(runner, y) + first * oh * ow * cout * 4;
    transforms.outputTransform(writeTable(2, m), count, oh, ow, cout, tilesY, tilesX, yAt, biasPointer, clamp[0], clamp[1], pointer(runner, sink));
    runner.free(m);
  }
  return y;
}

/**
 * `Conv2D` / `FusedConv2D` for tfjs-wasm: 3×3, stride-1, undilated NHWC convolutions with channel counts
 * divisible by 4 (and cin·cout ≥ 256) run as Winograd F(4×4, 3×3), ≈2.5–3× faster than the native
 * XNNPACK direct convolution on 2 threads; `FusedConv2D` folds a per-channel bias and a linear, relu or
 * relu6 activation into the output transform. Every other case, and backends without the heap, keep
 * the native kernel. Only the forward value changes implementation: gradients are the registered ones.
 */
export function makeWinogradConv2D(kernelName: 'Conv2D' | 'FusedConv2D', backendName: string): KernelFunc {
  return ({ inputs, backend, attrs }) =>
    withRunner(backend, backendName, (runner) => {
      const { x, filter, bias, preluActivationWeights } = inputs as Record<string, TensorInfo | undefined> & { x: TensorInfo; filter: TensorInfo };
      const convAttrs = attrs as unknown as Conv2DAttrs;
      const activation = kernelName === 'FusedConv2D' ? (convAttrs.activation ?? 'linear') : 'linear';
      const memory = runner.hasHeap() && winogradEnabled() ? wasmBackendMemory(backend) : undefined;
      const transforms = memory ? winogradTransformsFor(memory) : null;
      const info = transforms ? winogradGeometry(x, filter, convAttrs, activation) : undefined;
      // Rank-1 [cout] only, as the native kernel: another shape of cout elements may broadcast along width.
      const biasFits = bias === undefined || (bias.dtype === 'float32' && bias.shape.length === 1 && bias.shape[0] === filter.shape[3]);
      const y =
        memory && transforms && info && biasFits && preluActivationWeights === undefined
          ? winogradConv2D(runner, transforms, memory, x, filter, bias, info, CLAMPS[activation]!)
          : undefined;
      return y ?? runner.runKeep(kernelName, inputs as Record<string, TensorInfo>, attrs);
    });
}
