import { RankingInputError } from './errors.js';
import type { RankingMetricRule, RankingRules } from './rules.js';

/** Metric values of one segmented structure; `null` or ±Infinity means undefined (an empty mask). */
export type RankingMetricValues = Readonly<Record<string, number | null | undefined>>;

/**
 * One case (one 3D segmentation): the metric values of one structure, or of several structures, whose
 * scores are then averaged with the metrics (multi-bone cases).
 */
export type RankingCase = RankingMetricValues | readonly RankingMetricValues[];

/**
 * Score of one metric value in [0, 100]: 100 at the best value, linear down to 0 at the threshold, 0
 * beyond it. `null` and infinite values (undefined distances of an empty mask) score 0.
 *
 * @param value - The metric value (fraction or mm).
 * @param rule - Best value and threshold.
 * @param metric - Metric name, for error messages.
 * @throws {@link RankingInputError} when the value is NaN or better than the best possible value.
 */
export function metricScore(value: number | null | undefined, rule: RankingMetricRule, metric = 'metric'): number {
  if (value === null || value === undefined) return 0;
  if (Number.isNaN(value)) throw new RankingInputError(`${metric} is NaN`);
  if (!Number.isFinite(value)) return 0;
  const higherIsBetter = rule.best > rule.threshold;
  if (higherIsBetter ? value > rule.best : value < rule.best) {
    throw new RankingInputError(`${metric} = ${value} is better than its best possible value ${rule.best}`);
  }
  const fraction = (value - rule.threshold) / (rule.best - rule.threshold);
  return fraction <= 0 ? 0 : 100 * fraction;
}

/**
 * Score of a case in [0, 100]: the mean of its metric scores (over all structures for a multi-structure
 * case).
 *
 * @param caseValues - The case's metric values.
 * @param rules - Which metrics count and how.
 * @param where - Names the case in error messages.
 * @throws {@link RankingInputError} when a metric of the rules is missing, or a structure list is empty.
 */
export function caseScore(caseValues: RankingCase, rules: RankingRules, where = 'case'): number {
  const structures: readonly RankingMetricValues[] = Array.isArray(caseValues)
    ? (caseValues as readonly RankingMetricValues[])
    : [caseValues as RankingMetricValues];
  if (structures.length === 0) throw new RankingInputError(`${where} has no structures`);
  let sum = 0;
  let count = 0;
  structures.forEach((values, s) => {
    for (const [metric, rule] of Object.entries(rules)) {
      const label = structures.length > 1 ? `${where}, structure ${s}, ${metric}` : `${where}, ${metric}`;
      if (!(metric in values)) throw new RankingInputError(`${label} is missing`);
      sum += metricScore(values[metric], rule, label);
      count += 1;
    }
  });
  return sum / count;
}
