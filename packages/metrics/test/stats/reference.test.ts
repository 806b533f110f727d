import { describe, expect, it } from 'vitest';
import { dagostinoPearson, ksTwoSample, wilcoxonSignedRank } from '@pedseg/metrics';
import { expectClose, readJson } from './helpers.js';

interface Entry {
  x: number[];
  y?: number[];
  statistic: number;
  pValue: number;
}
const reference = readJson<Record<'wilcoxon' | 'ks_2samp' | 'normaltest', Entry>>(
  './fixtures/reference_statistics.json', // copy of /work/shared/reference/statistics.json
);

describe('/work/shared/reference/statistics.json (independent scipy values, 1e-9 relative)', () => {
  it('wilcoxon, exact branch', () => {
    const r = reference.wilcoxon;
    const res = wilcoxonSignedRank(r.x, r.y);
    expect(res.method).toBe('exact');
    expectClose(res.statistic, r.statistic, 1e-9, 'statistic');
    expectClose(res.pValue, r.pValue, 1e-9, 'p');
  });

  it('ks_2samp, exact two-sided with unequal sizes', () => {
    const r = reference.ks_2samp;
    const res = ksTwoSample(r.x, r.y as number[]);
    expect(res.method).toBe('exact');
    expectClose(res.statistic, r.statistic, 1e-9, 'statistic');
    expectClose(res.pValue, r.pValue, 1e-9, 'p');
  });

  it('normaltest', () => {
    const r = reference.normaltest;
    const res = dagostinoPearson(r.x);
    expectClose(res.statistic, r.statistic, 1e-9, 'statistic');
    expectClose(res.pValue, r.pValue, 1e-9, 'p');
  });
});
