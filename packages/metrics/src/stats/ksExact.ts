import { binomial } from './special.js';

/**
 * P(D ≥ h/n) for two samples of equal size n, two-sided: the alternating reflection series
 * 2 Σ_k (−1)^(k+1) C(2n, n − kh) / C(2n, n), evaluated in nested (Horner) form so that no large
 * binomial is formed and no terms cancel.
 */
export function probOutsideSquare(n: number, h: number): number {
  let p = 0;
  for (let k = Math.floor(n / h); k >= 0; k -= 1) {
    // ratio C(2n, n − kh − h) / C(2n, n − kh) … written as a product of h factors
    let a = 1;
    for (let j = 0; j < h; j += 1) a = ((n - k * h - j) * a) / (n + k * h + j + 1);
    p = a * (1 - p);
  }
  return 2 * p;
}

/**
 * Two-sided exact p-value P(D ≥ h/lcm(m, n)) for samples of sizes m ≠ n: the probability that a
 * uniformly random monotone lattice path from (0, 0) to (m, n) touches |x/m − y/n| ≥ h/lcm. Each
 * cell holds the probability for paths ending there (1 outside the band), and a cell is the
 * path-count–weighted mean of its two predecessors, so small p-values keep their relative accuracy
 * (Viehmann 2021, the same recursion scipy uses).
 */
export function probOutsideBand(m: number, n: number, g: number, h: number): number {
  if (m < n) [m, n] = [n, m];
  const mg = m / g;
  const ng = n / g;
  // column over y = 0..n for the current x; cells outside the band are 1.
  let previous = new Float64Array(n + 1);
  let current = new Float64Array(n + 1);
  for (let j = 0; j <= n; j += 1) previous[j] = Math.abs(-mg * j) >= h ? 1 : j === 0 ? 0 : (previous[j - 1] as number);
  for (let i = 1; i <= m; i += 1) {
    // band rows for this column: |ng·i − mg·j| < h
    const low = Math.max(Math.floor((ng * i - h) / mg) + 1, 0);
    const high = Math.min(Math.ceil((ng * i + h) / mg) - 1, n);
    current.fill(1);
    for (let j = low; j <= high; j += 1) {
      const left = previous[j] as number;
      const below = j > 0 ? (current[j - 1] as number) : 0;
      current[j] = (left * i + below * j) / (i + j);
    }
    [previous, current] = [current, previous];
  }
  return previous[n] as number;
}

/**
 * One-sided exact p-value for m ≠ n: the number of lattice paths that reach the line
 * n·x − m·y ≥ h·g, divided by C(m + n, n) (Hodges 1958). Returns `undefined` when the path counts
 * overflow a double or round outside [0, 1], where scipy falls back to the asymptotic formula.
 */
export function probOneSidedPaths(m: number, n: number, g: number, h: number): number | undefined {
  if (m < n) [m, n] = [n, m];
  const mg = m / g;
  const ng = n / g;
  const total = binomial(m + n, n);
  if (!Number.isFinite(total)) return undefined;
  // x positions where the boundary n·x/m + ng·h crosses each integer y = j
  const count = n + Math.floor((mg - h) / mg);
  if (count <= 0) return 1;
  const xs = new Array<number>(count);
  for (let j = 0; j < count; j += 1) xs[j] = Math.floor((h + mg * j + ng - 1) / ng);
  // first-passage counts B[j]: paths from (0,0) reaching (x_j, j) without touching the boundary before
  const first = new Float64Array(count);
  first[0] = 1;
  for (let j = 1; j < count; j += 1) {
    let b = binomial((xs[j] as number) + j, j);
    for (let i = 0; i < j; i += 1) b -= binomial((xs[j] as number) - (xs[i] as number) + j - i, j - i) * (first[i] as number);
    first[j] = b;
  }
  let paths = 0;
  for (let j = 0; j < count; j += 1) paths += (first[j] as number) * binomial(m - (xs[j] as number) + (n - j), n - j);
  if (!Number.isFinite(paths) || paths > total) return undefined;
  const p = paths / total;
  return p >= 0 && p <= 1 ? p : undefined;
}

/** One-sided exact p-value for equal sizes: C(2n, n − h) / C(2n, n) as a product of h ratios. */
export function probOneSidedEqual(n: number, h: number): number {
  let p = 1;
  for (let j = 0; j < h; j += 1) p *= (n - j) / (n + j + 1);
  return p;
}
