import { pairwiseSum } from './pairwiseSum.js';

/**
 * Exact null distribution of the Wilcoxon signed-rank statistic R+ for n untied, non-zero differences:
 * entry r is P(R+ = r), r = 0 … n(n+1)/2. Built by adding one rank at a time (each sign equally likely);
 * for n ≤ 50 every entry is an exact dyadic rational, so the p-values below are exact.
 */
export function signedRankPmf(n: number): Float64Array {
  let pmf = new Float64Array([1]);
  for (let k = 1; k <= n; k += 1) {
    const next = new Float64Array((k * (k + 1)) / 2 + 1);
    const m = pmf.length;
    for (let i = 0; i < m; i += 1) next[i] = (pmf[i] as number) * 0.5;
    const offset = next.length - m;
    for (let i = 0; i < m; i += 1) next[offset + i] = (next[offset + i] as number) + (pmf[i] as number) * 0.5;
    pmf = next;
  }
  return pmf;
}

/**
 * P(R+ ≤ k). Summed from the nearer tail, as scipy does: directly below the mean, as 1 − P(R+ > k) above.
 */
export function signedRankCdf(pmf: Float64Array, n: number, k: number): number {
  const mean = (n * (n + 1)) / 4;
  if (k < 0) return 0;
  if (k <= mean) return pairwiseSum(pmf, 0, Math.min(k + 1, pmf.length));
  return 1 - pairwiseSum(pmf, Math.min(k + 1, pmf.length), pmf.length);
}

/** P(R+ ≥ k), with the same tail rule as {@link signedRankCdf}. */
export function signedRankSf(pmf: Float64Array, n: number, k: number): number {
  const mean = (n * (n + 1)) / 4;
  if (k <= mean) return pairwiseSum(pmf, Math.max(k, 0), pmf.length);
  return 1 - pairwiseSum(pmf, 0, Math.min(Math.max(k, 0), pmf.length));
}
