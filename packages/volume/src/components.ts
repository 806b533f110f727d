import { ConnectivityError, VolumeShapeError } from './errors.js';
import { checkLength } from './validate.js';
import type { Vec3 } from './types.js';

/** Neighbourhoods in 3D: faces (6), faces + edges (18), faces + edges + corners (26). */
export type Connectivity3D = 6 | 18 | 26;

/** Neighbourhoods in 2D: edges (4), edges + corners (8). */
export type Connectivity2D = 4 | 8;

/** Result of a connected-component labelling. */
export interface Components {
  /** 0 = background, 1..count; numbered by first occurrence in memory order (x fastest). */
  readonly labels: Int32Array;
  /** Number of components. */
  readonly count: number;
  /** `sizes[c - 1]` = voxels in component c. */
  readonly sizes: Float64Array;
}

/**
 * Offsets (dx, dy, dz) of the neighbours that precede a voxel in memory order (x fastest), i.e. the
 * half of the neighbourhood the first raster pass has already labelled.
 */
function backwardOffsets(connectivity: Connectivity3D): Array<[number, number, number]> {
  const offsets: Array<[number, number, number]> = [];
  for (let dz = -1; dz <= 0; dz++) {
    for (let dy = -1; dy <= 1; dy++) {
      for (let dx = -1; dx <= 1; dx++) {
        if (dz === 0 && (dy > 0 || (dy === 0 && dx >= 0))) continue;
        const order = Math.abs(dx) + Math.abs(dy) + Math.abs(dz);
        if (connectivity === 6 && order > 1) continue;
        if (connectivity === 18 && order > 2) continue;
        offsets.push([dx, dy, dz]);
      }
    }
  }
  return offsets;
}

/** Root of `a` with path halving; roots are the smallest provisional label of their set. */
function findRoot(parent: Int32Array, a: number): number {
  while (parent[a] !== a) {
    const grand = parent[parent[a]!]!;
    parent[a] = grand;
    a = grand;
  }
  return a;
}

/**
 * Connected components of the non-zero voxels of a 3D mask, by a two-pass union-find raster scan
 * (path halving, smaller label as root), O(N).
 *
 * @param mask - non-zero = foreground; length `nx * ny * nz`, x fastest.
 * @param shape - `[nx, ny, nz]`.
 * @param connectivity - 6 (faces), 18 (+ edges) or 26 (+ corners, the default).
 * @returns labels numbered 1..count by first occurrence in memory order, and component sizes.
 * @throws VolumeShapeError for a bad shape or length; ConnectivityError for another connectivity.
 */
export function connectedComponents3D(
  mask: ArrayLike<number>,
  shape: Vec3,
  connectivity: Connectivity3D = 26,
): Components {
  if (connectivity !== 6 && connectivity !== 18 && connectivity !== 26) {
    throw new ConnectivityError(`connectivity must be 6, 18 or 26 in 3D, got ${String(connectivity)}`);
  }
  const n = checkLength(mask, shape, 'mask');
  const [nx, ny, nz] = shape;
  const plane = nx * ny;
  const labels = new Int32Array(n);
  const offsets = backwardOffsets(connectivity);
  const count = offsets.length;
  const odx = new Int32Array(count);
  const ody = new Int32Array(count);
  const odz = new Int32Array(count);
  const odelta = new Int32Array(count);
  for (let o = 0; o < count; o++) {
    const [dx, dy, dz] = offsets[o]!;
    odx[o] = dx;
    ody[o] = dy;
    odz[o] = dz;
    odelta[o] = dx + nx * dy + plane * dz;
  }

  let parent = new Int32Array(Math.min(n, 1024) + 1);
  let next = 1;
  // Offsets of the backward neighbourhood whose (y, z) lie inside the grid, rebuilt per row so that
  // the voxel loop only checks x; and the four dx = +1 offsets used when the left voxel is set (26 only).
  const rowOffsets = new Int32Array(count);
  const rightOffsets = new Int32Array(4);
  const full = connectivity === 26;

  // Pass 1: provisional labels; equivalences recorded in the union-find forest `parent`.
  let i = 0;
  for (let z = 0; z < nz; z++) {
    for (let y = 0; y < ny; y++) {
      let rowCount = 0;
      let rightCount = 0;
      for (let o = 0; o < count; o++) {
        const yy = y + ody[o]!;
        if (yy < 0 || yy >= ny || z + odz[o]! < 0) continue;
        rowOffsets[rowCount++] = o;
        if (odx[o] === 1) rightOffsets[rightCount++] = o;
      }
      for (let x = 0; x < nx; x++, i++) {
        if (mask[i] === 0) continue;
        let current = 0;
        let last = rowCount;
        let list = rowOffsets;
        if (full && x > 0 && labels[i - 1] !== 0) {
          // With 26-connectivity every backward neighbour with dx ≤ 0 is also a backward neighbour of
          // the left voxel, hence already merged with it: only the dx = +1 neighbours can add a merge.
          current = labels[i - 1]!;
          list = rightOffsets;
          last = rightCount;
        }
        for (let r = 0; r < last; r++) {
          const o = list[r]!;
          const xx = x + odx[o]!;
          if (xx < 0 || xx >= nx) continue;
          const l = labels[i + odelta[o]!]!;
          if (l === 0 || l === current) continue;
          if (current === 0) {
            current = l;
            continue;
          }
          // Union: link the larger root under the smaller one.
          const ra = findRoot(parent, current);
          const rb = findRoot(parent, l);
          if (ra < rb) parent[rb] = ra;
          else if (rb < ra) parent[ra] = rb;
        }
        if (current === 0) {
          if (next >= parent.length) {
            const grown = new Int32Array(Math.min(n + 1, parent.length * 2));
            grown.set(parent);
            parent = grown;
          }
          parent[next] = next;
          current = next++;
        }
        labels[i] = current;
      }
    }
  }

  // Pass 2: final labels numbered by first occurrence in memory order. Provisional labels are
  // created in memory order and every root is its set's smallest label, so roots appear in order.
  const final = new Int32Array(next);
  let components = 0;
  for (let l = 1; l < next; l++) {
    const r = findRoot(parent, l);
    if (r === l) final[l] = ++components;
    else final[l] = final[r]!;
  }
  const sizes = new Float64Array(components);
  for (let j = 0; j < n; j++) {
    const l = labels[j]!;
    if (l === 0) continue;
    const c = final[l]!;
    labels[j] = c;
    sizes[c - 1]!++;
  }
  return { labels, count: components, sizes };
}

/**
 * Connected components of the non-zero pixels of a 2D mask (x fastest, `index = x + nx * y`).
 *
 * @param mask - non-zero = foreground; length `nx * ny`.
 * @param shape - `[nx, ny]`.
 * @param connectivity - 4 (edges) or 8 (edges + corners, the default).
 * @returns labels numbered 1..count by first occurrence in memory order, and component sizes.
 * @throws VolumeShapeError for a bad shape or length; ConnectivityError for another connectivity.
 */
export function connectedComponents2D(
  mask: ArrayLike<number>,
  shape: readonly [number, number],
  connectivity: Connectivity2D = 8,
): Components {
  if (connectivity !== 4 && connectivity !== 8) {
    throw new ConnectivityError(`connectivity must be 4 or 8 in 2D, got ${String(connectivity)}`);
  }
  if (!Array.isArray(shape) || shape.length !== 2) {
    throw new VolumeShapeError(`shape must be [nx, ny] in 2D, got ${String(shape)}`);
  }
  // A single slice: 6-connectivity is 4-connectivity in the plane, 26 is 8.
  return connectedComponents3D(mask, [shape[0], shape[1], 1], connectivity === 4 ? 6 : 26);
}
