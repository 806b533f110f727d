import { readFile } from 'node:fs/promises';
import { promisify } from 'node:util';
import { gunzip } from 'node:zlib';
import { parseNifti } from '@pedseg/volume';
import type { Volume } from '@pedseg/volume';

const gunzipAsync = promisify(gunzip);

/**
 * Reads a `.nii` / `.nii.gz` file. Inflates on libuv's thread pool, so the reference and the
 * prediction of a pair decompress at the same time.
 */
export async function loadNifti(path: string): Promise<Volume> {
  let bytes: Uint8Array;
  try {
    bytes = await readFile(path);
  } catch (error) {
    throw new Error(`cannot read ${path}: ${error instanceof Error ? error.message : String(error)}`);
  }
  if (bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b) {
    try {
      bytes = await gunzipAsync(bytes);
    } catch (error) {
      throw new Error(`${path}: corrupt or truncated gzip stream (${error instanceof Error ? error.message : String(error)})`);
    }
  }
  return parseNifti(bytes, path);
}
