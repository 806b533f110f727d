/**
 * In-plane resampling tables with half-pixel centres (target pixel t sits at source position
 * (t + 0.5)·n/N − 0.5) and edge clamping — the convention of `tf.image.resizeBilinear` with
 * `halfPixelCenters: true`, so a slice downsampled to 256×256 and resampled back lands on its grid.
 */
export interface LinearTable {
  /** Lower source index of each target position. */
  readonly i0: Int32Array;
  /** Upper source index (= i0 at the edge). */
  readonly i1: Int32Array;
  /** Weight of the upper index, in [0, 1). */
  readonly w: Float64Array;
}

/** Nearest source index of each of the `target` positions, for a source of length `source`. */
export function nearestTable(source: number, target: number): Int32Array {
  const t = new Int32Array(target);
  const scale = source / target;
  for (let i = 0; i < target; i++) t[i] = Math.min(source - 1, Math.floor((i + 0.5) * scale));
  return t;
}

/** Linear interpolation table from `source` samples to `target` samples. */
export function linearTable(source: number, target: number): LinearTable {
  const i0 = new Int32Array(target);
  const i1 = new Int32Array(target);
  const w = new Float64Array(target);
  const scale = source / target;
  for (let i = 0; i < target; i++) {
    const pos = Math.min(source - 1, Math.max(0, (i + 0.5) * scale - 0.5));
    const lo = Math.floor(pos);
    i0[i] = lo;
    i1[i] = Math.min(source - 1, lo + 1);
    w[i] = pos - lo;
  }
  return { i0, i1, w };
}
