import { checkBox, checkLength, checkSpacing } from './validate.js';
import type { Box3, Vec3 } from './types.js';

/**
 * Felzenszwalb–Huttenlocher lower envelope of the unit parabolas `(p − q)² + f(q)` on a line of `n`
 * samples, reading `f[off + q]` and writing `d[off + p]`. Callers divide by the squared spacing before
 * and multiply after, so the inner loop has a single division. Samples with `f = +Infinity` carry no
 * feature and are left out of the envelope, so an all-infinite line stays infinite. `v` (n) and
 * `z` (n + 1) are reusable scratch.
 */
function lowerEnvelope(n: number, f: Float64Array, d: Float64Array, off: number, v: Int32Array, z: Float64Array): void {
  let k = -1;
  for (let q = 0; q < n; q++) {
    const fq = f[off + q]!;
    if (fq === Infinity) continue;
    if (k < 0) {
      k = 0;
      v[0] = q;
      z[0] = -Infinity;
      z[1] = Infinity;
      continue;
    }
    // Abscissa where the parabola rooted at q overtakes the current top of the envelope.
    const gq = fq + q * q;
    let p = v[k]!;
    let s = (gq - (f[off + p]! + p * p)) / (2 * (q - p));
    // z[0] = -Infinity, so k never drops below 0.
    while (s <= z[k]!) {
      k--;
      p = v[k]!;
      s = (gq - (f[off + p]! + p * p)) / (2 * (q - p));
    }
    k++;
    v[k] = q;
    z[k] = s;
    z[k + 1] = Infinity;
  }
  if (k < 0) {
    for (let p = 0; p < n; p++) d[off + p] = Infinity;
    return;
  }
  let j = 0;
  for (let p = 0; p < n; p++) {
    while (z[j + 1]! < p) j++;
    const q = v[j]!;
    const dp = p - q;
    d[off + p] = dp * dp + f[off + q]!;
  }
}

/**
 * Exact squared distance (mm²) along one row of `n` voxels (spacing² `sx2`) from each voxel to the
 * nearest feature of the same row, `features[src + x] !== 0`; +Infinity for a row without a feature.
 * Forward scan for the distance to the last feature on the left, backward scan for the right.
 */
function rowSquaredDistance(features: ArrayLike<number>, src: number, n: number, sx2: number, row: Float64Array): void {
  let last = -Infinity;
  for (let x = 0; x < n; x++) {
    if (features[src + x] !== 0) last = x;
    row[x] = x - last;
  }
  // No feature in this row: x − (−Infinity) already stored +Infinity everywhere.
  if (last === -Infinity) return;
  let next = Infinity;
  for (let x = n - 1; x >= 0; x--) {
    const fwd = row[x]!;
    if (fwd === 0) next = x;
    const back = next - x;
    const m = back < fwd ? back : fwd;
    row[x] = sx2 * m * m;
  }
}

/**
 * Exact squared Euclidean distance (mm²) from every voxel of the grid to the nearest voxel whose
 * `features` value is non-zero; anisotropic spacing honoured. All +Infinity if there is no feature voxel.
 * O(N) separable lower-envelope algorithm (Felzenszwalb–Huttenlocher / Meijster): an exact 1D
 * transform along x, then lower envelopes of parabolas along y and z, in Float64, rounded once to
 * Float32 at the end.
 *
 * @param features - non-zero marks a feature voxel; length `nx * ny * nz`, x fastest.
 * @param shape - `[nx, ny, nz]`.
 * @param spacing - voxel size in mm `[sx, sy, sz]`.
 * @returns squared distances in mm², x fastest, same shape.
 * @throws VolumeShapeError when the length does not match the shape; VolumeSpacingError for bad spacing.
 */
export function squaredDistanceToFeatures(
  features: ArrayLike<number>,
  shape: Vec3,
  spacing: Vec3,
): Float32Array {
  checkLength(features, shape, 'features');
  return transformBox(features, shape, spacing, { lo: [0, 0, 0], hi: shape });
}

/**
 * Same as {@link squaredDistanceToFeatures}, but only inside the box [lo, hi) (voxel indices); the result
 * has the box's shape (x fastest). Only feature voxels inside the box are seen, so the result is exact
 * for query points inside the box whenever every feature voxel lies inside the box (crop with
 * {@link boundingBox} of the features, grown by the query region, to save time on large volumes).
 *
 * @param features - non-zero marks a feature voxel; length `nx * ny * nz`, x fastest.
 * @param shape - `[nx, ny, nz]` of `features`.
 * @param spacing - voxel size in mm `[sx, sy, sz]`.
 * @param box - half-open box inside the grid.
 * @returns squared distances in mm² for the box's voxels, length `(hi − lo)` product.
 * @throws VolumeShapeError for a bad length or a box outside the grid; VolumeSpacingError for bad spacing.
 */
export function squaredDistanceToFeaturesInBox(
  features: ArrayLike<number>,
  shape: Vec3,
  spacing: Vec3,
  box: Box3,
): Float32Array {
  checkLength(features, shape, 'features');
  return transformBox(features, shape, spacing, box);
}

/**
 * Euclidean distance (mm) to the nearest feature voxel: the square root of
 * {@link squaredDistanceToFeatures}. +Infinity everywhere if there is no feature voxel.
 *
 * @param features - non-zero marks a feature voxel; length `nx * ny * nz`, x fastest.
 * @param shape - `[nx, ny, nz]`.
 * @param spacing - voxel size in mm.
 * @returns distances in mm, x fastest.
 */
export function distanceToFeatures(features: ArrayLike<number>, shape: Vec3, spacing: Vec3): Float32Array {
  const out = squaredDistanceToFeatures(features, shape, spacing);
  for (let i = 0; i < out.length; i++) out[i] = Math.sqrt(out[i]!);
  return out;
}

function transformBox(features: ArrayLike<number>, shape: Vec3, spacing: Vec3, box: Box3): Float32Array {
  checkSpacing(spacing);
  checkBox(box, shape);
  const [nx, ny] = shape;
  const [x0, y0, z0] = box.lo;
  const bx = box.hi[0] - x0;
  const by = box.hi[1] - y0;
  const bz = box.hi[2] - z0;
  const [sx, sy, sz] = spacing;
  const plane = bx * by;
  const work = new Float64Array(plane * bz);
  const out = new Float32Array(plane * bz);

  // Passes 2 and 3 run on transposed blocks (one contiguous line per column) so that the strided
  // reads of a column hit a small cache-resident buffer instead of the whole volume.
  const longest = Math.max(by, bz);
  const v = new Int32Array(longest);
  const zs = new Float64Array(longest + 1);
  const block = new Float64Array(bx * longest);
  const result = new Float64Array(bx * longest);
  const row = new Float64Array(bx);
  const sx2 = sx * sx;
  // Envelopes run in units of the line's spacing (values divided by s²); the product restores mm².
  const sy2 = sy * sy;
  const invSy2 = 1 / sy2;

  for (let z = 0; z < bz; z++) {
    const base = plane * z;
    // Pass 1, along x: exact 1D squared distance to the nearest feature of each row (two scans),
    // stored transposed for pass 2 (or straight into `work` when there is no y axis to process).
    for (let y = 0; y < by; y++) {
      rowSquaredDistance(features, x0 + nx * (y + y0 + ny * (z + z0)), bx, sx2, row);
      if (by > 1) {
        for (let x = 0, t = y; x < bx; x++, t += by) block[t] = row[x]! * invSy2;
      } else {
        work.set(row, base + bx * y);
      }
    }
    if (by === 1) continue;
    // Pass 2, along y: one lower envelope per column of the slice, back into `work`.
    for (let x = 0; x < bx; x++) lowerEnvelope(by, block, result, x * by, v, zs);
    for (let y = 0; y < by; y++) {
      const dst = base + bx * y;
      for (let x = 0, t = y; x < bx; x++, t += by) work[dst + x] = result[t]! * sy2;
    }
  }

  // Pass 3, along z, one y-row of every slice at a time, rounded once into the Float32 output.
  if (bz > 1) {
    const sz2 = sz * sz;
    const inv = 1 / sz2;
    for (let y = 0; y < by; y++) {
      const rowOffset = bx * y;
      for (let z = 0; z < bz; z++) {
        const start = plane * z + rowOffset;
        for (let x = 0, t = z; x < bx; x++, t += bz) block[t] = work[start + x]! * inv;
      }
      for (let x = 0; x < bx; x++) lowerEnvelope(bz, block, result, x * bz, v, zs);
      for (let z = 0; z < bz; z++) {
        const start = plane * z + rowOffset;
        for (let x = 0, t = z; x < bx; x++, t += bz) out[start + x] = result[t]! * sz2;
      }
    }
  } else {
    out.set(work);
  }
  return out;
}
