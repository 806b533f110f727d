import { squaredDistanceToFeaturesInBox } from '@pedseg/volume';
import type { Vec3 } from '@pedseg/volume';
import type { PaddedMask } from './padded-crop.js';
import type { DirectedDistances } from './surface-scores.js';
import { withinTolerance } from './tolerance.js';

const LITTLE_ENDIAN = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;

/** Byte-at-a-time {@link voxelSurface}, for big-endian hosts where the word trick reads bytes in the other order. */
function voxelSurfaceBytewise(mask: PaddedMask): VoxelSurface {
  const [px, py, pz] = mask.shape;
  const m = mask.data;
  const plane = px * py;
  const flags = new Uint8Array(m.length);
  let count = 0;
  for (let z = 1; z < pz - 1; z++) {
    for (let y = 1; y < py - 1; y++) {
      let i = 1 + px * (y + py * z);
      for (let x = 1; x < px - 1; x++, i++) {
        if (m[i] === 0) continue;
        if (m[i - 1] === 0 || m[i + 1] === 0 || m[i - px] === 0 || m[i + px] === 0 || m[i - plane] === 0 || m[i + plane] === 0) {
          flags[i] = 1;
          count++;
        }
      }
    }
  }
  return { flags, count };
}

/** Surface flags of a mask and how many are set. */
export interface VoxelSurface {
  /** 1 at surface voxels, 0 elsewhere, on the mask's grid. */
  readonly flags: Uint8Array;
  /** Number of surface voxels. */
  readonly count: number;
}

/**
 * Surface voxels of a padded mask (papers' definition): foreground voxels with at least one of their
 * 6 face-neighbours in the background. The padding makes image and box borders count as background.
 *
 * Four voxels at a time: with 0/1 bytes, a 32-bit word of a row ANDed with its six neighbour words is
 * 1 exactly at the interior voxels (the x neighbours are the word shifted by one byte, filled from the
 * adjacent words; rows are whole words because the padded width is a multiple of 4).
 */
export function voxelSurface(mask: PaddedMask): VoxelSurface {
  if (!LITTLE_ENDIAN) return voxelSurfaceBytewise(mask);
  const [px, py, pz] = mask.shape;
  const m = mask.data;
  const flags = new Uint8Array(m.length);
  const words = new Uint32Array(m.buffer, m.byteOffset, m.length >> 2);
  const out = new Uint32Array(flags.buffer, 0, flags.length >> 2);
  const row = px >> 2;
  const plane = row * py;
  let count = 0;
  for (let z = 1; z < pz - 1; z++) {
    for (let y = 1; y < py - 1; y++) {
      const start = row * (y + py * z);
      for (let k = start; k < start + row; k++) {
        const w = words[k]!;
        if (w === 0) continue;
        const left = (w << 8) | (words[k - 1]! >>> 24);
        const right = (w >>> 8) | (words[k + 1]! << 24);
        const inner = left & right & words[k - row]! & words[k + row]! & words[k - plane]! & words[k + plane]!;
        const surface = (w & ~inner) >>> 0;
        if (surface === 0) continue;
        out[k] = surface;
        // Bytes are 0 or 1: the popcount of the word is the sum of its bytes.
        count += (surface & 0xff) + ((surface >>> 8) & 0xff) + ((surface >>> 16) & 0xff) + (surface >>> 24);
      }
    }
  }
  return { flags, count };
}

/**
 * Distances (mm) from every surface voxel of `from` to the nearest surface voxel of `to`, through one
 * exact EDT of `to`'s surface over the (padded) box, sorted ascending; plus how many of them lie
 * within `tolerance` (decided in float64, see {@link withinTolerance}).
 *
 * @param fromSurface - Surface of the first mask.
 * @param toSurface - Surface of the second mask, same grid; not empty.
 * @param shape - The grid's shape.
 * @param spacing - Voxel spacing in mm.
 * @param tolerance - Surface Dice tolerance in mm.
 */
export function directedVoxelDistances(fromSurface: VoxelSurface, toSurface: VoxelSurface, shape: Vec3, spacing: Vec3, tolerance: number): DirectedDistances {
  const [px, py, pz] = shape;
  const from = fromSurface.flags;
  const to = toSurface.flags;
  const distances = new Float64Array(fromSurface.count);
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
