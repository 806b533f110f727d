import { squaredDistanceToFeatures } from '@pedseg/volume';
import type { Vec3 } from '@pedseg/volume';
import type { ResolvedBall } from './radius.js';

/**
 * How ball morphology finds the voxels within the radius of a set. Both are exact and give identical
 * results: `'edt'` thresholds the exact Euclidean distance transform of `@pedseg/volume` (cost
 * independent of the radius), `'scan'` runs a separable min-plus scan truncated to the radius (cost
 * grows with the radius, but it is several times faster for the small radii of the papers). `'auto'`
 * (default) picks `'scan'` when the ball spans at most 25 voxels along y and z together.
 */
export type BallMethod = 'auto' | 'edt' | 'scan';

/** Largest `extent[1] + extent[2]` for which `'auto'` picks the scan. */
const SCAN_LIMIT = 24;

/**
 * Squared distance (in the ball's units) from every voxel of the box to the nearest feature, exact
 * wherever it is ≤ `ball.threshold`; elsewhere it is some value > threshold (possibly Infinity).
 */
export function squaredDistanceUpToBall(
  features: Uint8Array,
  shape: Vec3,
  ball: ResolvedBall,
  method: BallMethod,
): Float32Array | Uint8Array {
  const useScan = method === 'scan' || (method === 'auto' && ball.extent[1] + ball.extent[2] <= SCAN_LIMIT);
  if (!useScan) return squaredDistanceToFeatures(features, shape, ball.spacing);
  const voxelUnits = ball.spacing[0] === 1 && ball.spacing[1] === 1 && ball.spacing[2] === 1;
  return voxelUnits && ball.threshold <= BYTE_THRESHOLD_LIMIT ? byteScan(features, shape, ball) : truncatedScan(features, shape, ball);
}

/**
 * In voxel units squared distances are integers; capped at C = ⌊threshold⌋ + 1 they fit a byte, and
 * so does C + d² for every offset d of the ball while threshold ≤ 127 (radius < 11.3 voxels).
 */
const BYTE_THRESHOLD_LIMIT = 127;

/**
 * {@link truncatedScan} in voxel units on bytes: values ≤ threshold are exact squared distances, the
 * others are C; a quarter of the memory traffic of float32.
 */
function byteScan(features: Uint8Array, shape: Vec3, ball: ResolvedBall): Uint8Array {
  const [nx, ny, nz] = shape;
  const [ex, ey, ez] = ball.extent;
  const cap = Math.floor(ball.threshold) + 1;
  const n = nx * ny * nz;
  const a = new Uint8Array(n);
  // Integer sentinels (not ±Infinity) keep the scans in small-integer arithmetic.
  const far = 2 * nx + ex + 2;
  for (let row = 0; row < n; row += nx) {
    let last = -far;
    for (let x = 0; x < nx; x++) {
      if (features[row + x] !== 0) last = x;
      const d = x - last;
      a[row + x] = d <= ex ? d * d : cap;
    }
    let next = far;
    for (let x = nx - 1; x >= 0; x--) {
      if (features[row + x] !== 0) next = x;
      const d = next - x;
      if (d <= ex && d * d < a[row + x]!) a[row + x] = d * d;
    }
  }
  const b = new Uint8Array(n);
  minPlusBytes(a, b, nx, nx, ny, nz, ey);
  minPlusBytes(b, a, nx * ny, nx * ny, nz, 1, ez);
  return a;
}

/** {@link minPlusAlong} on bytes with integer spacing 1. */
function minPlusBytes(input: Uint8Array, output: Uint8Array, width: number, stride: number, count: number, blocks: number, extent: number): void {
  output.set(input);
  const block = stride * count;
  for (let d = 1; d <= extent; d++) {
    const c = d * d;
    const shift = d * stride;
    for (let base = 0; base < blocks * block; base += block) {
      for (let k = 0; k + d < count; k++) {
        const lo = base + k * stride;
        const hi = lo + shift;
        for (let x = 0; x < width; x++) {
          const up = input[hi + x]! + c;
          if (up < output[lo + x]!) output[lo + x] = up;
          const down = input[lo + x]! + c;
          if (down < output[hi + x]!) output[hi + x] = down;
        }
      }
    }
  }
}

/**
 * d²(x) = min over offsets o with |o_a| ≤ extent_a of Σ (o_a s_a)² over feature voxels x + o: the exact
 * squared distance whenever it is within the ball (such an offset lies in the extent box), by three
 * separable passes. Along x the nearest feature of each row comes from two linear scans; along y and z
 * the min-plus is done row by row so the inner loops run over contiguous memory.
 */
function truncatedScan(features: Uint8Array, shape: Vec3, ball: ResolvedBall): Float32Array {
  const [nx, ny, nz] = shape;
  const [ex, ey, ez] = ball.extent;
  const [sx, sy, sz] = ball.spacing;
  const n = nx * ny * nz;
  let a = new Float32Array(n);
  // Pass x: distance in voxels to the nearest feature of the row, kept only within the extent.
  const squaresX = new Float32Array(ex + 1);
  for (let d = 0; d <= ex; d++) squaresX[d] = d * d * sx * sx;
  const far = 2 * nx + ex + 2;
  for (let row = 0; row < n; row += nx) {
    let last = -far;
    for (let x = 0; x < nx; x++) {
      if (features[row + x] !== 0) last = x;
      const d = x - last;
      a[row + x] = d <= ex ? squaresX[d]! : Infinity;
    }
    let next = far;
    for (let x = nx - 1; x >= 0; x--) {
      if (features[row + x] !== 0) next = x;
      const d = next - x;
      if (d <= ex) {
        const v = squaresX[d]!;
        if (v < a[row + x]!) a[row + x] = v;
      }
    }
  }
  let b = new Float32Array(n);
  minPlusAlong(a, b, nx, nx, ny, nz, ey, sy);
  [a, b] = [b, a];
  minPlusAlong(a, b, nx * ny, nx * ny, nz, 1, ez, sz);
  return b;
}

/**
 * out[i] = min_{|d| ≤ extent} in[i + d·stride] + (d·s)², over `lines` lines of `count` rows of `width`
 * contiguous voxels each (stride = width for y, plane for z).
 */
function minPlusAlong(
  input: Float32Array,
  output: Float32Array,
  width: number,
  stride: number,
  count: number,
  blocks: number,
  extent: number,
  spacing: number,
): void {
  output.set(input);
  const block = stride * count;
  for (let d = 1; d <= extent; d++) {
    const c = d * d * spacing * spacing;
    const shift = d * stride;
    for (let base = 0; base < blocks * block; base += block) {
      // Rows k and k + d exchange their values plus c, in both directions.
      for (let k = 0; k + d < count; k++) {
        const lo = base + k * stride;
        const hi = lo + shift;
        for (let x = 0; x < width; x++) {
          const up = input[hi + x]! + c;
          if (up < output[lo + x]!) output[lo + x] = up;
          const down = input[lo + x]! + c;
          if (down < output[hi + x]!) output[hi + x] = down;
        }
      }
    }
  }
}
