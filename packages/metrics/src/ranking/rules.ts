import { RankingInputError } from './errors.js';

/**
 * How one metric is turned into a score in [0, 100]: linear from the threshold (score 0) to the best
 * value (score 100), and 0 at or beyond the threshold. Whether higher is better follows from
 * `best > threshold`.
 */
export interface RankingMetricRule {
  /** The best possible value (Dice 1, distance 0 mm, RAVD 0). */
  readonly best: number;
  /** The acceptability threshold: values at or beyond it score 0. */
  readonly threshold: number;
}

/** Rules per metric name; a case's score is the mean over these metrics. */
export type RankingRules = Readonly<Record<string, RankingMetricRule>>;

/**
 * Table 1 of the combined-regularization paper, in the units of `@pedseg/metrics` (overlaps and RAVD
 * as fractions, distances in mm): Dice > 0.80, sensitivity > 0.80, MSSD < 30 mm, ASSD < 4 mm,
 * RAVD < 0.10. Specificity is left out, as in the paper.
 */
export const COMBREG_RANKING_RULES: RankingRules = Object.freeze({
  dice: Object.freeze({ best: 1, threshold: 0.8 }),
  sensitivity: Object.freeze({ best: 1, threshold: 0.8 }),
  mssd: Object.freeze({ best: 0, threshold: 30 }),
  assd: Object.freeze({ best: 0, threshold: 4 }),
  ravd: Object.freeze({ best: 0, threshold: 0.1 }),
});

/** One alternative threshold of a robustness analysis: the metric it replaces and its label. */
export interface AlternativeThreshold {
  /** Metric whose threshold is replaced (the others keep theirs). */
  readonly metric: string;
  /** The replacement threshold. */
  readonly threshold: number;
  /** Column label, e.g. `Dice75`. */
  readonly label: string;
}

/**
 * The alternative thresholds of Table S2 of the combined-regularization paper, each applied on its
 * own: Dice 75/85 %, sensitivity 75/85 %, MSSD 20/40 mm, ASSD 3/5 mm, RAVD 5/15 %.
 */
export const COMBREG_ROBUSTNESS_THRESHOLDS: readonly AlternativeThreshold[] = Object.freeze([
  { metric: 'dice', threshold: 0.75, label: 'Dice75' },
  { metric: 'dice', threshold: 0.85, label: 'Dice85' },
  { metric: 'sensitivity', threshold: 0.75, label: 'Sens75' },
  { metric: 'sensitivity', threshold: 0.85, label: 'Sens85' },
  { metric: 'mssd', threshold: 20, label: 'MSSD20' },
  { metric: 'mssd', threshold: 40, label: 'MSSD40' },
  { metric: 'assd', threshold: 3, label: 'ASSD3' },
  { metric: 'assd', threshold: 5, label: 'ASSD5' },
  { metric: 'ravd', threshold: 0.05, label: 'RAVD5' },
  { metric: 'ravd', threshold: 0.15, label: 'RAVD15' },
]);

/** Checks that every rule has finite, distinct best and threshold values. */
export function validateRules(rules: RankingRules): void {
  const names = Object.keys(rules);
  if (names.length === 0) throw new RankingInputError('ranking rules are empty; give at least one metric');
  for (const name of names) {
    const rule = rules[name];
    if (rule === undefined || !Number.isFinite(rule.best) || !Number.isFinite(rule.threshold)) {
      throw new RankingInputError(`ranking rule for ${name} needs finite numbers best and threshold`);
    }
    if (rule.best === rule.threshold) {
      throw new RankingInputError(`ranking rule for ${name}: best and threshold are both ${rule.best}`);
    }
  }
}
