import { describe, expect, it } from 'vitest';
import {
  InvalidMetricOptionError,
  ShapeMismatchError,
  SpacingMismatchError,
  evaluateSegmentation,
  evaluationToJson,
} from '@pedseg/metrics';
import { image } from './helpers/masks.js';

describe('JSON form', () => {
  it('turns Infinity into null with empty: true, and keeps finite values', () => {
    const shape = [4, 1, 1] as const;
    const e = evaluateSegmentation(image([1, 1, 0, 0], shape), image([0, 0, 0, 0], shape), { labels: [1, 2] });
    const json = evaluationToJson(e);
    expect(json.labels['1']).toMatchObject({ dice: 0, mssd: null, hd95: null, assd: null, masd: null, nsd: 0, ravd: 1, empty: true, referenceVoxels: 2, predictionVoxels: 0 });
    expect(json.labels['2']).toMatchObject({ dice: 1, mssd: 0, hd95: 0, nsd: 1, ravd: 0, empty: false });
    expect(JSON.parse(JSON.stringify(json))).toEqual(json);
  });
});

describe('input errors', () => {
  it('names both shapes on a shape mismatch', () => {
    expect(() => evaluateSegmentation(image([1, 0], [2, 1, 1]), image([1, 0, 0], [3, 1, 1]))).toThrow(ShapeMismatchError);
    expect(() => evaluateSegmentation(image([1, 0], [2, 1, 1]), image([1, 0, 0], [3, 1, 1]))).toThrow(/\[2, 1, 1\].*\[3, 1, 1\]/);
  });

  it('rejects data whose length does not match the shape', () => {
    expect(() => evaluateSegmentation(image([1, 0, 1], [2, 1, 1]), image([1, 0], [2, 1, 1]))).toThrow(/reference: data has 3 values/);
  });

  it('names both spacings on a spacing mismatch, tolerating float32 rounding', () => {
    const a = image([1, 0], [2, 1, 1], [1, 1, 1]);
    expect(() => evaluateSegmentation(a, image([1, 0], [2, 1, 1], [1, 1, 2]))).toThrow(SpacingMismatchError);
    expect(() => evaluateSegmentation(a, image([1, 0], [2, 1, 1], [1, 1, 1 + 1e-7]))).not.toThrow();
    expect(() => evaluateSegmentation(image([1, 0], [2, 1, 1], [0, 1, 1]), image([1, 0], [2, 1, 1], [0, 1, 1]))).toThrow(SpacingMismatchError);
  });

  it('rejects bad options', () => {
    const a = image([1, 0], [2, 1, 1]);
    expect(() => evaluateSegmentation(a, a, { labels: [0] })).toThrow(InvalidMetricOptionError);
    expect(() => evaluateSegmentation(a, a, { labels: [[]] })).toThrow(InvalidMetricOptionError);
    expect(() => evaluateSegmentation(a, a, { tolerance: -1 })).toThrow(/tolerance/);
    expect(() => evaluateSegmentation(a, a, { percentile: 101 })).toThrow(/percentile/);
    expect(() => evaluateSegmentation(a, a, { surface: 'mesh' as 'voxel' })).toThrow(/surface/);
  });
});
