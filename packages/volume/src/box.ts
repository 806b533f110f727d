import { checkBox, checkLength, checkShape } from './validate.js';
import type { Box3, Vec3 } from './types.js';

/**
 * Bounding box of the non-zero voxels, or null when there are none.
 *
 * @param mask - non-zero = inside; length `nx * ny * nz`, x fastest.
 * @param shape - `[nx, ny, nz]`.
 * @returns the smallest half-open box holding every non-zero voxel.
 * @throws VolumeShapeError when the length does not match the shape.
 */
export function boundingBox(mask: ArrayLike<number>, shape: Vec3): Box3 | null {
  checkLength(mask, shape, 'mask');
  const [nx, ny, nz] = shape;
  let x0 = nx;
  let y0 = ny;
  let z0 = nz;
  let x1 = -1;
  let y1 = -1;
  let z1 = -1;
  let i = 0;
  for (let z = 0; z < nz; z++) {
    for (let y = 0; y < ny; y++) {
      let first = -1;
      let last = -1;
      for (let x = 0; x < nx; x++, i++) {
        if (mask[i] !== 0) {
          if (first < 0) first = x;
          last = x;
        }
      }
      if (first < 0) continue;
      if (first < x0) x0 = first;
      if (last > x1) x1 = last;
      if (y < y0) y0 = y;
      if (y > y1) y1 = y;
      if (z < z0) z0 = z;
      z1 = z;
    }
  }
  if (x1 < 0) return null;
  return { lo: [x0, y0, z0], hi: [x1 + 1, y1 + 1, z1 + 1] };
}

/**
 * Smallest box holding both boxes (either may be null).
 *
 * @param a - first box or null.
 * @param b - second box or null.
 * @returns the union box, or null when both are null.
 */
export function unionBox(a: Box3 | null, b: Box3 | null): Box3 | null {
  if (a === null) return b;
  if (b === null) return a;
  return {
    lo: [Math.min(a.lo[0], b.lo[0]), Math.min(a.lo[1], b.lo[1]), Math.min(a.lo[2], b.lo[2])],
    hi: [Math.max(a.hi[0], b.hi[0]), Math.max(a.hi[1], b.hi[1]), Math.max(a.hi[2], b.hi[2])],
  };
}

/**
 * Grows a box by `margin` voxels on every side (a number, or one per axis), clipped to the grid.
 *
 * @param box - box inside the grid.
 * @param shape - `[nx, ny, nz]` of the grid.
 * @param margin - voxels to add below `lo` and above `hi`; non-negative integers.
 * @returns the padded, clipped box.
 */
export function padBox(box: Box3, shape: Vec3, margin: number | Vec3): Box3 {
  checkShape(shape);
  checkBox(box, shape);
  const m: Vec3 = typeof margin === 'number' ? [margin, margin, margin] : margin;
  return {
    lo: [Math.max(0, box.lo[0] - m[0]), Math.max(0, box.lo[1] - m[1]), Math.max(0, box.lo[2] - m[2])],
    hi: [
      Math.min(shape[0], box.hi[0] + m[0]),
      Math.min(shape[1], box.hi[1] + m[1]),
      Math.min(shape[2], box.hi[2] + m[2]),
    ],
  };
}

/**
 * Extents `[hi − lo]` of a box.
 *
 * @param box - a box.
 * @returns `[bx, by, bz]`.
 */
export function boxShape(box: Box3): Vec3 {
  return [box.hi[0] - box.lo[0], box.hi[1] - box.lo[1], box.hi[2] - box.lo[2]];
}

/**
 * Copies the voxels of a box out of a grid (x fastest), into a new array of the same kind.
 *
 * @param data - grid values, length `nx * ny * nz`.
 * @param shape - `[nx, ny, nz]`.
 * @param box - half-open box inside the grid.
 * @returns the box's values, length = product of {@link boxShape}.
 */
export function cropToBox<T extends Uint8Array | Int8Array | Uint16Array | Int16Array | Uint32Array | Int32Array | Float32Array | Float64Array>(
  data: T,
  shape: Vec3,
  box: Box3,
): T {
  checkLength(data, shape, 'data');
  checkBox(box, shape);
  const [nx, ny] = shape;
  const [bx, by, bz] = boxShape(box);
  const out = new (data.constructor as new (n: number) => T)(bx * by * bz);
  let o = 0;
  for (let z = 0; z < bz; z++) {
    for (let y = 0; y < by; y++) {
      const start = box.lo[0] + nx * (box.lo[1] + y + ny * (box.lo[2] + z));
      out.set(data.subarray(start, start + bx), o);
      o += bx;
    }
  }
  return out;
}
