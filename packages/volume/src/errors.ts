/**
 * A shape, length or box argument is invalid: non-integer or non-positive extents, a data array whose
 * length differs from the product of the shape, or a box outside the grid. The message names the argument.
 */
export class VolumeShapeError extends Error {
  /** Always `'VolumeShapeError'`. */
  override readonly name = 'VolumeShapeError';
  /** @param message - names the offending argument and the problem. */
  constructor(message: string) {
    super(message);
  }
}

/** A voxel spacing is not three finite, strictly positive numbers (mm). */
export class VolumeSpacingError extends Error {
  /** Always `'VolumeSpacingError'`. */
  override readonly name = 'VolumeSpacingError';
  /** @param message - names the offending argument and the problem. */
  constructor(message: string) {
    super(message);
  }
}

/** An affine is not 16 finite numbers (row-major 4×4) with last row [0, 0, 0, 1]. */
export class VolumeAffineError extends Error {
  /** Always `'VolumeAffineError'`. */
  override readonly name = 'VolumeAffineError';
  /** @param message - names the offending argument and the problem. */
  constructor(message: string) {
    super(message);
  }
}

/** Two volumes (or masks) that must share a voxel grid differ in shape or spacing. */
export class GeometryMismatchError extends Error {
  /** Always `'GeometryMismatchError'`. */
  override readonly name = 'GeometryMismatchError';
  /** @param message - names both arguments and the differing property. */
  constructor(message: string) {
    super(message);
  }
}

/** A connectivity argument is not one of the allowed neighbourhoods (6/18/26 in 3D, 4/8 in 2D). */
export class ConnectivityError extends Error {
  /** Always `'ConnectivityError'`. */
  override readonly name = 'ConnectivityError';
  /** @param message - names the offending value and the allowed ones. */
  constructor(message: string) {
    super(message);
  }
}

/**
 * A file or byte buffer is not a readable NIfTI-1/2 image: wrong magic, truncated, corrupt gzip,
 * inconsistent header. The message names the file and the cause.
 */
export class NiftiFormatError extends Error {
  /** Always `'NiftiFormatError'`. */
  override readonly name = 'NiftiFormatError';
  /** Name of the file (or the name given for an in-memory buffer). */
  readonly file: string;
  /**
   * @param file - file path or buffer name.
   * @param cause - what is wrong, in words.
   */
  constructor(file: string, cause: string) {
    super(`${file}: not a readable NIfTI image: ${cause}`);
    this.file = file;
  }
}

/**
 * A NIfTI datatype this package cannot hold in a {@link VoxelArray} (RGB, complex, 64-bit integers,
 * float128, bit fields), or a requested output datatype that is not supported.
 */
export class UnsupportedDatatypeError extends Error {
  /** Always `'UnsupportedDatatypeError'`. */
  override readonly name = 'UnsupportedDatatypeError';
  /** Name of the file (or buffer, or `'encodeNifti'` when writing). */
  readonly file: string;
  /** The NIfTI datatype code (or `-1` when a name was given). */
  readonly datatype: number;
  /**
   * @param file - file path or buffer name.
   * @param datatype - NIfTI datatype code.
   * @param detail - human-readable description of the datatype.
   */
  constructor(file: string, datatype: number, detail: string) {
    super(`${file}: unsupported NIfTI datatype ${detail}`);
    this.file = file;
    this.datatype = datatype;
  }
}

/**
 * Voxel values cannot be stored exactly in the requested output datatype (a fraction or an
 * out-of-range value written as an integer type). The message names the datatype, index and value.
 */
export class DatatypeConversionError extends Error {
  /** Always `'DatatypeConversionError'`. */
  override readonly name = 'DatatypeConversionError';
  /** @param message - names the datatype, the first offending index and its value. */
  constructor(message: string) {
    super(message);
  }
}
