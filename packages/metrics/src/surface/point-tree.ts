import type { Vec3 } from '@pedseg/volume';

/** Ranges of at most this many points are scanned rather than split. */
const LEAF = 8;

/**
 * A static k-d tree over surface points given by integer grid coordinates, for exact nearest-point
 * queries in mm. Squared distances are summed as scipy's EDT sums them, ((di·sx)² + (dj·sy)²) + (dk·sz)²
 * with integer index differences, so distances equal scipy's to the last bit.
 *
 * Surfaces hold far fewer points than their bounding box holds voxels, so for thin structures a tree
 * query per surface point costs less than an EDT over the whole box.
 */
export class SurfacePointTree {
  private readonly coords: Float64Array;
  private readonly axes: Uint8Array;
  private readonly spacing: Vec3;
  private readonly sx: number;
  private readonly sy: number;
  private readonly sz: number;
  private readonly stack: Int32Array;
  private readonly bounds: Float64Array;
  /** Number of points. */
  readonly size: number;

  /**
   * @param coords - Grid coordinates, three per point (x, y, z); reordered in place.
   * @param spacing - Voxel spacing in mm.
   */
  constructor(coords: Float64Array, spacing: Vec3) {
    this.coords = coords;
    this.spacing = spacing;
    // Plain number fields: destructuring the spacing in the query would go through the iterator
    // protocol, which costs a lot before the optimising compiler takes over in a short-lived process.
    this.sx = spacing[0];
    this.sy = spacing[1];
    this.sz = spacing[2];
    this.size = coords.length / 3;
    this.axes = new Uint8Array(this.size);
    const lo = [Infinity, Infinity, Infinity];
    const hi = [-Infinity, -Infinity, -Infinity];
    for (let i = 0; i < this.size; i++) {
      for (let a = 0; a < 3; a++) {
        const v = coords[3 * i + a]!;
        if (v < lo[a]!) lo[a] = v;
        if (v > hi[a]!) hi[a] = v;
      }
    }
    this.build(0, this.size, lo, hi);
    // Depth is about log2(n / LEAF) + 1; the stack holds at most one pending branch per level.
    const depth = 2 * Math.ceil(Math.log2(this.size + 2)) + 4;
    this.stack = new Int32Array(2 * depth);
    this.bounds = new Float64Array(depth);
  }

  private swap(i: number, j: number): void {
    const c = this.coords;
    for (let a = 0; a < 3; a++) {
      const t = c[3 * i + a]!;
      c[3 * i + a] = c[3 * j + a]!;
      c[3 * j + a] = t;
    }
  }

  /** Splits [lo, hi) at its median along the widest side (in mm) of its cell `boxLo`–`boxHi`; the children get the two halves of the cell. */
  private build(lo: number, hi: number, boxLo: number[], boxHi: number[]): void {
    if (hi - lo <= LEAF) return;
    const c = this.coords;
    const s = this.spacing;
    let axis = 0;
    let widest = -1;
    for (let a = 0; a < 3; a++) {
      const extent = (boxHi[a]! - boxLo[a]!) * s[a];
      if (extent > widest) {
        widest = extent;
        axis = a;
      }
    }
    const mid = (lo + hi) >> 1;
    this.axes[mid] = axis;
    // Quickselect (Hoare partition) so that the median along `axis` sits at `mid`.
    let l = lo;
    let r = hi - 1;
    while (l < r) {
      const pivot = c[3 * ((l + r) >> 1) + axis]!;
      let i = l;
      let j = r;
      while (i <= j) {
        while (c[3 * i + axis]! < pivot) i++;
        while (c[3 * j + axis]! > pivot) j--;
        if (i <= j) {
          this.swap(i, j);
          i++;
          j--;
        }
      }
      if (mid <= j) r = j;
      else if (mid >= i) l = i;
      else break;
    }
    const split = c[3 * mid + axis]!;
    const leftHi = [...boxHi];
    leftHi[axis] = split;
    const rightLo = [...boxLo];
    rightLo[axis] = split;
    this.build(lo, mid, boxLo, leftHi);
    this.build(mid + 1, hi, rightLo, boxHi);
  }

  /**
   * Squared distance (mm²) from grid point (x, y, z) to the nearest point of the tree; +Infinity when
   * empty. `bound`, when given, must exceed the answer (e.g. the previous query's distance plus the
   * step between the two query points, squared and inflated): the search then prunes from the start.
   */
  nearestSquared(x: number, y: number, z: number, bound = Infinity): number {
    const c = this.coords;
    const axes = this.axes;
    const stack = this.stack;
    const bounds = this.bounds;
    const sx = this.sx;
    const sy = this.sy;
    const sz = this.sz;
    let best = bound;
    let sp = 0;
    stack[0] = 0;
    stack[1] = this.size;
    bounds[0] = 0;
    sp = 1;
    while (sp > 0) {
      sp--;
      if (bounds[sp]! >= best) continue;
      let lo = stack[2 * sp]!;
      let hi = stack[2 * sp + 1]!;
      while (hi - lo > LEAF) {
        const mid = (lo + hi) >> 1;
        const o = 3 * mid;
        const dx = (x - c[o]!) * sx;
        const dy = (y - c[o + 1]!) * sy;
        const dz = (z - c[o + 2]!) * sz;
        const d2 = dx * dx + dy * dy + dz * dz;
        if (d2 < best) best = d2;
        const axis = axes[mid]!;
        const diff = axis === 0 ? dx : axis === 1 ? dy : dz;
        const plane = diff * diff;
        // Descend on the query's side; keep the other side with its distance bound.
        if (diff < 0) {
          if (plane < best) {
            stack[2 * sp] = mid + 1;
            stack[2 * sp + 1] = hi;
            bounds[sp++] = plane;
          }
          hi = mid;
        } else {
          if (plane < best) {
            stack[2 * sp] = lo;
            stack[2 * sp + 1] = mid;
            bounds[sp++] = plane;
          }
          lo = mid + 1;
        }
      }
      for (let i = lo; i < hi; i++) {
        const o = 3 * i;
        const dx = (x - c[o]!) * sx;
        const dy = (y - c[o + 1]!) * sy;
        const dz = (z - c[o + 2]!) * sz;
        const d2 = dx * dx + dy * dy + dz * dz;
        if (d2 < best) best = d2;
      }
    }
    // A bound that was not beaten means it did not hold: search again without it.
    return best === bound && bound !== Infinity ? this.nearestSquared(x, y, z) : best;
  }
}
