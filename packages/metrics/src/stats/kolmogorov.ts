import { binomialPmf } from './binomialPmf.js';

/**
 * Kolmogorov–Smirnov distributions: the limiting distribution of √n·D_n (scipy's kstwobign /
 * scipy.special.kolmogorov), the exact one-sided Smirnov distribution (scipy.special.smirnov) and the
 * exact two-sided D_n (scipy's kstwo), with the method selection of Simard & L'Ecuyer (2011) that
 * scipy uses.
 */

const LOG_2PI = Math.log(2 * Math.PI);
const SQRT_2PI = Math.sqrt(2 * Math.PI);
const PI2 = Math.PI ** 2;
const PI4 = Math.PI ** 4;
const PI6 = Math.PI ** 6;
/** exp() below this is 0 in double precision (scipy uses the same bound). */
const MIN_LOG = -708;
const SCALE_EXPONENT = 128;
const SCALE_UP = 2 ** SCALE_EXPONENT;
const SCALE_DOWN = 2 ** -SCALE_EXPONENT;

const clip01 = (p: number): number => Math.min(Math.max(p, 0), 1);

/**
 * Survival function of the limiting Kolmogorov distribution, P(K > x) with K = lim √n·D_n
 * (scipy.special.kolmogorov, the sf of scipy's kstwobign).
 */
export function kolmogorovSf(x: number): number {
  if (Number.isNaN(x)) return Number.NaN;
  if (x <= Math.PI / Math.sqrt(-(MIN_LOG - 38) * 8)) return 1;
  if (x <= 0.82) {
    // Jacobi-theta form for small x: CDF = √(2π)/x · Σ_k exp(−(2k−1)²π²/(8x²))
    const w = SQRT_2PI / x;
    const logU8 = -PI2 / (x * x);
    const u = Math.exp(logU8 / 8);
    if (u === 0) return clip01(1 - Math.exp(logU8 / 8 + Math.log(w)));
    const u8 = Math.exp(logU8);
    let p = 1;
    p = 1 + u8 ** 3 * p;
    p = 1 + u8 * u8 * p;
    p = 1 + u8 * p;
    return clip01(1 - w * u * p);
  }
  // alternating series 2 Σ (−1)^(k−1) exp(−2k²x²), nested
  const v = Math.exp(-2 * x * x);
  const v3 = v ** 3;
  let p = 1;
  p = 1 - v3 * v3 * v * p;
  p = 1 - v3 * v * v * p;
  p = 1 - v3 * p;
  return clip01(2 * v * p);
}

/**
 * Exact one-sided Smirnov survival function P(D+_n ≥ d) (scipy.special.smirnov), by the
 * Birnbaum–Tingey sum Σ_{j ≤ n(1−d)} d/(d + j/n) · Binomial(j; n, d + j/n), each term a binomial
 * probability evaluated by Loader's saddle-point method so that no digits cancel.
 */
export function smirnovSf(n: number, d: number): number {
  if (Number.isNaN(d)) return Number.NaN;
  if (d <= 0) return 1;
  if (d >= 1) return 0;
  if (n === 1) return 1 - d;
  const last = Math.floor(n * (1 - d) * (1 + 4 * Number.EPSILON));
  let sum = 0;
  for (let j = 0; j <= Math.min(last, n); j += 1) {
    const p = d + j / n;
    if (p >= 1) {
      if (j === n) sum += d / p;
      continue;
    }
    sum += (d / p) * binomialPmf(j, n, p);
  }
  return clip01(sum);
}

/** ln(n!/nⁿ) by Stirling's series with the Bernoulli terms up to B16. */
function logFactorialOverPower(n: number): number {
  const coefficients = [1 / 12, -1 / 360, 1 / 1260, -1 / 1680, 1 / 1188, -691 / 360360, 1 / 156, -3617 / 122400];
  const r = 1 / n;
  const r2 = r * r;
  let series = 0;
  for (let j = coefficients.length - 1; j >= 0; j -= 1) series = series * r2 + (coefficients[j] as number);
  return Math.log(n) / 2 - n + LOG_2PI / 2 + r * series;
}

type Matrix = Float64Array[];

function multiply(a: Matrix, b: Matrix): Matrix {
  const m = a.length;
  const out: Matrix = Array.from({ length: m }, () => new Float64Array(m));
  for (let i = 0; i < m; i += 1) {
    const ai = a[i] as Float64Array;
    const oi = out[i] as Float64Array;
    for (let k = 0; k < m; k += 1) {
      const aik = ai[k] as number;
      if (aik === 0) continue;
      const bk = b[k] as Float64Array;
      for (let j = 0; j < m; j += 1) oi[j] = (oi[j] as number) + aik * (bk[j] as number);
    }
  }
  return out;
}

/**
 * Exact P(D_n ≤ d) by Durbin's matrix formula in the Marsaglia–Tsang–Wang form: the (k, k) entry of
 * Hⁿ·n!/nⁿ with k = ⌈nd⌉, H of order 2k − 1; powers are rescaled by 2^±128 to stay in range.
 */
function durbinCdf(n: number, d: number): number {
  if (d >= 1) return 1;
  const nd = n * d;
  if (nd <= 0.5) return 0;
  const k = Math.ceil(nd);
  const h = k - nd;
  const m = 2 * k - 1;
  const v = new Float64Array(m);
  const w = new Float64Array(m);
  let factorial = 1;
  for (let j = 1; j <= m; j += 1) {
    w[j - 1] = factorial;
    factorial /= j;
    v[j - 1] = (1 - h ** j) * factorial;
  }
  v[m - 1] = (1 + (Math.max(2 * h - 1, 0) ** m - 2 * h ** m)) * factorial;
  let matrix: Matrix = Array.from({ length: m }, () => new Float64Array(m));
  for (let c = 1; c < m; c += 1) for (let r = c - 1; r < m; r += 1) (matrix[r] as Float64Array)[c] = w[r - c + 1] as number;
  for (let r = 0; r < m; r += 1) (matrix[r] as Float64Array)[0] = v[r] as number;
  for (let c = 0; c < m; c += 1) (matrix[m - 1] as Float64Array)[c] = v[m - 1 - c] as number;

  let power: Matrix = Array.from({ length: m }, (_, i) => {
    const row = new Float64Array(m);
    row[i] = 1;
    return row;
  });
  let exponent = 0;
  let matrixExponent = 0;
  for (let e = n; e > 0; e = Math.floor(e / 2)) {
    if (e % 2 === 1) {
      power = multiply(power, matrix);
      exponent += matrixExponent;
    }
    matrix = multiply(matrix, matrix);
    matrixExponent *= 2;
    if (Math.abs((matrix[k - 1] as Float64Array)[k - 1] as number) > SCALE_UP) {
      for (const row of matrix) for (let j = 0; j < m; j += 1) row[j] = (row[j] as number) * SCALE_DOWN;
      matrixExponent += SCALE_EXPONENT;
    }
  }
  let p = (power[k - 1] as Float64Array)[k - 1] as number;
  for (let i = 1; i <= n; i += 1) {
    p = (i * p) / n;
    if (Math.abs(p) < SCALE_DOWN) {
      p *= SCALE_UP;
      exponent -= SCALE_EXPONENT;
    }
  }
  return exponent === 0 ? p : p * 2 ** exponent;
}

/**
 * Pelz & Good's (1976) asymptotic expansion of P(D_n ≤ d) to order n^(−3/2), for large n and
 * small √n·d.
 */
function pelzGoodCdf(n: number, d: number): number {
  if (d <= 0) return 0;
  if (d >= 1) return 1;
  const z = Math.sqrt(n) * d;
  const z2 = z * z;
  const z3 = z2 * z;
  const z4 = z2 * z2;
  const z6 = z4 * z2;
  const qLog = -PI2 / 8 / z2;
  if (qLog < MIN_LOG) return 0;
  const q = Math.exp(qLog);
  const k1a = -z2;
  const k1b = PI2 / 4;
  const k2a = 6 * z6 + 2 * z4;
  const k2b = ((2 * z4 - 5 * z2) * PI2) / 4;
  const k2c = (PI4 * (1 - 2 * z2)) / 16;
  const k3d = (PI6 * (5 - 30 * z2)) / 64;
  const k3c = (PI4 * (-60 * z2 + 212 * z4)) / 16;
  const k3b = (PI2 * (135 * z4 - 96 * z6)) / 4;
  const k3a = -30 * z6 - 90 * z4 * z4;
  const terms = [0, 0, 0, 0];
  const maxK = Math.ceil((16 * z) / Math.PI);
  for (let k = maxK; k >= 1; k -= 1) {
    const m = 2 * k - 1;
    const m2 = m * m;
    const m4 = m2 * m2;
    const m6 = m4 * m2;
    const qPower = q ** (8 * k);
    const coefficients = [1, k1a + k1b * m2, k2a + k2b * m2 + k2c * m4, k3a + k3b * m2 + k3c * m4 + k3d * m6];
    for (let i = 0; i < 4; i += 1) terms[i] = (terms[i] as number) * qPower + (coefficients[i] as number);
  }
  const divisors = [z, 6 * z4, 72 * z6 * z, 6480 * z6 * z4];
  for (let i = 0; i < 4; i += 1) terms[i] = ((terms[i] as number) * q * SQRT_2PI) / (divisors[i] as number);
  const qq = Math.exp(-PI2 / 2 / z2);
  let k2Extra = 0;
  let k3Extra = 0;
  const sqrt3z = Math.sqrt(3) * z;
  for (let k = maxK; k >= 1; k -= 1) {
    const k2 = k * k;
    const qk = qq ** k2;
    k2Extra += k2 * qk;
    const kpi = Math.PI * k;
    k3Extra += (sqrt3z + kpi) * (sqrt3z - kpi) * k2 * qk;
  }
  terms[2] = (terms[2] as number) + (k2Extra * PI2 * SQRT_2PI) / (-36 * z3);
  terms[3] = (terms[3] as number) + (k3Extra * PI2 * SQRT_2PI) / (216 * z6);
  let sum = 0;
  for (let i = 0; i < 4; i += 1) sum += (terms[i] as number) / n ** (i / 2);
  return sum;
}

/**
 * Survival function P(D_n ≥ d) of the exact two-sided one-sample Kolmogorov–Smirnov statistic (scipy's
 * `kstwo.sf(d, n)`), following scipy's choice among Ruben–Gambino closed forms, 2·smirnov, Durbin's
 * matrix and the Pelz–Good expansion. Where scipy uses Pomeranz's recursion (n ≤ 140,
 * 0.754693 < n·d² ≤ 4) this computes the same exact probability with Durbin's matrix.
 *
 * @param n - Sample size, a positive integer.
 * @param d - The statistic value.
 */
export function kstwoSf(n: number, d: number): number {
  if (!Number.isInteger(n) || n <= 0 || Number.isNaN(d)) return Number.NaN;
  if (d >= 1) return 0;
  if (d <= 0) return 1;
  const t = n * d;
  if (t <= 1) {
    if (t <= 0.5) return 1;
    let prob: number;
    if (n <= 140) {
      prob = 1;
      for (let i = 1; i <= n; i += 1) prob *= i * (1 / n) * (2 * t - 1);
    } else {
      prob = Math.exp(logFactorialOverPower(n) + n * Math.log(2 * t - 1));
    }
    return clip01(1 - prob);
  }
  if (t >= n - 1) return clip01(2 * (1 - d) ** n);
  if (d >= 0.5) return clip01(2 * smirnovSf(n, d));
  const nd2 = t * d;
  if (n <= 140) {
    if (nd2 <= 4) return clip01(1 - durbinCdf(n, d));
    return clip01(2 * smirnovSf(n, d));
  }
  if (nd2 >= 370) return 0;
  if (nd2 >= 2.2) return clip01(2 * smirnovSf(n, d));
  const cdf = n <= 100000 && n * d ** 1.5 <= 1.4 ? durbinCdf(n, d) : pelzGoodCdf(n, d);
  return clip01(1 - cdf);
}
