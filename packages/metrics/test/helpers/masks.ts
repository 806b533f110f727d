import fc from 'fast-check';
import type { LabelImage } from '@pedseg/metrics';

export type V3 = readonly [number, number, number];

export function image(data: ArrayLike<number>, shape: V3, spacing: V3 = [1, 1, 1]): LabelImage {
  return { data: Uint8Array.from(data), shape, spacing };
}

/** Spacings whose squares and small sums are exact in float32, so EDT and oracle agree to the bit. */
export const dyadicSpacing = fc.tuple(
  fc.constantFrom(0.5, 0.75, 1, 1.25, 1.5, 2),
  fc.constantFrom(0.5, 0.75, 1, 1.25, 1.5, 2),
  fc.constantFrom(0.5, 0.75, 1, 1.25, 1.5, 2),
);

/** A random pair of binary masks on a small grid, both non-empty. */
export const maskPair = fc
  .tuple(fc.integer({ min: 1, max: 7 }), fc.integer({ min: 1, max: 7 }), fc.integer({ min: 1, max: 6 }), fc.double({ min: 0.1, max: 0.7, noNaN: true }))
  .chain(([nx, ny, nz, density]) =>
    fc.tuple(
      fc.constant([nx, ny, nz] as V3),
      fc.array(fc.double({ min: 0, max: 1, noNaN: true }).map((u) => (u < density ? 1 : 0)), { minLength: nx * ny * nz, maxLength: nx * ny * nz }),
      fc.array(fc.double({ min: 0, max: 1, noNaN: true }).map((u) => (u < density ? 1 : 0)), { minLength: nx * ny * nz, maxLength: nx * ny * nz }),
    ),
  )
  .filter(([, a, b]) => a.includes(1) && b.includes(1));

/** Copies a mask into a larger grid at an offset. */
export function embed(mask: ArrayLike<number>, shape: V3, into: V3, offset: V3): Uint8Array {
  const out = new Uint8Array(into[0] * into[1] * into[2]);
  for (let z = 0; z < shape[2]; z++)
    for (let y = 0; y < shape[1]; y++)
      for (let x = 0; x < shape[0]; x++) {
        out[x + offset[0] + into[0] * (y + offset[1] + into[1] * (z + offset[2]))] = mask[x + shape[0] * (y + shape[1] * z)]!;
      }
  return out;
}

/** Relative closeness. */
export function close(a: number, b: number, rel = 1e-6): boolean {
  if (a === b) return true;
  return Math.abs(a - b) <= rel * Math.max(Math.abs(a), Math.abs(b), 1e-12);
}

/** Sparse masks (a few voxels), so nearest surface elements often sit on a diagonal. */
export const sparsePair = fc
  .tuple(fc.integer({ min: 2, max: 6 }), fc.integer({ min: 2, max: 6 }), fc.integer({ min: 1, max: 4 }))
  .chain(([nx, ny, nz]) =>
    fc.tuple(
      fc.constant([nx, ny, nz] as V3),
      fc.array(fc.constantFrom(0, 0, 0, 0, 0, 0, 0, 1), { minLength: nx * ny * nz, maxLength: nx * ny * nz }),
      fc.array(fc.constantFrom(0, 0, 0, 0, 0, 0, 0, 1), { minLength: nx * ny * nz, maxLength: nx * ny * nz }),
    ),
  )
  .filter(([, a, b]) => a.includes(1) && b.includes(1));
