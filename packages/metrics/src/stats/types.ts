/** Result of a hypothesis test, as scipy.stats reports it. */
export interface StatisticalTestResult {
  /** The test statistic (scipy's `statistic`). */
  readonly statistic: number;
  /** The p-value (scipy's `pvalue`), in [0, 1]. */
  readonly pValue: number;
}

/** Alternative hypothesis of a test, with scipy's names. */
export type Alternative = 'two-sided' | 'less' | 'greater';

/** The alternatives accepted by every test. */
export const ALTERNATIVES: readonly Alternative[] = ['two-sided', 'less', 'greater'];
