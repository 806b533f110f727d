import type { Vec3 } from '@pedseg/volume';

/**
 * A label image as the metrics need it: voxel values (labels; 0 is background), the grid shape
 * `[nx, ny, nz]` (x fastest, `index = x + nx * (y + ny * z)`) and the voxel spacing in mm.
 * Every `Volume` of `@pedseg/volume` is one.
 */
export interface LabelImage {
  /** Voxel values; any non-zero value is a label. */
  readonly data: ArrayLike<number>;
  /** Grid shape `[nx, ny, nz]`. */
  readonly shape: Vec3;
  /** Voxel spacing in mm `[sx, sy, sz]`. */
  readonly spacing: Vec3;
}

/**
 * How surfaces are discretised for the distance metrics.
 * - `voxel` (default; the papers' S1–S8): the surface is the set of foreground voxels with at least one
 *   6-neighbour outside the mask (outside the image counts as background); every surface voxel weighs 1;
 *   distances are between voxel centres.
 * - `element`: area-weighted surface elements on the voxel-corner grid, as google-deepmind/surface-distance
 *   computes them (marching-cubes surfel areas, distances between corner points, its percentile rule).
 */
export type SurfaceConvention = 'voxel' | 'element';

/** One structure to score: a single label value, or a set of label values scored as their union. */
export type LabelSelector = number | readonly number[];
