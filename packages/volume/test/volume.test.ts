import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  assertSameGeometry,
  boundingBox,
  boxShape,
  createVolume,
  cropToBox,
  GeometryMismatchError,
  indexToVoxel,
  padBox,
  sameGeometry,
  unionBox,
  VolumeAffineError,
  VolumeShapeError,
  VolumeSpacingError,
  voxelIndex,
  voxelToWorld,
  worldToVoxel,
  type Vec3,
} from '@pedseg/volume';

describe('createVolume', () => {
  it('defaults spacing to 1 mm and the affine to diag(spacing)', () => {
    const v = createVolume(new Uint8Array(6), [1, 2, 3]);
    expect(v.spacing).toEqual([1, 1, 1]);
    expect(v.affine).toEqual([1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1]);
    const w = createVolume(new Float32Array(6), [3, 2, 1], { spacing: [0.5, 2, 3] });
    expect(w.affine).toEqual([0.5, 0, 0, 0, 0, 2, 0, 0, 0, 0, 3, 0, 0, 0, 0, 1]);
  });

  it('derives spacing from the affine column norms when only an affine is given', () => {
    const v = createVolume(new Uint8Array(1), [1, 1, 1], { affine: [0, -2, 0, 1, 3, 0, 0, 2, 0, 0, 4, 3, 0, 0, 0, 1] });
    expect(v.spacing).toEqual([3, 2, 4]);
  });

  it('rejects a data length that differs from the shape', () => {
    expect(() => createVolume(new Uint8Array(5), [1, 2, 3])).toThrow(VolumeShapeError);
    expect(() => createVolume(new Uint8Array(5), [1, 2, 3])).toThrow(/data has 5 elements but shape \[1, 2, 3\] needs 6/);
  });

  it('rejects bad shapes', () => {
    for (const shape of [[0, 1, 1], [1, -2, 1], [1, 1, 1.5], [1, NaN, 1], [1, 1]] as unknown as Vec3[]) {
      expect(() => createVolume(new Uint8Array(1), shape)).toThrow(VolumeShapeError);
    }
    expect(() => createVolume([1, 2] as unknown as Uint8Array, [2, 1, 1])).toThrow(/typed array/);
  });

  it('rejects non-positive, NaN or infinite spacing', () => {
    for (const spacing of [[0, 1, 1], [1, -1, 1], [1, 1, NaN], [Infinity, 1, 1], [1, 1]] as unknown as Vec3[]) {
      expect(() => createVolume(new Uint8Array(1), [1, 1, 1], { spacing })).toThrow(VolumeSpacingError);
    }
    expect(() => createVolume(new Uint8Array(1), [1, 1, 1], { spacing: [1, 0, 1] })).toThrow(/spacing\[1\]/);
  });

  it('rejects malformed or singular affines', () => {
    expect(() => createVolume(new Uint8Array(1), [1, 1, 1], { affine: [1, 0, 0] })).toThrow(VolumeAffineError);
    const nan = [1, 0, 0, 0, 0, 1, 0, 0, 0, 0, NaN, 0, 0, 0, 0, 1];
    expect(() => createVolume(new Uint8Array(1), [1, 1, 1], { affine: nan })).toThrow(/affine\[10\]/);
    const badRow = [1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 1, 1];
    expect(() => createVolume(new Uint8Array(1), [1, 1, 1], { affine: badRow })).toThrow(/last row/);
    const singular = [1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1];
    expect(() => createVolume(new Uint8Array(1), [1, 1, 1], { affine: singular })).toThrow(VolumeSpacingError);
  });
});

describe('index and coordinate helpers', () => {
  it('voxelIndex / indexToVoxel are inverse (x fastest)', () => {
    expect(voxelIndex([4, 3, 2], 1, 2, 1)).toBe(1 + 4 * (2 + 3 * 1));
    fc.assert(
      fc.property(fc.tuple(fc.integer({ min: 1, max: 9 }), fc.integer({ min: 1, max: 9 }), fc.integer({ min: 1, max: 9 })), fc.nat(), (shape, k) => {
        const i = k % (shape[0] * shape[1] * shape[2]);
        const [x, y, z] = indexToVoxel(shape, i);
        expect(voxelIndex(shape, x, y, z)).toBe(i);
        expect(x < shape[0] && y < shape[1] && z < shape[2]).toBe(true);
      }),
    );
  });

  it('voxelToWorld applies the affine; worldToVoxel inverts it', () => {
    const affine = [0, -2, 0, 10, 0.5, 0, 0, -3, 0, 0, 3, 1, 0, 0, 0, 1];
    expect(voxelToWorld({ affine }, [1, 2, 3])).toEqual([6, -2.5, 10]);
    fc.assert(
      fc.property(fc.tuple(fc.double({ min: -50, max: 50, noNaN: true }), fc.double({ min: -50, max: 50, noNaN: true }), fc.double({ min: -50, max: 50, noNaN: true })), (p) => {
        const back = worldToVoxel({ affine }, voxelToWorld({ affine }, p));
        back.forEach((v, a) => expect(v).toBeCloseTo(p[a]!, 9));
      }),
    );
    expect(() => worldToVoxel({ affine: [1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1] }, [0, 0, 0])).toThrow(VolumeAffineError);
  });
});

describe('assertSameGeometry', () => {
  const a = createVolume(new Uint8Array(8), [2, 2, 2], { spacing: [1, 1, 2] });
  it('accepts equal grids and tiny spacing differences', () => {
    expect(() => assertSameGeometry(a, createVolume(new Int16Array(8), [2, 2, 2], { spacing: [1, 1, 2.00001] }))).not.toThrow();
    expect(sameGeometry(a, a)).toBe(true);
  });
  it('names a shape difference', () => {
    const b = createVolume(new Uint8Array(8), [2, 4, 1], { spacing: [1, 1, 2] });
    expect(() => assertSameGeometry(a, b, { names: ['reference', 'prediction'] })).toThrow(GeometryMismatchError);
    expect(() => assertSameGeometry(a, b, { names: ['reference', 'prediction'] })).toThrow(
      /shape differs: reference \[2, 2, 2\] vs prediction \[2, 4, 1\]/,
    );
  });
  it('names a spacing difference beyond the tolerance', () => {
    const b = createVolume(new Uint8Array(8), [2, 2, 2], { spacing: [1, 1, 2.1] });
    expect(() => assertSameGeometry(a, b)).toThrow(/spacing differs.*axis 2/);
    expect(() => assertSameGeometry(a, b, { tolerance: 0.1 })).not.toThrow();
    expect(sameGeometry(a, b)).toBe(false);
  });
  it('optionally compares affines', () => {
    const b = createVolume(new Uint8Array(8), [2, 2, 2], { spacing: [1, 1, 2], affine: [1, 0, 0, 5, 0, 1, 0, 0, 0, 0, 2, 0, 0, 0, 0, 1] });
    expect(() => assertSameGeometry(a, b)).not.toThrow();
    expect(() => assertSameGeometry(a, b, { checkAffine: true })).toThrow(/affine differs at entry 3/);
  });
});

describe('boxes', () => {
  it('boundingBox: hand-computed and empty', () => {
    const mask = new Uint8Array(4 * 3 * 2);
    mask[voxelIndex([4, 3, 2], 1, 2, 0)] = 1;
    mask[voxelIndex([4, 3, 2], 3, 1, 1)] = 5;
    expect(boundingBox(mask, [4, 3, 2])).toEqual({ lo: [1, 1, 0], hi: [4, 3, 2] });
    expect(boundingBox(new Uint8Array(24), [4, 3, 2])).toBeNull();
    expect(() => boundingBox(new Uint8Array(5), [4, 3, 2])).toThrow(VolumeShapeError);
  });

  it('boundingBox agrees with a direct scan', () => {
    const arb = fc.tuple(fc.integer({ min: 1, max: 8 }), fc.integer({ min: 1, max: 8 }), fc.integer({ min: 1, max: 8 })).chain((shape) =>
      fc.tuple(fc.constant(shape as Vec3), fc.uint8Array({ minLength: shape[0] * shape[1] * shape[2], maxLength: shape[0] * shape[1] * shape[2] }).map((a) => a.map((v) => (v < 20 ? 1 : 0)))),
    );
    fc.assert(
      fc.property(arb, ([shape, mask]) => {
        const lo = [Infinity, Infinity, Infinity];
        const hi = [-1, -1, -1];
        mask.forEach((v, i) => {
          if (!v) return;
          indexToVoxel(shape, i).forEach((c, a) => {
            lo[a] = Math.min(lo[a]!, c);
            hi[a] = Math.max(hi[a]!, c + 1);
          });
        });
        const box = boundingBox(mask, shape);
        if (hi[0] === -1) expect(box).toBeNull();
        else expect(box).toEqual({ lo, hi });
      }),
    );
  });

  it('padBox clips to the grid, unionBox and boxShape', () => {
    const box = { lo: [1, 0, 2] as Vec3, hi: [3, 2, 4] as Vec3 };
    expect(padBox(box, [4, 4, 5], 2)).toEqual({ lo: [0, 0, 0], hi: [4, 4, 5] });
    expect(padBox(box, [10, 10, 10], [0, 1, 0])).toEqual({ lo: [1, 0, 2], hi: [3, 3, 4] });
    expect(unionBox(box, { lo: [0, 1, 3], hi: [2, 5, 4] })).toEqual({ lo: [0, 0, 2], hi: [3, 5, 4] });
    expect(unionBox(null, box)).toBe(box);
    expect(unionBox(null, null)).toBeNull();
    expect(boxShape(box)).toEqual([2, 2, 2]);
  });

  it('cropToBox copies the box voxels in x-fastest order', () => {
    const shape: Vec3 = [3, 3, 2];
    const data = Int16Array.from({ length: 18 }, (_, i) => i);
    const crop = cropToBox(data, shape, { lo: [1, 1, 0], hi: [3, 3, 2] });
    expect(crop).toBeInstanceOf(Int16Array);
    expect(Array.from(crop)).toEqual([4, 5, 7, 8, 13, 14, 16, 17]);
    expect(() => cropToBox(data, shape, { lo: [0, 0, 0], hi: [4, 1, 1] })).toThrow(VolumeShapeError);
  });
});
