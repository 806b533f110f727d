import { describe, expect, it } from 'vitest';
import { createVolume } from '@pedseg/volume';
import { CaseGeometryError, DataArgumentError, concatSliceSets, extractSlices, generatePhantom } from '@pedseg/data';

/** 4×3×2 volume with value = x + 10y + 100z, label 1 only at z = 1, x = 0. */
function tiny() {
  const shape = [4, 3, 2] as const;
  const img = new Float32Array(24);
  const lab = new Uint8Array(24);
  for (let z = 0; z < 2; z += 1)
    for (let y = 0; y < 3; y += 1)
      for (let x = 0; x < 4; x += 1) {
        img[x + 4 * (y + 3 * z)] = x + 10 * y + 100 * z;
        if (z === 1 && x === 0) lab[x + 4 * (y + 3 * z)] = 1;
      }
  return { image: createVolume(img, shape), label: createVolume(lab, shape) };
}

describe('extractSlices', () => {
  it('cuts axial slices as [rows = y, cols = x] and keeps only slices with structures', () => {
    const { image, label } = tiny();
    const s = extractSlices(image, label, { size: [3, 4], normalize: 'none' });
    expect(s.count).toBe(1);
    expect(Array.from(s.sliceIndices)).toEqual([1]);
    // same size: resizing is the identity
    expect(Array.from(s.images)).toEqual([100, 101, 102, 103, 110, 111, 112, 113, 120, 121, 122, 123]);
    expect(Array.from(s.labels)).toEqual([1, 0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0]);
    expect(s.caseIds).toEqual(['<volume>']);
  });

  it('cuts along x and y with rows running along z', () => {
    const { image, label } = tiny();
    const sx = extractSlices(image, label, { axis: 0, size: [2, 3], normalize: 'none', emptyFraction: 1 });
    expect(sx.count).toBe(4);
    // slice x = 0: rows z, cols y
    expect(Array.from(sx.images.subarray(0, 6))).toEqual([0, 10, 20, 100, 110, 120]);
    expect(Array.from(sx.labels.subarray(0, 6))).toEqual([0, 0, 0, 1, 1, 1]);
    const sy = extractSlices(image, label, { axis: 1, size: [2, 4], normalize: 'none', emptyFraction: 1 });
    expect(Array.from(sy.images.subarray(8, 16))).toEqual([10, 11, 12, 13, 110, 111, 112, 113]);
  });

  it('z-scores over the whole volume (mean 0, variance 1 over all voxels)', () => {
    const { image, label } = tiny();
    const s = extractSlices(image, label, { size: [3, 4], emptyFraction: 1 });
    expect(s.count).toBe(2);
    let m = 0;
    for (const v of s.images) m += v;
    m /= s.images.length;
    let v2 = 0;
    for (const v of s.images) v2 += (v - m) ** 2;
    expect(m).toBeCloseTo(0, 6);
    expect(v2 / s.images.length).toBeCloseTo(1, 5);
  });

  it('resizes bilinearly with half-pixel centres and labels by nearest neighbour', () => {
    // 1 × 2 row [0, 10] upsampled to 1 × 4: sources −0.25, 0.25, 0.75, 1.25 → clamp → 0, 2.5, 7.5, 10
    const image = createVolume(new Float32Array([0, 10]), [2, 1, 1]);
    const label = createVolume(new Uint8Array([1, 2]), [2, 1, 1]);
    const s = extractSlices(image, label, { size: [1, 4], normalize: 'none' });
    expect(Array.from(s.images)).toEqual([0, 2.5, 7.5, 10]);
    expect(Array.from(s.labels)).toEqual([1, 1, 2, 2]);
  });

  it('keeps a seeded fraction of empty slices', () => {
    const p = generatePhantom('ankle', { seed: 1, landmarksPerBone: 0 });
    const base = extractSlices(p.image, p.label, { size: [32, 32] });
    const all = extractSlices(p.image, p.label, { size: [32, 32], emptyFraction: 1 });
    const half = extractSlices(p.image, p.label, { size: [32, 32], emptyFraction: 0.5, seed: 4 });
    const again = extractSlices(p.image, p.label, { size: [32, 32], emptyFraction: 0.5, seed: 4 });
    expect(all.count).toBe(24);
    const empty = all.count - base.count;
    expect(empty).toBeGreaterThan(0);
    expect(half.count).toBe(base.count + Math.round(empty / 2));
    expect(Array.from(again.sliceIndices)).toEqual(Array.from(half.sliceIndices));
    for (let s = 0; s < base.count; s += 1) expect(base.labels.subarray(s * 1024, (s + 1) * 1024).some((v) => v > 0)).toBe(true);
    const joined = concatSliceSets([base, half]);
    expect(joined.count).toBe(base.count + half.count);
    expect(joined.caseIds.length).toBe(joined.count);
  });

  it('raises typed errors', () => {
    const { image, label } = tiny();
    expect(() => extractSlices(image, createVolume(new Uint8Array(12), [4, 3, 1]), { caseId: 'A7' })).toThrow(CaseGeometryError);
    expect(() => extractSlices(image, createVolume(new Uint8Array(12), [4, 3, 1]), { caseId: 'A7' })).toThrow(/A7/);
    expect(() => extractSlices(createVolume(new Float32Array(24).fill(3), [4, 3, 2]), label)).toThrow(DataArgumentError);
    expect(() => extractSlices(image, label, { emptyFraction: 2 })).toThrow(DataArgumentError);
    expect(() => extractSlices(image, label, { size: [0, 4] })).toThrow(DataArgumentError);
  });
});
