// Writes the benchmark pair: two anisotropic ellipsoids (label 1) in a 160×256×256 grid with spacing
// 0.8×0.3×0.3 mm, as uint8 .nii.gz. `scale` multiplies the number of x samples (spacing divided
// accordingly), so the same physical shapes can be timed at several grid sizes.
//
// Usage: tsx --conditions=@pedseg/source packages/metrics/bench/make-case.ts OUT_DIR [SCALE]
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { createVolume, writeNifti } from '@pedseg/volume';
import type { Vec3 } from '@pedseg/volume';

/** Physical description of one ellipsoid, mm. */
interface Ellipsoid {
  readonly centre: Vec3;
  readonly radii: Vec3;
}

export const BASE_SHAPE: Vec3 = [160, 256, 256];
export const BASE_SPACING: Vec3 = [0.8, 0.3, 0.3];
// Extent 128 × 76.8 × 76.8 mm. The prediction is shifted by a few voxels and slightly reshaped.
const REFERENCE: Ellipsoid = { centre: [64, 38.4, 38.4], radii: [45, 28, 24] };
const PREDICTION: Ellipsoid = { centre: [65.2, 37.95, 39], radii: [43, 29, 25] };

function rasterize(e: Ellipsoid, shape: Vec3, spacing: Vec3): Uint8Array {
  const [nx, ny, nz] = shape;
  const out = new Uint8Array(nx * ny * nz);
  let i = 0;
  for (let z = 0; z < nz; z++) {
    const dz = (z * spacing[2] - e.centre[2]) / e.radii[2];
    for (let y = 0; y < ny; y++) {
      const dy = (y * spacing[1] - e.centre[1]) / e.radii[1];
      for (let x = 0; x < nx; x++, i++) {
        const dx = (x * spacing[0] - e.centre[0]) / e.radii[0];
        if (dx * dx + dy * dy + dz * dz <= 1) out[i] = 1;
      }
    }
  }
  return out;
}

/** Writes `ref.nii.gz` and `pred.nii.gz` at the given x-scale into `dir`; returns their paths. */
export async function makeCase(dir: string, scale = 1): Promise<{ reference: string; prediction: string; shape: Vec3; spacing: Vec3 }> {
  const shape: Vec3 = [BASE_SHAPE[0] * scale, BASE_SHAPE[1], BASE_SHAPE[2]];
  const spacing: Vec3 = [BASE_SPACING[0] / scale, BASE_SPACING[1], BASE_SPACING[2]];
  await mkdir(dir, { recursive: true });
  const reference = join(dir, 'ref.nii.gz');
  const prediction = join(dir, 'pred.nii.gz');
  await writeNifti(reference, createVolume(rasterize(REFERENCE, shape, spacing), shape, { spacing }), { datatype: 'uint8' });
  await writeNifti(prediction, createVolume(rasterize(PREDICTION, shape, spacing), shape, { spacing }), { datatype: 'uint8' });
  return { reference, prediction, shape, spacing };
}

if (process.argv[1] !== undefined && import.meta.url.endsWith(process.argv[1].split('/').pop()!)) {
  const [dir, scale] = process.argv.slice(2);
  if (dir === undefined) {
    process.stderr.write('usage: make-case.ts OUT_DIR [SCALE]\n');
    process.exitCode = 2;
  } else {
    makeCase(dir, scale === undefined ? 1 : Number(scale)).then((c) => process.stdout.write(`${JSON.stringify(c)}\n`));
  }
}
