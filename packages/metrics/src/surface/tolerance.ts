import type { Vec3 } from '@pedseg/volume';

/**
 * Relative band around the tolerance where a float32 squared distance cannot tell inside from
 * outside: float32 rounds to 2^-24 relative, the EDT's float64 work adds far less.
 */
const BAND = 4e-7;

/**
 * Decides whether the element at grid index `index` lies within `tolerance` mm of a feature, exactly
 * as a float64 computation would. The EDT's float32 squared distance decides outside a thin band
 * around tolerance²; inside it (distances equal to the tolerance in exact arithmetic, common with
 * float32 NIfTI spacings such as 0.3 mm) the nearby features are searched and each distance is
 * recomputed in float64 the way scipy does, ((dx·sx)² + (dy·sy)²) + (dz·sz)².
 */
export function withinTolerance(
  squared: number,
  index: number,
  features: Uint8Array,
  shape: Vec3,
  spacing: Vec3,
  tolerance: number,
): boolean {
  const t2 = tolerance * tolerance;
  if (squared * (1 + BAND) < t2) return true;
  if (squared * (1 - BAND) > t2) return false;
  const [nx, ny, nz] = shape;
  const [sx, sy, sz] = spacing;
  const x = index % nx;
  const y = Math.floor(index / nx) % ny;
  const z = Math.floor(index / (nx * ny));
  const reach = tolerance * (1 + 1e-6);
  const rx = Math.ceil(reach / sx);
  const ry = Math.ceil(reach / sy);
  const rz = Math.ceil(reach / sz);
  for (let dz = Math.max(-rz, -z); dz <= Math.min(rz, nz - 1 - z); dz++) {
    const ez = dz * sz;
    for (let dy = Math.max(-ry, -y); dy <= Math.min(ry, ny - 1 - y); dy++) {
      const ey = dy * sy;
      const row = nx * (y + dy + ny * (z + dz));
      for (let dx = Math.max(-rx, -x); dx <= Math.min(rx, nx - 1 - x); dx++) {
        if (features[row + x + dx] === 0) continue;
        const ex = dx * sx;
        if (Math.sqrt(ex * ex + ey * ey + ez * ez) <= tolerance) return true;
      }
    }
  }
  return false;
}
