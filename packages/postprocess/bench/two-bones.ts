import { createVolume } from '@pedseg/volume';
import type { Vec3, Volume } from '@pedseg/volume';

/**
 * A synthetic two-bone label map like a stacked 2D prediction: two bumpy ellipsoids (labels 1 and 2,
 * 5 mm apart) with a ragged surface, small cavities and scattered false-positive specks.
 */
export function twoBoneVolume(shape: Vec3 = [160, 256, 256], spacing: Vec3 = [0.8, 0.3, 0.3], seed = 7): Volume<Uint8Array> {
  const [nx, ny, nz] = shape;
  const [sx, sy, sz] = spacing;
  const data = new Uint8Array(nx * ny * nz);
  let s = seed >>> 0 || 1;
  const random = (): number => {
    s ^= s << 13;
    s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5;
    s >>>= 0;
    return s / 2 ** 32;
  };
  const extent = [nx * sx, ny * sy, nz * sz];
  const bones = [
    { label: 1, c: [0.5, 0.5, 0.29], r: [0.36, 0.26, 0.19] },
    { label: 2, c: [0.5, 0.5, 0.72], r: [0.32, 0.21, 0.18] },
  ];
  let i = 0;
  for (let z = 0; z < nz; z++) {
    for (let y = 0; y < ny; y++) {
      for (let x = 0; x < nx; x++, i++) {
        const p = [(x + 0.5) * sx, (y + 0.5) * sy, (z + 0.5) * sz];
        for (const b of bones) {
          const q = [0, 1, 2].map((a) => (p[a]! - b.c[a]! * extent[a]!) / (b.r[a]! * extent[a]!));
          const rho = Math.hypot(q[0]!, q[1]!, q[2]!);
          // Bumpy surface: the radius wobbles by a few per cent with position.
          const wobble = 1 + 0.05 * Math.sin(7 * q[0]!) * Math.cos(5 * q[1]!) + 0.03 * Math.sin(11 * q[2]! + 3 * q[0]!);
          if (rho < wobble) {
            const shell = rho > wobble - 0.06;
            // Ragged surface and small cavities, as a slice-wise network produces.
            if ((shell && random() < 0.25) || random() < 0.002) break;
            data[i] = b.label;
            break;
          }
        }
        if (data[i] === 0 && random() < 0.0004) data[i] = random() < 0.5 ? 1 : 2;
      }
    }
  }
  return createVolume(data, shape, { spacing });
}
