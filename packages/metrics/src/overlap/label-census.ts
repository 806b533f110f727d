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

/** 32-bit views of two unsigned byte arrays (whole words only), or null when the data are not aligned bytes. */
function byteWords(a: ArrayLike<number>, b: ArrayLike<number>): [Uint32Array, Uint32Array] | null {
  const aligned = (v: ArrayLike<number>): v is Uint8Array => v instanceof Uint8Array && v.byteOffset % 4 === 0;
  if (!aligned(a) || !aligned(b)) return null;
  const n = Math.floor(Math.min(a.length, b.length) / 4);
  return [new Uint32Array(a.buffer, a.byteOffset, n), new Uint32Array(b.buffer, b.byteOffset, n)];
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
  // Background runs dominate label images: for byte data, skip them four voxels at a time.
  const words = byteWords(reference, prediction);
  let offset = 0;
  for (let z = 0; z < nz; z++) {
    for (let y = 0; y < ny; y++, offset += nx) {
      if (nx === 0) continue;
      let r = reference[offset]!;
      let p = prediction[offset]!;
      let start = 0;
      for (let x = 1; x < nx; x++) {
        if (words !== null && ((offset + x) & 3) === 0) {
          // Long runs (background outside, the structure inside) advance four voxels per step.
          const [rw, pw] = words;
          const rRun = (r * 0x01010101) >>> 0;
          const pRun = (p * 0x01010101) >>> 0;
          let w = (offset + x) >> 2;
          const last = (offset + nx) >> 2;
          while (w < last && rw[w] === rRun && pw[w] === pRun) w++;
          x = (w << 2) - offset;
          if (x >= nx) break;
        }
        const rr = reference[offset + x]!;
        const pp = prediction[offset + x]!;
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
