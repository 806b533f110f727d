import type { Vec3 } from '@pedseg/volume';

/** O(N²) squared distance from every voxel to the nearest non-zero voxel, in Float64. */
export function bruteForceSquaredDistance(features: ArrayLike<number>, shape: Vec3, spacing: Vec3): Float64Array {
  const [nx, ny, nz] = shape;
  const pts: Array<[number, number, number]> = [];
  for (let z = 0; z < nz; z++)
    for (let y = 0; y < ny; y++)
      for (let x = 0; x < nx; x++) if (features[x + nx * (y + ny * z)] !== 0) pts.push([x, y, z]);
  const out = new Float64Array(nx * ny * nz).fill(Infinity);
  for (let z = 0; z < nz; z++)
    for (let y = 0; y < ny; y++)
      for (let x = 0; x < nx; x++) {
        let best = Infinity;
        for (const [px, py, pz] of pts) {
          const dx = (x - px) * spacing[0];
          const dy = (y - py) * spacing[1];
          const dz = (z - pz) * spacing[2];
          const d = dx * dx + dy * dy + dz * dz;
          if (d < best) best = d;
        }
        out[x + nx * (y + ny * z)] = best;
      }
  return out;
}

/** Flood fill labelling with an explicit neighbourhood; labels by first occurrence in memory order. */
export function floodFillLabels(
  mask: ArrayLike<number>,
  shape: Vec3,
  connectivity: 6 | 18 | 26,
): { labels: Int32Array; count: number } {
  const [nx, ny, nz] = shape;
  const n = nx * ny * nz;
  const offsets: Array<[number, number, number]> = [];
  for (let dz = -1; dz <= 1; dz++)
    for (let dy = -1; dy <= 1; dy++)
      for (let dx = -1; dx <= 1; dx++) {
        const order = Math.abs(dx) + Math.abs(dy) + Math.abs(dz);
        if (order === 0) continue;
        if (connectivity === 6 && order > 1) continue;
        if (connectivity === 18 && order > 2) continue;
        offsets.push([dx, dy, dz]);
      }
  const labels = new Int32Array(n);
  let count = 0;
  for (let start = 0; start < n; start++) {
    if (mask[start] === 0 || labels[start] !== 0) continue;
    count++;
    labels[start] = count;
    const stack = [start];
    while (stack.length > 0) {
      const i = stack.pop()!;
      const x = i % nx;
      const y = Math.floor(i / nx) % ny;
      const z = Math.floor(i / (nx * ny));
      for (const [dx, dy, dz] of offsets) {
        const xx = x + dx;
        const yy = y + dy;
        const zz = z + dz;
        if (xx < 0 || yy < 0 || zz < 0 || xx >= nx || yy >= ny || zz >= nz) continue;
        const j = xx + nx * (yy + ny * zz);
        if (mask[j] !== 0 && labels[j] === 0) {
          labels[j] = count;
          stack.push(j);
        }
      }
    }
  }
  return { labels, count };
}
