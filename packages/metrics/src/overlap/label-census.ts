import type { Box3, Vec3 } from '@pedseg/volume';

/** Mutable bounding box while scanning: inclusive min and max voxel index per axis. */
interface GrowingBox {
  lo: [number, number, number];
  hi: [number, number, number];
}

/**
 * What one pass over a reference / prediction pair tells about every label at once: the joint
 * histogram of (reference value, prediction value) and the bounding box of each label in each image.
 */
export interface LabelCensus {
  /** Number of voxels in the grid. */
  readonly voxels: number;
  /** `joint.get(r)?.get(p)` = voxels whose reference value is r and prediction value is p (zero pairs absent). */
  readonly joint: ReadonlyMap<number, ReadonlyMap<number, number>>;
  /** Half-open bounding box of each non-zero value of the reference. */
  readonly referenceBoxes: ReadonlyMap<number, Box3>;
  /** Half-open bounding box of each non-zero value of the prediction. */
  readonly predictionBoxes: ReadonlyMap<number, Box3>;
}

function grow(boxes: Map<number, GrowingBox>, value: number, x0: number, x1: number, y: number, z: number): void {
  const box = boxes.get(value);
  if (box === undefined) {
    boxes.set(value, { lo: [x0, y, z], hi: [x1, y, z] });
    return;
  }
  if (x0 < box.lo[0]) box.lo[0] = x0;
  if (x1 > box.hi[0]) box.hi[0] = x1;
  if (y < box.lo[1]) box.lo[1] = y;
  if (y > box.hi[1]) box.hi[1] = y;
  if (z < box.lo[2]) box.lo[2] = z;
  if (z > box.hi[2]) box.hi[2] = z;
}

function freeze(boxes: Map<number, GrowingBox>): Map<number, Box3> {
  const out = new Map<number, Box3>();
  for (const [value, b] of boxes) {
    out.set(value, { lo: [b.lo[0], b.lo[1], b.lo[2]], hi: [b.hi[0] + 1, b.hi[1] + 1, b.hi[2] + 1] });
  }
  return out;
}

/**
 * Scans both images once. Runs of equal (reference, prediction) pairs along x are counted as a whole,
 * so the cost per voxel is two reads and a comparison whatever the labels' values or dtype.
 *
 * @param reference - Reference values (length nx·ny·nz).
 * @param prediction - Prediction values, same grid.
 * @param shape - `[nx, ny, nz]`.
 */
export function labelCensus(reference: ArrayLike<number>, prediction: ArrayLike<number>, shape: Vec3): LabelCensus {
  const [nx, ny, nz] = shape;
  const joint = new Map<number, Map<number, number>>();
  const refBoxes = new Map<number, GrowingBox>();
  const predBoxes = new Map<number, GrowingBox>();
  const flush = (r: number, p: number, x0: number, x1: number, y: number, z: number): void => {
    let row = joint.get(r);
    if (row === undefined) {
      row = new Map();
      joint.set(r, row);
    }
    row.set(p, (row.get(p) ?? 0) + (x1 - x0 + 1));
    if (r !== 0) grow(refBoxes, r, x0, x1, y, z);
    if (p !== 0) grow(predBoxes, p, x0, x1, y, z);
  };
  let offset = 0;
  for (let z = 0; z < nz; z++) {
    for (let y = 0; y < ny; y++, offset += nx) {
      if (nx === 0) continue;
      let r = reference[offset] as number;
      let p = prediction[offset] as number;
      let start = 0;
      for (let x = 1; x < nx; x++) {
        const rr = reference[offset + x] as number;
        const pp = prediction[offset + x] as number;
        if (rr !== r || pp !== p) {
          flush(r, p, start, x - 1, y, z);
          r = rr;
          p = pp;
          start = x;
        }
      }
      flush(r, p, start, nx - 1, y, z);
    }
  }
  return { voxels: nx * ny * nz, joint, referenceBoxes: freeze(refBoxes), predictionBoxes: freeze(predBoxes) };
}
