import type { Vec3 } from '@pedseg/volume';
import { pairwiseSum } from './numeric.js';
import { SurfacePointTree } from './point-tree.js';
import type { DirectedDistances } from './surface-scores.js';

/** Surface points of one mask: grid coordinates (three per point) and, in the element convention, their neighbour codes. */
export interface SurfacePoints {
  /** x, y, z grid coordinates per point. */
  readonly coords: Float64Array;
  /** Neighbour code per point (element convention only). */
  readonly codes?: Uint8Array;
}

/** Surface voxels (flags on a grid) as points. */
export function voxelSurfacePoints(surface: Uint8Array, shape: Vec3): SurfacePoints {
  let count = 0;
  for (let i = 0; i < surface.length; i++) count += surface[i]!;
  const coords = new Float64Array(3 * count);
  const [nx, ny, nz] = shape;
  let k = 0;
  let i = 0;
  for (let z = 0; z < nz; z++) {
    for (let y = 0; y < ny; y++) {
      for (let x = 0; x < nx; x++, i++) {
        if (surface[i] === 0) continue;
        coords[k++] = x;
        coords[k++] = y;
        coords[k++] = z;
      }
    }
  }
  return { coords };
}

/** Surface corners (codes other than 0 and 255 on the corner grid) as points with their codes. */
export function elementSurfacePoints(codes: Uint8Array, shape: Vec3): SurfacePoints {
  let count = 0;
  for (let i = 0; i < codes.length; i++) {
    const c = codes[i]!;
    if (c !== 0 && c !== 255) count++;
  }
  const coords = new Float64Array(3 * count);
  const own = new Uint8Array(count);
  const [nx, ny, nz] = shape;
  let k = 0;
  let i = 0;
  for (let z = 0; z < nz; z++) {
    for (let y = 0; y < ny; y++) {
      for (let x = 0; x < nx; x++, i++) {
        const c = codes[i]!;
        if (c === 0 || c === 255) continue;
        own[k] = c;
        coords[3 * k] = x;
        coords[3 * k + 1] = y;
        coords[3 * k + 2] = z;
        k++;
      }
    }
  }
  return { coords, codes: own };
}

/** A k-d tree over the points (on a copy: the tree reorders its coordinates). */
export function pointTree(points: SurfacePoints, spacing: Vec3): SurfacePointTree {
  return new SurfacePointTree(points.coords.slice(), spacing);
}

function nearestDistances(from: SurfacePoints, to: SurfacePointTree): Float64Array {
  const c = from.coords;
  const out = new Float64Array(c.length / 3);
  for (let i = 0; i < out.length; i++) out[i] = Math.sqrt(to.nearestSquared(c[3 * i]!, c[3 * i + 1]!, c[3 * i + 2]!));
  return out;
}

/**
 * Voxel convention through a k-d tree: exact float64 distances from every surface voxel of one mask to
 * the nearest surface voxel of the other, ascending, and how many lie within the tolerance.
 */
export function directedVoxelPointDistances(from: SurfacePoints, to: SurfacePointTree, tolerance: number): DirectedDistances {
  const distances = nearestDistances(from, to);
  let within = 0;
  for (let i = 0; i < distances.length; i++) if (distances[i]! <= tolerance) within++;
  distances.sort();
  return { distances, withinTolerance: within };
}

const LITTLE_ENDIAN = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;

/**
 * Order of elements by (distance, area rank), as surface-distance's sort of (distance, area) pairs:
 * a counting sort by rank, then a stable LSD radix sort on the distance's float64 bit pattern
 * (non-negative doubles order like their bits).
 */
function orderByDistanceThenRank(distances: Float64Array, ranks: Uint8Array): Uint32Array {
  const n = distances.length;
  let order = new Uint32Array(n);
  const rankCounts = new Uint32Array(257);
  for (let i = 0; i < n; i++) rankCounts[ranks[i]! + 1]!++;
  for (let r = 0; r < 256; r++) rankCounts[r + 1]! += rankCounts[r]!;
  for (let i = 0; i < n; i++) order[rankCounts[ranks[i]!]!++] = i;
  if (n === 0) return order;
  if (!LITTLE_ENDIAN) {
    return Uint32Array.from(Array.from(order).sort((a, b) => distances[a]! - distances[b]! || ranks[a]! - ranks[b]!));
  }
  const words = new Uint32Array(distances.buffer, distances.byteOffset, 2 * n);
  let next = new Uint32Array(n);
  const counts = new Uint32Array(65537);
  for (let pass = 0; pass < 4; pass++) {
    const word = pass >> 1;
    const shift = (pass & 1) * 16;
    counts.fill(0);
    for (let i = 0; i < n; i++) counts[((words[2 * i + word]! >>> shift) & 0xffff) + 1]!++;
    if (counts[((words[word]! >>> shift) & 0xffff) + 1] === n) continue; // every key shares this digit
    for (let b = 0; b < 65536; b++) counts[b + 1]! += counts[b]!;
    for (let k = 0; k < n; k++) {
      const i = order[k]!;
      next[counts[(words[2 * i + word]! >>> shift) & 0xffff]!++] = i;
    }
    [order, next] = [next, order];
  }
  return order;
}

/**
 * Element convention through a k-d tree: exact float64 distances from every surface corner of one mask
 * to the nearest surface corner of the other, with the areas, sorted by (distance, area), and the area
 * within the tolerance.
 */
export function directedElementPointDistances(
  from: SurfacePoints,
  to: SurfacePointTree,
  areaByCode: Float64Array,
  rankOfCode: Uint8Array,
  tolerance: number,
): Required<DirectedDistances> {
  const raw = nearestDistances(from, to);
  const codes = from.codes!;
  const n = raw.length;
  const ranks = new Uint8Array(n);
  for (let i = 0; i < n; i++) ranks[i] = rankOfCode[codes[i]!]!;
  const order = orderByDistanceThenRank(raw, ranks);
  const distances = new Float64Array(n);
  const areas = new Float64Array(n);
  let within = 0;
  for (let k = 0; k < n; k++) {
    const i = order[k]!;
    distances[k] = raw[i]!;
    areas[k] = areaByCode[codes[i]!]!;
    if (distances[k]! <= tolerance) within = k + 1;
  }
  // Sorted ascending: the elements within the tolerance are a prefix; sum it as numpy would.
  return { distances, areas, withinTolerance: within === n ? pairwiseSum(areas) : pairwiseSum(areas, 0, within) };
}
