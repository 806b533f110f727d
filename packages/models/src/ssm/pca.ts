import { ShapeModelError } from '../errors.js';
import { symmetricEigen } from './jacobi.js';
import { checkShapes } from './procrustes.js';

/** Options of {@link PcaShapeModel.fit}. */
export interface PcaFitOptions {
  /** Keep exactly this many components (≤ min(n − 1, L·d)). */
  numComponents?: number;
  /**
   * Keep the fewest components whose cumulative explained-variance ratio reaches this fraction in (0, 1]
   * (default 1: every component with non-zero variance). Ignored when `numComponents` is given.
   */
  explainedVariance?: number;
}

/** JSON form of a {@link PcaShapeModel} (`PcaShapeModel.toJSON` / `PcaShapeModel.fromJSON`). */
export interface PcaShapeModelJSON {
  /** Format tag, `pedseg-pca-shape-model`. */
  readonly format: 'pedseg-pca-shape-model';
  /** Format version, 1. */
  readonly version: 1;
  /** 2 or 3. */
  readonly dims: 2 | 3;
  /** Number of landmarks L. */
  readonly numLandmarks: number;
  /** Mean shape, L·d numbers. */
  readonly mean: number[];
  /** Components, each L·d numbers. */
  readonly components: number[][];
  /** Variance along each kept component. */
  readonly variances: number[];
  /** Total variance of the training shapes (sum over all components). */
  readonly totalVariance: number;
}

const FORMAT = 'pedseg-pca-shape-model';

/**
 * Point distribution model: PCA of corresponding landmark sets (usually Procrustes-aligned first, see
 * {@link generalizedProcrustes}). A shape is `x ≈ mean + Σ_m b_m · c_m`.
 *
 * Conventions: variances use the unbiased `n − 1` denominator (numpy `np.cov`, scikit-learn
 * `explained_variance_`); components are orthonormal, sorted by decreasing variance, and **signed so that
 * each component's entry of largest absolute value is positive** (the first such entry on ties).
 * Layout is landmark-major (`[x0, y0(, z0), x1, …]`), as `PcaShapeLayer` of @pedseg/core expects, so
 * `{ mean, components }` can be handed to it directly.
 */
export class PcaShapeModel {
  private constructor(
    /** 2 or 3. */
    readonly dims: 2 | 3,
    /** Mean shape (L·d). */
    readonly mean: Float64Array,
    /** Orthonormal components (each L·d), decreasing variance. */
    readonly components: Float64Array[],
    /** Variance along each component. */
    readonly variances: Float64Array,
    /** Total variance of the training set. */
    readonly totalVariance: number,
  ) {}

  /** Number of landmarks L. */
  get numLandmarks(): number {
    return this.mean.length / this.dims;
  }

  /** Number of kept components M. */
  get numComponents(): number {
    return this.components.length;
  }

  /** Fraction of the total variance explained by each component. */
  get explainedVarianceRatio(): Float64Array {
    return this.variances.map((v) => (this.totalVariance > 0 ? v / this.totalVariance : 0));
  }

  /**
   * Fits the model. The eigen-decomposition runs on whichever of the covariance (p×p, p = L·d) and the Gram
   * matrix (n×n) is smaller, with the Jacobi solver.
   *
   * @param shapes - at least 2 landmark sets, landmark-major.
   * @param dims - 2 or 3.
   * @throws {@link ShapeModelError} for bad shapes or options.
   */
  static fit(shapes: ReadonlyArray<ArrayLike<number>>, dims: 2 | 3, options: PcaFitOptions = {}): PcaShapeModel {
    checkShapes(shapes, dims, 'PcaShapeModel.fit', 2);
    const n = shapes.length;
    const p = (shapes[0] as ArrayLike<number>).length;
    const mean = new Float64Array(p);
    for (const s of shapes) for (let j = 0; j < p; j++) mean[j] = (mean[j] as number) + (s[j] as number) / n;
    const X = shapes.map((s) => Float64Array.from({ length: p }, (_, j) => (s[j] as number) - (mean[j] as number)));
    let values: Float64Array;
    let vectors: Float64Array[];
    if (p <= n) {
      const cov = new Float64Array(p * p);
      for (const x of X) for (let i = 0; i < p; i++) for (let j = i; j < p; j++) cov[i * p + j] = (cov[i * p + j] as number) + ((x[i] as number) * (x[j] as number)) / (n - 1);
      ({ values, vectors } = symmetricEigen(cov, p));
    } else {
      const gram = new Float64Array(n * n);
      for (let a = 0; a < n; a++) {
        for (let b = a; b < n; b++) {
          let s = 0;
          for (let j = 0; j < p; j++) s += (X[a]![j] as number) * (X[b]![j] as number);
          gram[a * n + b] = s / (n - 1);
        }
      }
      const eig = symmetricEigen(gram, n);
      values = eig.values;
      // c = Xᵀu / ‖Xᵀu‖ (‖Xᵀu‖² = (n − 1)·λ).
      vectors = eig.vectors.map((u) => {
        const c = new Float64Array(p);
        X.forEach((x, a) => {
          const w = u[a] as number;
          for (let j = 0; j < p; j++) c[j] = (c[j] as number) + w * (x[j] as number);
        });
        let len = 0;
        for (let j = 0; j < p; j++) len += (c[j] as number) ** 2;
        len = Math.sqrt(len);
        return len > 0 ? c.map((v) => v / len) : c;
      });
    }
    const totalVariance = values.reduce((s, v) => s + Math.max(v, 0), 0);
    const maxRank = Math.min(n - 1, p);
    const scaleTol = 1e-12 * Math.max(values[0] ?? 0, Number.MIN_VALUE);
    const positive = Array.from(values.slice(0, maxRank)).filter((v) => v > scaleTol).length;
    let keep: number;
    if (options.numComponents !== undefined) {
      keep = options.numComponents;
      if (!Number.isInteger(keep) || keep < 0 || keep > maxRank) {
        throw new ShapeModelError(`PcaShapeModel.fit: numComponents must be an integer in [0, ${maxRank}] (min(n − 1, L·d)), got ${String(keep)}`);
      }
    } else {
      const target = options.explainedVariance ?? 1;
      if (!(target > 0 && target <= 1)) throw new ShapeModelError(`PcaShapeModel.fit: explainedVariance must be in (0, 1], got ${String(target)}`);
      keep = positive;
      let cum = 0;
      for (let m = 0; m < positive; m++) {
        cum += (values[m] as number) / totalVariance;
        if (cum >= target - 1e-12) {
          keep = m + 1;
          break;
        }
      }
    }
    const components = vectors.slice(0, keep).map(fixSign);
    return new PcaShapeModel(dims, mean, components, Float64Array.from(values.slice(0, keep), (v) => Math.max(v, 0)), totalVariance);
  }

  /**
   * Shape weights `b = Cᵀ (x − mean)` of a landmark set (in the model's frame: align it first).
   *
   * @throws {@link ShapeModelError} for a landmark set of the wrong size.
   */
  project(shape: ArrayLike<number>): Float64Array {
    this.checkShape(shape, 'project');
    return Float64Array.from(this.components, (c) => {
      let s = 0;
      for (let j = 0; j < c.length; j++) s += (c[j] as number) * ((shape[j] as number) - (this.mean[j] as number));
      return s;
    });
  }

  /**
   * Landmarks `mean + Σ_m b_m c_m` from shape weights (fewer weights than components use the first ones).
   *
   * @throws {@link ShapeModelError} for more weights than components or a non-finite weight.
   */
  reconstruct(weights: ArrayLike<number>): Float64Array {
    if (weights.length > this.numComponents || Array.from(weights).some((w) => !Number.isFinite(w))) {
      throw new ShapeModelError(`PcaShapeModel.reconstruct: expected at most ${this.numComponents} finite weights, got ${weights.length}`);
    }
    const out = Float64Array.from(this.mean);
    for (let m = 0; m < weights.length; m++) {
      const c = this.components[m] as Float64Array;
      const w = weights[m] as number;
      for (let j = 0; j < out.length; j++) out[j] = (out[j] as number) + w * (c[j] as number);
    }
    return out;
  }

  /** A copy keeping only the first `count` components. */
  truncate(count: number): PcaShapeModel {
    if (!Number.isInteger(count) || count < 0 || count > this.numComponents) {
      throw new ShapeModelError(`PcaShapeModel.truncate: count must be an integer in [0, ${this.numComponents}], got ${String(count)}`);
    }
    return new PcaShapeModel(this.dims, this.mean, this.components.slice(0, count), this.variances.slice(0, count), this.totalVariance);
  }

  /** Plain-JSON form (numbers as doubles). */
  toJSON(): PcaShapeModelJSON {
    return {
      format: FORMAT,
      version: 1,
      dims: this.dims,
      numLandmarks: this.numLandmarks,
      mean: Array.from(this.mean),
      components: this.components.map((c) => Array.from(c)),
      variances: Array.from(this.variances),
      totalVariance: this.totalVariance,
    };
  }

  /**
   * Restores a model from {@link PcaShapeModel.toJSON} output (an object or its JSON text).
   *
   * @throws {@link ShapeModelError} for malformed input.
   */
  static fromJSON(json: PcaShapeModelJSON | string): PcaShapeModel {
    let o: unknown;
    try {
      o = typeof json === 'string' ? JSON.parse(json) : json;
    } catch (error) {
      throw new ShapeModelError(`PcaShapeModel.fromJSON: not valid JSON: ${(error as Error).message}`);
    }
    const j = o as Partial<PcaShapeModelJSON> | null;
    if (j == null || j.format !== FORMAT || j.version !== 1) throw new ShapeModelError(`PcaShapeModel.fromJSON: expected format '${FORMAT}' version 1`);
    const dims = j.dims;
    if (dims !== 2 && dims !== 3) throw new ShapeModelError(`PcaShapeModel.fromJSON: dims must be 2 or 3, got ${String(dims)}`);
    const finite = (a: unknown, len: number | null, what: string): Float64Array => {
      if (!Array.isArray(a) || (len != null && a.length !== len) || a.some((v) => typeof v !== 'number' || !Number.isFinite(v))) {
        throw new ShapeModelError(`PcaShapeModel.fromJSON: ${what} must be ${len ?? 'an array of'} finite numbers`);
      }
      return Float64Array.from(a as number[]);
    };
    const p = (j.numLandmarks ?? NaN) * dims;
    if (!Number.isInteger(p) || p <= 0) throw new ShapeModelError(`PcaShapeModel.fromJSON: numLandmarks must be a positive integer`);
    const mean = finite(j.mean, p, 'mean');
    if (!Array.isArray(j.components)) throw new ShapeModelError('PcaShapeModel.fromJSON: components must be an array');
    const components = j.components.map((c, m) => finite(c, p, `components[${m}]`));
    const variances = finite(j.variances, components.length, 'variances');
    const total = j.totalVariance;
    if (typeof total !== 'number' || !Number.isFinite(total) || total < 0) throw new ShapeModelError('PcaShapeModel.fromJSON: totalVariance must be a finite number ≥ 0');
    return new PcaShapeModel(dims, mean, components, variances, total);
  }

  private checkShape(shape: ArrayLike<number>, where: string): void {
    if (shape == null || shape.length !== this.mean.length) {
      throw new ShapeModelError(`PcaShapeModel.${where}: landmark set must hold ${this.mean.length} numbers (L·d), got ${shape?.length}`);
    }
  }
}

/** Sign convention: the entry of largest absolute value is positive (first on ties). */
function fixSign(c: Float64Array): Float64Array {
  let best = 0;
  for (let j = 1; j < c.length; j++) if (Math.abs(c[j] as number) > Math.abs(c[best] as number) + 1e-12) best = j;
  return (c[best] as number) < 0 ? c.map((v) => -v) : c;
}
