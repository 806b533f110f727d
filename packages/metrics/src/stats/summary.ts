import { StatisticsOptionError } from './errors.js';
import { checkedSample, type NumericSample } from './validate.js';

/** Mean and standard deviation of a sample, as the papers' tables report them (mean ± std). */
export interface MeanStd {
  /** Arithmetic mean. */
  readonly mean: number;
  /** Standard deviation with `ddof` degrees of freedom removed. */
  readonly std: number;
  /** Number of values. */
  readonly count: number;
}

/** Options of {@link meanStd}. */
export interface MeanStdOptions {
  /**
   * Delta degrees of freedom: the divisor is n − ddof. Default 0 (numpy's `np.std`, population std);
   * use 1 for the sample std. Must be smaller than n.
   */
  readonly ddof?: number;
}

/**
 * Mean ± standard deviation (numpy's `mean` and `std(ddof=0)` by default).
 *
 * @param values - The sample.
 * @param options - See {@link MeanStdOptions}.
 * @throws {@link EmptySampleError} when `values` is empty.
 * @throws {@link SampleNotFiniteError} on NaN or ±Infinity.
 * @throws {@link StatisticsOptionError} when `ddof` is not an integer in [0, n).
 */
export function meanStd(values: NumericSample, options: MeanStdOptions = {}): MeanStd {
  const a = checkedSample(values, 'values');
  const ddof = options.ddof ?? 0;
  if (!Number.isInteger(ddof) || ddof < 0 || ddof >= a.length) {
    throw new StatisticsOptionError('ddof', ddof, `an integer in [0, ${a.length}) for ${a.length} values`);
  }
  let sum = 0;
  for (const v of a) sum += v;
  const mean = sum / a.length;
  let ss = 0;
  for (const v of a) ss += (v - mean) ** 2;
  return { mean, std: Math.sqrt(ss / (a.length - ddof)), count: a.length };
}

/**
 * The q-th percentile (q in [0, 100]) with linear interpolation between order statistics — numpy's
 * default `np.percentile(values, q)` (method 'linear').
 *
 * @throws {@link EmptySampleError} when `values` is empty.
 * @throws {@link SampleNotFiniteError} on NaN or ±Infinity.
 * @throws {@link StatisticsOptionError} when q is outside [0, 100].
 */
export function percentile(values: NumericSample, q: number): number {
  const sorted = checkedSample(values, 'values').sort();
  return percentileOfSorted(sorted, q);
}

function percentileOfSorted(sorted: Float64Array, q: number): number {
  if (!(q >= 0 && q <= 100)) throw new StatisticsOptionError('q', q, 'a number in [0, 100]');
  const position = (q / 100) * (sorted.length - 1);
  const below = Math.floor(position);
  const above = Math.min(below + 1, sorted.length - 1);
  const fraction = position - below;
  const lo = sorted[below] as number;
  const hi = sorted[above] as number;
  // numpy's lerp form, exact at both ends
  return fraction >= 0.5 ? hi - (hi - lo) * (1 - fraction) : lo + (hi - lo) * fraction;
}

/**
 * Mean with the distances to the 16th and 84th percentiles — the bounds of a 68 % interval, which the
 * multi-task paper reports for skewed score distributions as mean^{+upper}_{−lower}.
 */
export interface PercentileSummary {
  /** Arithmetic mean. */
  readonly mean: number;
  /** The lower percentile (16th by default). */
  readonly lowerPercentile: number;
  /** The upper percentile (84th by default). */
  readonly upperPercentile: number;
  /** mean − lower percentile (the "−" distance). */
  readonly lower: number;
  /** upper percentile − mean (the "+" distance). */
  readonly upper: number;
  /** Number of values. */
  readonly count: number;
}

/** Options of {@link percentileSummary}. */
export interface PercentileSummaryOptions {
  /** Lower percentile in [0, 100]; default 16. */
  readonly lowerQ?: number;
  /** Upper percentile in [0, 100]; default 84. */
  readonly upperQ?: number;
}

/**
 * Mean and its distances to the 16th/84th percentiles (numpy linear interpolation).
 *
 * @param values - The sample.
 * @param options - Percentiles to use; see {@link PercentileSummaryOptions}.
 * @throws {@link EmptySampleError} when `values` is empty.
 * @throws {@link SampleNotFiniteError} on NaN or ±Infinity.
 * @throws {@link StatisticsOptionError} when a percentile is outside [0, 100] or lowerQ > upperQ.
 */
export function percentileSummary(values: NumericSample, options: PercentileSummaryOptions = {}): PercentileSummary {
  const lowerQ = options.lowerQ ?? 16;
  const upperQ = options.upperQ ?? 84;
  if (lowerQ > upperQ) throw new StatisticsOptionError('lowerQ', lowerQ, `a percentile ≤ upperQ (${upperQ})`);
  const sorted = checkedSample(values, 'values').sort();
  let sum = 0;
  for (const v of sorted) sum += v;
  const mean = sum / sorted.length;
  const lowerPercentile = percentileOfSorted(sorted, lowerQ);
  const upperPercentile = percentileOfSorted(sorted, upperQ);
  return {
    mean,
    lowerPercentile,
    upperPercentile,
    lower: mean - lowerPercentile,
    upper: upperPercentile - mean,
    count: sorted.length,
  };
}
