import { createVolume } from '@pedseg/volume';
import { describe, expect, it } from 'vitest';
import {
  LabelValueError,
  PostprocessOptionError,
  ballClosing,
  ballDilation,
  ballErosion,
  ballOpening,
  fillHoles,
  keepLargestComponentPerLabel,
  keepLargestComponents,
  postprocessSegmentation,
  removeSmallComponents,
} from '@pedseg/postprocess';
import type { Volume } from '@pedseg/volume';

const operations: Array<[string, (v: Volume) => Volume]> = [
  ['largest', (v) => keepLargestComponentPerLabel(v)],
  ['keep 2', (v) => keepLargestComponents(v, 2)],
  ['remove small', (v) => removeSmallComponents(v, { minSize: 1 })],
  ['fill holes', (v) => fillHoles(v)],
  ['closing', (v) => ballClosing(v, { radius: 2 })],
  ['opening', (v) => ballOpening(v, { radius: 2 })],
  ['erosion', (v) => ballErosion(v, { radius: 2 })],
  ['dilation', (v) => ballDilation(v, { radius: 2 })],
  ['closing in mm', (v) => ballClosing(v, { radius: 1, unit: 'mm' })],
  ['pipeline multi', (v) => postprocessSegmentation(v, { strategy: 'multi', bones: 2 })],
  ['pipeline global', (v) => postprocessSegmentation(v, { strategy: 'global', bones: 2 })],
];

describe.each(operations)('%s on degenerate input', (_name, op) => {
  it('empty volume stays empty', () => {
    const v = createVolume(new Uint8Array(4 * 5 * 6), [4, 5, 6], { spacing: [0.8, 0.3, 0.3] });
    const out = op(v);
    expect(out.data.every((x) => x === 0)).toBe(true);
    expect(out.shape).toEqual([4, 5, 6]);
  });
  it('all-foreground volume is unchanged (the border policy never erodes it)', () => {
    const v = createVolume(new Uint8Array(60).fill(1), [3, 4, 5], { spacing: [0.8, 0.3, 0.3] });
    expect(op(v).data.every((x) => x === 1)).toBe(true);
  });
  it('a 1×1×1 volume holding one voxel is unchanged', () => {
    const v = createVolume(Uint8Array.of(1), [1, 1, 1]);
    expect(Array.from(op(v).data)).toEqual([1]);
  });
  it('keeps the element type, spacing and affine', () => {
    const affine = [0, 0, 2, 5, 0, 1, 0, 6, 1, 0, 0, 7, 0, 0, 0, 1];
    const v = createVolume(Int16Array.from([0, 1, 1, 0, 2, 2, 0, 0]), [2, 2, 2], { spacing: [1, 1, 2], affine });
    const out = op(v);
    expect(out.data).toBeInstanceOf(Int16Array);
    expect(out.spacing).toEqual([1, 1, 2]);
    expect(out.affine).toEqual(affine);
  });
  it('non-integer, negative or NaN labels raise LabelValueError', () => {
    for (const bad of [Float32Array.from([0, 1.5]), Float64Array.from([0, Number.NaN]), Int8Array.from([0, -1]), Float32Array.from([Infinity, 0])]) {
      expect(() => op(createVolume(bad, [2, 1, 1]))).toThrow(LabelValueError);
    }
  });
});

describe('bad options', () => {
  const v = createVolume(Uint8Array.from([0, 1, 1, 0]), [4, 1, 1]);
  it('radius, unit and method are checked', () => {
    for (const radius of [-1, Number.NaN, Infinity]) expect(() => ballClosing(v, { radius })).toThrow(PostprocessOptionError);
    expect(() => ballClosing(v, { radius: 1, unit: 'cm' as 'mm' })).toThrow(PostprocessOptionError);
    expect(() => ballClosing(v, { radius: 1, method: 'fft' as 'edt' })).toThrow(PostprocessOptionError);
    expect(() => ballClosing(v, { radius: 1, labels: [0] })).toThrow(PostprocessOptionError);
  });
  it('pipeline configuration is checked', () => {
    expect(() => postprocessSegmentation(v, { strategy: 'multi', bones: 0 })).toThrow(PostprocessOptionError);
    expect(() => postprocessSegmentation(v, { strategy: 'other' as 'multi', bones: 1 })).toThrow(PostprocessOptionError);
    expect(() => postprocessSegmentation(v, { strategy: 'individual', bones: 1 })).toThrow(PostprocessOptionError);
    expect(() => postprocessSegmentation([v], { strategy: 'multi', bones: 1 })).toThrow(PostprocessOptionError);
    expect(() => postprocessSegmentation([v], { strategy: 'individual', bones: 2 })).toThrow(PostprocessOptionError);
    expect(() => postprocessSegmentation(createVolume(Uint8Array.of(3), [1, 1, 1]), { strategy: 'multi', bones: 2 })).toThrow(LabelValueError);
  });
});
