import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  ConnectivityError,
  connectedComponents2D,
  connectedComponents3D,
  VolumeShapeError,
  type Vec3,
} from '@pedseg/volume';
import { floodFillLabels } from './helpers/oracles.js';

const dimArb = fc.integer({ min: 1, max: 9 });
const maskArb = fc
  .record({
    shape: fc.tuple(dimArb, dimArb, dimArb),
    density: fc.double({ min: 0, max: 0.8, noNaN: true }),
    seed: fc.integer(),
  })
  .map(({ shape, density, seed }) => {
    const n = shape[0] * shape[1] * shape[2];
    const mask = new Uint8Array(n);
    let s = seed >>> 0 || 1;
    for (let i = 0; i < n; i++) {
      s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
      mask[i] = s / 2 ** 32 < density ? 1 + (i % 3) : 0;
    }
    return { shape: shape as Vec3, mask };
  });

describe('connectedComponents3D', () => {
  it('hand-computed: diagonal voxels join at 26 (corner), 18 (edge) but not at 6', () => {
    // 2x2x2: voxels (0,0,0) and (1,1,1) touch by a corner only.
    const corner = [1, 0, 0, 0, 0, 0, 0, 1];
    expect(connectedComponents3D(corner, [2, 2, 2], 26).count).toBe(1);
    expect(connectedComponents3D(corner, [2, 2, 2], 18).count).toBe(2);
    expect(connectedComponents3D(corner, [2, 2, 2], 6).count).toBe(2);
    // (0,0,0) and (1,1,0) touch by an edge.
    const edge = [1, 0, 0, 1, 0, 0, 0, 0];
    expect(connectedComponents3D(edge, [2, 2, 2], 18).count).toBe(1);
    expect(connectedComponents3D(edge, [2, 2, 2], 6).count).toBe(2);
    const r = connectedComponents3D([0, 1, 1, 0, 0, 1, 0, 0, 1], [9, 1, 1], 6);
    expect(Array.from(r.labels)).toEqual([0, 1, 1, 0, 0, 2, 0, 0, 3]);
    expect(Array.from(r.sizes)).toEqual([2, 1, 1]);
  });

  it('numbers components by first occurrence even when a later label merges an earlier one', () => {
    // U shape in 2D: the two arms start as separate provisional labels and merge on the bottom row.
    const mask = [1, 0, 1, 0, 1, 0, 1, 0, 1, 0, 1, 0, 1, 1, 1, 0];
    const r = connectedComponents2D(mask, [4, 4], 4);
    expect(r.count).toBe(1);
    expect(Array.from(r.labels)).toEqual(mask.map((v) => (v ? 1 : 0)));
    expect(Array.from(r.sizes)).toEqual([9]);
  });

  for (const connectivity of [6, 18, 26] as const) {
    it(`matches a flood-fill oracle at ${connectivity}-connectivity (labels identical, sizes sum)`, () => {
      fc.assert(
        fc.property(maskArb, ({ shape, mask }) => {
          const got = connectedComponents3D(mask, shape, connectivity);
          const oracle = floodFillLabels(mask, shape, connectivity);
          expect(got.count).toBe(oracle.count);
          // Both number by first occurrence in memory order, so the partitions are equal iff labels are.
          expect(got.labels).toEqual(oracle.labels);
          const foreground = mask.reduce((a, v) => a + (v !== 0 ? 1 : 0), 0);
          expect(got.sizes.reduce((a, v) => a + v, 0)).toBe(foreground);
          for (let c = 1; c <= got.count; c++) {
            expect(got.sizes[c - 1]).toBe(got.labels.filter((l) => l === c).length);
          }
        }),
        { numRuns: 150 },
      );
    });
  }
});

describe('connectedComponents2D', () => {
  for (const [connectivity, c3] of [
    [4, 6],
    [8, 26],
  ] as const) {
    it(`matches a flood-fill oracle at ${connectivity}-connectivity`, () => {
      const arb = fc
        .record({ nx: fc.integer({ min: 1, max: 16 }), ny: fc.integer({ min: 1, max: 16 }), bits: fc.integer(), d: fc.double({ min: 0, max: 0.8, noNaN: true }) })
        .map(({ nx, ny, bits, d }) => {
          const mask = new Uint8Array(nx * ny);
          let s = bits >>> 0 || 7;
          for (let i = 0; i < mask.length; i++) {
            s = (Math.imul(s, 22695477) + 1) >>> 0;
            mask[i] = s / 2 ** 32 < d ? 1 : 0;
          }
          return { nx, ny, mask };
        });
      fc.assert(
        fc.property(arb, ({ nx, ny, mask }) => {
          const got = connectedComponents2D(mask, [nx, ny], connectivity);
          const oracle = floodFillLabels(mask, [nx, ny, 1], c3);
          expect(got.labels).toEqual(oracle.labels);
          expect(got.count).toBe(oracle.count);
          expect(got.sizes.reduce((a, v) => a + v, 0)).toBe(mask.reduce((a, v) => a + v, 0));
        }),
        { numRuns: 200 },
      );
    });
  }

  it('hand-computed: diagonal pixels join at 8 but not at 4', () => {
    const mask = [1, 0, 0, 1];
    expect(connectedComponents2D(mask, [2, 2], 8).count).toBe(1);
    expect(connectedComponents2D(mask, [2, 2], 4).count).toBe(2);
    expect(connectedComponents2D(mask, [2, 2]).count).toBe(1);
  });
});

describe('bad input', () => {
  it('throws typed errors', () => {
    expect(() => connectedComponents3D([1, 0], [3, 1, 1])).toThrow(VolumeShapeError);
    expect(() => connectedComponents3D([1, 0], [2, 1, 1], 8 as unknown as 6)).toThrow(ConnectivityError);
    expect(() => connectedComponents2D([1, 0], [2, 1], 6 as unknown as 4)).toThrow(ConnectivityError);
    expect(() => connectedComponents2D([1, 0], [2, 2])).toThrow(/mask has 2 elements/);
    expect(() => connectedComponents3D([1, 0], [2, 1.5, 1] as unknown as Vec3)).toThrow(VolumeShapeError);
  });
});
