import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { COMBREG_RANKING_RULES, caseScore, rankMethods, type RankingMetricValues } from '@pedseg/metrics';

const metricCase = fc.record({
  dice: fc.double({ min: 0, max: 1, noNaN: true }),
  sensitivity: fc.double({ min: 0, max: 1, noNaN: true }),
  mssd: fc.oneof(fc.double({ min: 0, max: 100, noNaN: true }), fc.constant(null), fc.constant(Number.POSITIVE_INFINITY)),
  assd: fc.oneof(fc.double({ min: 0, max: 20, noNaN: true }), fc.constant(null)),
  ravd: fc.double({ min: 0, max: 3, noNaN: true }),
});

describe('ranking properties', () => {
  it('case scores lie in [0, 100]', () => {
    fc.assert(
      fc.property(metricCase, (c) => {
        const s = caseScore(c, COMBREG_RANKING_RULES);
        return s >= 0 && s <= 100;
      }),
    );
  });

  it('improving one metric never lowers the case score', () => {
    const better: Record<string, (v: number) => number> = {
      dice: (v) => Math.min(1, v + 0.05),
      sensitivity: (v) => Math.min(1, v + 0.05),
      mssd: (v) => Math.max(0, v - 3),
      assd: (v) => Math.max(0, v - 0.5),
      ravd: (v) => Math.max(0, v - 0.02),
    };
    fc.assert(
      fc.property(metricCase, fc.constantFrom('dice', 'sensitivity', 'mssd', 'assd', 'ravd'), (c, metric) => {
        const value = c[metric as keyof typeof c];
        fc.pre(typeof value === 'number' && Number.isFinite(value));
        const improved: RankingMetricValues = { ...c, [metric]: better[metric]!(value as number) };
        return caseScore(improved, COMBREG_RANKING_RULES) >= caseScore(c, COMBREG_RANKING_RULES);
      }),
    );
  });

  it('identical methods tie and ranks follow the mean scores', () => {
    fc.assert(
      fc.property(fc.array(fc.array(metricCase, { minLength: 1, maxLength: 6 }), { minLength: 1, maxLength: 5 }), (caseLists) => {
        const methods = caseLists.map((cases, i) => ({ name: `m${i}`, cases }));
        methods.push({ name: 'copy', cases: caseLists[0]! });
        const r = rankMethods(methods);
        const byName = Object.fromEntries(r.methods.map((m) => [m.name, m]));
        expect(byName.copy!.rank).toBe(byName.m0!.rank);
        expect(byName.copy!.mean).toBe(byName.m0!.mean);
        for (let i = 1; i < r.methods.length; i += 1) {
          const [a, b] = [r.methods[i - 1]!, r.methods[i]!];
          expect(a.mean).toBeGreaterThanOrEqual(b.mean);
          expect(b.rank).toBe(a.mean === b.mean ? a.rank : i + 1);
        }
        for (const m of r.methods) {
          expect(m.mean).toBeGreaterThanOrEqual(0);
          expect(m.mean).toBeLessThanOrEqual(100);
        }
      }),
      { numRuns: 100 },
    );
  });
});
