import { randomBytes } from 'node:crypto';
import { rename, unlink, writeFile } from 'node:fs/promises';
import { gzipSync } from 'node:zlib';
import { DatatypeConversionError, UnsupportedDatatypeError, VolumeShapeError } from '../errors.js';
import { createVolume } from '../volume.js';
import type { Volume, VoxelArray } from '../types.js';
import { SUPPORTED_DATATYPES, datatypeByName, datatypeOfArray, type NiftiDatatype } from './datatypes.js';
import { affineToQform } from './quaternion.js';

/** Options of {@link encodeNifti} and {@link writeNifti}. */
export interface NiftiWriteOptions {
  /** Stored datatype; default: the data array's own type. Integer types require integral, in-range values. */
  readonly datatype?: NiftiDatatype;
  /** Gzip the output; default false for encodeNifti, and from the `.gz` extension for writeNifti. */
  readonly gzip?: boolean;
  /** zlib level 0–9 when gzipping; default 6. */
  readonly compressionLevel?: number;
  /**
   * sform_code written with the affine in srow_x/y/z; default 1 (NIFTI_XFORM_SCANNER_ANAT).
   * 0 writes no sform.
   */
  readonly sformCode?: number;
  /**
   * qform_code written with the quaternion form of the affine; default 1 (scanner). The qform is only
   * written (code forced to 0) when the affine is a rotation times diag(spacing): a sheared affine
   * survives in the sform only.
   */
  readonly qformCode?: number;
  /** Header description (at most 79 ASCII characters kept). */
  readonly description?: string;
}

const HEADER_BYTES = 348;
const VOX_OFFSET = 352;
const HOST_LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;
const NIFTI1_MAX_DIM = 32767;

/** Converts voxel values to the target datatype, refusing any value that would change. */
function convertData(data: VoxelArray, target: NiftiDatatype): VoxelArray {
  if (datatypeOfArray(data) === target) return data;
  const info = datatypeByName(target)!;
  const out = new info.array(new ArrayBuffer(data.length * info.bytes));
  for (let i = 0; i < data.length; i++) {
    const v = data[i]!;
    if (info.integer && !(Number.isInteger(v) && v >= info.min && v <= info.max)) {
      throw new DatatypeConversionError(
        `cannot store voxel ${i} = ${v} as ${target} (values must be integers in [${info.min}, ${info.max}])`,
      );
    }
    out[i] = v;
  }
  return out;
}

/**
 * Encodes a volume as a single-file NIfTI-1 image (little-endian, vox_offset 352), gzipped on request.
 * The affine is stored exactly (as float32) in the sform, and as a qform when it is representable;
 * pixdim[1..3] holds the spacing, xyzt_units says mm; scl_slope = 1, scl_inter = 0.
 *
 * @param volume - the volume (validated: shape, data length, spacing, affine).
 * @param options - datatype, gzip, xform codes, description.
 * @returns the file bytes.
 * @throws VolumeShapeError (also for extents above 32767, the NIfTI-1 limit), VolumeSpacingError,
 *   VolumeAffineError, UnsupportedDatatypeError for an unknown datatype name, DatatypeConversionError.
 */
export function encodeNifti(volume: Volume, options: NiftiWriteOptions = {}): Uint8Array {
  const checked = createVolume(volume.data, volume.shape, { spacing: volume.spacing, affine: volume.affine });
  const target = options.datatype ?? datatypeOfArray(checked.data);
  const info = datatypeByName(target);
  if (info === undefined) {
    throw new UnsupportedDatatypeError('encodeNifti', -1, `"${String(target)}"; supported: ${[...SUPPORTED_DATATYPES.values()].map((d) => d.name).join(', ')}`);
  }
  for (let a = 0; a < 3; a++) {
    if (checked.shape[a]! > NIFTI1_MAX_DIM) {
      throw new VolumeShapeError(`shape[${a}] = ${checked.shape[a]} exceeds the NIfTI-1 limit of ${NIFTI1_MAX_DIM}`);
    }
  }
  const data = convertData(checked.data, target);
  const { spacing, affine } = checked;

  const bytes = new Uint8Array(VOX_OFFSET + data.length * info.bytes);
  const view = new DataView(bytes.buffer);
  view.setInt32(0, HEADER_BYTES, true);
  bytes[38] = 'r'.charCodeAt(0);
  const dims = [3, checked.shape[0], checked.shape[1], checked.shape[2], 1, 1, 1, 1];
  dims.forEach((v, i) => view.setInt16(40 + 2 * i, v, true));
  view.setInt16(70, info.code, true);
  view.setInt16(72, info.bytes * 8, true);

  const sformCode = options.sformCode ?? 1;
  let qformCode = options.qformCode ?? 1;
  const qform = affineToQform(affine, spacing);
  if (qform === null) qformCode = 0;
  const pixdim = [qform?.qfac ?? 1, spacing[0], spacing[1], spacing[2], 1, 1, 1, 1];
  pixdim.forEach((v, i) => view.setFloat32(76 + 4 * i, v, true));
  view.setFloat32(108, VOX_OFFSET, true);
  view.setFloat32(112, 1, true);
  view.setFloat32(116, 0, true);
  bytes[123] = 2; // NIFTI_UNITS_MM
  const description = (options.description ?? '').slice(0, 79);
  for (let i = 0; i < description.length; i++) bytes[148 + i] = description.charCodeAt(i) & 0x7f;
  view.setInt16(252, qformCode, true);
  view.setInt16(254, sformCode, true);
  if (qform !== null) {
    view.setFloat32(256, qform.b, true);
    view.setFloat32(260, qform.c, true);
    view.setFloat32(264, qform.d, true);
    view.setFloat32(268, qform.offset[0], true);
    view.setFloat32(272, qform.offset[1], true);
    view.setFloat32(276, qform.offset[2], true);
  }
  for (let i = 0; i < 12; i++) view.setFloat32(280 + 4 * i, affine[i]!, true);
  bytes.set([0x6e, 0x2b, 0x31, 0x00], 344); // "n+1\0"

  const payload = new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  bytes.set(payload, VOX_OFFSET);
  if (!HOST_LITTLE_ENDIAN && info.bytes > 1) {
    for (let i = VOX_OFFSET; i < bytes.length; i += info.bytes) bytes.subarray(i, i + info.bytes).reverse();
  }
  if (options.gzip === true) return gzipSync(bytes, { level: options.compressionLevel ?? 6 });
  return bytes;
}

/**
 * Writes a volume as NIfTI-1, gzipped when the path ends in `.gz` (unless `options.gzip` says
 * otherwise). Atomic: the bytes go to a temporary file in the same folder, renamed over `path`.
 *
 * @param path - destination, normally `*.nii` or `*.nii.gz`.
 * @param volume - the volume.
 * @param options - see {@link NiftiWriteOptions}.
 * @throws the errors of {@link encodeNifti}, and file-system errors.
 */
export async function writeNifti(path: string, volume: Volume, options: NiftiWriteOptions = {}): Promise<void> {
  const gzip = options.gzip ?? path.toLowerCase().endsWith('.gz');
  const bytes = encodeNifti(volume, { ...options, gzip });
  const temp = `${path}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`;
  try {
    await writeFile(temp, bytes);
    await rename(temp, path);
  } catch (error) {
    await unlink(temp).catch(() => undefined);
    throw error;
  }
}
