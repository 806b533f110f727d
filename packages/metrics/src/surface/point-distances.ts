import type { Vec3 } from '@pedseg/volume';
import { pairwiseSum } from './numeric.js';
import { SurfacePointTree } from './point-tree.js';
import type { DirectedDistances } from './surface-scores.js';

/** Surface points of one mask: grid coordinates (three per point) and, in the element convention, their neighbour codes. */
export interface SurfacePoints {
  /** x, y, z grid coordinates per point. */
  readonly coords: Float64Array;
  /** Grid index of each point. */
  readonly indices: Uint32Array;
  /** Neighbour code per point (element convention only). */
  readonly codes?: Uint8Array;
}

/** Surface voxels (flags on a grid, `count` of them set) as points. */
export function voxelSurfacePoints(surface: Uint8Array, count: number, shape: Vec3): SurfacePoints {
  const coords = new Float64Array(3 * count);
  const indices = new Uint32Array(count);
  const [nx, ny] = shape;
  // Surfaces are sparse: skip empty 32-bit words (the grid length is a multiple of 4).
  const words = new Uint32Array(surface.buffer, surface.byteOffset, surface.length >> 2);
  let k = 0;
  for (let w = 0; w < words.length; w++) {
    if (words[w] === 0) continue;
    for (let i = 4 * w; i < 4 * w + 4; i++) {
      if (surface[i] === 0) continue;
      indices[k / 3] = i;
      coords[k++] = i % nx;
      coords[k++] = Math.floor(i / nx) % ny;
      coords[k++] = Math.floor(i / (nx * ny));
    }
  }
  return { coords, indices };
}

/** Surface corners (codes other than 0 and 255 on the corner grid, `count` of them) as points with their codes. */
export function elementSurfacePoints(codes: Uint8Array, count: number, shape: Vec3): SurfacePoints {
  const coords = new Float64Array(3 * count);
  const own = new Uint8Array(count);
  const indices = new Uint32Array(count);
  const [nx, ny] = shape;
  // Runs of 0 (outside) and 255 (inside) dominate: skip them a 32-bit word at a time.
  const whole = codes.length >> 2;
  const words = codes.byteOffset % 4 === 0 ? new Uint32Array(codes.buffer, codes.byteOffset, whole) : null;
  let k = 0;
  for (let w = 0; w <= whole; w++) {
    if (words !== null && w < whole) {
      const word = words[w]!;
      if (word === 0 || word === 0xffffffff) continue;
    }
    const end = Math.min(4 * w + 4, codes.length);
    for (let i = 4 * w; i < end; i++) {
      const c = codes[i]!;
      if (c === 0 || c === 255) continue;
      own[k] = c;
      indices[k] = i;
      coords[3 * k] = i % nx;
      coords[3 * k + 1] = Math.floor(i / nx) % ny;
      coords[3 * k + 2] = Math.floor(i / (nx * ny));
      k++;
    }
  }
  return { coords, indices, codes: own };
}

/** A k-d tree over the points (on a copy: the tree reorders its coordinates). */
export function pointTree(points: SurfacePoints, spacing: Vec3): SurfacePointTree {
  return new SurfacePointTree(points.coords.slice(), spacing);
}

/**
 * Distance from each point of `from` to the nearest point of the tree. `onOther(index)` says whether a
 * grid index is itself a point of the other surface: those are at distance 0 without a search.
 */
function nearestDistances(from: SurfacePoints, to: SurfacePointTree, spacing: Vec3, onOther: (index: number) => boolean): Float64Array {
  const c = from.coords;
  const indices = from.indices;
  const out = new Float64Array(c.length / 3);
  const [sx, sy, sz] = spacing;
  let previous = Infinity;
  for (let i = 0; i < out.length; i++) {
    const x = c[3 * i]!;
    const y = c[3 * i + 1]!;
    const z = c[3 * i + 2]!;
    if (onOther(indices[i]!)) {
      previous = 0;
      out[i] = 0;
      continue;
    }
    // Triangle inequality: the previous point's nearest neighbour is at most previous + step away.
    // Points come in scan order, so the step is usually one voxel and the bound prunes most of the tree.
    let bound = Infinity;
    if (i > 0) {
      const step = Math.hypot((x - c[3 * i - 3]!) * sx, (y - c[3 * i - 2]!) * sy, (z - c[3 * i - 1]!) * sz);
      const reach = (previous + step) * (1 + 1e-9) + 1e-9;
      bound = reach * reach;
    }
    previous = Math.sqrt(to.nearestSquared(x, y, z, bound));
    out[i] = previous;
  }
  return out;
}

/**
 * Voxel convention through a k-d tree: exact float64 distances from every surface voxel of one mask to
 * the nearest surface voxel of the other, ascending, and how many lie within the tolerance.
 */
export function directedVoxelPointDistances(from: SurfacePoints, to: SurfacePointTree, toFlags: Uint8Array, spacing: Vec3, tolerance: number): DirectedDistances {
  const distances = nearestDistances(from, to, spacing, (i) => toFlags[i] !== 0);
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
  toCodes: Uint8Array,
  spacing: Vec3,
  areaByCode: Float64Array,
  rankOfCode: Uint8Array,
  tolerance: number,
): Required<DirectedDistances> {
  const raw = nearestDistances(from, to, spacing, (i) => toCodes[i] !== 0 && toCodes[i] !== 255);
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
