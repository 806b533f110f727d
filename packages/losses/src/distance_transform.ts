// Exact squared Euclidean distance transform (Felzenszwalb & Huttenlocher's separable lower-envelope
// algorithm), one pass per axis, with anisotropic spacing. Row-major layout (last axis fastest), as
// tfjs stores tensors. Internal to the boundary-weighted loss.

function transformLine(f: Float64Array, n: number, h: number, d: Float64Array, v: Int32Array, z: Float64Array): void {
  // f: input squared distances along the line (Infinity = no feature); d: output.
  let k = -1;
  for (let q = 0; q < n; q++) {
    const fq = f[q] as number;
    if (fq === Infinity) continue;
    const pq = q * h;
    while (k >= 0) {
      const vk = v[k] as number;
      const pv = vk * h;
      const s = (fq + pq * pq - ((f[vk] as number) + pv * pv)) / (2 * (pq - pv));
      if (s <= (z[k] as number)) k--;
      else {
        k++;
        v[k] = q;
        z[k] = s;
        break;
      }
    }
    if (k < 0) {
      k = 0;
      v[0] = q;
      z[0] = -Infinity;
    }
    z[k + 1] = Infinity;
  }
  if (k < 0) {
    d.fill(Infinity, 0, n);
    return;
  }
  let j = 0;
  for (let q = 0; q < n; q++) {
    const pq = q * h;
    while ((z[j + 1] as number) < pq) j++;
    const vj = v[j] as number;
    const diff = pq - vj * h;
    d[q] = diff * diff + (f[vj] as number);
  }
}

/**
 * Squared distance from every element to the nearest feature element (`feature[i] = 1`), in the units
 * of `spacing`. Elements of a grid without any feature get Infinity.
 */
export function squaredDistanceToFeatures(feature: Uint8Array, shape: readonly number[], spacing: readonly number[]): Float64Array {
  const size = feature.length;
  const out = new Float64Array(size);
  for (let i = 0; i < size; i++) out[i] = feature[i] ? 0 : Infinity;
  const maxLen = Math.max(1, ...shape);
  const f = new Float64Array(maxLen);
  const d = new Float64Array(maxLen);
  const v = new Int32Array(maxLen);
  const z = new Float64Array(maxLen + 1);
  let stride = 1;
  for (let axis = shape.length - 1; axis >= 0; axis--) {
    const n = shape[axis] as number;
    const h = spacing[axis] as number;
    const block = stride * n;
    for (let outer = 0; outer < size; outer += block) {
      for (let inner = 0; inner < stride; inner++) {
        const base = outer + inner;
        for (let q = 0; q < n; q++) f[q] = out[base + q * stride] as number;
        transformLine(f, n, h, d, v, z);
        for (let q = 0; q < n; q++) out[base + q * stride] = d[q] as number;
      }
    }
    stride = block;
  }
  return out;
}

/**
 * Marks label-boundary elements: an element is on the boundary when one of its face neighbours
 * (inside the grid) carries a different label.
 */
export function labelBoundary(labels: ArrayLike<number>, shape: readonly number[]): Uint8Array {
  const size = labels.length;
  const boundary = new Uint8Array(size);
  let stride = 1;
  for (let axis = shape.length - 1; axis >= 0; axis--) {
    const n = shape[axis] as number;
    for (let i = 0; i < size; i++) {
      const coord = Math.floor(i / stride) % n;
      if (coord + 1 < n && labels[i] !== labels[i + stride]) {
        boundary[i] = 1;
        boundary[i + stride] = 1;
      }
    }
    stride *= n;
  }
  return boundary;
}
