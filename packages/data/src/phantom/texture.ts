/**
 * Cheap smooth random fields on a voxel grid: sums of separable products of cosines,
 * T(x, y, z) = Σ_k a_k · cos(ω_kx·x + φ_kx) · cos(ω_ky·y + φ_ky) · cos(ω_kz·z + φ_kz), with per-axis
 * tables so that a value costs three lookups per term. Used for the bias field, marrow and muscle
 * texture.
 */
import type { Rng } from '../random.js';

/** A separable smooth field over a grid (see the module notes). */
export class SmoothField {
  private readonly tables: Float64Array[][];
  private readonly amplitudes: number[];

  /**
   * @param rng - randomness for frequencies and phases.
   * @param axes - world coordinates of the grid along x, y, z (mm).
   * @param terms - number of separable terms.
   * @param wavelength - [min, max] wavelength (mm).
   */
  constructor(rng: Rng, axes: readonly Float64Array[], terms: number, wavelength: readonly [number, number]) {
    this.tables = [];
    this.amplitudes = [];
    for (let k = 0; k < terms; k += 1) {
      const perAxis: Float64Array[] = [];
      for (const coords of axes) {
        const w = (2 * Math.PI) / rng.uniform(wavelength[0], wavelength[1]);
        const phi = rng.uniform(0, 2 * Math.PI);
        const t = new Float64Array(coords.length);
        for (let i = 0; i < coords.length; i += 1) t[i] = Math.cos(w * coords[i]! + phi);
        perAxis.push(t);
      }
      this.tables.push(perAxis);
      this.amplitudes.push(rng.uniform(0.5, 1) / terms);
    }
  }

  /** Value at voxel (i, j, k), in about [−1, 1]. */
  at(i: number, j: number, k: number): number {
    let s = 0;
    for (let t = 0; t < this.tables.length; t += 1) {
      const tb = this.tables[t]!;
      s += this.amplitudes[t]! * tb[0]![i]! * tb[1]![j]! * tb[2]![k]!;
    }
    return s;
  }
}
