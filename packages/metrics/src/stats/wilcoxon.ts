import { DegenerateSampleError, SampleLengthMismatchError, StatisticsOptionError } from './errors.js';
import { signedRankCdf, signedRankPmf, signedRankSf } from './signedRankDistribution.js';
import { normalCdf, normalSf } from './special.js';
import { ALTERNATIVES, type Alternative, type StatisticalTestResult } from './types.js';
import { checkedSample, type NumericSample } from './validate.js';

/** How zero differences are treated (scipy's `zero_method`). */
export type WilcoxonZeroMethod = 'wilcox' | 'pratt' | 'zsplit';

/** How the p-value is computed (scipy's `method`, without custom permutation settings). */
export type WilcoxonMethod = 'auto' | 'exact' | 'asymptotic';

/** Options of {@link wilcoxonSignedRank}; the defaults are scipy's. */
export interface WilcoxonOptions {
  /**
   * `'wilcox'` (default) drops zero differences; `'pratt'` ranks them and drops them afterwards;
   * `'zsplit'` splits their ranks between the positive and negative sums.
   */
  readonly zeroMethod?: WilcoxonZeroMethod;
  /** Continuity correction of the normal approximation (default `false`). */
  readonly correction?: boolean;
  /** Alternative hypothesis on the differences x − y (default `'two-sided'`). */
  readonly alternative?: Alternative;
  /**
   * `'auto'` (default) follows scipy 1.17: normal approximation when n > 50; otherwise the exact
   * distribution if there are no ties and no zeros; otherwise an exact enumeration of all 2^n sign
   * flips when n ≤ 13 (scipy's deterministic permutation test); otherwise the normal approximation.
   */
  readonly method?: WilcoxonMethod;
}

/** Result of {@link wilcoxonSignedRank}. */
export interface WilcoxonResult extends StatisticalTestResult {
  /** How the p-value was computed. */
  readonly method: 'exact' | 'permutation' | 'asymptotic';
  /** The z statistic of the normal approximation (scipy's `zstatistic`), present when it was used. */
  readonly zStatistic?: number;
}

const ZERO_METHODS: readonly WilcoxonZeroMethod[] = ['wilcox', 'pratt', 'zsplit'];
const METHODS: readonly WilcoxonMethod[] = ['auto', 'exact', 'asymptotic'];
/** scipy switches 'auto' to the normal approximation above this many differences. */
const EXACT_MAX_N = 50;
/** 2^13 sign flips fit in scipy's default 9999 resamples, so its permutation test is exhaustive. */
const PERMUTATION_MAX_N = 13;

interface RankedDifferences {
  /** Sum of ranks of positive differences (plus half the zero ranks for zsplit). */
  readonly rPlus: number;
  /** Sum of ranks of negative differences (plus half the zero ranks for zsplit). */
  readonly rMinus: number;
  /** Ranks (average over ties) of the non-zero differences, with their signs. */
  readonly signedRanks: readonly { rank: number; positive: boolean }[];
  /** Number of differences that enter the null distribution. */
  readonly count: number;
  readonly hasTies: boolean;
  /** Standard deviation of R+ under the null, with tie (and Pratt) corrections. */
  readonly se: number;
  /** Mean of R+ under the null. */
  readonly mean: number;
}

function rankDifferences(d: Float64Array, zeroMethod: WilcoxonZeroMethod): RankedDifferences {
  // 'wilcox' removes zeros before ranking; the other methods rank them with the rest.
  const kept = zeroMethod === 'wilcox' ? Array.from(d).filter((v) => v !== 0) : Array.from(d);
  const order = kept.map((_, i) => i).sort((a, b) => Math.abs(kept[a] as number) - Math.abs(kept[b] as number) || a - b);
  const ranks = new Float64Array(kept.length);
  const tieSizes: number[] = [];
  let zeroGroupSize = 0;
  for (let start = 0; start < order.length; ) {
    const value = Math.abs(kept[order[start] as number] as number);
    let end = start + 1;
    while (end < order.length && Math.abs(kept[order[end] as number] as number) === value) end += 1;
    const averageRank = (start + 1 + end) / 2;
    for (let k = start; k < end; k += 1) ranks[order[k] as number] = averageRank;
    tieSizes.push(end - start);
    if (value === 0) zeroGroupSize = end - start;
    start = end;
  }
  let rPlus = 0;
  let rMinus = 0;
  let zeroRanks = 0;
  const signedRanks: { rank: number; positive: boolean }[] = [];
  kept.forEach((v, i) => {
    const r = ranks[i] as number;
    if (v > 0) rPlus += r;
    else if (v < 0) rMinus += r;
    else zeroRanks += r;
    if (v !== 0) signedRanks.push({ rank: r, positive: v > 0 });
  });
  if (zeroMethod === 'zsplit') {
    rPlus += zeroRanks / 2;
    rMinus += zeroRanks / 2;
  }
  const count = kept.length;
  let mean = (count * (count + 1)) / 4;
  let variance24 = count * (count + 1) * (2 * count + 1);
  let tieCorrection = 0;
  for (const t of tieSizes) tieCorrection += t ** 3 - t;
  if (zeroMethod === 'pratt') {
    // Cureton's adjustment; the zeros' own tie group leaves the tie correction.
    const z = zeroGroupSize;
    mean -= (z * (z + 1)) / 4;
    variance24 -= z * (z + 1) * (2 * z + 1);
    tieCorrection -= z ** 3 - z;
  }
  const se = Math.sqrt((variance24 - tieCorrection / 2) / 24);
  return { rPlus, rMinus, signedRanks, count, hasTies: tieSizes.some((t) => t > 1), se, mean };
}

/** Exhaustive sign-flip distribution of R+ (scipy's permutation test when 2^n ≤ 9999). */
function permutationPValue(ranked: RankedDifferences, constant: number, alternative: Alternative): number {
  // Ranks are multiples of ½: count subsets by doubled rank sums, exactly.
  const doubled = ranked.signedRanks.map((s) => Math.round(2 * s.rank));
  const total = doubled.reduce((a, b) => a + b, 0);
  let counts = new Float64Array(total + 1);
  counts[0] = 1;
  for (const r of doubled) {
    const next = new Float64Array(total + 1);
    for (let s = 0; s <= total; s += 1) {
      const c = counts[s] as number;
      if (c === 0) continue;
      next[s] = (next[s] as number) + c;
      next[s + r] = (next[s + r] as number) + c;
    }
    counts = next;
  }
  const flips = 2 ** doubled.length;
  const observed = ranked.rPlus;
  // scipy compares with a relative tolerance of 100 ulp to absorb rounding in the statistic.
  const gamma = Math.abs(100 * Number.EPSILON * observed);
  let less = 0;
  let greater = 0;
  for (let s = 0; s <= total; s += 1) {
    const c = counts[s] as number;
    if (c === 0) continue;
    const value = s / 2 + constant;
    if (value <= observed + gamma) less += c;
    if (value >= observed - gamma) greater += c;
  }
  const pLess = less / flips;
  const pGreater = greater / flips;
  if (alternative === 'less') return pLess;
  if (alternative === 'greater') return pGreater;
  return Math.min(1, 2 * Math.min(pLess, pGreater));
}

function exactPValue(ranked: RankedDifferences, alternative: Alternative): number {
  const pmf = signedRankPmf(ranked.count);
  // Non-integral statistics (ties) are rounded conservatively, as scipy does (gh-19872).
  if (alternative === 'less') return signedRankCdf(pmf, ranked.count, Math.ceil(ranked.rPlus));
  if (alternative === 'greater') return signedRankSf(pmf, ranked.count, Math.floor(ranked.rPlus));
  const p =
    2 *
    Math.min(
      signedRankSf(pmf, ranked.count, Math.floor(ranked.rPlus)),
      signedRankCdf(pmf, ranked.count, Math.ceil(ranked.rPlus)),
    );
  return Math.min(1, Math.max(0, p));
}

/**
 * Wilcoxon signed-rank test of paired samples (differences `x − y`) or of one sample of differences
 * (`y` omitted), matching `scipy.stats.wilcoxon` 1.17 with the same options — statistic and p-value.
 *
 * The statistic is min(R+, R−) for the two-sided test and R+ otherwise.
 *
 * @param x - First sample, or the differences when `y` is omitted.
 * @param y - Second sample, paired with `x`.
 * @param options - scipy's options; see {@link WilcoxonOptions}.
 * @throws {@link EmptySampleError} when `x` is empty.
 * @throws {@link SampleNotFiniteError} on NaN or ±Infinity.
 * @throws {@link SampleLengthMismatchError} when `x` and `y` differ in length.
 * @throws {@link DegenerateSampleError} when the normal approximation is undefined because every
 *   difference is zero (scipy: NaN).
 * @throws {@link StatisticsOptionError} on an unknown option value.
 */
export function wilcoxonSignedRank(x: NumericSample, y?: NumericSample, options: WilcoxonOptions = {}): WilcoxonResult {
  const zeroMethod = options.zeroMethod ?? 'wilcox';
  const alternative = options.alternative ?? 'two-sided';
  const correction = options.correction ?? false;
  let method: WilcoxonMethod | 'permutation' = options.method ?? 'auto';
  if (!ZERO_METHODS.includes(zeroMethod)) throw new StatisticsOptionError('zeroMethod', zeroMethod, ZERO_METHODS.join(' | '));
  if (!ALTERNATIVES.includes(alternative)) throw new StatisticsOptionError('alternative', alternative, ALTERNATIVES.join(' | '));
  if (!METHODS.includes(method)) throw new StatisticsOptionError('method', method, METHODS.join(' | '));
  if (typeof correction !== 'boolean') throw new StatisticsOptionError('correction', correction, 'true | false');

  const xs = checkedSample(x, 'x');
  let d = xs;
  if (y !== undefined) {
    const ys = checkedSample(y, 'y');
    if (ys.length !== xs.length) throw new SampleLengthMismatchError(xs.length, ys.length);
    d = xs.map((v, i) => v - (ys[i] as number));
  }
  const n = d.length;
  const zeros = d.reduce((c, v) => c + (v === 0 ? 1 : 0), 0);
  if (method === 'auto' && n > EXACT_MAX_N) method = 'asymptotic';

  const ranked = rankDifferences(d, zeroMethod);
  if (method === 'auto') {
    if (!(ranked.hasTies || zeros > 0)) method = 'exact';
    else if (n <= PERMUTATION_MAX_N) method = 'permutation';
    else method = 'asymptotic';
  }
  const statistic = alternative === 'two-sided' ? Math.min(ranked.rPlus, ranked.rMinus) : ranked.rPlus;

  if (method === 'exact') return { statistic, pValue: exactPValue(ranked, alternative), method: 'exact' };
  if (method === 'permutation') {
    const constant = ranked.rPlus - ranked.signedRanks.reduce((s, r) => s + (r.positive ? r.rank : 0), 0);
    return { statistic, pValue: permutationPValue(ranked, constant, alternative), method: 'permutation' };
  }
  let z = (ranked.rPlus - ranked.mean) / ranked.se;
  if (!Number.isFinite(z)) {
    throw new DegenerateSampleError(
      `wilcoxonSignedRank: the normal approximation is undefined (${n - zeros} non-zero differences of ${n}, zeroMethod ${zeroMethod})`,
    );
  }
  if (correction) {
    const sign = alternative === 'greater' ? 1 : alternative === 'less' ? -1 : Math.sign(z);
    z -= (sign * 0.5) / ranked.se;
  }
  let pValue: number;
  if (alternative === 'less') pValue = normalCdf(z);
  else if (alternative === 'greater') pValue = normalSf(z);
  else pValue = 2 * normalSf(Math.abs(z));
  const zStatistic = alternative === 'two-sided' ? -Math.abs(z) : z;
  return { statistic, pValue, method: 'asymptotic', zStatistic };
}
