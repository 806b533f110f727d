import { describe, expect, it } from 'vitest';
import {
  dagostinoPearson,
  ksTwoSample,
  meanStd,
  percentile,
  percentileSummary,
  wilcoxonSignedRank,
  type KsTwoSampleOptions,
  type WilcoxonOptions,
} from '@pedseg/metrics';
import { expectClose, golden, readJson } from './helpers.js';

interface Result {
  name: string;
  options: Record<string, unknown>;
  statistic: number;
  pValue: number;
  statisticLocation?: number;
  statisticSign?: number;
}
interface Fixtures {
  scipy: string;
  wilcoxon: { x: number[]; y: number[] | null; results: Result[] }[];
  ks_2samp: { x?: number[]; y?: number[]; generated?: { x: number[]; y: number[] }; results: Result[] }[];
  normaltest: { name: string; x: number[]; statistic: number; pValue: number; skewZ: number; kurtosisZ: number }[];
  summary: { x: number[]; mean: number; std: number; std1: number | null; p16: number; p84: number; p50: number }[];
}

const fixtures = readJson<Fixtures>('./fixtures/stats_fixtures.json');
const RTOL = 1e-9;

function wilcoxonOptions(o: Record<string, unknown>): WilcoxonOptions {
  return {
    zeroMethod: o.zero_method as WilcoxonOptions['zeroMethod'],
    alternative: o.alternative as WilcoxonOptions['alternative'],
    method: o.method as WilcoxonOptions['method'],
    correction: o.correction as boolean | undefined,
  };
}

describe(`scipy ${fixtures.scipy} fixtures`, () => {
  it('wilcoxon matches scipy.stats.wilcoxon (statistic and p-value to 1e-9)', () => {
    let checked = 0;
    for (const c of fixtures.wilcoxon) {
      for (const r of c.results) {
        const res = wilcoxonSignedRank(c.x, c.y ?? undefined, wilcoxonOptions(r.options));
        expectClose(res.statistic, r.statistic, RTOL, `${r.name} statistic`);
        expectClose(res.pValue, r.pValue, RTOL, `${r.name} p (${res.method})`);
        checked += 1;
      }
    }
    expect(checked).toBeGreaterThan(250);
  });

  it('ks_2samp matches scipy.stats.ks_2samp (statistic, p-value, location, sign)', () => {
    for (const c of fixtures.ks_2samp) {
      const x = c.x ?? golden(...(c.generated?.x as [number, number, number]));
      const y = c.y ?? golden(...(c.generated?.y as [number, number, number]));
      for (const r of c.results) {
        const res = ksTwoSample(x, y, r.options as KsTwoSampleOptions);
        expectClose(res.statistic, r.statistic, RTOL, `${r.name} statistic`);
        expectClose(res.pValue, r.pValue, RTOL, `${r.name} p (${res.method})`);
        expect(res.statisticLocation, r.name).toBe(r.statisticLocation);
        expect(res.statisticSign, r.name).toBe(r.statisticSign);
      }
    }
  });

  it('normaltest matches scipy.stats.normaltest, skewtest and kurtosistest', () => {
    for (const c of fixtures.normaltest) {
      const res = dagostinoPearson(c.x);
      expectClose(res.statistic, c.statistic, RTOL, `${c.name} statistic`);
      expectClose(res.pValue, c.pValue, RTOL, `${c.name} p`);
      expectClose(res.skewZ, c.skewZ, RTOL, `${c.name} skew z`);
      expectClose(res.kurtosisZ, c.kurtosisZ, RTOL, `${c.name} kurtosis z`);
    }
  });

  it('summaries match numpy mean, std (ddof 0 and 1) and percentile', () => {
    for (const c of fixtures.summary) {
      const ms = meanStd(c.x);
      expectClose(ms.mean, c.mean, 1e-14, 'mean');
      expectClose(ms.std, c.std, 1e-12, 'std');
      if (c.std1 !== null) expectClose(meanStd(c.x, { ddof: 1 }).std, c.std1, 1e-12, 'std ddof=1');
      const s = percentileSummary(c.x);
      expectClose(s.lowerPercentile, c.p16, 1e-14, 'p16');
      expectClose(s.upperPercentile, c.p84, 1e-14, 'p84');
      expectClose(s.upper, c.p84 - c.mean, 1e-9, 'upper distance');
      expectClose(s.lower, c.mean - c.p16, 1e-9, 'lower distance');
      expectClose(percentile(c.x, 50), c.p50, 1e-14, 'median');
    }
  });
});
