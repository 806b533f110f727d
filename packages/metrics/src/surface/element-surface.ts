import { squaredDistanceToFeatures } from '@pedseg/volume';
import type { Vec3 } from '@pedseg/volume';
import type { PaddedMask } from './padded-crop.js';
import type { DirectedDistances } from './surface-scores.js';
import { pairwiseSum } from './numeric.js';
import { withinTolerance } from './tolerance.js';

/**
 * Neighbour codes on the voxel-corner grid of a padded mask: the corner grid has the box's shape + 1
 * per axis, and corner c sits between padded voxels c and c + 1 on each axis. Codes 0 (all outside) and
 * 255 (all inside) carry no surface.
 *
 * @returns `{ codes, shape, count }` — one code per corner, x fastest, and the number of surface corners.
 */
export function cornerCodes(mask: PaddedMask): { codes: Uint8Array; shape: Vec3; count: number } {
  const [px, py, pz] = mask.shape;
  const m = mask.data;
  const cx = px - 1;
  const cy = py - 1;
  const cz = pz - 1;
  const codes = new Uint8Array(cx * cy * cz);
  const plane = px * py;
  let out = 0;
  let count = 0;
  for (let z = 0; z < cz; z++) {
    for (let y = 0; y < cy; y++) {
      // Walking along x, the upper half of a corner's cube becomes the lower half of the next
      // corner's: shift the previous code by four bits and read only the four new voxels.
      let code = 0;
      let i = 1 + px * (y + py * z);
      for (let x = 0; x < cx; x++, i++, out++) {
        const nibble = (m[i]! << 3) | (m[i + plane]! << 2) | (m[i + px]! << 1) | m[i + px + plane]!;
        code = ((code & 15) << 4) | nibble;
        codes[out] = code;
        if (code !== 0 && code !== 255) count++;
      }
    }
  }
  return { codes, shape: [cx, cy, cz], count };
}


/** The 256 codes ranked by area (equal areas share a rank), and the area of each rank. */
export function rankCodesByArea(areaByCode: Float64Array): { rankOfCode: Uint8Array; areaOfRank: Float64Array } {
  const order = Array.from({ length: 256 }, (_, code) => code).sort((a, b) => areaByCode[a]! - areaByCode[b]!);
  const rankOfCode = new Uint8Array(256);
  const areaOfRank = new Float64Array(256);
  let rank = 0;
  for (let k = 0; k < 256; k++) {
    const code = order[k]!;
    if (k > 0 && areaByCode[code] !== areaByCode[order[k - 1]!]) rank++;
    rankOfCode[code] = rank;
    areaOfRank[rank] = areaByCode[code]!;
  }
  return { rankOfCode, areaOfRank };
}

const bitsView = new Uint32Array(1);
const floatView = new Float32Array(bitsView.buffer);

/**
 * Distances from the surface elements of `from` to the nearest surface corner of `to` (one exact EDT
 * of `to`'s surface corners), with their areas, sorted by (distance, area) like surface-distance's
 * `_sort_distances_surfels` (the order matters to its percentile rule through the cumulative sum).
 *
 * @param from - Corner codes of the first mask.
 * @param to - Corner codes of the second mask, same corner grid.
 * @param shape - The corner grid's shape.
 * @param spacing - Voxel spacing in mm (also the corner grid's).
 * @param areaByCode - Area of each code at this spacing.
 * @param tolerance - Surface Dice tolerance in mm; the area within it is summed (decided in float64).
 */
export function directedElementDistances(
  from: Uint8Array,
  to: Uint8Array,
  shape: Vec3,
  spacing: Vec3,
  areaByCode: Float64Array,
  tolerance: number,
): Required<DirectedDistances> {
  const features = new Uint8Array(to.length);
  let count = 0;
  for (let i = 0; i < to.length; i++) {
    const t = to[i]!;
    if (t !== 0 && t !== 255) features[i] = 1;
    const f = from[i]!;
    if (f !== 0 && f !== 255) count++;
  }
  const squared = squaredDistanceToFeatures(features, shape, spacing);
  const bits = new Uint32Array(squared.buffer, squared.byteOffset, squared.length);
  // One number, (float32 bits of the squared distance) · 256 + area rank, sorts exactly as the pair
  // (distance, area) does: non-negative float32 bit patterns are ordered like their values, and 40
  // bits are exact in a double. A native typed sort of numbers then replaces a comparator sort of pairs.
  const { rankOfCode, areaOfRank } = rankCodesByArea(areaByCode);
  const keys = new Float64Array(count);
  let k = 0;
  let withinArea = 0;
  let withinCount = 0;
  for (let i = 0; i < from.length; i++) {
    const f = from[i]!;
    if (f === 0 || f === 255) continue;
    keys[k++] = bits[i]! * 256 + rankOfCode[f]!;
    if (withinTolerance(squared[i]!, i, features, shape, spacing, tolerance)) {
      withinArea += areaByCode[f]!;
      withinCount++;
    }
  }
  keys.sort();
  const distances = new Float64Array(count);
  const areas = new Float64Array(count);
  for (let j = 0; j < count; j++) {
    const key = keys[j]!;
    const b = Math.floor(key / 256);
    bitsView[0] = b;
    distances[j] = Math.sqrt(floatView[0]!);
    areas[j] = areaOfRank[key - b * 256]!;
  }
  // All within: the total summed as numpy sums it, so that the surface Dice of a match is exactly 1.
  const within = withinCount === count ? pairwiseSum(areas) : withinArea;
  return { distances, areas, withinTolerance: within };
}
