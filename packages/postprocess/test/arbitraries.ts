import { createVolume } from '@pedseg/volume';
import type { Vec3, Volume } from '@pedseg/volume';
import fc from 'fast-check';

/** Small random label volumes (labels 0..maxLabel, mostly background), with a random spacing. */
export function labelVolumes(maxLabel = 1, maxSide = 7): fc.Arbitrary<Volume<Uint8Array>> {
  return fc
    .record({
      shape: fc.tuple(fc.integer({ min: 1, max: maxSide }), fc.integer({ min: 1, max: maxSide }), fc.integer({ min: 1, max: maxSide })),
      spacing: fc.tuple(...[0, 1, 2].map(() => fc.constantFrom(0.3, 0.5, 0.8, 1))) as fc.Arbitrary<[number, number, number]>,
      density: fc.constantFrom(0.2, 0.5, 0.8),
      seed: fc.integer(),
    })
    .map(({ shape, spacing, density, seed }) => {
      const n = shape[0] * shape[1] * shape[2];
      const data = new Uint8Array(n);
      let s = seed >>> 0 || 1;
      for (let i = 0; i < n; i++) {
        // xorshift32: reproducible from the shrinkable seed.
        s ^= s << 13;
        s >>>= 0;
        s ^= s >>> 17;
        s ^= s << 5;
        s >>>= 0;
        const u = s / 2 ** 32;
        data[i] = u < density ? 1 + Math.floor((u / density) * maxLabel) : 0;
      }
      return createVolume(data, shape as Vec3, { spacing });
    });
}

/** Ball radii in voxels or mm. */
export const radii = fc.oneof(
  fc.record({ radius: fc.constantFrom(0, 1, 1.5, 2, 3), unit: fc.constant('voxel' as const) }),
  fc.record({ radius: fc.constantFrom(0.5, 0.9, 1.2, 2), unit: fc.constant('mm' as const) }),
);

/** The binary complement of a 0/1 volume. */
export function complement(v: Volume<Uint8Array>): Volume<Uint8Array> {
  return createVolume(v.data.map((x) => (x === 0 ? 1 : 0)), v.shape, { spacing: v.spacing, affine: v.affine });
}
