/** Three numbers along x, y, z. */
export type Vec3 = readonly [number, number, number];

/** Element types a Volume can hold (NIfTI datatypes map onto these). */
export type VoxelArray =
  | Uint8Array
  | Int8Array
  | Uint16Array
  | Int16Array
  | Uint32Array
  | Int32Array
  | Float32Array
  | Float64Array;

/**
 * A 3D image stored as NIfTI stores it on disk.
 *
 * Axis order (used by every function of this package): `shape = [nx, ny, nz]`, x fastest, so the
 * voxel (x, y, z) lives at `index = x + nx * (y + ny * z)`. A numpy array `a[x, y, z]` as nibabel
 * returns it corresponds to `a.ravel(order='F')`.
 */
export interface Volume<T extends VoxelArray = VoxelArray> {
  /** Voxel values, x fastest; length `nx * ny * nz`. */
  readonly data: T;
  /** Grid extents `[nx, ny, nz]`, positive integers. */
  readonly shape: Vec3;
  /** Voxel size in mm along x, y, z; finite and > 0. */
  readonly spacing: Vec3;
  /** 16 numbers, row-major 4×4, mapping voxel `(i, j, k, 1)` to world coordinates in mm. */
  readonly affine: readonly number[];
}

/** Half-open voxel box: voxels `lo[a] <= v[a] < hi[a]` along each axis a. */
export interface Box3 {
  /** Inclusive lower corner (voxel indices). */
  readonly lo: Vec3;
  /** Exclusive upper corner (voxel indices). */
  readonly hi: Vec3;
}
