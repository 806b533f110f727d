import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { dagostinoPearson, ksTwoSample, meanStd, percentileSummary, wilcoxonSignedRank, type Alternative } from '@pedseg/metrics';

// Small integers produce ties and zeros, which exercise every branch of the tests.
const smallInts = (min: number, max: number) => fc.array(fc.integer({ min: -6, max: 6 }), { minLength: min, maxLength: max });
const doubles = (min: number, max: number) =>
  fc.array(fc.double({ min: -1e3, max: 1e3, noNaN: true, noDefaultInfinity: true }), { minLength: min, maxLength: max });
const alternative = fc.constantFrom<Alternative>('two-sided', 'less', 'greater');

function inUnit(p: number): boolean {
  return p >= 0 && p <= 1;
}

function relClose(a: number, b: number, rtol = 1e-9): boolean {
  return a === b || Math.abs(a - b) <= rtol * Math.max(Math.abs(a), Math.abs(b));
}

describe('property: p-values lie in [0, 1]', () => {
  it('wilcoxonSignedRank', () => {
    fc.assert(
      fc.property(fc.oneof(smallInts(1, 70), doubles(1, 70)), alternative, fc.constantFrom('wilcox', 'pratt', 'zsplit' as const), (d, alt, zm) => {
        try {
          const r = wilcoxonSignedRank(d, undefined, { alternative: alt, zeroMethod: zm });
          return inUnit(r.pValue) && r.statistic >= 0;
        } catch (e) {
          // only all-zero differences on the normal approximation are rejected
          return (e as Error).name === 'DegenerateSampleError';
        }
      }),
      { numRuns: 300 },
    );
  });

  it('ksTwoSample', () => {
    fc.assert(
      fc.property(fc.oneof(smallInts(1, 60), doubles(1, 60)), fc.oneof(smallInts(1, 60), doubles(1, 60)), alternative, (x, y, alt) => {
        const r = ksTwoSample(x, y, { alternative: alt });
        return inUnit(r.pValue) && r.statistic >= 0 && r.statistic <= 1;
      }),
      { numRuns: 300 },
    );
  });

  it('dagostinoPearson', () => {
    fc.assert(
      fc.property(doubles(8, 200), (x) => {
        try {
          const r = dagostinoPearson(x);
          return inUnit(r.pValue) && r.statistic >= 0;
        } catch (e) {
          return (e as Error).name === 'DegenerateSampleError';
        }
      }),
      { numRuns: 200 },
    );
  });
});

describe('property: symmetries and invariances', () => {
  it('wilcoxon two-sided is symmetric in (x, y)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 60 }).chain((n) => fc.tuple(smallInts(n, n), smallInts(n, n))), ([x, y]) => {
        let a;
        try {
          a = wilcoxonSignedRank(x, y);
        } catch {
          expect(() => wilcoxonSignedRank(y, x)).toThrow();
          return;
        }
        const b = wilcoxonSignedRank(y, x);
        expect(b.statistic).toBe(a.statistic);
        expect(b.pValue).toBe(a.pValue);
      }),
      { numRuns: 300 },
    );
  });

  it('wilcoxon less on (x, y) equals greater on (y, x)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 30 }).chain((n) => fc.tuple(doubles(n, n), doubles(n, n))), ([x, y]) => {
        const less = wilcoxonSignedRank(x, y, { alternative: 'less' });
        const greater = wilcoxonSignedRank(y, x, { alternative: 'greater' });
        expect(relClose(less.pValue, greater.pValue, 1e-12)).toBe(true);
      }),
      { numRuns: 200 },
    );
  });

  it('KS two-sided is symmetric; less on (x, y) equals greater on (y, x)', () => {
    fc.assert(
      fc.property(fc.oneof(smallInts(1, 80), doubles(1, 80)), fc.oneof(smallInts(1, 80), doubles(1, 80)), (x, y) => {
        const a = ksTwoSample(x, y);
        const b = ksTwoSample(y, x);
        expect(b.statistic).toBe(a.statistic);
        expect(relClose(a.pValue, b.pValue, 1e-12)).toBe(true);
        const less = ksTwoSample(x, y, { alternative: 'less' });
        const greater = ksTwoSample(y, x, { alternative: 'greater' });
        expect(less.statistic).toBe(greater.statistic);
        expect(relClose(less.pValue, greater.pValue, 1e-12)).toBe(true);
      }),
      { numRuns: 200 },
    );
  });

  it('KS and wilcoxon are invariant to shifting and positively scaling both samples', () => {
    fc.assert(
      fc.property(smallInts(1, 50), smallInts(1, 50), fc.integer({ min: 1, max: 1000 }), fc.integer({ min: -1000, max: 1000 }), (x, y, a, b) => {
        const t = (v: number[]) => v.map((u) => a * u + b);
        const ks = ksTwoSample(x, y);
        const ksT = ksTwoSample(t(x), t(y));
        expect(ksT.statistic).toBe(ks.statistic);
        expect(ksT.pValue).toBe(ks.pValue);
        const n = Math.min(x.length, y.length);
        const w = () => wilcoxonSignedRank(x.slice(0, n), y.slice(0, n));
        let base;
        try {
          base = w();
        } catch {
          return;
        }
        const scaled = wilcoxonSignedRank(t(x.slice(0, n)), t(y.slice(0, n)));
        expect(scaled.statistic).toBe(base.statistic);
        expect(scaled.pValue).toBe(base.pValue);
      }),
      { numRuns: 200 },
    );
  });

  it('normaltest is invariant to shift and scale (to rounding)', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: -1e6, max: 1e6 }).map((v) => v / 1000), { minLength: 8, maxLength: 120 }), fc.double({ min: 1e-3, max: 1e3, noNaN: true }), fc.double({ min: -100, max: 100, noNaN: true }), (x, scale, shift) => {
        let base;
        try {
          base = dagostinoPearson(x);
        } catch {
          return;
        }
        // scipy (and this port) substitutes y = 1 when the skewness is exactly 0, which rounding of the
        // moved data can undo: keep clearly skewed samples only
        const { mean, std } = meanStd(x);
        fc.pre(Math.abs(x.reduce((s, v) => s + ((v - mean) / std) ** 3, 0) / x.length) > 1e-6);
        const movedValues = x.map((v) => v * scale + shift);
        // rounding of the moved values must stay far below their spread
        const largest = Math.max(...movedValues.map(Math.abs), ...x.map(Math.abs));
        fc.pre(base.statistic < 1e6 && meanStd(movedValues).std > 1e-4 * largest && meanStd(x).std > 1e-4 * largest);
        const moved = dagostinoPearson(movedValues);
        expect(relClose(moved.statistic, base.statistic, 1e-6)).toBe(true);
      }),
      { numRuns: 200 },
    );
  });

  it('percentile distances are non-negative and the percentiles bracket the median', () => {
    fc.assert(
      fc.property(doubles(1, 100), (x) => {
        const s = percentileSummary(x);
        expect(s.lowerPercentile).toBeLessThanOrEqual(s.upperPercentile);
        expect(s.lower + s.upper).toBeCloseTo(s.upperPercentile - s.lowerPercentile, 6);
      }),
    );
  });
});
