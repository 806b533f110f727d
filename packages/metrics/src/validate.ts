import type { Vec3 } from '@pedseg/volume';
import { InvalidMetricOptionError, ShapeMismatchError, SpacingMismatchError } from './errors.js';
import type { LabelImage, SurfaceConvention } from './types.js';

/** Relative tolerance between the two spacings: NIfTI stores float32 pixdims, writers round differently. */
const SPACING_RELATIVE_TOLERANCE = 1e-5;

function describe(v: Vec3): string {
  return `[${v.join(', ')}]`;
}

/**
 * Checks that two label images share one grid: equal shapes, data lengths matching the shape, equal
 * positive finite spacings (to 1e-5 relative).
 *
 * @throws ShapeMismatchError or SpacingMismatchError naming both values.
 */
export function assertSameGrid(reference: LabelImage, prediction: LabelImage): void {
  for (const [name, image] of [['reference', reference], ['prediction', prediction]] as const) {
    const [nx, ny, nz] = image.shape;
    if (![nx, ny, nz].every((n) => Number.isInteger(n) && n >= 0)) {
      throw new ShapeMismatchError(`${name}: shape ${describe(image.shape)} is not three non-negative integers`);
    }
    if (image.data.length !== nx * ny * nz) {
      throw new ShapeMismatchError(`${name}: data has ${image.data.length} values but shape ${describe(image.shape)} needs ${nx * ny * nz}`);
    }
    if (!image.spacing.every((s) => Number.isFinite(s) && s > 0)) {
      throw new SpacingMismatchError(`${name}: spacing ${describe(image.spacing)} must be three positive finite numbers (mm)`);
    }
  }
  if (reference.shape.some((n, i) => n !== prediction.shape[i])) {
    throw new ShapeMismatchError(`shape mismatch: reference ${describe(reference.shape)} vs prediction ${describe(prediction.shape)}`);
  }
  const close = reference.spacing.every((s, i) => {
    const t = prediction.spacing[i]!;
    return Math.abs(s - t) <= SPACING_RELATIVE_TOLERANCE * Math.max(s, t);
  });
  if (!close) {
    throw new SpacingMismatchError(`spacing mismatch: reference ${describe(reference.spacing)} mm vs prediction ${describe(prediction.spacing)} mm`);
  }
}

/** @throws InvalidMetricOptionError unless the convention is `voxel` or `element`. */
export function checkConvention(convention: string): SurfaceConvention {
  if (convention !== 'voxel' && convention !== 'element') {
    throw new InvalidMetricOptionError(`surface: '${convention}' is not a surface convention (use 'voxel' or 'element')`);
  }
  return convention;
}

/** @throws InvalidMetricOptionError unless the tolerance is a finite number ≥ 0 (mm). */
export function checkTolerance(tolerance: number): number {
  if (typeof tolerance !== 'number' || !Number.isFinite(tolerance) || tolerance < 0) {
    throw new InvalidMetricOptionError(`tolerance: ${String(tolerance)} must be a finite number of mm ≥ 0`);
  }
  return tolerance;
}

/** @throws InvalidMetricOptionError unless the percentile is in [0, 100]. */
export function checkPercentile(percentile: number): number {
  if (typeof percentile !== 'number' || !(percentile >= 0 && percentile <= 100)) {
    throw new InvalidMetricOptionError(`percentile: ${String(percentile)} must be in [0, 100]`);
  }
  return percentile;
}
