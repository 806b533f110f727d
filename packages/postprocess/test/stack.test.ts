import { createVolume } from '@pedseg/volume';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  LabelValueError,
  ProbabilityValueError,
  SliceStackError,
  VolumeMismatchError,
  mergeIndividualProbabilities,
  postprocessSegmentation,
  stackLabelSlices,
  stackProbabilitySlices,
} from '@pedseg/postprocess';
import type { LabelSlice } from '@pedseg/postprocess';

describe('stacking 2D slices', () => {
  const slices = [Uint8Array.from([1, 2, 3, 4, 5, 6]), Uint8Array.from([7, 8, 9, 10, 11, 12])];
  it('slices along z are (x, y) planes, x fastest', () => {
    const v = stackLabelSlices(slices.map((data) => ({ data, shape: [3, 2] as const })), { axis: 2, spacing: [0.5, 0.5, 2] });
    expect(v.shape).toEqual([3, 2, 2]);
    expect(v.spacing).toEqual([0.5, 0.5, 2]);
    expect(Array.from(v.data)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
  });
  it('slices along x are (y, z) planes and along y (x, z) planes', () => {
    const vx = stackLabelSlices(slices.map((data) => ({ data, shape: [3, 2] as const })), { axis: 0 });
    expect(vx.shape).toEqual([2, 3, 2]);
    // voxel (x, y, z) = slice x at (u = y, v = z)
    expect(vx.data[1 + 2 * (2 + 3 * 1)]).toBe(12);
    expect(vx.data[0 + 2 * (1 + 3 * 0)]).toBe(2);
    const vy = stackLabelSlices(slices.map((data) => ({ data, shape: [3, 2] as const })), { axis: 1 });
    expect(vy.shape).toEqual([3, 2, 2]);
    expect(vy.data[2 + 3 * (1 + 2 * 1)]).toBe(12);
    expect(vy.data[1 + 3 * (0 + 2 * 1)]).toBe(5);
  });
  it('resamples labels in-plane with nearest neighbour and half-pixel centres', () => {
    const up = stackLabelSlices([{ data: [1, 2], shape: [2, 1] }], { grid: [4, 1, 1] });
    expect(Array.from(up.data)).toEqual([1, 1, 2, 2]);
    const down = stackLabelSlices([{ data: [1, 2, 3, 4], shape: [4, 1] }], { grid: [2, 1, 1] });
    expect(Array.from(down.data)).toEqual([2, 4]);
  });
  it('probabilities: bilinear in-plane, then argmax; ties go to the smaller class', () => {
    // Two classes along x: class 1 rises from 0 to 1; upsampled ×2 the crossing falls between voxels 1 and 2.
    const data = [1, 0, 0, 1];
    const v = stackProbabilitySlices([{ data, shape: [2, 1], channels: 2 }], { grid: [4, 1, 1] });
    expect(Array.from(v.data)).toEqual([0, 0, 1, 1]);
    const tie = stackProbabilitySlices([{ data: [0.5, 0.5], shape: [1, 1], channels: 2 }]);
    expect(Array.from(tie.data)).toEqual([0]);
  });
  it('gives the same volume, and the same post-processing, whatever the order of indexed slices', () => {
    const arbitrarySlices = fc
      .tuple(fc.integer({ min: 1, max: 6 }), fc.integer({ min: 1, max: 6 }), fc.integer({ min: 1, max: 6 }))
      .chain(([nu, nv, n]) =>
        fc.tuple(
          fc.array(fc.array(fc.integer({ min: 0, max: 2 }), { minLength: nu * nv, maxLength: nu * nv }), { minLength: n, maxLength: n }),
          fc.constant([nu, nv] as const),
        ),
      );
    fc.assert(
      fc.property(arbitrarySlices, fc.constantFrom(0 as const, 1 as const, 2 as const), fc.integer(), ([datas, shape], axis, seed) => {
        const ordered: LabelSlice[] = datas.map((data, index) => ({ data, shape, index }));
        const shuffled = [...ordered].sort((a, b) => (((a.index! + 1) * (seed | 1)) % 97) - (((b.index! + 1) * (seed | 1)) % 97));
        const a = stackLabelSlices(ordered, { axis });
        const b = stackLabelSlices(shuffled, { axis });
        expect(Array.from(b.data)).toEqual(Array.from(a.data));
        const config = { strategy: 'multi' as const, bones: 2, closingRadius: 1 };
        expect(Array.from(postprocessSegmentation(b, config).data)).toEqual(Array.from(postprocessSegmentation(a, config).data));
      }),
    );
  });
  it('rejects inconsistent slices and bad values with typed errors', () => {
    expect(() => stackLabelSlices([])).toThrow(SliceStackError);
    expect(() => stackLabelSlices([{ data: [1, 2], shape: [2, 1] }, { data: [1], shape: [1, 1] }])).toThrow(SliceStackError);
    expect(() => stackLabelSlices([{ data: [1, 2, 3], shape: [2, 1] }])).toThrow(SliceStackError);
    expect(() => stackLabelSlices([{ data: [1], shape: [1, 1], index: 0 }, { data: [1], shape: [1, 1], index: 0 }])).toThrow(SliceStackError);
    expect(() => stackLabelSlices([{ data: [1], shape: [1, 1], index: 1 }, { data: [1], shape: [1, 1] }])).toThrow(SliceStackError);
    expect(() => stackLabelSlices([{ data: [1], shape: [1, 1] }], { grid: [1, 1, 2] })).toThrow(SliceStackError);
    expect(() => stackLabelSlices([{ data: [1.5], shape: [1, 1] }])).toThrow(LabelValueError);
    expect(() => stackLabelSlices([{ data: [Number.NaN], shape: [1, 1] }])).toThrow(LabelValueError);
    expect(() => stackProbabilitySlices([{ data: [0.2, Number.NaN], shape: [1, 1], channels: 2 }])).toThrow(ProbabilityValueError);
    try {
      stackLabelSlices([{ data: [-1], shape: [1, 1] }]);
    } catch (error) {
      expect((error as Error).name).toBe('LabelValueError');
      expect((error as Error).message).toMatch(/slices\[0\]\.data/);
    }
  });
});

describe('merging per-bone probability maps (individual strategy)', () => {
  const map = (values: number[]) => createVolume(Float32Array.from(values), [values.length, 1, 1], { spacing: [1, 2, 3] });
  it('takes the most confident bone above threshold, ties to the smaller label', () => {
    const merged = mergeIndividualProbabilities([map([0.9, 0.6, 0.2, 0.7, 0.5]), map([0.1, 0.8, 0.3, 0.7, 0.4])]);
    expect(Array.from(merged.data)).toEqual([1, 2, 0, 1, 1]);
    expect(merged.spacing).toEqual([1, 2, 3]);
    expect(Array.from(mergeIndividualProbabilities([map([0.9, 0.6])], { threshold: 0.7 }).data)).toEqual([1, 0]);
  });
  it('rejects NaN, mismatched grids and empty input', () => {
    expect(() => mergeIndividualProbabilities([map([0.1, Number.NaN])])).toThrow(ProbabilityValueError);
    expect(() => mergeIndividualProbabilities([map([0.1, 0.2]), map([0.1])])).toThrow(VolumeMismatchError);
    expect(() => mergeIndividualProbabilities([])).toThrow(/at least one/);
  });
});
