import type { VoxelArray } from '../types.js';

/** NIfTI datatypes that map onto a {@link VoxelArray}. */
export type NiftiDatatype = 'uint8' | 'int8' | 'int16' | 'uint16' | 'int32' | 'uint32' | 'float32' | 'float64';

/** Typed-array constructor for each supported datatype. */
interface DatatypeInfo {
  readonly name: NiftiDatatype;
  readonly code: number;
  readonly bytes: number;
  readonly array: new (buffer: ArrayBuffer) => VoxelArray;
  readonly min: number;
  readonly max: number;
  readonly integer: boolean;
}

/** Supported datatypes by NIfTI code (nifti1.h DT_*). */
export const SUPPORTED_DATATYPES: ReadonlyMap<number, DatatypeInfo> = new Map<number, DatatypeInfo>([
  [2, { name: 'uint8', code: 2, bytes: 1, array: Uint8Array, min: 0, max: 255, integer: true }],
  [256, { name: 'int8', code: 256, bytes: 1, array: Int8Array, min: -128, max: 127, integer: true }],
  [4, { name: 'int16', code: 4, bytes: 2, array: Int16Array, min: -32768, max: 32767, integer: true }],
  [512, { name: 'uint16', code: 512, bytes: 2, array: Uint16Array, min: 0, max: 65535, integer: true }],
  [8, { name: 'int32', code: 8, bytes: 4, array: Int32Array, min: -2147483648, max: 2147483647, integer: true }],
  [768, { name: 'uint32', code: 768, bytes: 4, array: Uint32Array, min: 0, max: 4294967295, integer: true }],
  [16, { name: 'float32', code: 16, bytes: 4, array: Float32Array, min: -Infinity, max: Infinity, integer: false }],
  [64, { name: 'float64', code: 64, bytes: 8, array: Float64Array, min: -Infinity, max: Infinity, integer: false }],
]);

/** Names of NIfTI datatypes this package reads but cannot hold (for error messages). */
export const UNSUPPORTED_DATATYPE_NAMES: ReadonlyMap<number, string> = new Map([
  [0, 'DT_UNKNOWN (0)'],
  [1, 'DT_BINARY (1, 1-bit)'],
  [32, 'DT_COMPLEX64 (32)'],
  [128, 'DT_RGB24 (128)'],
  [1024, 'DT_INT64 (1024)'],
  [1280, 'DT_UINT64 (1280)'],
  [1536, 'DT_FLOAT128 (1536)'],
  [1792, 'DT_COMPLEX128 (1792)'],
  [2048, 'DT_COMPLEX256 (2048)'],
  [2304, 'DT_RGBA32 (2304)'],
]);

/** Datatype info for a name. */
export function datatypeByName(name: NiftiDatatype): DatatypeInfo | undefined {
  for (const info of SUPPORTED_DATATYPES.values()) if (info.name === name) return info;
  return undefined;
}

/** NIfTI datatype name of a typed array. */
export function datatypeOfArray(data: VoxelArray): NiftiDatatype {
  if (data instanceof Uint8Array) return 'uint8';
  if (data instanceof Int8Array) return 'int8';
  if (data instanceof Int16Array) return 'int16';
  if (data instanceof Uint16Array) return 'uint16';
  if (data instanceof Int32Array) return 'int32';
  if (data instanceof Uint32Array) return 'uint32';
  if (data instanceof Float32Array) return 'float32';
  return 'float64';
}
