import type { Vec3 } from '@pedseg/volume';
import { PostprocessOptionError } from './errors.js';

/** Unit of a ball radius: voxels (isotropic in index space) or millimetres (spacing honoured). */
export type RadiusUnit = 'voxel' | 'mm';

/**
 * Relative slack on the squared radius in millimetres. The distance transform returns float32, so a
 * voxel lying exactly on the sphere (0.6 mm at 0.3 mm spacing) could fall out by rounding; with this
 * slack the ball in mm is `{o : Σ (o_i s_i)² ≤ r² (1 + 1e-5)}`. Radii in voxels are compared exactly.
 */
export const MM_RADIUS_TOLERANCE = 1e-5;

/** A ball made concrete on a grid. */
export interface ResolvedBall {
  /** Largest integer offset along x, y, z that can lie in the ball. */
  readonly extent: Vec3;
  /** Squared radius, in the units of `spacing`; a voxel offset is in the ball iff its squared length ≤ this. */
  readonly threshold: number;
  /** Spacing to hand to the distance transform: `[1, 1, 1]` for voxel radii, the image's for mm. */
  readonly spacing: Vec3;
}

/** Validates a radius and turns it into a distance threshold on the grid. */
export function resolveBall(radius: number, unit: RadiusUnit, spacing: Vec3, argument = 'radius'): ResolvedBall {
  if (!(Number.isFinite(radius) && radius >= 0)) {
    throw new PostprocessOptionError(`${argument}: must be a finite number ≥ 0, got ${String(radius)}`);
  }
  if (unit === 'voxel') {
    const e = Math.floor(radius);
    return { extent: [e, e, e], threshold: radius * radius, spacing: [1, 1, 1] };
  }
  if (unit !== 'mm') {
    throw new PostprocessOptionError(`${argument}: unit must be 'voxel' or 'mm', got ${String(unit)}`);
  }
  const threshold = radius * radius * (1 + MM_RADIUS_TOLERANCE);
  const reach = Math.sqrt(threshold);
  const extent = spacing.map((s) => Math.floor(reach / s)) as unknown as Vec3;
  return { extent, threshold, spacing };
}
