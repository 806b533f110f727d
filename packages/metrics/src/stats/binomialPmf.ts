/**
 * Binomial probabilities with full relative accuracy in the tails (Loader 2000, "Fast and accurate
 * computation of binomial probabilities"): log-factorials through their Stirling remainders and the
 * deviance term bd0, so nothing of size n·log n is subtracted.
 */

const LOG_SQRT_2PI = 0.5 * Math.log(2 * Math.PI);

/** Stirling remainder ln(n!) − [(n + ½)ln n − n + ln √(2π)] for a non-negative integer n. */
export function stirlingRemainder(n: number): number {
  if (n <= 15) {
    if (n === 0) return 0; // callers treat k = 0 and k = n separately; 0 keeps the function total
    let factorial = 1;
    for (let i = 2; i <= n; i += 1) factorial *= i;
    return Math.log(factorial) - (n + 0.5) * Math.log(n) + n - LOG_SQRT_2PI;
  }
  const s0 = 1 / 12;
  const s1 = 1 / 360;
  const s2 = 1 / 1260;
  const s3 = 1 / 1680;
  const s4 = 1 / 1188;
  const nn = n * n;
  if (n > 500) return (s0 - s1 / nn) / n;
  if (n > 80) return (s0 - (s1 - s2 / nn) / nn) / n;
  if (n > 35) return (s0 - (s1 - (s2 - s3 / nn) / nn) / nn) / n;
  return (s0 - (s1 - (s2 - (s3 - s4 / nn) / nn) / nn) / nn) / n;
}

/** Deviance term x·ln(x/μ) + μ − x, by its series when x is close to μ. */
export function deviance(x: number, mu: number): number {
  if (Math.abs(x - mu) < 0.1 * (x + mu)) {
    const v = (x - mu) / (x + mu);
    let s = (x - mu) * v;
    let ej = 2 * x * v;
    const v2 = v * v;
    for (let j = 1; j < 1000; j += 1) {
      ej *= v2;
      const s1 = s + ej / (2 * j + 1);
      if (s1 === s) return s1;
      s = s1;
    }
    return s;
  }
  return x * Math.log(x / mu) + mu - x;
}

/** P(X = k) for X ~ Binomial(n, p), 0 < p < 1, integer 0 ≤ k ≤ n. */
export function binomialPmf(k: number, n: number, p: number): number {
  const q = 1 - p;
  if (k === 0) return Math.exp(n * Math.log1p(-p));
  if (k === n) return Math.exp(n * Math.log(p));
  const lc =
    stirlingRemainder(n) - stirlingRemainder(k) - stirlingRemainder(n - k) - deviance(k, n * p) - deviance(n - k, n * q);
  const lf = Math.log(2 * Math.PI) + Math.log(k) + Math.log1p(-k / n);
  return Math.exp(lc - 0.5 * lf);
}
