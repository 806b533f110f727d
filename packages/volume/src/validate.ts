import { VolumeShapeError, VolumeSpacingError } from './errors.js';
import type { Box3, Vec3 } from './types.js';

/** Throws VolumeShapeError unless `shape` is three positive integers; returns the voxel count. */
export function checkShape(shape: Vec3, argument = 'shape'): number {
  if (!Array.isArray(shape) || shape.length !== 3) {
    throw new VolumeShapeError(`${argument} must be [nx, ny, nz], got ${String(shape)}`);
  }
  for (let a = 0; a < 3; a++) {
    const n = shape[a]!;
    if (!Number.isInteger(n) || n < 1) {
      throw new VolumeShapeError(
        `${argument}[${a}] must be a positive integer, got ${String(n)} (shape [${shape.join(', ')}])`,
      );
    }
  }
  return shape[0] * shape[1] * shape[2];
}

/** Throws VolumeShapeError unless `values.length` equals the voxel count of `shape`. */
export function checkLength(values: ArrayLike<number>, shape: Vec3, argument: string): number {
  const n = checkShape(shape);
  if (values == null || typeof values.length !== 'number') {
    throw new VolumeShapeError(`${argument} must be an array of numbers`);
  }
  if (values.length !== n) {
    throw new VolumeShapeError(
      `${argument} has ${values.length} elements but shape [${shape.join(', ')}] needs ${n}`,
    );
  }
  return n;
}

/** Throws VolumeSpacingError unless `spacing` is three finite numbers > 0. */
export function checkSpacing(spacing: Vec3, argument = 'spacing'): void {
  if (!Array.isArray(spacing) || spacing.length !== 3) {
    throw new VolumeSpacingError(`${argument} must be [sx, sy, sz] in mm, got ${String(spacing)}`);
  }
  for (let a = 0; a < 3; a++) {
    const s = spacing[a]!;
    if (typeof s !== 'number' || !Number.isFinite(s) || s <= 0) {
      throw new VolumeSpacingError(
        `${argument}[${a}] must be a finite number > 0 (mm), got ${String(s)} (spacing [${spacing.join(', ')}])`,
      );
    }
  }
}

/** Throws VolumeShapeError unless `box` is a non-empty half-open box inside `shape`. */
export function checkBox(box: Box3, shape: Vec3, argument = 'box'): void {
  if (box == null || !Array.isArray(box.lo) || !Array.isArray(box.hi) || box.lo.length !== 3 || box.hi.length !== 3) {
    throw new VolumeShapeError(`${argument} must be { lo: [x, y, z], hi: [x, y, z] }`);
  }
  for (let a = 0; a < 3; a++) {
    const lo = box.lo[a]!;
    const hi = box.hi[a]!;
    if (!Number.isInteger(lo) || !Number.isInteger(hi) || lo < 0 || hi > shape[a]! || lo >= hi) {
      throw new VolumeShapeError(
        `${argument} axis ${a}: need integers 0 <= lo < hi <= ${shape[a]}, got lo ${String(lo)}, hi ${String(hi)}`,
      );
    }
  }
}
