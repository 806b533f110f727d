import { squaredDistanceToFeaturesInBox } from '@pedseg/volume';
import type { Vec3 } from '@pedseg/volume';
import type { PaddedMask } from './padded-crop.js';
import type { DirectedDistances } from './surface-scores.js';
import { withinTolerance } from './tolerance.js';

/**
 * Surface voxels of a padded mask (papers' definition): foreground voxels with at least one of their
 * 6 face-neighbours in the background. The padding makes image and box borders count as background.
 *
 * @returns 1 at surface voxels, 0 elsewhere, same grid as the mask.
 */
export function voxelSurface(mask: PaddedMask): Uint8Array {
  const [px, py, pz] = mask.shape;
  const m = mask.data;
  const plane = px * py;
  const out = new Uint8Array(m.length);
  for (let z = 1; z < pz - 1; z++) {
    for (let y = 1; y < py - 1; y++) {
      let i = 1 + px * (y + py * z);
      for (let x = 1; x < px - 1; x++, i++) {
        if (m[i] === 0) continue;
        if (m[i - 1] === 0 || m[i + 1] === 0 || m[i - px] === 0 || m[i + px] === 0 || m[i - plane] === 0 || m[i + plane] === 0) {
          out[i] = 1;
        }
      }
    }
  }
  return out;
}

/**
 * Distances (mm) from every surface voxel of `from` to the nearest surface voxel of `to`, through one
 * exact EDT of `to`'s surface over the (padded) box, sorted ascending; plus how many of them lie
 * within `tolerance` (decided in float64, see {@link withinTolerance}).
 *
 * @param from - Surface flags of the first mask.
 * @param to - Surface flags of the second mask, same grid; at least one set.
 * @param shape - The grid's shape.
 * @param spacing - Voxel spacing in mm.
 * @param tolerance - Surface Dice tolerance in mm.
 */
export function directedVoxelDistances(from: Uint8Array, to: Uint8Array, shape: Vec3, spacing: Vec3, tolerance: number): DirectedDistances {
  const [px, py, pz] = shape;
  let count = 0;
  for (let i = 0; i < from.length; i++) count += from[i]!;
  const distances = new Float64Array(count);
  // The margin holds no surface voxel: transform only the inner box.
  const squared = squaredDistanceToFeaturesInBox(to, shape, spacing, { lo: [1, 1, 1], hi: [px - 1, py - 1, pz - 1] });
  let within = 0;
  let k = 0;
  let inner = 0;
  for (let z = 1; z < pz - 1; z++) {
    for (let y = 1; y < py - 1; y++) {
      let i = 1 + px * (y + py * z);
      for (let x = 1; x < px - 1; x++, i++, inner++) {
        if (from[i] === 0) continue;
        const q = squared[inner]!;
        distances[k++] = Math.sqrt(q);
        if (withinTolerance(q, i, to, shape, spacing, tolerance)) within++;
      }
    }
  }
  distances.sort();
  return { distances, withinTolerance: within };
}
