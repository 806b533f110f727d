import { describe, it } from 'vitest';
import { erfc, kolmogorovSf, kstwoSf, normalCdf, normalSf, smirnovSf } from '@pedseg/metrics';
import { expectClose, readJson } from './helpers.js';

interface Special {
  ndtr: { x: number; cdf: number; sf: number }[];
  erfc: { x: number; erfc: number }[];
  kolmogorov: { x: number; sf: number }[];
  kstwo: { n: number; d: number; sf: number }[];
  smirnov: { n: number; d: number; sf: number }[];
}
const special = readJson<{ special: Special }>('./fixtures/stats_fixtures.json').special;

describe('special functions against scipy.special', () => {
  it('erfc to 1e-13 relative, over the whole range', () => {
    for (const c of special.erfc) expectClose(erfc(c.x), c.erfc, 1e-13, `erfc(${c.x})`);
  });

  it('normal CDF and SF (ndtr) to 1e-12 relative, including the 1e-200 tail', () => {
    for (const c of special.ndtr) {
      expectClose(normalCdf(c.x), c.cdf, 1e-12, `ndtr(${c.x})`);
      expectClose(normalSf(c.x), c.sf, 1e-12, `ndtr(-${c.x})`);
    }
  });

  it('Kolmogorov limiting distribution (kstwobign.sf) to 1e-12', () => {
    for (const c of special.kolmogorov) expectClose(kolmogorovSf(c.x), c.sf, 1e-12, `kolmogorov(${c.x})`);
  });

  it('exact two-sided D_n (kstwo.sf) across every branch of the method selection, to 1e-11', () => {
    for (const c of special.kstwo) expectClose(kstwoSf(c.n, c.d), c.sf, 1e-11, `kstwo.sf(${c.d}, ${c.n})`);
  });

  it('one-sided Smirnov distribution to 1e-11', () => {
    for (const c of special.smirnov) expectClose(smirnovSf(c.n, c.d), c.sf, 1e-11, `smirnov(${c.n}, ${c.d})`);
  });
});
