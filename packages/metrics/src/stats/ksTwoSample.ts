import { StatisticsOptionError } from './errors.js';
import { probOneSidedEqual, probOneSidedPaths, probOutsideBand, probOutsideSquare } from './ksExact.js';
import { kstwoSf } from './kolmogorov.js';
import { ALTERNATIVES, type Alternative, type StatisticalTestResult } from './types.js';
import { checkedSample, type NumericSample } from './validate.js';

/** How the p-value of {@link ksTwoSample} is computed (scipy's `method`). */
export type KsMethod = 'auto' | 'exact' | 'asymp';

/** Options of {@link ksTwoSample}; the defaults are scipy's. */
export interface KsTwoSampleOptions {
  /**
   * `'two-sided'` (default): the CDFs differ; `'less'`: F(x) < G(x) for some x (statistic max(G − F));
   * `'greater'`: F(x) > G(x) for some x (statistic max(F − G)), F of `x`, G of `y`.
   */
  readonly alternative?: Alternative;
  /**
   * `'auto'` (default): exact when both sizes are ≤ 10000, else asymptotic; `'exact'`: exact unless
   * lcm(n1, n2) is too large; `'asymp'`: asymptotic. As in scipy, an exact one-sided computation
   * that overflows falls back to the asymptotic formula.
   */
  readonly method?: KsMethod;
}

/** Result of {@link ksTwoSample}. */
export interface KsTwoSampleResult extends StatisticalTestResult {
  /** The value of the pooled data at which the statistic is attained (scipy's `statistic_location`). */
  readonly statisticLocation: number;
  /** +1 when the statistic is max(F − G), −1 when it is max(G − F) (scipy's `statistic_sign`). */
  readonly statisticSign: 1 | -1;
  /** How the p-value was computed. */
  readonly method: 'exact' | 'asymp';
}

const METHODS: readonly KsMethod[] = ['auto', 'exact', 'asymp'];
const MAX_AUTO_N = 10000;
const INT32_MAX = 2147483647;

function gcd(a: number, b: number): number {
  while (b !== 0) [a, b] = [b, a % b];
  return a;
}

/** Number of elements of sorted `sorted` that are ≤ v (numpy's searchsorted side='right'). */
function countAtMost(sorted: Float64Array, v: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((sorted[mid] as number) <= v) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * Two-sample Kolmogorov–Smirnov test, matching `scipy.stats.ks_2samp` 1.17 (statistic, p-value, and
 * statistic location/sign) for the same options.
 *
 * Exact p-values: equal sizes two-sided by the reflection series; unequal sizes two-sided by the
 * lattice-path recursion; one-sided by Hodges' path counts. Asymptotic: two-sided from the exact
 * one-sample Kolmogorov distribution at n = round(n1·n2/(n1+n2)) (scipy's `kstwo`), one-sided from
 * Hodges' approximation exp(−2z² − 2z(m + 2n)/(3√(mn(m+n)))).
 *
 * @param x - First sample.
 * @param y - Second sample.
 * @param options - See {@link KsTwoSampleOptions}.
 * @throws {@link EmptySampleError} when a sample is empty.
 * @throws {@link SampleNotFiniteError} on NaN or ±Infinity.
 * @throws {@link StatisticsOptionError} on an unknown option value.
 */
export function ksTwoSample(x: NumericSample, y: NumericSample, options: KsTwoSampleOptions = {}): KsTwoSampleResult {
  const alternative = options.alternative ?? 'two-sided';
  let method: KsMethod = options.method ?? 'auto';
  if (!ALTERNATIVES.includes(alternative)) throw new StatisticsOptionError('alternative', alternative, ALTERNATIVES.join(' | '));
  if (!METHODS.includes(method)) throw new StatisticsOptionError('method', method, METHODS.join(' | '));
  const a = checkedSample(x, 'x').sort();
  const b = checkedSample(y, 'y').sort();
  const n1 = a.length;
  const n2 = b.length;

  // Extremes of F − G over the pooled points, first occurrence as numpy's argmin/argmax.
  let maxDiff = Number.NEGATIVE_INFINITY;
  let minDiff = Number.POSITIVE_INFINITY;
  let maxAt = 0;
  let minAt = 0;
  const pooled = [a, b];
  for (const sample of pooled) {
    for (let i = 0; i < sample.length; i += 1) {
      const v = sample[i] as number;
      const diff = countAtMost(a, v) / n1 - countAtMost(b, v) / n2;
      if (diff > maxDiff) [maxDiff, maxAt] = [diff, v];
      if (diff < minDiff) [minDiff, minAt] = [diff, v];
    }
  }
  const minS = Math.min(Math.max(-minDiff, 0), 1);
  const maxS = maxDiff;
  let d: number;
  let location: number;
  let sign: 1 | -1;
  if (alternative === 'less' || (alternative === 'two-sided' && minS > maxS)) [d, location, sign] = [minS, minAt, -1];
  else [d, location, sign] = [maxS, maxAt, 1];

  const g = gcd(n1, n2);
  const n1g = n1 / g;
  const n2g = n2 / g;
  if (method === 'auto') method = Math.max(n1, n2) <= MAX_AUTO_N ? 'exact' : 'asymp';
  else if (method === 'exact' && n1g >= INT32_MAX / n2g) method = 'asymp';

  let p = Number.NaN;
  if (method === 'exact') {
    const lcm = n1g * n2;
    const h = Math.round(d * lcm);
    d = h / lcm;
    let exact: number | undefined;
    if (h === 0) exact = 1;
    else if (alternative === 'two-sided') exact = n1 === n2 ? probOutsideSquare(n1, h) : probOutsideBand(n1, n2, g, h);
    else exact = n1 === n2 ? probOneSidedEqual(n1, h) : probOneSidedPaths(n1, n2, g, h);
    if (exact !== undefined && exact >= 0 && exact <= 1) p = exact;
    else method = 'asymp';
  }
  if (method === 'asymp') {
    const m = Math.max(n1, n2);
    const n = Math.min(n1, n2);
    const en = (m * n) / (m + n);
    if (alternative === 'two-sided') {
      p = kstwoSf(roundHalfEven(en), d);
    } else {
      const z = Math.sqrt(en) * d;
      p = Math.exp(-2 * z * z - (2 * z * (m + 2 * n)) / Math.sqrt(m * n * (m + n)) / 3);
    }
  }
  return {
    statistic: d,
    pValue: Math.min(Math.max(p, 0), 1),
    statisticLocation: location,
    statisticSign: sign,
    method: method === 'exact' ? 'exact' : 'asymp',
  };
}

/** numpy's round(): halves go to the even neighbour. */
function roundHalfEven(v: number): number {
  const r = Math.round(v);
  return Math.abs(v % 1) === 0.5 && r % 2 !== 0 ? r - 1 : r;
}
