/**
 * Sum in numpy's pairwise order (`np.sum` of a float64 array: blocks of up to 128 summed with eight
 * interleaved accumulators, larger ranges split in halves at a multiple of 8). Reproducing it keeps
 * the `element` convention's percentile and averages identical to surface-distance's to the last bit
 * where a cumulative fraction lands exactly on the percentile.
 */
export function pairwiseSum(values: Float64Array, start = 0, end = values.length): number {
  const n = end - start;
  if (n < 8) {
    let s = -0;
    for (let i = start; i < end; i++) s += values[i]!;
    return s;
  }
  if (n <= 128) {
    let r0 = values[start]!;
    let r1 = values[start + 1]!;
    let r2 = values[start + 2]!;
    let r3 = values[start + 3]!;
    let r4 = values[start + 4]!;
    let r5 = values[start + 5]!;
    let r6 = values[start + 6]!;
    let r7 = values[start + 7]!;
    let i = 8;
    for (; i < n - (n % 8); i += 8) {
      const o = start + i;
      r0 += values[o]!;
      r1 += values[o + 1]!;
      r2 += values[o + 2]!;
      r3 += values[o + 3]!;
      r4 += values[o + 4]!;
      r5 += values[o + 5]!;
      r6 += values[o + 6]!;
      r7 += values[o + 7]!;
    }
    let s = r0 + r1 + (r2 + r3) + (r4 + r5 + (r6 + r7));
    for (; i < n; i++) s += values[start + i]!;
    return s;
  }
  let half = Math.floor(n / 2);
  half -= half % 8;
  return pairwiseSum(values, start, start + half) + pairwiseSum(values, start + half, end);
}

/**
 * Percentile of ascending `sorted` values with linear interpolation between closest ranks (numpy's
 * default `method='linear'`): position (n − 1)·q, q = percent / 100.
 */
export function linearPercentile(sorted: Float64Array, percent: number): number {
  const n = sorted.length;
  if (n === 0) return Infinity;
  const position = ((n - 1) * percent) / 100;
  const below = Math.floor(position);
  const above = Math.min(below + 1, n - 1);
  const t = position - below;
  const a = sorted[below]!;
  const b = sorted[above]!;
  if (a === b) return a;
  const diff = b - a;
  // numpy's _lerp: interpolate from the nearer end, so the result stays monotone in t.
  return t >= 0.5 ? b - diff * (1 - t) : a + diff * t;
}

/**
 * surface-distance's area-weighted percentile: the distance of the first surface element whose
 * cumulative area fraction (running sum / total) reaches percent / 100 (`np.searchsorted`, left side),
 * the last element if none does.
 */
export function areaWeightedPercentile(distances: Float64Array, areas: Float64Array, percent: number): number {
  const n = distances.length;
  if (n === 0) return Infinity;
  const total = pairwiseSum(areas);
  const target = percent / 100;
  let running = 0;
  for (let i = 0; i < n; i++) {
    running += areas[i]!;
    if (running / total >= target) return distances[i]!;
  }
  return distances[n - 1]!;
}
