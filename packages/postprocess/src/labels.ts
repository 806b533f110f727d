import type { Box3, Vec3, Volume, VoxelArray } from '@pedseg/volume';
import { LabelValueError } from './errors.js';

/** Labels present in a label map (background excluded) with the bounding box of each. */
export interface LabelInventory {
  /** Non-zero labels present, ascending. */
  readonly labels: readonly number[];
  /** Half-open voxel box of each label in `labels`, same order. */
  readonly boxes: readonly Box3[];
  /** Voxel count of each label in `labels`, same order. */
  readonly counts: readonly number[];
}

const isIntegerArray = (data: VoxelArray): boolean => !(data instanceof Float32Array || data instanceof Float64Array);

/**
 * Checks that every voxel is a non-negative integer.
 *
 * @throws {@link LabelValueError} naming `argument` and the first offending voxel.
 */
export function assertLabelMap(data: ArrayLike<number>, argument: string): void {
  // Unsigned integer arrays cannot hold anything but labels.
  if (data instanceof Uint8Array || data instanceof Uint16Array || data instanceof Uint32Array) return;
  const integerTyped = ArrayBuffer.isView(data) && isIntegerArray(data as VoxelArray);
  for (let i = 0; i < data.length; i++) {
    const v = data[i]!;
    if (integerTyped ? v < 0 : !(v >= 0 && Number.isInteger(v))) {
      throw new LabelValueError(
        `${argument}: voxel ${i} holds ${String(v)}; labels must be non-negative integers (0 = background)`,
      );
    }
  }
}

/**
 * Validates a label map and lists its labels with their bounding boxes, in one pass.
 *
 * @throws {@link LabelValueError} if a voxel is not a non-negative integer.
 */
export function inventoryLabels(volume: Volume, argument = 'volume'): LabelInventory {
  const { data, shape } = volume;
  assertLabelMap(data, argument);
  const [nx, ny, nz] = shape;
  // Per-label accumulators: x0 y0 z0 x1 y1 z1 count, keyed by label.
  const acc = new Map<number, Float64Array>();
  let last = Number.NaN;
  let a: Float64Array | undefined;
  let i = 0;
  for (let z = 0; z < nz; z++) {
    for (let y = 0; y < ny; y++) {
      for (let x = 0; x < nx; x++, i++) {
        const v = data[i]!;
        if (v === 0) continue;
        if (v !== last) {
          last = v;
          a = acc.get(v);
          if (a === undefined) {
            a = Float64Array.of(x, y, z, x, y, z, 0);
            acc.set(v, a);
          }
        }
        a = a!;
        if (x < a[0]!) a[0] = x;
        if (x > a[3]!) a[3] = x;
        if (y < a[1]!) a[1] = y;
        if (y > a[4]!) a[4] = y;
        // z only grows in this scan order, and its minimum is set when the label is first seen.
        a[5] = z;
        a[6]! += 1;
      }
    }
  }
  const labels = [...acc.keys()].sort((a, b) => a - b);
  const boxes: Box3[] = [];
  const counts: number[] = [];
  for (const label of labels) {
    const a = acc.get(label)!;
    boxes.push({ lo: [a[0]!, a[1]!, a[2]!], hi: [a[3]! + 1, a[4]! + 1, a[5]! + 1] });
    counts.push(a[6]!);
  }
  return { labels, boxes, counts };
}

/** Allocates an array of the same element type as `like`, of the given length. */
export function allocateLike<T extends VoxelArray>(like: T, length: number): T {
  const ctor = like.constructor as new (n: number) => T;
  return new ctor(length);
}

/** Number of voxels of a shape. */
export const voxelCount = (shape: Vec3): number => shape[0] * shape[1] * shape[2];
