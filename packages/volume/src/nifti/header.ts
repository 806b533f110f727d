import { NiftiFormatError, UnsupportedDatatypeError } from '../errors.js';
import { SUPPORTED_DATATYPES, UNSUPPORTED_DATATYPE_NAMES, type NiftiDatatype } from './datatypes.js';
import { qformToAffine } from './quaternion.js';

/** The header fields of a NIfTI-1/2 file that decide how its voxels are read and placed. */
export interface NiftiHeader {
  /** 1 for NIfTI-1 (348-byte header), 2 for NIfTI-2 (540-byte header). */
  readonly version: 1 | 2;
  /** Byte order of the file. */
  readonly littleEndian: boolean;
  /** NIfTI datatype code. */
  readonly datatypeCode: number;
  /** Datatype name. */
  readonly datatype: NiftiDatatype;
  /** `dim[0..7]` as stored. */
  readonly dim: readonly number[];
  /** `pixdim[0..7]` as stored (pixdim[0] is qfac). */
  readonly pixdim: readonly number[];
  /** Byte offset of the voxel data. */
  readonly voxOffset: number;
  /** Raw `scl_slope`. */
  readonly sclSlope: number;
  /** Raw `scl_inter`. */
  readonly sclInter: number;
  /** `qform_code` (0 = absent). */
  readonly qformCode: number;
  /** `sform_code` (0 = absent). */
  readonly sformCode: number;
  /** Affine from the quaternion fields (valid whatever qformCode says). */
  readonly qformAffine: readonly number[];
  /** Affine from srow_x/y/z (valid whatever sformCode says). */
  readonly sformAffine: readonly number[];
  /** `xyzt_units` (2 = mm, 1 = m, 3 = µm in the low 3 bits). */
  readonly xyztUnits: number;
  /** Description field. */
  readonly description: string;
}

const NIFTI1_SIZE = 348;
const NIFTI2_SIZE = 540;

function readString(bytes: Uint8Array, start: number, end: number): string {
  let s = '';
  for (let i = start; i < end && bytes[i] !== 0; i++) s += String.fromCharCode(bytes[i]!);
  return s;
}

/** Reads a 64-bit signed integer as a JS number; NiftiFormatError beyond 2^53. */
function getInt64(view: DataView, offset: number, le: boolean, name: string, field: string): number {
  const value = view.getBigInt64(offset, le);
  if (value > BigInt(Number.MAX_SAFE_INTEGER) || value < -BigInt(Number.MAX_SAFE_INTEGER)) {
    throw new NiftiFormatError(name, `${field} = ${value} is out of range`);
  }
  return Number(value);
}

/**
 * Parses and validates a NIfTI-1 or NIfTI-2 header from uncompressed bytes (big- or little-endian).
 *
 * @param bytes - the file contents, already gunzipped.
 * @param name - file name for error messages.
 * @returns the header fields.
 * @throws NiftiFormatError for a truncated, non-NIfTI or inconsistent header; UnsupportedDatatypeError
 *   for datatypes outside uint8…float64.
 */
export function decodeNiftiHeader(bytes: Uint8Array, name: string): NiftiHeader {
  if (bytes.length < 4) throw new NiftiFormatError(name, `file is too short (${bytes.length} bytes)`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const sizeLE = view.getInt32(0, true);
  const sizeBE = view.getInt32(0, false);
  let version: 1 | 2;
  let le: boolean;
  if (sizeLE === NIFTI1_SIZE || sizeBE === NIFTI1_SIZE) {
    version = 1;
    le = sizeLE === NIFTI1_SIZE;
  } else if (sizeLE === NIFTI2_SIZE || sizeBE === NIFTI2_SIZE) {
    version = 2;
    le = sizeLE === NIFTI2_SIZE;
  } else {
    throw new NiftiFormatError(name, `wrong magic: sizeof_hdr is ${sizeLE}, expected 348 (NIfTI-1) or 540 (NIfTI-2)`);
  }
  const headerSize = version === 1 ? NIFTI1_SIZE : NIFTI2_SIZE;
  if (bytes.length < headerSize) {
    throw new NiftiFormatError(name, `truncated header: ${bytes.length} bytes, NIfTI-${version} needs ${headerSize}`);
  }

  const dim: number[] = [];
  const pixdim: number[] = [];
  let datatypeCode: number;
  let voxOffset: number;
  let sclSlope: number;
  let sclInter: number;
  let qformCode: number;
  let sformCode: number;
  let quatern: [number, number, number];
  let qoffset: [number, number, number];
  const srow: number[] = [];
  let xyztUnits: number;
  let description: string;
  if (version === 1) {
    const magic = readString(bytes, 344, 348);
    if (magic === 'ni1') {
      throw new NiftiFormatError(name, 'this is the header of a .hdr/.img pair; only single-file .nii images are supported');
    }
    if (magic !== 'n+1') throw new NiftiFormatError(name, `wrong magic "${magic}" at byte 344, expected "n+1"`);
    for (let i = 0; i < 8; i++) dim.push(view.getInt16(40 + 2 * i, le));
    datatypeCode = view.getInt16(70, le);
    for (let i = 0; i < 8; i++) pixdim.push(view.getFloat32(76 + 4 * i, le));
    voxOffset = view.getFloat32(108, le);
    sclSlope = view.getFloat32(112, le);
    sclInter = view.getFloat32(116, le);
    xyztUnits = bytes[123]!;
    description = readString(bytes, 148, 228);
    qformCode = view.getInt16(252, le);
    sformCode = view.getInt16(254, le);
    quatern = [view.getFloat32(256, le), view.getFloat32(260, le), view.getFloat32(264, le)];
    qoffset = [view.getFloat32(268, le), view.getFloat32(272, le), view.getFloat32(276, le)];
    for (let i = 0; i < 12; i++) srow.push(view.getFloat32(280 + 4 * i, le));
  } else {
    const magic = readString(bytes, 4, 7);
    if (magic === 'ni2') {
      throw new NiftiFormatError(name, 'this is the header of a .hdr/.img pair; only single-file .nii images are supported');
    }
    if (magic !== 'n+2') throw new NiftiFormatError(name, `wrong magic "${magic}" at byte 4, expected "n+2"`);
    datatypeCode = view.getInt16(12, le);
    for (let i = 0; i < 8; i++) dim.push(getInt64(view, 16 + 8 * i, le, name, `dim[${i}]`));
    for (let i = 0; i < 8; i++) pixdim.push(view.getFloat64(104 + 8 * i, le));
    voxOffset = getInt64(view, 168, le, name, 'vox_offset');
    sclSlope = view.getFloat64(176, le);
    sclInter = view.getFloat64(184, le);
    description = readString(bytes, 240, 320);
    qformCode = view.getInt32(344, le);
    sformCode = view.getInt32(348, le);
    quatern = [view.getFloat64(352, le), view.getFloat64(360, le), view.getFloat64(368, le)];
    qoffset = [view.getFloat64(376, le), view.getFloat64(384, le), view.getFloat64(392, le)];
    for (let i = 0; i < 12; i++) srow.push(view.getFloat64(400 + 8 * i, le));
    xyztUnits = view.getInt32(500, le);
  }

  const info = SUPPORTED_DATATYPES.get(datatypeCode);
  if (info === undefined) {
    throw new UnsupportedDatatypeError(
      name,
      datatypeCode,
      `${UNSUPPORTED_DATATYPE_NAMES.get(datatypeCode) ?? `code ${datatypeCode} (unknown)`}; supported: uint8, int8, int16, uint16, int32, uint32, float32, float64`,
    );
  }
  const ndim = dim[0]!;
  if (!(ndim >= 1 && ndim <= 7)) throw new NiftiFormatError(name, `dim[0] = ${ndim} must be between 1 and 7`);
  for (let i = 1; i <= ndim; i++) {
    if (!(dim[i]! >= 1)) throw new NiftiFormatError(name, `dim[${i}] = ${dim[i]} must be >= 1`);
  }
  for (let i = 4; i <= ndim; i++) {
    if (dim[i]! > 1) {
      throw new NiftiFormatError(name, `${ndim}D image (dim[${i}] = ${dim[i]}); only 3D volumes are supported`);
    }
  }
  // The spec's minimum offset for single files is 352; some writers leave 0 to mean "right after the header".
  if (!Number.isFinite(voxOffset) || voxOffset < 0 || Math.floor(voxOffset) !== voxOffset) {
    throw new NiftiFormatError(name, `vox_offset = ${voxOffset} is not a non-negative integer`);
  }
  if (voxOffset < headerSize) voxOffset = version === 1 ? 352 : 544;

  const spatial: [number, number, number] = [pixdim[1]!, pixdim[2]!, pixdim[3]!];
  const qformAffine = qformToAffine({ b: quatern[0], c: quatern[1], d: quatern[2], qfac: pixdim[0]!, offset: qoffset }, spatial);
  const sformAffine = [...srow, 0, 0, 0, 1];
  return {
    version,
    littleEndian: le,
    datatypeCode,
    datatype: info.name,
    dim,
    pixdim,
    voxOffset,
    sclSlope,
    sclInter,
    qformCode,
    sformCode,
    qformAffine,
    sformAffine,
    xyztUnits,
    description,
  };
}
