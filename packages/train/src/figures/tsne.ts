import { FigureInputError } from '../errors.js';
import { SeededRandom } from '../random.js';
import { symmetricEigenDecomposition } from './eigen.js';

function checkMatrix(what: string, data: readonly (readonly number[])[]): number {
  if (data.length === 0) throw new FigureInputError(`${what}: no points given`);
  const d = (data[0] as readonly number[]).length;
  if (d === 0) throw new FigureInputError(`${what}: points have no coordinates`);
  data.forEach((row, i) => {
    if (row.length !== d) throw new FigureInputError(`${what}: point ${i} has ${row.length} coordinates, point 0 has ${d}`);
    if (row.some((v) => !Number.isFinite(v))) throw new FigureInputError(`${what}: point ${i} has a non-finite coordinate`);
  });
  return d;
}

/**
 * Principal component scores: the centred points projected on the `k` leading principal axes (signs
 * fixed so that each axis' largest-magnitude loading is positive). Uses the smaller of the covariance
 * (d×d) and Gram (n×n) matrices, exact eigen-decomposition.
 *
 * @returns `n` rows of `min(k, n, d)` scores.
 * @throws {@link FigureInputError} for empty, ragged or non-finite data, or `k < 1`.
 */
export function pca(data: readonly (readonly number[])[], k: number): number[][] {
  const d = checkMatrix('pca', data);
  if (!Number.isInteger(k) || k < 1) throw new FigureInputError(`pca: k must be a positive integer, got ${k}`);
  const n = data.length;
  const mean = new Float64Array(d);
  for (const row of data) row.forEach((v, j) => (mean[j] = (mean[j] as number) + v / n));
  const x = data.map((row) => row.map((v, j) => v - (mean[j] as number)));
  const kk = Math.min(k, n, d);
  const scores = Array.from({ length: n }, () => new Array<number>(kk).fill(0));
  if (d <= n) {
    const c = new Float64Array(d * d);
    for (const row of x) for (let i = 0; i < d; i += 1) for (let j = i; j < d; j += 1) c[i * d + j] = (c[i * d + j] as number) + (row[i] as number) * (row[j] as number);
    for (let i = 0; i < d; i += 1) for (let j = 0; j < i; j += 1) c[i * d + j] = c[j * d + i] as number;
    const { vectors } = symmetricEigenDecomposition(c, d);
    for (let a = 0; a < kk; a += 1) {
      let big = 0;
      for (let j = 0; j < d; j += 1) if (Math.abs(vectors[j * d + a] as number) > Math.abs(big)) big = vectors[j * d + a] as number;
      const sign = big < 0 ? -1 : 1;
      x.forEach((row, r) => {
        let s = 0;
        for (let j = 0; j < d; j += 1) s += (row[j] as number) * (vectors[j * d + a] as number);
        (scores[r] as number[])[a] = sign * s;
      });
    }
  } else {
    const g = new Float64Array(n * n);
    for (let i = 0; i < n; i += 1) {
      for (let j = i; j < n; j += 1) {
        let s = 0;
        const xi = x[i] as number[];
        const xj = x[j] as number[];
        for (let t = 0; t < d; t += 1) s += (xi[t] as number) * (xj[t] as number);
        g[i * n + j] = s;
        g[j * n + i] = s;
      }
    }
    const { values, vectors } = symmetricEigenDecomposition(g, n);
    for (let a = 0; a < kk; a += 1) {
      const sv = Math.sqrt(Math.max(0, values[a] as number));
      // Loading of axis a is Xᵀu / s; fix its sign like the covariance branch.
      let big = 0;
      for (let j = 0; j < d; j += 1) {
        let l = 0;
        for (let r = 0; r < n; r += 1) l += ((x[r] as number[])[j] as number) * (vectors[r * n + a] as number);
        if (Math.abs(l) > Math.abs(big)) big = l;
      }
      const sign = big < 0 ? -1 : 1;
      for (let r = 0; r < n; r += 1) (scores[r] as number[])[a] = sign * sv * (vectors[r * n + a] as number);
    }
  }
  return scores;
}

/** Options of {@link tsne}. */
export interface TsneOptions {
  /** Perplexity (effective number of neighbours); must be < number of points. Default 30 (papers). */
  perplexity?: number;
  /** Gradient-descent learning rate. Default 200 (papers). */
  learningRate?: number;
  /** Iterations. Default 1000. */
  iterations?: number;
  /** PCA dimensions applied first when the data have more. Default 50 (papers). */
  pcaDimensions?: number;
  /** Early exaggeration factor. Default 12. */
  earlyExaggeration?: number;
  /** Iterations with early exaggeration (and momentum 0.5). Default 250. */
  exaggerationIterations?: number;
  /** Output dimensions. Default 2. */
  dimensions?: number;
  /** Seed of the initial layout. Default 0. */
  seed?: number;
}

/** Row i of the conditional affinities, with the precision found by bisection on the entropy. */
function conditionalRow(dist: Float64Array, n: number, i: number, logPerplexity: number, out: Float64Array): void {
  let beta = 1;
  let lo = 0;
  let hi = Number.POSITIVE_INFINITY;
  // Distances relative to the nearest neighbour keep exp() in range.
  let dmin = Number.POSITIVE_INFINITY;
  for (let j = 0; j < n; j += 1) if (j !== i) dmin = Math.min(dmin, dist[i * n + j] as number);
  for (let iter = 0; iter < 200; iter += 1) {
    let sum = 0;
    let weighted = 0;
    for (let j = 0; j < n; j += 1) {
      if (j === i) {
        out[j] = 0;
        continue;
      }
      const dj = (dist[i * n + j] as number) - dmin;
      const p = Math.exp(-dj * beta);
      out[j] = p;
      sum += p;
      weighted += dj * p;
    }
    const entropy = Math.log(sum) + (beta * weighted) / sum;
    for (let j = 0; j < n; j += 1) out[j] = (out[j] as number) / sum;
    const diff = entropy - logPerplexity;
    if (Math.abs(diff) < 1e-5) return;
    if (diff > 0) {
      lo = beta;
      beta = hi === Number.POSITIVE_INFINITY ? beta * 2 : (beta + hi) / 2;
    } else {
      hi = beta;
      beta = (beta + lo) / 2;
    }
  }
}

/**
 * Exact t-SNE (van der Maaten & Hinton, 2008) with the papers' settings: PCA to 50 dimensions first,
 * perplexity 30, learning rate 200; early exaggeration 12 for 250 iterations with momentum 0.5, then
 * momentum 0.8, per-coordinate adaptive gains, 1000 iterations. O(n²) memory and time per iteration —
 * meant for the few hundred to few thousand slices of the papers' figures. Seeded: the same input and
 * seed give the same layout.
 *
 * @param data - n points of d coordinates (e.g. 512-d bottleneck embeddings).
 * @returns n rows of `dimensions` coordinates.
 * @throws {@link FigureInputError} for empty, ragged or non-finite data, fewer than 3 points, or a
 *   perplexity not below the number of points.
 */
export function tsne(data: readonly (readonly number[])[], options: TsneOptions = {}): number[][] {
  const d0 = checkMatrix('tsne', data);
  const n = data.length;
  const {
    perplexity = 30,
    learningRate = 200,
    iterations = 1000,
    pcaDimensions = 50,
    earlyExaggeration = 12,
    exaggerationIterations = 250,
    dimensions = 2,
    seed = 0,
  } = options;
  if (n < 3) throw new FigureInputError(`tsne: need at least 3 points, got ${n}`);
  if (!(perplexity > 0 && perplexity < n)) throw new FigureInputError(`tsne: perplexity must be in (0, ${n}) for ${n} points, got ${perplexity}`);
  if (!(learningRate > 0)) throw new FigureInputError(`tsne: learningRate must be positive, got ${learningRate}`);
  if (!Number.isInteger(dimensions) || dimensions < 1) throw new FigureInputError(`tsne: dimensions must be a positive integer, got ${dimensions}`);
  const x = d0 > pcaDimensions ? pca(data, pcaDimensions) : data.map((r) => [...r]);
  const d = (x[0] as number[]).length;

  const dist = new Float64Array(n * n);
  for (let i = 0; i < n; i += 1) {
    for (let j = i + 1; j < n; j += 1) {
      let s = 0;
      for (let t = 0; t < d; t += 1) s += (((x[i] as number[])[t] as number) - ((x[j] as number[])[t] as number)) ** 2;
      dist[i * n + j] = s;
      dist[j * n + i] = s;
    }
  }
  const cond = new Float64Array(n * n);
  const row = new Float64Array(n);
  const logPerp = Math.log(perplexity);
  for (let i = 0; i < n; i += 1) {
    conditionalRow(dist, n, i, logPerp, row);
    cond.set(row, i * n);
  }
  const p = new Float64Array(n * n);
  for (let i = 0; i < n; i += 1) {
    for (let j = 0; j < n; j += 1) p[i * n + j] = Math.max(((cond[i * n + j] as number) + (cond[j * n + i] as number)) / (2 * n), 1e-12);
    p[i * n + i] = 0;
  }

  const rng = new SeededRandom(seed);
  const y = new Float64Array(n * dimensions);
  for (let k = 0; k < y.length; k += 1) y[k] = 1e-4 * rng.normal();
  const update = new Float64Array(n * dimensions);
  const gains = new Float64Array(n * dimensions).fill(1);
  const grad = new Float64Array(n * dimensions);
  const num = new Float64Array(n * n);
  for (let it = 0; it < iterations; it += 1) {
    const exaggeration = it < exaggerationIterations ? earlyExaggeration : 1;
    const momentum = it < exaggerationIterations ? 0.5 : 0.8;
    let sumQ = 0;
    for (let i = 0; i < n; i += 1) {
      for (let j = i + 1; j < n; j += 1) {
        let s = 0;
        for (let t = 0; t < dimensions; t += 1) s += ((y[i * dimensions + t] as number) - (y[j * dimensions + t] as number)) ** 2;
        const q = 1 / (1 + s);
        num[i * n + j] = q;
        num[j * n + i] = q;
        sumQ += 2 * q;
      }
    }
    grad.fill(0);
    for (let i = 0; i < n; i += 1) {
      for (let j = 0; j < n; j += 1) {
        if (i === j) continue;
        const q = num[i * n + j] as number;
        const mult = 4 * (exaggeration * (p[i * n + j] as number) - q / sumQ) * q;
        for (let t = 0; t < dimensions; t += 1) {
          grad[i * dimensions + t] = (grad[i * dimensions + t] as number) + mult * ((y[i * dimensions + t] as number) - (y[j * dimensions + t] as number));
        }
      }
    }
    for (let k = 0; k < y.length; k += 1) {
      const g = grad[k] as number;
      const u = update[k] as number;
      gains[k] = Math.max(0.01, Math.sign(g) !== Math.sign(u) ? (gains[k] as number) + 0.2 : (gains[k] as number) * 0.8);
      update[k] = momentum * u - learningRate * (gains[k] as number) * g;
      y[k] = (y[k] as number) + (update[k] as number);
    }
    for (let t = 0; t < dimensions; t += 1) {
      let mean = 0;
      for (let i = 0; i < n; i += 1) mean += (y[i * dimensions + t] as number) / n;
      for (let i = 0; i < n; i += 1) y[i * dimensions + t] = (y[i * dimensions + t] as number) - mean;
    }
  }
  return Array.from({ length: n }, (_, i) => Array.from(y.subarray(i * dimensions, (i + 1) * dimensions)));
}
