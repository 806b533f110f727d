import { readFile } from 'node:fs/promises';
import { gunzipSync } from 'node:zlib';
import { NiftiFormatError } from '../errors.js';
import { spacingFromAffine } from '../volume.js';
import type { Vec3, Volume, VoxelArray } from '../types.js';
import { SUPPORTED_DATATYPES } from './datatypes.js';
import { decodeNiftiHeader, type NiftiHeader } from './header.js';

const HOST_LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/** Gunzips when the bytes start with the gzip magic (whatever the file name says). */
function inflate(bytes: Uint8Array, name: string): Uint8Array {
  if (bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b) {
    try {
      return gunzipSync(bytes);
    } catch (error) {
      throw new NiftiFormatError(name, `corrupt or truncated gzip stream (${(error as Error).message})`);
    }
  }
  return bytes;
}

/** Reverses the bytes of every `width`-byte element in place. */
function swapBytes(bytes: Uint8Array, width: number): void {
  if (width === 1) return;
  for (let i = 0; i + width <= bytes.length; i += width) {
    for (let a = i, b = i + width - 1; a < b; a++, b--) {
      const t = bytes[a]!;
      bytes[a] = bytes[b]!;
      bytes[b] = t;
    }
  }
}

/**
 * The affine a NIfTI reader should use, by nibabel's and the standard's precedence: the sform when
 * sform_code > 0, else the qform when qform_code > 0, else diag(pixdim) (NIfTI-1 "method 1").
 */
function chooseAffine(header: NiftiHeader): number[] {
  if (header.sformCode > 0) return [...header.sformAffine];
  if (header.qformCode > 0) return [...header.qformAffine];
  const p = header.pixdim;
  const s = (v: number): number => (Number.isFinite(v) && v !== 0 ? Math.abs(v) : 1);
  return [s(p[1]!), 0, 0, 0, 0, s(p[2]!), 0, 0, 0, 0, s(p[3]!), 0, 0, 0, 0, 1];
}

/**
 * Voxel spacing from pixdim[1..3] (absolute values); an unusable pixdim (0, NaN, ±∞) falls back to the
 * affine's column norm and then to 1 mm, so a valid {@link Volume} is always returned.
 */
function chooseSpacing(header: NiftiHeader, affine: readonly number[]): Vec3 {
  const fromAffine = spacingFromAffine(affine);
  const pick = (axis: 0 | 1 | 2): number => {
    const p = Math.abs(header.pixdim[axis + 1]!);
    if (Number.isFinite(p) && p > 0) return p;
    const a = fromAffine[axis];
    return Number.isFinite(a) && a > 0 ? a : 1;
  };
  return [pick(0), pick(1), pick(2)];
}

/**
 * Reads the header of a NIfTI-1/2 image from memory (gzipped or not).
 *
 * @param bytes - file contents.
 * @param name - name used in error messages.
 * @returns the decoded header fields.
 * @throws NiftiFormatError, UnsupportedDatatypeError.
 */
export function parseNiftiHeader(bytes: Uint8Array, name = '<buffer>'): NiftiHeader {
  return decodeNiftiHeader(inflate(bytes, name), name);
}

/**
 * Decodes a NIfTI-1 or NIfTI-2 image (`.nii` or gzipped `.nii.gz`, either byte order) from memory.
 *
 * Voxels keep their stored type, except that a scaling (`scl_slope` non-zero and finite, and
 * (slope, inter) ≠ (1, 0)) returns `raw * slope + inter` as Float32 (Float64 when the stored type is
 * float64). Affine: sform when sform_code > 0, else qform, else diag(pixdim). Spacing: |pixdim[1..3]|,
 * in the file's units (normally mm; xyzt_units is not converted).
 *
 * @param bytes - file contents.
 * @param name - name used in error messages (default `'<buffer>'`).
 * @returns the volume, `shape = [dim1, dim2, dim3]` (missing dims are 1).
 * @throws NiftiFormatError for truncated, corrupt, non-NIfTI or 4D+ files; UnsupportedDatatypeError for
 *   RGB, complex, 64-bit integer, float128 or bit data.
 */
export function parseNifti(bytes: Uint8Array, name = '<buffer>'): Volume {
  if (!(bytes instanceof Uint8Array)) throw new NiftiFormatError(name, 'input must be a Uint8Array of file bytes');
  const raw = inflate(bytes, name);
  const header = decodeNiftiHeader(raw, name);
  const info = SUPPORTED_DATATYPES.get(header.datatypeCode)!;
  const d = header.dim;
  const shape: Vec3 = [1, 2, 3].map((i) => (i <= d[0]! ? d[i]! : 1)) as unknown as Vec3;
  const count = shape[0] * shape[1] * shape[2];
  const byteLength = count * info.bytes;
  const available = raw.length - header.voxOffset;
  if (available < byteLength) {
    throw new NiftiFormatError(
      name,
      `truncated voxel data: shape [${shape.join(', ')}] of ${info.name} needs ${byteLength} bytes at offset ${header.voxOffset}, found ${Math.max(0, available)}`,
    );
  }
  // A fresh, aligned buffer (Node Buffers are often views into a shared pool at odd offsets).
  const copy = new Uint8Array(byteLength);
  copy.set(raw.subarray(header.voxOffset, header.voxOffset + byteLength));
  if (header.littleEndian !== HOST_LITTLE_ENDIAN) swapBytes(copy, info.bytes);
  let data: VoxelArray = new info.array(copy.buffer);

  let slope = header.sclSlope;
  let inter = header.sclInter;
  if (!Number.isFinite(slope) || slope === 0) {
    slope = 1;
    inter = 0;
  }
  if (!Number.isFinite(inter)) inter = 0;
  if (slope !== 1 || inter !== 0) {
    const scaled = data instanceof Float64Array ? new Float64Array(count) : new Float32Array(count);
    for (let i = 0; i < count; i++) scaled[i] = data[i]! * slope + inter;
    data = scaled;
  }

  const affine = chooseAffine(header);
  const spacing = chooseSpacing(header, affine);
  for (let i = 0; i < 12; i++) {
    if (!Number.isFinite(affine[i])) throw new NiftiFormatError(name, `affine entry ${i} is not finite (${affine[i]})`);
  }
  return {
    data,
    shape: Object.freeze(shape) as Vec3,
    spacing: Object.freeze(spacing) as Vec3,
    affine: Object.freeze(affine),
  };
}

/**
 * Reads a NIfTI-1/2 file (`.nii` or `.nii.gz`; compression is detected from the bytes). See
 * {@link parseNifti} for datatypes, scaling, affine and spacing rules.
 *
 * @param path - file path.
 * @returns the volume.
 * @throws NiftiFormatError (also when the file cannot be read, with the system error as `cause`),
 *   UnsupportedDatatypeError.
 */
export async function readNifti(path: string): Promise<Volume> {
  let bytes: Uint8Array;
  try {
    bytes = await readFile(path);
  } catch (error) {
    const e = new NiftiFormatError(path, `cannot read file (${(error as Error).message})`);
    (e as { cause?: unknown }).cause = error;
    throw e;
  }
  return parseNifti(bytes, path);
}
