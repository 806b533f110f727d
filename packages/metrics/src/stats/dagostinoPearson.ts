import { DegenerateSampleError, SampleTooSmallError } from './errors.js';
import { chiSquare2Sf } from './special.js';
import type { StatisticalTestResult } from './types.js';
import { checkedSample, type NumericSample } from './validate.js';

/** Result of {@link dagostinoPearson}: K² = Z_skew² + Z_kurt² and its chi-square(2) p-value. */
export interface DagostinoPearsonResult extends StatisticalTestResult {
  /** The skewness test z-score (scipy's `skewtest` statistic). */
  readonly skewZ: number;
  /** The kurtosis test z-score (scipy's `kurtosistest` statistic). */
  readonly kurtosisZ: number;
}

/** The smallest sample scipy's `normaltest` accepts (it returns NaN for n ≤ 7). */
export const DAGOSTINO_MIN_SAMPLES = 8;

function centralMoments(a: Float64Array): { m2: number; m3: number; m4: number; mean: number } {
  let sum = 0;
  for (const v of a) sum += v;
  const mean = sum / a.length;
  let s2 = 0;
  let s3 = 0;
  let s4 = 0;
  for (const v of a) {
    const c = v - mean;
    const c2 = c * c;
    s2 += c2;
    s3 += c2 * c;
    s4 += c2 * c2;
  }
  return { m2: s2 / a.length, m3: s3 / a.length, m4: s4 / a.length, mean };
}

/** D'Agostino's skewness test z-score (D'Agostino, Belanger & D'Agostino 1990, as scipy's skewtest). */
function skewZ(b1: number, n: number): number {
  let y = b1 * Math.sqrt(((n + 1) * (n + 3)) / (6 * (n - 2)));
  const beta2 = (3 * (n * n + 27 * n - 70) * (n + 1) * (n + 3)) / ((n - 2) * (n + 5) * (n + 7) * (n + 9));
  const w2 = -1 + Math.sqrt(2 * (beta2 - 1));
  const delta = 1 / Math.sqrt(0.5 * Math.log(w2));
  const alpha = Math.sqrt(2 / (w2 - 1));
  if (y === 0) y = 1;
  return delta * Math.log(y / alpha + Math.sqrt((y / alpha) ** 2 + 1));
}

/** Anscombe & Glynn's kurtosis test z-score (as scipy's kurtosistest). */
function kurtosisZ(b2: number, n: number): number {
  const e = (3 * (n - 1)) / (n + 1);
  const varb2 = (24 * n * (n - 2) * (n - 3)) / ((n + 1) * (n + 1) * (n + 3) * (n + 5));
  const x = (b2 - e) / Math.sqrt(varb2);
  const sqrtBeta1 = ((6 * (n * n - 5 * n + 2)) / ((n + 7) * (n + 9))) * Math.sqrt((6 * (n + 3) * (n + 5)) / (n * (n - 2) * (n - 3)));
  const a = 6 + (8 / sqrtBeta1) * (2 / sqrtBeta1 + Math.sqrt(1 + 4 / sqrtBeta1 ** 2));
  const term1 = 1 - 2 / (9 * a);
  const denom = 1 + x * Math.sqrt(2 / (a - 4));
  if (denom === 0) {
    throw new DegenerateSampleError('dagostinoPearson: the kurtosis test is undefined for this sample (division by zero)');
  }
  const term2 = Math.sign(denom) * Math.cbrt((1 - 2 / a) / Math.abs(denom));
  return (term1 - term2) / Math.sqrt(2 / (9 * a));
}

/**
 * D'Agostino–Pearson omnibus normality test, matching `scipy.stats.normaltest` 1.17: K² = Z_s² + Z_k²
 * from the skewness and kurtosis tests, p-value from chi-square with 2 degrees of freedom. The papers
 * use it to check that per-slice scores are not normal before summarising them with percentiles.
 *
 * @param x - The sample.
 * @throws {@link EmptySampleError} when `x` is empty.
 * @throws {@link SampleNotFiniteError} on NaN or ±Infinity.
 * @throws {@link SampleTooSmallError} when `x` has fewer than 8 values (scipy: NaN).
 * @throws {@link DegenerateSampleError} when `x` is constant (scipy: NaN).
 */
export function dagostinoPearson(x: NumericSample): DagostinoPearsonResult {
  const a = checkedSample(x, 'x');
  const n = a.length;
  if (n < DAGOSTINO_MIN_SAMPLES) throw new SampleTooSmallError('x', n, DAGOSTINO_MIN_SAMPLES, 'dagostinoPearson');
  const { m2, m3, m4, mean } = centralMoments(a);
  // scipy treats the variance as zero when it is within rounding of the mean's magnitude.
  if (m2 <= (Number.EPSILON * mean) ** 2) {
    throw new DegenerateSampleError('dagostinoPearson: x is constant (zero variance); skewness and kurtosis are undefined');
  }
  const zs = skewZ(m3 / m2 ** 1.5, n);
  const zk = kurtosisZ(m4 / (m2 * m2), n);
  const statistic = zs * zs + zk * zk;
  if (!Number.isFinite(statistic)) {
    // e.g. variances that underflow to subnormals: scipy's moments become 0/0
    throw new DegenerateSampleError('dagostinoPearson: skewness or kurtosis is not finite for x (variance underflows)');
  }
  return { statistic, pValue: chiSquare2Sf(statistic), skewZ: zs, kurtosisZ: zk };
}
