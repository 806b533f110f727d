import { describe, expect, it } from 'vitest';
import {
  DegenerateSampleError,
  EmptySampleError,
  SampleLengthMismatchError,
  SampleNotFiniteError,
  SampleTooSmallError,
  StatisticsInputError,
  StatisticsOptionError,
  dagostinoPearson,
  ksTwoSample,
  meanStd,
  percentileSummary,
  wilcoxonSignedRank,
  type WilcoxonOptions,
} from '@pedseg/metrics';

describe('bad input raises typed errors instead of NaN', () => {
  it('empty samples', () => {
    expect(() => wilcoxonSignedRank([])).toThrow(EmptySampleError);
    expect(() => ksTwoSample([1], [])).toThrow(/y is empty/);
    expect(() => dagostinoPearson([])).toThrow(EmptySampleError);
    expect(() => meanStd([])).toThrow(EmptySampleError);
    expect(() => percentileSummary(new Float64Array(0))).toThrow(EmptySampleError);
  });

  it('NaN and infinities, naming the position', () => {
    expect(() => wilcoxonSignedRank([1, 2, Number.NaN])).toThrow(SampleNotFiniteError);
    expect(() => ksTwoSample([1, 2], [Number.POSITIVE_INFINITY])).toThrow(/y\[0\] is Infinity/);
    expect(() => dagostinoPearson([1, 2, 3, 4, 5, 6, 7, Number.NaN])).toThrow(/x\[7\] is NaN/);
  });

  it('length mismatch of paired samples', () => {
    const error = (() => {
      try {
        wilcoxonSignedRank([1, 2, 3], [1, 2]);
      } catch (e) {
        return e;
      }
      return undefined;
    })();
    expect(error).toBeInstanceOf(SampleLengthMismatchError);
    expect(error).toBeInstanceOf(StatisticsInputError);
    expect((error as SampleLengthMismatchError).name).toBe('SampleLengthMismatchError');
    expect((error as SampleLengthMismatchError).lengthY).toBe(2);
  });

  it('too few samples and constant samples for normaltest (scipy returns NaN)', () => {
    expect(() => dagostinoPearson([1, 2, 3, 4, 5, 6, 7])).toThrow(SampleTooSmallError);
    expect(() => dagostinoPearson(new Array(20).fill(0.9))).toThrow(DegenerateSampleError);
  });

  it('all-zero differences: scipy gives p = 1 by exhaustive sign flips for n ≤ 13, NaN above', () => {
    expect(wilcoxonSignedRank([0, 0, 0, 0, 0])).toMatchObject({ statistic: 0, pValue: 1 });
    expect(() => wilcoxonSignedRank(new Array(20).fill(0))).toThrow(DegenerateSampleError);
    expect(() => wilcoxonSignedRank([1, 1, 1], [1, 1, 1], { method: 'asymptotic' })).toThrow(DegenerateSampleError);
  });

  it('invalid options', () => {
    expect(() => wilcoxonSignedRank([1, 2], undefined, { zeroMethod: 'none' } as unknown as WilcoxonOptions)).toThrow(
      StatisticsOptionError,
    );
    expect(() => ksTwoSample([1], [2], { method: 'fast' as 'exact' })).toThrow(StatisticsOptionError);
    expect(() => meanStd([1, 2], { ddof: 2 })).toThrow(StatisticsOptionError);
    expect(() => percentileSummary([1, 2], { lowerQ: 90, upperQ: 10 })).toThrow(StatisticsOptionError);
  });
});

describe('hand-computed cases', () => {
  it('wilcoxon exact: all 5 differences positive → R− = 0, p = 2/2⁵', () => {
    expect(wilcoxonSignedRank([1, 2, 3, 4, 5])).toMatchObject({ statistic: 0, pValue: 2 / 32, method: 'exact' });
    expect(wilcoxonSignedRank([1, 2, 3, 4, 5], undefined, { alternative: 'greater' })).toMatchObject({ statistic: 15, pValue: 1 / 32 });
  });

  it('ks: disjoint samples of 3 give D = 1 and p = 2/C(6,3)', () => {
    const r = ksTwoSample([1, 2, 3], [4, 5, 6]);
    expect(r.statistic).toBe(1);
    expect(r.pValue).toBeCloseTo(2 / 20, 15);
    expect(r.statisticSign).toBe(1);
  });

  it('mean ± std and the 16/84 percentile distances of 0..100', () => {
    const values = Array.from({ length: 101 }, (_, i) => i);
    expect(meanStd([2, 4, 4, 4, 5, 5, 7, 9])).toEqual({ mean: 5, std: 2, count: 8 });
    expect(percentileSummary(values)).toMatchObject({ mean: 50, lowerPercentile: 16, upperPercentile: 84, lower: 34, upper: 34 });
  });
});
