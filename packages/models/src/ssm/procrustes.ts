import { ShapeModelError } from '../errors.js';
import { symmetricEigen } from './jacobi.js';

/** A similarity transform `y = scale · R · x + translation` acting on column vectors. */
export interface SimilarityTransform {
  /** Isotropic scale factor (1 without scaling). */
  readonly scale: number;
  /** Rotation R, `d×d` row-major, proper (det +1). */
  readonly rotation: Float64Array;
  /** Translation, d numbers. */
  readonly translation: Float64Array;
}

/** Options of {@link generalizedProcrustes}. */
export interface ProcrustesOptions {
  /** Remove scale as well as translation and rotation (default true). */
  scaling?: boolean;
  /** Maximum number of mean updates (default 100). */
  maxIterations?: number;
  /** Convergence threshold on the Euclidean change of the mean shape (default 1e-10). */
  tolerance?: number;
}

/** Result of {@link generalizedProcrustes}. */
export interface ProcrustesResult {
  /** The aligned shapes, landmark-major like the input. */
  readonly aligned: Float64Array[];
  /** The mean of the aligned shapes (centred; unit centroid size when scaling). */
  readonly mean: Float64Array;
  /** Per input shape, the transform mapping it onto its aligned version. */
  readonly transforms: SimilarityTransform[];
  /** Mean updates performed. */
  readonly iterations: number;
  /** Whether the mean changed by less than `tolerance` before `maxIterations`. */
  readonly converged: boolean;
}

/** @internal Validates landmark sets: same length, a multiple of dims, finite. Returns L. */
export function checkShapes(shapes: ReadonlyArray<ArrayLike<number>>, dims: number, where: string, min = 1): number {
  if (dims !== 2 && dims !== 3) throw new ShapeModelError(`${where}: dims must be 2 or 3, got ${String(dims)}`);
  if (!Array.isArray(shapes) || shapes.length < min) {
    throw new ShapeModelError(`${where}: need at least ${min} landmark set(s), got ${Array.isArray(shapes) ? shapes.length : String(shapes)}`);
  }
  const n = (shapes[0] as ArrayLike<number>).length;
  if (n === 0 || n % dims !== 0) throw new ShapeModelError(`${where}: a landmark set must hold L·${dims} numbers, got ${n}`);
  shapes.forEach((s, i) => {
    if (s.length !== n) throw new ShapeModelError(`${where}: landmark set ${i} has ${s.length} numbers, set 0 has ${n}`);
    for (let j = 0; j < n; j++) {
      if (!Number.isFinite(s[j] as number)) throw new ShapeModelError(`${where}: landmark set ${i} has a non-finite coordinate at ${j}`);
    }
  });
  return n / dims;
}

/** Centroid of a landmark-major shape. */
function centroid(x: ArrayLike<number>, d: number): Float64Array {
  const c = new Float64Array(d);
  const L = x.length / d;
  for (let l = 0; l < L; l++) for (let a = 0; a < d; a++) c[a] = (c[a] as number) + (x[l * d + a] as number) / L;
  return c;
}

function norm(x: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < x.length; i++) s += (x[i] as number) ** 2;
  return Math.sqrt(s);
}

/** Applies `y = s·R·x + t` to every landmark. */
export function applySimilarity(x: ArrayLike<number>, t: SimilarityTransform, dims: 2 | 3): Float64Array {
  const d = dims;
  const out = new Float64Array(x.length);
  for (let l = 0; l < x.length / d; l++) {
    for (let a = 0; a < d; a++) {
      let v = 0;
      for (let b = 0; b < d; b++) v += (t.rotation[a * d + b] as number) * (x[l * d + b] as number);
      out[l * d + a] = t.scale * v + (t.translation[a] as number);
    }
  }
  return out;
}

/**
 * Optimal rotation R (det +1) and scale s minimizing `Σ_l |s·R·x_l − y_l|²` for centred shapes x, y.
 * 2D: closed form, θ = atan2(Σ x×y, Σ x·y). 3D: Horn's unit-quaternion method (the eigenvector of the
 * largest eigenvalue of a 4×4 symmetric matrix), which never returns a reflection.
 */
function optimalRotation(x: ArrayLike<number>, y: ArrayLike<number>, d: 2 | 3): { rotation: Float64Array; scale: number } {
  const L = x.length / d;
  let xx = 0;
  for (let i = 0; i < x.length; i++) xx += (x[i] as number) ** 2;
  const m = new Float64Array(d * d); // m[a][b] = Σ x_a y_b
  for (let l = 0; l < L; l++) for (let a = 0; a < d; a++) for (let b = 0; b < d; b++) m[a * d + b] = (m[a * d + b] as number) + (x[l * d + a] as number) * (y[l * d + b] as number);
  let rotation: Float64Array;
  if (d === 2) {
    const [sxx, sxy, syx, syy] = m as unknown as [number, number, number, number];
    const theta = Math.atan2(sxy - syx, sxx + syy);
    const c = Math.cos(theta);
    const s = Math.sin(theta);
    rotation = Float64Array.of(c, -s, s, c);
  } else {
    const S = (a: number, b: number) => m[a * 3 + b] as number;
    const [Sxx, Sxy, Sxz, Syx, Syy, Syz, Szx, Szy, Szz] = [S(0, 0), S(0, 1), S(0, 2), S(1, 0), S(1, 1), S(1, 2), S(2, 0), S(2, 1), S(2, 2)];
    const N = [
      Sxx + Syy + Szz, Syz - Szy, Szx - Sxz, Sxy - Syx,
      Syz - Szy, Sxx - Syy - Szz, Sxy + Syx, Szx + Sxz,
      Szx - Sxz, Sxy + Syx, -Sxx + Syy - Szz, Syz + Szy,
      Sxy - Syx, Szx + Sxz, Syz + Szy, -Sxx - Syy + Szz,
    ];
    const [q0, q1, q2, q3] = symmetricEigen(N, 4).vectors[0] as unknown as [number, number, number, number];
    rotation = Float64Array.of(
      q0 * q0 + q1 * q1 - q2 * q2 - q3 * q3, 2 * (q1 * q2 - q0 * q3), 2 * (q1 * q3 + q0 * q2),
      2 * (q2 * q1 + q0 * q3), q0 * q0 - q1 * q1 + q2 * q2 - q3 * q3, 2 * (q2 * q3 - q0 * q1),
      2 * (q3 * q1 - q0 * q2), 2 * (q3 * q2 + q0 * q1), q0 * q0 - q1 * q1 - q2 * q2 + q3 * q3,
    );
  }
  // s = Σ y · (R x) / Σ |x|²
  let yrx = 0;
  for (let a = 0; a < d; a++) for (let b = 0; b < d; b++) yrx += (rotation[a * d + b] as number) * (m[b * d + a] as number);
  return { rotation, scale: xx > 0 ? yrx / xx : 1 };
}

/**
 * Ordinary Procrustes: the similarity transform (translation, proper rotation and, with `scaling`, isotropic
 * scale) that best maps `shape` onto `reference` in the least-squares sense, `y ≈ s·R·x + t`.
 *
 * @param shape - landmark-major coordinates `[x0, y0(, z0), x1, …]`.
 * @param reference - the target, same layout and size.
 * @param dims - 2 or 3.
 * @param scaling - estimate the scale (default true); otherwise s = 1.
 * @throws {@link ShapeModelError} for mismatched or non-finite landmark sets.
 */
export function procrustesAlign(shape: ArrayLike<number>, reference: ArrayLike<number>, dims: 2 | 3, scaling = true): { aligned: Float64Array; transform: SimilarityTransform } {
  checkShapes([shape, reference], dims, 'procrustesAlign');
  const d = dims;
  const cx = centroid(shape, d);
  const cy = centroid(reference, d);
  const x = Float64Array.from(shape as ArrayLike<number>, (v, i) => v - (cx[i % d] as number));
  const y = Float64Array.from(reference as ArrayLike<number>, (v, i) => v - (cy[i % d] as number));
  const { rotation, scale: s } = optimalRotation(x, y, d);
  const scale = scaling ? s : 1;
  const translation = new Float64Array(d);
  for (let a = 0; a < d; a++) {
    let rc = 0;
    for (let b = 0; b < d; b++) rc += (rotation[a * d + b] as number) * (cx[b] as number);
    translation[a] = (cy[a] as number) - scale * rc;
  }
  const transform = { scale, rotation, translation };
  return { aligned: applySimilarity(shape, transform, d), transform };
}

/**
 * Generalized Procrustes analysis (Gower 1975) of corresponding landmark sets, as used to build the shape
 * fitting paper's statistical shape model:
 *
 * 1. every shape is centred (and, with `scaling`, divided by its centroid size, the Frobenius norm of its
 *    centred coordinates); the first shape is the initial mean and fixes the orientation;
 * 2. every shape is aligned (rotation, and scale when `scaling`) to the current mean;
 * 3. the new mean is the average of the aligned shapes, centred, rescaled to unit size (with `scaling`) and
 *    rotated onto the first shape's orientation;
 * 4. repeat 2-3 until the mean moves by less than `tolerance`.
 *
 * The returned transforms map each original shape to its aligned version.
 *
 * @param shapes - at least 2 landmark sets of equal size, landmark-major.
 * @param dims - 2 or 3.
 * @throws {@link ShapeModelError} for too few, mismatched, non-finite or degenerate (zero-size) shapes.
 */
export function generalizedProcrustes(shapes: ReadonlyArray<ArrayLike<number>>, dims: 2 | 3, options: ProcrustesOptions = {}): ProcrustesResult {
  const L = checkShapes(shapes, dims, 'generalizedProcrustes', 2);
  const d = dims;
  const scaling = options.scaling ?? true;
  const maxIterations = options.maxIterations ?? 100;
  const tolerance = options.tolerance ?? 1e-10;
  const centred = shapes.map((s, i) => {
    const c = centroid(s, d);
    const x = Float64Array.from(s as ArrayLike<number>, (v, j) => v - (c[j % d] as number));
    const size = norm(x);
    if (!(size > 0)) throw new ShapeModelError(`generalizedProcrustes: landmark set ${i} is degenerate (all ${L} landmarks coincide)`);
    if (scaling) x.forEach((v, j) => (x[j] = v / size));
    return x;
  });
  const reference = centred[0] as Float64Array;
  let mean: Float64Array = Float64Array.from(reference);
  let aligned: Float64Array[] = centred;
  let iterations = 0;
  let converged = false;
  while (iterations < maxIterations) {
    iterations++;
    aligned = centred.map((x) => {
      const { rotation, scale } = optimalRotation(x, mean, d);
      return applySimilarity(x, { rotation, scale: scaling ? scale : 1, translation: new Float64Array(d) }, d);
    });
    let next: Float64Array = new Float64Array(L * d);
    for (const x of aligned) x.forEach((v, j) => (next[j] = (next[j] as number) + v / aligned.length));
    if (scaling) {
      const size = norm(next);
      next = next.map((v) => v / size);
    }
    const { rotation } = optimalRotation(next, reference, d);
    next = applySimilarity(next, { rotation, scale: 1, translation: new Float64Array(d) }, d);
    let change = 0;
    next.forEach((v, j) => (change += (v - (mean[j] as number)) ** 2));
    mean = next;
    if (Math.sqrt(change) < tolerance) {
      converged = true;
      break;
    }
  }
  aligned = centred.map((x) => {
    const { rotation, scale } = optimalRotation(x, mean, d);
    return applySimilarity(x, { rotation, scale: scaling ? scale : 1, translation: new Float64Array(d) }, d);
  });
  const transforms = shapes.map((s, i) => procrustesAlign(s, aligned[i] as Float64Array, d, scaling).transform);
  return { aligned, mean, transforms, iterations, converged };
}
