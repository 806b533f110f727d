/** The smallest unsigned array type that can hold labels up to `maxLabel`. */
export function labelArrayFor(maxLabel: number, length: number): Uint8Array | Uint16Array | Int32Array {
  if (maxLabel <= 0xff) return new Uint8Array(length);
  if (maxLabel <= 0xffff) return new Uint16Array(length);
  return new Int32Array(length);
}
