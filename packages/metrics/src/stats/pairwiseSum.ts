/**
 * Sum of `values[start..end)` in numpy's pairwise order (8 accumulators for blocks up to 128, halving
 * above), so sums that go through `1 − Σ` reproduce scipy's rounding bit for bit.
 */
export function pairwiseSum(values: Float64Array, start: number, end: number): number {
  const n = end - start;
  if (n < 8) {
    let s = 0;
    for (let i = start; i < end; i += 1) s += values[i] as number;
    return s;
  }
  if (n <= 128) {
    const r = new Float64Array(8);
    for (let k = 0; k < 8; k += 1) r[k] = values[start + k] as number;
    let i = 8;
    for (; i < n - (n % 8); i += 8) {
      for (let k = 0; k < 8; k += 1) r[k] = (r[k] as number) + (values[start + i + k] as number);
    }
    const [r0, r1, r2, r3, r4, r5, r6, r7] = r as unknown as [number, number, number, number, number, number, number, number];
    let s = (r0 + r1 + (r2 + r3)) + (r4 + r5 + (r6 + r7));
    for (; i < n; i += 1) s += values[start + i] as number;
    return s;
  }
  let half = Math.floor(n / 2);
  half -= half % 8;
  return pairwiseSum(values, start, start + half) + pairwiseSum(values, start + half, end);
}
