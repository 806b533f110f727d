import type { backend_util, TensorInfo } from '@tensorflow/tfjs-core';
import type { KernelRunner } from '../kernel_runner.js';
import { addressTables, batchChunks, heapPointer, heapZeros, MIN_CHANNEL_PRODUCT, PRODUCTS, TILE, winogradEnabled } from './winograd_heap.js';
import { wasmBackendMemory, winogradTransformsFor } from './winograd_module.js';

/**
 * Fewest tiles (batch · ⌈oh/4⌉ · ⌈ow/4⌉) from which the Winograd filter gradient is used: the 36
 * products then have a long enough inner dimension (the tiles) to beat the direct method.
 */
const MIN_TILES = 64;

/** Whether {@link winogradFilterGradient} applies to this gradient. */
function applies(runner: KernelRunner, x: TensorInfo, dy: TensorInfo, info: backend_util.Conv2DInfo): boolean {
  const tiles = info.batchSize * Math.ceil(info.outHeight / TILE) * Math.ceil(info.outWidth / TILE);
  return (
    runner.hasHeap() &&
    winogradEnabled() &&
    x.dtype === 'float32' &&
    dy.dtype === 'float32' &&
    info.filterHeight === 3 &&
    info.filterWidth === 3 &&
    info.strideHeight === 1 &&
    info.strideWidth === 1 &&
    info.dilationHeight === 1 &&
    info.dilationWidth === 1 &&
    info.inChannels % 4 === 0 &&
    info.outChannels % 4 === 0 &&
    info.inChannels * info.outChannels >= MIN_CHANNEL_PRODUCT &&
    tiles >= MIN_TILES
  );
}

/**
 * The filter gradient of a 3×3, stride-1 convolution by Winograd F(4×4, 3×3), or undefined when it
 * does not apply (the caller then takes another method). The forward pass is y_t = Aᵀ[Σ_ci U ⊙ V_t]A
 * per output tile t with U = G g Gᵀ, so by the chain rule dU_ξν = Σ_t V_t,ξνᵀ (A dY_t Aᵀ)_ξν — 36
 * matrix products [cin, tiles] × [tiles, cout] on XNNPACK, a quarter of the direct method's
 * multiply-adds — and dg = Gᵀ dU G. Exact up to float32 rounding: the forward identity is exact.
 */
export function winogradFilterGradient(runner: KernelRunner, x: TensorInfo, dy: TensorInfo, info: backend_util.Conv2DInfo): TensorInfo | undefined {
  if (!applies(runner, x, dy, info)) return undefined;
  const memory = wasmBackendMemory(runner.backend);
  const transforms = memory ? winogradTransformsFor(memory) : null;
  if (!memory || !transforms) return undefined;
  const { batchSize: n, inHeight: h, inWidth: w, inChannels: cin, outChannels: cout, outHeight: oh, outWidth: ow } = info;
  const tilesY = Math.ceil(oh / TILE);
  const tilesX = Math.ceil(ow / TILE);
  const tilesPerItem = tilesY * tilesX;
  const writeTable = addressTables(runner, memory);
  const zero = heapZeros(runner, Math.max(cin, cout));
  let total: TensorInfo | undefined;
  // Chunks of whole batch items bound the operands; their gradients add up.
  for (const [first, count] of batchChunks(n, PRODUCTS * tilesPerItem * (cin + cout))) {
    const tiles = count * tilesPerItem;
    const vT = Array.from({ length: PRODUCTS }, () => runner.heapOutput([1, cin, tiles]));
    const dm = Array.from({ length: PRODUCTS }, () => runner.heapOutput([1, tiles, cout]));
    const xAt = heapPointer(runner, x) + first * h * w * cin * 4;
    const dyAt = heapPointer(runner, dy) + first * oh * ow * cout * 4;
    transforms.inputTransformTransposed(xAt, count, h, w, cin, info.padInfo.top, info.padInfo.left, tilesY, tilesX, writeTable(0, vT), heapPointer(runner, zero));
    transforms.outputGradientTransform(dyAt, count, oh, ow, cout, tilesY, tilesX, writeTable(1, dm), heapPointer(runner, zero));
    const du = vT.map((v, k) => runner.run('BatchMatMul', { a: v, b: dm[k]! }, { transposeA: false, transposeB: false }));
    runner.free([...vT, ...dm]);
    const dw = runner.heapOutput([3, 3, cin, cout]);
    transforms.filterGradientTransform(writeTable(2, du), cin, cout, heapPointer(runner, dw));
    runner.free(du);
    total = total === undefined ? dw : runner.run('Add', { a: total, b: dw });
  }
  return total;
}
