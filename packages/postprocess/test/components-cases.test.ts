import { createVolume } from '@pedseg/volume';
import { describe, expect, it } from 'vitest';
import {
  LabelValueError,
  PostprocessOptionError,
  fillHoles,
  keepLargestComponentPerLabel,
  keepLargestComponents,
  removeSmallComponents,
} from '@pedseg/postprocess';

const row = (values: number[]) => createVolume(Uint8Array.from(values), [values.length, 1, 1]);

describe('component filters, hand-computed cases', () => {
  it('keeps the largest component of each label', () => {
    expect(Array.from(keepLargestComponentPerLabel(row([1, 0, 1, 1, 0, 2, 2, 0, 2])).data)).toEqual([0, 0, 1, 1, 0, 2, 2, 0, 0]);
  });
  it('tie rule: among equal sizes the component whose first voxel comes first in memory order wins', () => {
    expect(Array.from(keepLargestComponentPerLabel(row([0, 1, 1, 0, 1, 1])).data)).toEqual([0, 1, 1, 0, 0, 0]);
    expect(Array.from(keepLargestComponents(row([2, 2, 0, 1, 1, 0, 1]), 1).data)).toEqual([2, 2, 0, 0, 0, 0, 0]);
    // Memory order is x fastest, then y, then z: the component at z = 0 precedes the one at z = 1.
    const zOrder = createVolume(Uint8Array.from([0, 1, 1, 0]), [1, 2, 2]);
    expect(Array.from(keepLargestComponentPerLabel(zOrder, { connectivity: 6 }).data)).toEqual([0, 1, 0, 0]);
  });
  it('connectivity decides whether diagonal voxels touch', () => {
    // (0,0,0) and (1,1,0) share an edge; (0,0,0) and (1,1,1) a corner.
    const edge = createVolume(Uint8Array.from([1, 0, 0, 1, 0, 0, 0, 0]), [2, 2, 2]);
    const corner = createVolume(Uint8Array.from([1, 0, 0, 0, 0, 0, 0, 1]), [2, 2, 2]);
    expect(Array.from(keepLargestComponentPerLabel(edge, { connectivity: 6 }).data).filter(Boolean)).toHaveLength(1);
    expect(Array.from(keepLargestComponentPerLabel(edge, { connectivity: 18 }).data).filter(Boolean)).toHaveLength(2);
    expect(Array.from(keepLargestComponentPerLabel(corner, { connectivity: 18 }).data).filter(Boolean)).toHaveLength(1);
    expect(Array.from(keepLargestComponentPerLabel(corner).data).filter(Boolean)).toHaveLength(2);
  });
  it('keep-k treats touching bones as one foreground object, and can relabel by rank', () => {
    const v = row([1, 2, 0, 2, 0, 1, 1, 1]);
    expect(Array.from(keepLargestComponents(v, 2).data)).toEqual([1, 2, 0, 0, 0, 1, 1, 1]);
    expect(Array.from(keepLargestComponents(v, 2, { relabel: 'rank' }).data)).toEqual([2, 2, 0, 0, 0, 1, 1, 1]);
    expect(Array.from(keepLargestComponents(v, 0).data)).toEqual([0, 0, 0, 0, 0, 0, 0, 0]);
  });
  it('removes components below a size in voxels or mm³', () => {
    const v = createVolume(Uint8Array.from([1, 0, 1, 1, 0, 1, 1, 1]), [8, 1, 1], { spacing: [2, 1, 1] });
    expect(Array.from(removeSmallComponents(v, { minSize: 2 }).data)).toEqual([0, 0, 1, 1, 0, 1, 1, 1]);
    // 2 mm³ per voxel: sizes 2, 4, 6 mm³; "below 4" removes only the first.
    expect(Array.from(removeSmallComponents(v, { minSize: 4, unit: 'mm3' }).data)).toEqual([0, 0, 1, 1, 0, 1, 1, 1]);
    expect(Array.from(removeSmallComponents(v, { minSize: 6, unit: 'mm3' }).data)).toEqual([0, 0, 0, 0, 0, 1, 1, 1]);
  });
  it('fills an enclosed hole, leaves a hole open on the border unless asked', () => {
    // A 5×5×3 block of label 1 (z = 0..2) with a cavity at its centre and a notch open on the z = 0 face.
    const shape = [5, 5, 3] as const;
    const data = new Uint8Array(75).fill(1);
    data[2 + 5 * (2 + 5 * 1)] = 0; // enclosed
    const notch = 1 + 5 * (1 + 5 * 0); // touches z = 0
    data[notch] = 0;
    const v = createVolume(data, [...shape]);
    const open = fillHoles(v).data;
    expect(open[2 + 5 * (2 + 5 * 1)]).toBe(1);
    expect(open[notch]).toBe(0);
    expect(fillHoles(v, { borderHoles: 'fill' }).data[notch]).toBe(1);
  });
  it('a hole holding another bone keeps that bone; a cavity inside two nested bones takes the inner one', () => {
    const n = 7;
    const data = new Uint8Array(n * n * n).fill(2);
    const at = (x: number, y: number, z: number) => x + n * (y + n * z);
    for (let z = 1; z < 6; z++) for (let y = 1; y < 6; y++) for (let x = 1; x < 6; x++) data[at(x, y, z)] = 0;
    for (let z = 2; z < 5; z++) for (let y = 2; y < 5; y++) for (let x = 2; x < 5; x++) data[at(x, y, z)] = 1;
    data[at(3, 3, 3)] = 0;
    const out = fillHoles(createVolume(data, [n, n, n]), { borderHoles: 'fill' }).data;
    expect(out[at(3, 3, 3)]).toBe(1);
    expect(out[at(1, 1, 1)]).toBe(2);
    expect(out[at(2, 2, 2)]).toBe(1);
  });
  it('rejects bad options with PostprocessOptionError', () => {
    const v = row([1, 0, 1]);
    expect(() => keepLargestComponentPerLabel(v, { connectivity: 8 as 6 })).toThrow(PostprocessOptionError);
    expect(() => keepLargestComponents(v, 1.5)).toThrow(PostprocessOptionError);
    expect(() => keepLargestComponents(v, -1)).toThrow(PostprocessOptionError);
    expect(() => removeSmallComponents(v, { minSize: Number.NaN })).toThrow(PostprocessOptionError);
    expect(() => fillHoles(v, { borderHoles: 'maybe' as 'open' })).toThrow(PostprocessOptionError);
    const big = createVolume(new Uint8Array(600).map((_, i) => (i % 2 === 0 ? 1 : 0)), [600, 1, 1]);
    expect(() => keepLargestComponents(big, 300, { relabel: 'rank' })).toThrow(/does not fit/);
    expect(() => keepLargestComponentPerLabel(createVolume(Float32Array.from([1, 0.5]), [2, 1, 1]))).toThrow(LabelValueError);
  });
});
