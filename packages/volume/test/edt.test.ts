import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  distanceToFeatures,
  squaredDistanceToFeatures,
  squaredDistanceToFeaturesInBox,
  VolumeShapeError,
  VolumeSpacingError,
  type Vec3,
} from '@pedseg/volume';
import { bruteForceSquaredDistance } from './helpers/oracles.js';

/** Float32 rounding of an exact value: relative error at most 2^-24 (plus the Float64 slack). */
function expectCloseF32(actual: Float32Array, expected: ArrayLike<number>): void {
  expect(actual.length).toBe(expected.length);
  for (let i = 0; i < actual.length; i++) {
    const e = expected[i]!;
    const a = actual[i]!;
    if (e === Infinity) {
      expect(a, `index ${i}`).toBe(Infinity);
    } else {
      expect(Math.abs(a - e), `index ${i}: ${a} vs ${e}`).toBeLessThanOrEqual(Math.abs(e) * 1.2e-7 + 1e-12);
    }
  }
}

const dimArb = fc.integer({ min: 1, max: 7 });
const spacingArb = fc.double({ min: 0.05, max: 5, noNaN: true });
const caseArb = fc
  .record({
    shape: fc.tuple(dimArb, dimArb, dimArb),
    spacing: fc.tuple(spacingArb, spacingArb, spacingArb),
    density: fc.double({ min: 0, max: 0.5, noNaN: true }),
    seed: fc.integer(),
  })
  .map(({ shape, spacing, density, seed }) => {
    const n = shape[0] * shape[1] * shape[2];
    const mask = new Uint8Array(n);
    let s = seed >>> 0 || 1;
    for (let i = 0; i < n; i++) {
      s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
      mask[i] = s / 2 ** 32 < density ? 1 : 0;
    }
    return { shape: shape as Vec3, spacing: spacing as Vec3, mask };
  });

describe('squaredDistanceToFeatures', () => {
  it('hand-computed 1D/3D cases', () => {
    // Line of 5 along x, feature at x = 1, spacing 2 mm: distances 2, 0, 2, 4, 6 mm.
    expect(Array.from(squaredDistanceToFeatures([0, 1, 0, 0, 0], [5, 1, 1], [2, 1, 1]))).toEqual([4, 0, 4, 16, 36]);
    // Same along z with spacing 0.5 mm.
    expect(Array.from(squaredDistanceToFeatures([0, 1, 0, 0, 0], [1, 1, 5], [1, 1, 0.5]))).toEqual([
      0.25, 0, 0.25, 1, 2.25,
    ]);
    // Corner feature of a 2x2x2 cube with spacing (1, 2, 3): far corner at 1 + 4 + 9 = 14 mm².
    const cube = [1, 0, 0, 0, 0, 0, 0, 0];
    expect(Array.from(squaredDistanceToFeatures(cube, [2, 2, 2], [1, 2, 3]))).toEqual([0, 1, 4, 5, 9, 10, 13, 14]);
  });

  it('is +Infinity everywhere without features', () => {
    const d = squaredDistanceToFeatures(new Uint8Array(24), [2, 3, 4], [1, 1, 1]);
    expect(Array.from(d).every((v) => v === Infinity)).toBe(true);
  });

  it('agrees with the brute-force oracle on random anisotropic masks (incl. size-1 axes)', () => {
    fc.assert(
      fc.property(caseArb, ({ shape, spacing, mask }) => {
        const got = squaredDistanceToFeatures(mask, shape, spacing);
        expectCloseF32(got, bruteForceSquaredDistance(mask, shape, spacing));
      }),
      { numRuns: 300 },
    );
  });

  it('box version agrees with the full version inside the box when features lie inside', () => {
    const boxCase = caseArb.chain((c) =>
      fc
        .tuple(
          ...([0, 1, 2] as const).map((a) =>
            fc.tuple(fc.nat(c.shape[a] - 1), fc.nat(c.shape[a] - 1)).map(([u, v]) => [Math.min(u, v), Math.max(u, v) + 1]),
          ),
        )
        .map((r) => ({ ...c, lo: r.map((x) => x[0]!) as unknown as Vec3, hi: r.map((x) => x[1]!) as unknown as Vec3 })),
    );
    fc.assert(
      fc.property(boxCase, ({ shape, spacing, mask, lo, hi }) => {
        const [nx, ny] = shape;
        // Keep only the features inside the box, so the contract's exactness condition holds.
        const inside = new Uint8Array(mask.length);
        for (let z = lo[2]; z < hi[2]; z++)
          for (let y = lo[1]; y < hi[1]; y++)
            for (let x = lo[0]; x < hi[0]; x++) inside[x + nx * (y + ny * z)] = mask[x + nx * (y + ny * z)]!;
        const full = squaredDistanceToFeatures(inside, shape, spacing);
        const box = squaredDistanceToFeaturesInBox(inside, shape, spacing, { lo, hi });
        const bx = hi[0] - lo[0];
        const by = hi[1] - lo[1];
        expect(box.length).toBe(bx * by * (hi[2] - lo[2]));
        for (let z = lo[2]; z < hi[2]; z++)
          for (let y = lo[1]; y < hi[1]; y++)
            for (let x = lo[0]; x < hi[0]; x++) {
              const b = box[x - lo[0] + bx * (y - lo[1] + by * (z - lo[2]))]!;
              // Same envelopes on shifted indices: equal up to the final float32 rounding.
              const f = full[x + nx * (y + ny * z)]!;
              if (f === Infinity) expect(b).toBe(Infinity);
              else expect(Math.abs(b - f)).toBeLessThanOrEqual(f * 2.4e-7);
            }
      }),
      { numRuns: 200 },
    );
  });

  it('distanceToFeatures is the square root', () => {
    const d = distanceToFeatures([1, 0, 0, 0], [4, 1, 1], [3, 1, 1]);
    expect(Array.from(d)).toEqual([0, 3, 6, 9]);
  });

  it('rejects bad arguments with typed errors', () => {
    expect(() => squaredDistanceToFeatures([1, 0, 0], [2, 2, 1], [1, 1, 1])).toThrow(VolumeShapeError);
    expect(() => squaredDistanceToFeatures([1, 0, 0, 0], [2, 2, 1], [1, 0, 1])).toThrow(VolumeSpacingError);
    expect(() => squaredDistanceToFeatures([1, 0, 0, 0], [2, 2, 1], [1, NaN, 1])).toThrow(VolumeSpacingError);
    expect(() => squaredDistanceToFeatures([1, 0, 0, 0], [2, 2, 1], [1, -1, 1])).toThrow(/spacing\[1\]/);
    expect(() =>
      squaredDistanceToFeaturesInBox([1, 0, 0, 0], [2, 2, 1], [1, 1, 1], { lo: [0, 0, 0], hi: [3, 2, 1] }),
    ).toThrow(VolumeShapeError);
    expect(() =>
      squaredDistanceToFeaturesInBox([1, 0, 0, 0], [2, 2, 1], [1, 1, 1], { lo: [1, 0, 0], hi: [1, 2, 1] }),
    ).toThrow(/box axis 0/);
  });
});
