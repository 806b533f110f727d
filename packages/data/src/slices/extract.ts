import type { Volume } from '@pedseg/volume';
import { CaseGeometryError, DataArgumentError, UndeclaredLabelError } from '../errors.js';
import { Rng } from '../random.js';
import { resizeBilinear, resizeNearest } from './resize.js';

/** Axis across which 2D slices are cut: 0 = x (sagittal-like), 1 = y, 2 = z (axial, default). */
export type SliceAxis = 0 | 1 | 2;

/** Options of {@link extractSlices}. */
export interface SliceOptions {
  /** Slicing axis; default 2. */
  readonly axis?: SliceAxis;
  /** Network input size `[height, width]`; default `[256, 256]`. */
  readonly size?: readonly [number, number];
  /** Intensity normalization per volume; default `'zscore'` (zero mean, unit variance). */
  readonly normalize?: 'zscore' | 'none';
  /** Fraction of the slices without any structure to keep (0–1); default 0 (only slices with structures). */
  readonly emptyFraction?: number;
  /** Seed choosing which empty slices are kept; default 0. */
  readonly seed?: number;
  /** Case name used in error messages and for the seed of the empty-slice choice. */
  readonly caseId?: string;
}

/**
 * 2D slices of one or more cases at network size, stored contiguously: slice s occupies
 * `[s·H·W, (s + 1)·H·W)` of both arrays, row-major (`row · W + col`).
 */
export interface SliceSet {
  /** Slice height H (rows). */
  readonly height: number;
  /** Slice width W (columns). */
  readonly width: number;
  /** Number of slices. */
  readonly count: number;
  /** Normalized intensities, `count × H × W`. */
  readonly images: Float32Array;
  /** Label values, `count × H × W` (bilinear for images, nearest for labels). */
  readonly labels: Uint8Array;
  /** Position of each slice along the slicing axis of its volume. */
  readonly sliceIndices: Int32Array;
  /** Case of each slice. */
  readonly caseIds: readonly string[];
}

/** In-plane layout of a slice across `axis`: rows run along `rowAxis`, columns along `colAxis`. */
function planeAxes(axis: SliceAxis): [number, number] {
  // axial (z): rows = y, cols = x; coronal (y) and sagittal (x): rows = z.
  if (axis === 2) return [1, 0];
  if (axis === 1) return [2, 0];
  return [2, 1];
}

/** Mean and standard deviation of a volume's voxels (float64 accumulation). */
export function volumeMoments(data: ArrayLike<number>): { mean: number; std: number } {
  let sum = 0;
  for (let i = 0; i < data.length; i += 1) sum += data[i]!;
  const mean = sum / data.length;
  let ss = 0;
  for (let i = 0; i < data.length; i += 1) {
    const d = data[i]! - mean;
    ss += d * d;
  }
  return { mean, std: Math.sqrt(ss / data.length) };
}

/**
 * Cuts a case into 2D slices along `axis`, z-score normalizes intensities over the whole volume,
 * resizes image slices bilinearly and label slices by nearest neighbour to the network size, and keeps
 * every slice that contains a structure (after resizing) plus a seeded `emptyFraction` of the others.
 *
 * @throws {@link CaseGeometryError} when image and label shapes differ.
 * @throws {@link UndeclaredLabelError} for a label value outside 0–255 or not an integer.
 * @throws {@link DataArgumentError} for bad options or a constant image (z-score undefined).
 */
export function extractSlices(image: Volume, label: Volume, options: SliceOptions = {}): SliceSet {
  const caseId = options.caseId ?? '<volume>';
  const axis = options.axis ?? 2;
  if (axis !== 0 && axis !== 1 && axis !== 2) throw new DataArgumentError(`axis must be 0, 1 or 2, got ${String(axis)}`);
  const [H, W] = options.size ?? [256, 256];
  if (!Number.isInteger(H) || !Number.isInteger(W) || H < 1 || W < 1) {
    throw new DataArgumentError(`size must be two positive integers, got [${String(H)}, ${String(W)}]`);
  }
  const emptyFraction = options.emptyFraction ?? 0;
  if (!(emptyFraction >= 0 && emptyFraction <= 1)) {
    throw new DataArgumentError(`emptyFraction must be in [0, 1], got ${emptyFraction}`);
  }
  if (image.shape.some((n, a) => n !== label.shape[a])) {
    throw new CaseGeometryError(caseId, `shape [${image.shape.join(', ')}] vs [${label.shape.join(', ')}]`);
  }
  let offset = 0;
  let scale = 1;
  if ((options.normalize ?? 'zscore') === 'zscore') {
    const { mean, std } = volumeMoments(image.data);
    if (!(std > 0) || !Number.isFinite(std)) {
      throw new DataArgumentError(`case ${caseId}: image is constant or not finite; z-score normalization is undefined`);
    }
    offset = mean;
    scale = 1 / std;
  }
  const [nx, ny] = image.shape;
  const strides = [1, nx, nx * ny];
  const [rowAxis, colAxis] = planeAxes(axis);
  const inH = image.shape[rowAxis]!;
  const inW = image.shape[colAxis]!;
  const nSlices = image.shape[axis];
  const plane = H * W;
  const imgSlice = new Float32Array(inH * inW);
  const labSlice = new Uint8Array(inH * inW);
  const allImages = new Float32Array(nSlices * plane);
  const allLabels = new Uint8Array(nSlices * plane);
  const hasStructure = new Uint8Array(nSlices);
  for (let s = 0; s < nSlices; s += 1) {
    for (let r = 0; r < inH; r += 1) {
      for (let c = 0; c < inW; c += 1) {
        const v = s * strides[axis]! + r * strides[rowAxis]! + c * strides[colAxis]!;
        imgSlice[r * inW + c] = (image.data[v]! - offset) * scale;
        const l = label.data[v]!;
        if (!(l >= 0 && l <= 255 && Number.isInteger(l))) throw new UndeclaredLabelError(caseId, l, []);
        labSlice[r * inW + c] = l;
      }
    }
    resizeBilinear(imgSlice, inH, inW, allImages, s * plane, H, W);
    resizeNearest(labSlice, inH, inW, allLabels, s * plane, H, W);
    for (let p = s * plane; p < (s + 1) * plane; p += 1) {
      if (allLabels[p] !== 0) {
        hasStructure[s] = 1;
        break;
      }
    }
  }
  const empty: number[] = [];
  for (let s = 0; s < nSlices; s += 1) if (!hasStructure[s]) empty.push(s);
  const keepEmpty = new Set(new Rng(options.seed ?? 0).fork(caseId).shuffle(empty).slice(0, Math.round(emptyFraction * empty.length)));
  const kept: number[] = [];
  for (let s = 0; s < nSlices; s += 1) if (hasStructure[s] || keepEmpty.has(s)) kept.push(s);
  const images = new Float32Array(kept.length * plane);
  const labels = new Uint8Array(kept.length * plane);
  kept.forEach((s, n) => {
    images.set(allImages.subarray(s * plane, (s + 1) * plane), n * plane);
    labels.set(allLabels.subarray(s * plane, (s + 1) * plane), n * plane);
  });
  return {
    height: H,
    width: W,
    count: kept.length,
    images,
    labels,
    sliceIndices: Int32Array.from(kept),
    caseIds: kept.map(() => caseId),
  };
}

/** Concatenates slice sets of the same size (e.g. all training cases of one domain) into one. */
export function concatSliceSets(sets: readonly SliceSet[]): SliceSet {
  if (sets.length === 0) throw new DataArgumentError('concatSliceSets: need at least one slice set');
  const { height, width } = sets[0]!;
  for (const s of sets) {
    if (s.height !== height || s.width !== width) {
      throw new DataArgumentError(`concatSliceSets: slice sizes differ ([${height}, ${width}] vs [${s.height}, ${s.width}])`);
    }
  }
  const count = sets.reduce((n, s) => n + s.count, 0);
  const plane = height * width;
  const images = new Float32Array(count * plane);
  const labels = new Uint8Array(count * plane);
  const sliceIndices = new Int32Array(count);
  const caseIds: string[] = [];
  let at = 0;
  for (const s of sets) {
    images.set(s.images, at * plane);
    labels.set(s.labels, at * plane);
    sliceIndices.set(s.sliceIndices, at);
    caseIds.push(...s.caseIds);
    at += s.count;
  }
  return { height, width, count, images, labels, sliceIndices, caseIds };
}
