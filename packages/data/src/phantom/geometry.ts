import type { Vec3 } from '@pedseg/volume';
import { DataArgumentError } from '../errors.js';
import type { Rng } from '../random.js';
import { DOMAIN_ACQUISITION, type PhantomDomain } from './domains.js';

/**
 * Grid of a phantom: `'full'` draws the spacing from the paper's acquisition ranges and covers the
 * scanner field of view with an in-plane matrix clamped to 256–512; `'small'` is a 48 × 48 × 24 grid
 * over the anatomy (for tests); `{ shape }` is any grid over the anatomy.
 */
export type PhantomSize = 'full' | 'small' | { readonly shape: Vec3 };

/** Voxel grid of a phantom case. */
export interface PhantomGrid {
  /** [nx, ny, nz]. */
  readonly shape: Vec3;
  /** Voxel size (mm). */
  readonly spacing: Vec3;
  /** World coordinates (mm) of voxel (0, 0, 0). */
  readonly origin: Vec3;
}

/** Shape of the `'small'` phantom size. */
export const SMALL_PHANTOM_SHAPE: Vec3 = [48, 48, 24];

/** The voxel grid of one case (consumes random draws only for `'full'`). */
export function phantomGrid(domain: PhantomDomain, size: PhantomSize, rng: Rng): PhantomGrid {
  const acq = DOMAIN_ACQUISITION[domain];
  let shape: Vec3;
  let spacing: Vec3;
  if (size === 'full') {
    const s = rng.uniform(acq.inPlaneSpacing[0], acq.inPlaneSpacing[1]);
    const sz = rng.uniform(acq.sliceSpacing[0], acq.sliceSpacing[1]);
    const inPlane = (fov: number): number => Math.max(256, Math.min(512, Math.round(fov / s)));
    shape = [inPlane(acq.fieldOfView[0]), inPlane(acq.fieldOfView[1]), Math.round(acq.anatomicalExtent[2] / sz)];
    spacing = [s, s, sz];
  } else {
    shape = size === 'small' ? SMALL_PHANTOM_SHAPE : size.shape;
    if (shape.length !== 3 || !shape.every((n) => Number.isInteger(n) && n >= 8 && n <= 2048)) {
      throw new DataArgumentError(`phantom size: shape must be three integers in [8, 2048], got [${shape.join(', ')}]`);
    }
    spacing = [0, 1, 2].map((a) => acq.anatomicalExtent[a]! / shape[a]!) as unknown as Vec3;
  }
  const origin = [0, 1, 2].map((a) => acq.center[a]! - ((shape[a]! - 1) / 2) * spacing[a]!) as unknown as Vec3;
  return { shape, spacing, origin };
}

/** Row-major voxel → world affine of a grid (axis-aligned, RAS-like axes x, y, z). */
export function gridAffine(grid: PhantomGrid): number[] {
  const [sx, sy, sz] = grid.spacing;
  const [ox, oy, oz] = grid.origin;
  return [sx, 0, 0, ox, 0, sy, 0, oy, 0, 0, sz, oz, 0, 0, 0, 1];
}
