/** Eigen-decomposition of a real symmetric matrix. */
export interface SymmetricEigen {
  /** Eigenvalues, descending. */
  readonly values: Float64Array;
  /** Eigenvectors as rows: `vectors[i]` belongs to `values[i]`, unit length. */
  readonly vectors: Float64Array[];
}

/**
 * Cyclic Jacobi eigen-solver for a real symmetric `n×n` matrix (row-major, only symmetry is assumed, not
 * checked beyond using the upper triangle). Rotations annihilate each off-diagonal entry in turn until the
 * off-diagonal Frobenius norm is below `1e-15` relative to the matrix norm (or 100 sweeps). O(n³) per
 * sweep: meant for the small matrices of shape models (Gram or covariance matrices up to a few hundred).
 *
 * @param matrix - `n·n` numbers, row-major.
 * @param n - the order.
 * @returns eigenvalues in descending order and matching unit eigenvectors (signs as they come; callers fix them).
 */
export function symmetricEigen(matrix: ArrayLike<number>, n: number): SymmetricEigen {
  const a = new Float64Array(n * n);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) a[i * n + j] = matrix[Math.min(i, j) * n + Math.max(i, j)] as number;
  const v = new Float64Array(n * n);
  for (let i = 0; i < n; i++) v[i * n + i] = 1;
  let total = 0;
  for (let i = 0; i < n * n; i++) total += (a[i] as number) ** 2;
  const threshold = 1e-30 * Math.max(total, Number.MIN_VALUE);
  for (let sweep = 0; sweep < 100; sweep++) {
    let off = 0;
    for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) off += 2 * (a[i * n + j] as number) ** 2;
    if (off <= threshold) break;
    for (let p = 0; p < n; p++) {
      for (let q = p + 1; q < n; q++) {
        const apq = a[p * n + q] as number;
        if (apq === 0) continue;
        const app = a[p * n + p] as number;
        const aqq = a[q * n + q] as number;
        // Stable rotation (Golub & Van Loan §8.5.2): t = tan θ, the smaller root.
        const tau = (aqq - app) / (2 * apq);
        const t = Math.sign(tau || 1) / (Math.abs(tau) + Math.sqrt(1 + tau * tau));
        const c = 1 / Math.sqrt(1 + t * t);
        const s = t * c;
        for (let k = 0; k < n; k++) {
          const akp = a[k * n + p] as number;
          const akq = a[k * n + q] as number;
          a[k * n + p] = c * akp - s * akq;
          a[k * n + q] = s * akp + c * akq;
        }
        for (let k = 0; k < n; k++) {
          const apk = a[p * n + k] as number;
          const aqk = a[q * n + k] as number;
          a[p * n + k] = c * apk - s * aqk;
          a[q * n + k] = s * apk + c * aqk;
        }
        for (let k = 0; k < n; k++) {
          const vkp = v[k * n + p] as number;
          const vkq = v[k * n + q] as number;
          v[k * n + p] = c * vkp - s * vkq;
          v[k * n + q] = s * vkp + c * vkq;
        }
      }
    }
  }
  const order = Array.from({ length: n }, (_, i) => i).sort((i, j) => (a[j * n + j] as number) - (a[i * n + i] as number));
  const values = Float64Array.from(order, (i) => a[i * n + i] as number);
  const vectors = order.map((i) => Float64Array.from({ length: n }, (_, k) => v[k * n + i] as number));
  return { values, vectors };
}
