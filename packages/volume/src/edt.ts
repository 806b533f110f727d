import { checkBox, checkLength, checkSpacing } from './validate.js';
import type { Box3, Vec3 } from './types.js';

/**
 * Scratch buffers for the 1D lower-envelope transform, sized for the longest line once per call so
 * no line allocates.
 */
interface EnvelopeScratch {
  /** Input squared distances along the line. */
  readonly f: Float64Array;
  /** Output squared distances along the line. */
  readonly d: Float64Array;
  /** Positions of the parabolas forming the lower envelope. */
  readonly v: Int32Array;
  /** Boundaries between envelope parabolas (length n + 1). */
  readonly z: Float64Array;
}

function makeScratch(n: number): EnvelopeScratch {
  return {
    f: new Float64Array(n),
    d: new Float64Array(n),
    v: new Int32Array(n),
    z: new Float64Array(n + 1),
  };
}

/**
 * Felzenszwalb–Huttenlocher lower envelope of the parabolas `s²(p − q)² + f(q)` on a line of `n`
 * samples with spacing `s` (s2 = s²). Samples with `f = +Infinity` carry no feature and are left out
 * of the envelope, so an all-infinite line stays infinite. Writes `d[p] = min_q s²(p − q)² + f(q)`.
 */
function lowerEnvelope(n: number, s2: number, scratch: EnvelopeScratch): boolean {
  const { f, d, v, z } = scratch;
  let k = -1;
  for (let q = 0; q < n; q++) {
    const fq = f[q]!;
    if (fq === Infinity) continue;
    if (k < 0) {
      k = 0;
      v[0] = q;
      z[0] = -Infinity;
      z[1] = Infinity;
      continue;
    }
    // Intersection abscissa of the parabola rooted at q with the current top of the envelope, in
    // voxel units: dividing by s² first keeps the numbers small with tiny or huge spacings.
    const gq = fq / s2 + q * q;
    let p = v[k]!;
    let s = (gq - (f[p]! / s2 + p * p)) / (2 * (q - p));
    // z[0] = -Infinity, so k never drops below 0.
    while (s <= z[k]!) {
      k--;
      p = v[k]!;
      s = (gq - (f[p]! / s2 + p * p)) / (2 * (q - p));
    }
    k++;
    v[k] = q;
    z[k] = s;
    z[k + 1] = Infinity;
  }
  if (k < 0) return false;
  let j = 0;
  for (let p = 0; p < n; p++) {
    while (z[j + 1]! < p) j++;
    const q = v[j]!;
    const dp = p - q;
    d[p] = s2 * dp * dp + f[q]!;
  }
  return true;
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

  // Pass 1, along x: exact 1D distance to the nearest feature in the row (two scans), in voxels,
  // then squared and scaled. Rows without a feature stay +Infinity.
  const sx2 = sx * sx;
  for (let z = 0; z < bz; z++) {
    for (let y = 0; y < by; y++) {
      const src = x0 + nx * (y + y0 + ny * (z + z0));
      const dst = bx * (y + by * z);
      let last = -Infinity;
      for (let x = 0; x < bx; x++) {
        if (features[src + x] !== 0) last = x;
        work[dst + x] = x - last;
      }
      if (last === -Infinity) {
        // No feature in this row: x - (-Infinity) already stored +Infinity everywhere.
        continue;
      }
      let next = Infinity;
      for (let x = bx - 1; x >= 0; x--) {
        if (work[dst + x] === 0) next = x;
        const back = next - x;
        const fwd = work[dst + x]!;
        const m = back < fwd ? back : fwd;
        work[dst + x] = sx2 * m * m;
      }
    }
  }

  const scratch = makeScratch(Math.max(by, bz));
  const { f, d } = scratch;

  // Pass 2, along y: lower envelope per column, in place in `work`.
  if (by > 1) {
    const sy2 = sy * sy;
    for (let z = 0; z < bz; z++) {
      const base = plane * z;
      for (let x = 0; x < bx; x++) {
        const start = base + x;
        let any = false;
        for (let y = 0, i = start; y < by; y++, i += bx) {
          const w = work[i]!;
          f[y] = w;
          if (w !== Infinity) any = true;
        }
        if (!any || !lowerEnvelope(by, sy2, scratch)) continue;
        for (let y = 0, i = start; y < by; y++, i += bx) work[i] = d[y]!;
      }
    }
  }

  // Pass 3, along z: lower envelope per column, rounded once into the Float32 output.
  if (bz > 1) {
    const sz2 = sz * sz;
    for (let i0 = 0; i0 < plane; i0++) {
      let any = false;
      for (let z = 0, i = i0; z < bz; z++, i += plane) {
        const w = work[i]!;
        f[z] = w;
        if (w !== Infinity) any = true;
      }
      if (!any || !lowerEnvelope(bz, sz2, scratch)) {
        for (let z = 0, i = i0; z < bz; z++, i += plane) out[i] = Infinity;
        continue;
      }
      for (let z = 0, i = i0; z < bz; z++, i += plane) out[i] = d[z]!;
    }
  } else {
    out.set(work);
  }
  return out;
}
