import { GeometryMismatchError, VolumeAffineError, VolumeShapeError } from './errors.js';
import { checkLength, checkShape, checkSpacing } from './validate.js';
import type { Vec3, Volume, VoxelArray } from './types.js';

/** Options of {@link createVolume}. */
export interface CreateVolumeOptions {
  /** Voxel size in mm; default: the column norms of `affine`, or [1, 1, 1] without an affine. */
  readonly spacing?: Vec3;
  /** Row-major 4×4 voxel→world matrix; default: `diag(spacing, 1)`. */
  readonly affine?: readonly number[];
}

/**
 * Diagonal affine `diag(sx, sy, sz, 1)` (voxel → mm, origin at voxel 0).
 *
 * @param spacing - voxel size in mm.
 * @returns 16 numbers, row-major.
 */
export function diagonalAffine(spacing: Vec3): number[] {
  return [spacing[0], 0, 0, 0, 0, spacing[1], 0, 0, 0, 0, spacing[2], 0, 0, 0, 0, 1];
}

/**
 * Voxel sizes implied by an affine: the Euclidean norms of its first three columns.
 *
 * @param affine - 16 numbers, row-major.
 * @returns `[sx, sy, sz]`.
 */
export function spacingFromAffine(affine: readonly number[]): Vec3 {
  const col = (c: number): number => Math.hypot(affine[c]!, affine[4 + c]!, affine[8 + c]!);
  return [col(0), col(1), col(2)];
}

function checkAffine(affine: readonly number[], argument = 'affine'): void {
  if (!Array.isArray(affine) && !ArrayBuffer.isView(affine)) {
    throw new VolumeAffineError(`${argument} must be 16 numbers (row-major 4x4)`);
  }
  if (affine.length !== 16) {
    throw new VolumeAffineError(`${argument} must have 16 numbers (row-major 4x4), got ${affine.length}`);
  }
  for (let i = 0; i < 16; i++) {
    if (typeof affine[i] !== 'number' || !Number.isFinite(affine[i])) {
      throw new VolumeAffineError(`${argument}[${i}] must be a finite number, got ${String(affine[i])}`);
    }
  }
  if (affine[12] !== 0 || affine[13] !== 0 || affine[14] !== 0 || affine[15] !== 1) {
    throw new VolumeAffineError(`${argument} last row must be [0, 0, 0, 1], got [${affine.slice(12).join(', ')}]`);
  }
}

/**
 * Creates a validated {@link Volume}. The data array is used as is (not copied).
 *
 * @param data - voxel values, x fastest, length `nx * ny * nz`.
 * @param shape - `[nx, ny, nz]`, positive integers.
 * @param options - spacing (mm) and/or affine.
 * @returns the volume, with frozen shape, spacing and affine.
 * @throws VolumeShapeError for a bad shape or data length; VolumeSpacingError for a non-positive,
 *   non-finite spacing (or a singular affine without spacing); VolumeAffineError for a malformed affine.
 */
export function createVolume<T extends VoxelArray>(
  data: T,
  shape: Vec3,
  options: CreateVolumeOptions = {},
): Volume<T> {
  checkShape(shape);
  if (!ArrayBuffer.isView(data) || data instanceof DataView || data instanceof BigInt64Array || data instanceof BigUint64Array) {
    throw new VolumeShapeError('data must be a typed array (Uint8Array ... Float64Array)');
  }
  checkLength(data, shape, 'data');
  if (options.affine !== undefined) checkAffine(options.affine);
  let spacing: Vec3;
  if (options.spacing !== undefined) {
    checkSpacing(options.spacing);
    spacing = options.spacing;
  } else if (options.affine !== undefined) {
    spacing = spacingFromAffine(options.affine);
    checkSpacing(spacing, 'spacing (from the affine column norms)');
  } else {
    spacing = [1, 1, 1];
  }
  const affine = options.affine !== undefined ? Array.from(options.affine) : diagonalAffine(spacing);
  return {
    data,
    shape: Object.freeze([shape[0], shape[1], shape[2]]) as Vec3,
    spacing: Object.freeze([spacing[0], spacing[1], spacing[2]]) as Vec3,
    affine: Object.freeze(affine),
  };
}

/**
 * Memory index of voxel (x, y, z): `x + nx * (y + ny * z)`.
 *
 * @param shape - `[nx, ny, nz]`.
 * @param x - column.
 * @param y - row.
 * @param z - slice.
 * @returns the flat index (not range-checked).
 */
export function voxelIndex(shape: Vec3, x: number, y: number, z: number): number {
  return x + shape[0] * (y + shape[1] * z);
}

/**
 * Voxel coordinates of a flat index (inverse of {@link voxelIndex}).
 *
 * @param shape - `[nx, ny, nz]`.
 * @param index - flat index, x fastest.
 * @returns `[x, y, z]`.
 */
export function indexToVoxel(shape: Vec3, index: number): Vec3 {
  const nx = shape[0];
  const ny = shape[1];
  const x = index % nx;
  const rest = (index - x) / nx;
  const y = rest % ny;
  return [x, y, (rest - y) / ny];
}

/**
 * World coordinates (mm) of a voxel position through the volume's affine.
 *
 * @param volume - anything with an affine (row-major 4×4).
 * @param voxel - `(i, j, k)`, possibly fractional.
 * @returns `(x, y, z)` in mm.
 */
export function voxelToWorld(volume: Pick<Volume, 'affine'>, voxel: Vec3): Vec3 {
  const a = volume.affine;
  const [i, j, k] = voxel;
  return [
    a[0]! * i + a[1]! * j + a[2]! * k + a[3]!,
    a[4]! * i + a[5]! * j + a[6]! * k + a[7]!,
    a[8]! * i + a[9]! * j + a[10]! * k + a[11]!,
  ];
}

/**
 * Voxel position of a world point (mm), inverting the 3×3 part of the affine.
 *
 * @param volume - anything with an affine (row-major 4×4).
 * @param world - `(x, y, z)` in mm.
 * @returns fractional voxel coordinates `(i, j, k)`.
 * @throws VolumeAffineError when the affine is singular.
 */
export function worldToVoxel(volume: Pick<Volume, 'affine'>, world: Vec3): Vec3 {
  const a = volume.affine;
  const m00 = a[0]!, m01 = a[1]!, m02 = a[2]!;
  const m10 = a[4]!, m11 = a[5]!, m12 = a[6]!;
  const m20 = a[8]!, m21 = a[9]!, m22 = a[10]!;
  const c00 = m11 * m22 - m12 * m21;
  const c01 = m12 * m20 - m10 * m22;
  const c02 = m10 * m21 - m11 * m20;
  const det = m00 * c00 + m01 * c01 + m02 * c02;
  if (det === 0 || !Number.isFinite(det)) throw new VolumeAffineError('affine is singular: cannot map world to voxel');
  const px = world[0] - a[3]!;
  const py = world[1] - a[7]!;
  const pz = world[2] - a[11]!;
  // Inverse = adjugate / det (rows of the adjugate are the cofactor columns).
  return [
    (c00 * px + (m02 * m21 - m01 * m22) * py + (m01 * m12 - m02 * m11) * pz) / det,
    (c01 * px + (m00 * m22 - m02 * m20) * py + (m02 * m10 - m00 * m12) * pz) / det,
    (c02 * px + (m01 * m20 - m00 * m21) * py + (m00 * m11 - m01 * m10) * pz) / det,
  ];
}

/** Geometry of a volume, as compared by {@link assertSameGeometry}. */
export type Geometry = Pick<Volume, 'shape' | 'spacing'> & Partial<Pick<Volume, 'affine'>>;

/** Options of {@link assertSameGeometry}. */
export interface SameGeometryOptions {
  /** Relative tolerance on spacings (and affine entries, scaled by the largest spacing); default 1e-4. */
  readonly tolerance?: number;
  /** Also compare the affines when both have one; default false (only shape and spacing). */
  readonly checkAffine?: boolean;
  /** Names used in the message; default `['a', 'b']`. */
  readonly names?: readonly [string, string];
}

/**
 * Throws unless two volumes share a voxel grid: identical shape, spacings equal within a relative
 * tolerance, and optionally affines equal within the tolerance (in mm, relative to the spacing).
 *
 * @param a - first volume (or geometry).
 * @param b - second volume (or geometry).
 * @param options - tolerance, affine check and names for the message.
 * @throws GeometryMismatchError naming the differing property and both values.
 */
export function assertSameGeometry(a: Geometry, b: Geometry, options: SameGeometryOptions = {}): void {
  const tolerance = options.tolerance ?? 1e-4;
  const [na, nb] = options.names ?? ['a', 'b'];
  for (let ax = 0; ax < 3; ax++) {
    if (a.shape[ax] !== b.shape[ax]) {
      throw new GeometryMismatchError(
        `shape differs: ${na} [${a.shape.join(', ')}] vs ${nb} [${b.shape.join(', ')}] (axis ${ax})`,
      );
    }
  }
  for (let ax = 0; ax < 3; ax++) {
    const sa = a.spacing[ax]!;
    const sb = b.spacing[ax]!;
    if (!(Math.abs(sa - sb) <= tolerance * Math.max(Math.abs(sa), Math.abs(sb)))) {
      throw new GeometryMismatchError(
        `spacing differs: ${na} [${a.spacing.join(', ')}] vs ${nb} [${b.spacing.join(', ')}] mm (axis ${ax}, relative tolerance ${tolerance})`,
      );
    }
  }
  if (options.checkAffine === true && a.affine !== undefined && b.affine !== undefined) {
    const scale = Math.max(...a.spacing, ...b.spacing);
    for (let i = 0; i < 16; i++) {
      if (!(Math.abs(a.affine[i]! - b.affine[i]!) <= tolerance * scale)) {
        throw new GeometryMismatchError(
          `affine differs at entry ${i} (row ${Math.floor(i / 4)}, column ${i % 4}): ${na} ${a.affine[i]} vs ${nb} ${b.affine[i]}`,
        );
      }
    }
  }
}

/**
 * Whether two volumes share a voxel grid (see {@link assertSameGeometry}).
 *
 * @param a - first volume (or geometry).
 * @param b - second volume (or geometry).
 * @param options - tolerance and affine check.
 * @returns true when {@link assertSameGeometry} would not throw.
 */
export function sameGeometry(a: Geometry, b: Geometry, options: SameGeometryOptions = {}): boolean {
  try {
    assertSameGeometry(a, b, options);
    return true;
  } catch (error) {
    if (error instanceof GeometryMismatchError) return false;
    throw error;
  }
}
