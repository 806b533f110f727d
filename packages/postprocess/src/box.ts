import type { Box3, Vec3 } from '@pedseg/volume';

/**
 * A working region: a voxel box that may stick out of the image grid. Voxels outside the grid are
 * virtual padding, which is how the border policy is implemented without copying the whole image.
 */
export interface WorkBox {
  /** First voxel (may be negative). */
  readonly lo: Vec3;
  /** Size along x, y, z. */
  readonly shape: Vec3;
}

/** `box` grown by `pad[i]` voxels on both sides along axis i; clipped to `grid` when given. */
export function growBox(box: Box3, pad: Vec3, grid?: Vec3): WorkBox {
  const lo = [0, 0, 0];
  const shape = [0, 0, 0];
  for (let a = 0; a < 3; a++) {
    let l = box.lo[a]! - pad[a]!;
    let h = box.hi[a]! + pad[a]!;
    if (grid !== undefined) {
      l = Math.max(0, l);
      h = Math.min(grid[a]!, h);
    }
    lo[a] = l;
    shape[a] = h - l;
  }
  return { lo: [lo[0]!, lo[1]!, lo[2]!], shape: [shape[0]!, shape[1]!, shape[2]!] };
}

/**
 * Calls `row(w, g, n)` for every x-row of the part of `work` that lies inside `grid`: `w` and `g` are
 * the linear indices of the row's first voxel in the work buffer and in the image, `n` its length.
 */
export function forEachRowInGrid(work: WorkBox, grid: Vec3, row: (w: number, g: number, n: number) => void): void {
  const [wx, wy, wz] = work.shape;
  const [lx, ly, lz] = work.lo;
  const [gx, gy, gz] = grid;
  const x0 = Math.max(0, lx);
  const x1 = Math.min(gx, lx + wx);
  if (x1 <= x0) return;
  const y0 = Math.max(0, ly);
  const y1 = Math.min(gy, ly + wy);
  const z0 = Math.max(0, lz);
  const z1 = Math.min(gz, lz + wz);
  const n = x1 - x0;
  for (let z = z0; z < z1; z++) {
    for (let y = y0; y < y1; y++) {
      row(x0 - lx + wx * (y - ly + wy * (z - lz)), x0 + gx * (y + gy * z), n);
    }
  }
}

/** Mask of the work box: 1 where the image voxel equals `label`, 0 elsewhere (padding included). */
export function labelMaskInBox(data: ArrayLike<number>, grid: Vec3, label: number, work: WorkBox): Uint8Array {
  const mask = new Uint8Array(work.shape[0] * work.shape[1] * work.shape[2]);
  forEachRowInGrid(work, grid, (w, g, n) => {
    for (let k = 0; k < n; k++) if (data[g + k] === label) mask[w + k] = 1;
  });
  return mask;
}

/** Mask of the work box: 1 where the voxel is inside the image and differs from `label`. */
export function otherThanLabelInBox(data: ArrayLike<number>, grid: Vec3, label: number, work: WorkBox): Uint8Array {
  const mask = new Uint8Array(work.shape[0] * work.shape[1] * work.shape[2]);
  forEachRowInGrid(work, grid, (w, g, n) => {
    for (let k = 0; k < n; k++) if (data[g + k] !== label) mask[w + k] = 1;
  });
  return mask;
}
