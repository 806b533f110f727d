import { createVolume } from '@pedseg/volume';
import type { Vec3 } from '@pedseg/volume';
import { describe, expect, it } from 'vitest';
import { ballClosing, ballDilation, ballErosion, ballOpening } from '@pedseg/postprocess';

const count = (a: ArrayLike<number>, v: number) => Array.from(a).filter((x) => x === v).length;

function cube(shape: Vec3, lo: Vec3, hi: Vec3, label = 1, into?: Uint8Array): Uint8Array {
  const data = into ?? new Uint8Array(shape[0] * shape[1] * shape[2]);
  for (let z = lo[2]; z < hi[2]; z++) for (let y = lo[1]; y < hi[1]; y++) for (let x = lo[0]; x < hi[0]; x++) data[x + shape[0] * (y + shape[1] * z)] = label;
  return data;
}

describe('ball morphology, hand-computed cases', () => {
  const point = (shape: Vec3, spacing: Vec3 = [1, 1, 1]) => {
    const data = new Uint8Array(shape[0] * shape[1] * shape[2]);
    data[(shape[0] >> 1) + shape[0] * ((shape[1] >> 1) + shape[1] * (shape[2] >> 1))] = 1;
    return createVolume(data, shape, { spacing });
  };
  it('radius 2 voxels is the 33-voxel ball of the papers (dz²+dy²+dx² ≤ 4), radius 1 the 7-voxel cross', () => {
    for (const method of ['edt', 'scan'] as const) {
      expect(count(ballDilation(point([9, 9, 9]), { radius: 2, method }).data, 1)).toBe(33);
      expect(count(ballDilation(point([9, 9, 9]), { radius: 1, method }).data, 1)).toBe(7);
      // Anisotropic voxels do not change a ball counted in voxels.
      expect(count(ballDilation(point([9, 9, 9], [0.8, 0.3, 0.3]), { radius: 2, method }).data, 1)).toBe(33);
    }
  });
  it('a 2 mm ball at 1×0.5×0.5 mm spans 125 voxels (49 + 2·37 + 2·1 per x-plane)', () => {
    for (const method of ['edt', 'scan'] as const) {
      expect(count(ballDilation(point([9, 13, 13], [1, 0.5, 0.5]), { radius: 2, unit: 'mm', method }).data, 1)).toBe(125);
    }
  });
  it('a radius exactly on a lattice distance in mm includes that voxel (0.6 mm at 0.3 mm spacing)', () => {
    const out = ballDilation(point([1, 1, 9], [1, 1, 0.3]), { radius: 0.6, unit: 'mm' }).data;
    expect(Array.from(out)).toEqual([0, 0, 1, 1, 1, 1, 1, 0, 0]);
  });
  it('erosion removes an interior single voxel; opening too; closing keeps it', () => {
    const v = point([7, 7, 7]);
    expect(count(ballErosion(v, { radius: 1 }).data, 1)).toBe(0);
    expect(count(ballOpening(v, { radius: 1 }).data, 1)).toBe(0);
    expect(Array.from(ballClosing(v, { radius: 2 }).data)).toEqual(Array.from(v.data));
  });
  it('closing bridges a 2-voxel gap between two cubes at radius 2, not a 5-voxel gap', () => {
    const shape: Vec3 = [16, 7, 7];
    const near = createVolume(cube(shape, [7, 1, 1], [12, 6, 6], 1, cube(shape, [0, 1, 1], [5, 6, 6])), shape);
    const closed = ballClosing(near, { radius: 2 }).data;
    expect(closed[5 + 16 * (3 + 7 * 3)]).toBe(1);
    expect(closed[6 + 16 * (3 + 7 * 3)]).toBe(1);
    const far = createVolume(cube(shape, [10, 1, 1], [15, 6, 6], 1, cube(shape, [0, 1, 1], [5, 6, 6])), shape);
    expect(Array.from(ballClosing(far, { radius: 2 }).data)).toEqual(Array.from(far.data));
  });
  it('border policy: objects touching the border are neither eroded by closing nor shaved by opening', () => {
    const shape: Vec3 = [8, 8, 8];
    const slab = createVolume(cube(shape, [0, 0, 0], [3, 8, 8]), shape);
    // A 3-voxel slab against the x = 0 face is thinner than the ball, yet survives: for opening (and
    // erosion) the outside counts as slab, for closing as background that the dilation fills first.
    for (const op of [ballClosing, ballOpening]) expect(Array.from(op(slab, { radius: 2 }).data)).toEqual(Array.from(slab.data));
    // Erosion keeps the layer x = 0, three voxels from the first non-slab voxel (x = 3).
    expect(count(ballErosion(slab, { radius: 2 }).data, 1)).toBe(8 * 8 * 1);
    const full = createVolume(new Uint8Array(512).fill(1), shape);
    for (const op of [ballClosing, ballOpening, ballErosion, ballDilation]) {
      expect(count(op(full, { radius: 3 }).data, 1)).toBe(512);
    }
  });
  it('labels compete for background: the nearest wins, ties go to the smaller label', () => {
    const v = createVolume(Uint8Array.from([0, 0, 1, 0, 0, 0, 2, 0, 0]), [9, 1, 1]);
    expect(Array.from(ballDilation(v, { radius: 2 }).data)).toEqual([1, 1, 1, 1, 1, 2, 2, 2, 2]);
  });
  it('per-label closing never overwrites another bone lying in the gap', () => {
    const shape: Vec3 = [16, 7, 7];
    const data = cube(shape, [7, 1, 1], [12, 6, 6], 1, cube(shape, [0, 1, 1], [5, 6, 6]));
    cube(shape, [5, 3, 3], [7, 4, 4], 2, data);
    const closed = ballClosing(createVolume(data, shape), { radius: 2 }).data;
    expect(closed[5 + 16 * (3 + 7 * 3)]).toBe(2);
    expect(closed[6 + 16 * (3 + 7 * 3)]).toBe(2);
    expect(closed[5 + 16 * (2 + 7 * 3)]).toBe(1);
  });
  it('radius 0 is the identity, and only the selected labels are processed', () => {
    const v = createVolume(Uint8Array.from([0, 1, 0, 0, 0, 2, 0]), [7, 1, 1]);
    for (const op of [ballClosing, ballOpening, ballErosion, ballDilation]) expect(Array.from(op(v, { radius: 0 }).data)).toEqual(Array.from(v.data));
    expect(Array.from(ballDilation(v, { radius: 1, labels: [2] }).data)).toEqual([0, 1, 0, 0, 2, 2, 2]);
  });
});
