import type { Volume, VoxelArray } from '@pedseg/volume';
import { PostprocessOptionError } from './errors.js';
import { assertLabelMap } from './labels.js';
import { runComponents } from './runs.js';
import type { RunComponents } from './runs.js';
import { checkConnectivity, checkInteger, checkLabelSelection } from './options.js';
import { withData } from './volume-utils.js';

/** Options shared by the connected-component filters. */
export interface ComponentOptions {
  /** Neighbourhood of a voxel: 6 (faces), 18 (faces + edges) or 26 (faces + edges + corners). Default 26. */
  readonly connectivity?: 6 | 18 | 26;
}

/** Options of {@link keepLargestComponentPerLabel}. */
export interface LargestPerLabelOptions extends ComponentOptions {
  /** Labels to filter; default every non-zero label present. */
  readonly labels?: readonly number[];
}

/**
 * Keeps, for every label, only its largest connected component (the "multi" and "individual"
 * strategies of the papers); the other components become background.
 *
 * Tie rule: among components of equal size, the one whose first voxel comes first in memory order
 * (smallest linear index `x + nx·(y + ny·z)`, i.e. smallest z, then y, then x) is kept.
 *
 * @param volume - Label map (0 = background); never mutated.
 * @returns A new label map of the same element type and geometry.
 * @throws {@link LabelValueError}, {@link PostprocessOptionError}.
 */
export function keepLargestComponentPerLabel<T extends VoxelArray>(
  volume: Volume<T>,
  options: LargestPerLabelOptions = {},
): Volume<T> {
  const connectivity = checkConnectivity(options.connectivity, 'options.connectivity');
  const only = checkLabelSelection(options.labels, 'options.labels');
  assertLabelMap(volume.data, 'volume');
  const cc = runComponents(volume.data, volume.shape, connectivity, 'label');
  // Best component of each label: largest, then first in memory order (smaller number).
  const best = new Map<number, number>();
  for (let c = 1; c <= cc.count; c++) {
    const label = cc.values[c - 1]!;
    const b = best.get(label);
    if (b === undefined || cc.sizes[c - 1]! > cc.sizes[b - 1]!) best.set(label, c);
  }
  const drop = new Uint8Array(cc.count + 1);
  for (let c = 1; c <= cc.count; c++) {
    const label = cc.values[c - 1]!;
    if (best.get(label) !== c && (only === null || only.has(label))) drop[c] = 1;
  }
  const out = volume.data.slice() as T;
  zeroRuns(cc, drop, out);
  return withData(volume, out);
}

/** Options of {@link keepLargestComponents}. */
export interface KeepLargestOptions extends ComponentOptions {
  /**
   * Labels of the kept voxels: `'input'` (default) leaves them as they were; `'rank'` gives the i-th
   * largest kept component label i (1 = largest), which turns a global bone mask into one label per bone.
   */
  readonly relabel?: 'input' | 'rank';
}

/**
 * Keeps the `k` largest connected components of the foreground (all non-zero voxels together, whatever
 * their label) — the "global" strategy, with `k` the number of bones. The rest becomes background.
 * Ties are broken as in {@link keepLargestComponentPerLabel} (first voxel in memory order first).
 *
 * @param k - Number of components to keep, an integer ≥ 0.
 * @throws {@link LabelValueError}, {@link PostprocessOptionError} (bad `k`, or `relabel: 'rank'` with
 *   more components than the element type can hold).
 */
export function keepLargestComponents<T extends VoxelArray>(
  volume: Volume<T>,
  k: number,
  options: KeepLargestOptions = {},
): Volume<T> {
  checkInteger(k, 'k', 0);
  const connectivity = checkConnectivity(options.connectivity, 'options.connectivity');
  const relabel = options.relabel ?? 'input';
  if (relabel !== 'input' && relabel !== 'rank') {
    throw new PostprocessOptionError(`options.relabel: must be 'input' or 'rank', got ${String(relabel)}`);
  }
  assertLabelMap(volume.data, 'volume');
  const out = volume.data.slice() as T;
  const cc = runComponents(volume.data, volume.shape, connectivity, 'foreground');
  const ranked = rankComponents(cc);
  const kept = Math.min(k, ranked.length);
  if (relabel === 'rank') assertRepresentable(out, kept);
  // rankOf[c] = 1-based rank of component c if kept, else 0.
  const rankOf = new Int32Array(cc.count + 1);
  for (let r = 0; r < kept; r++) rankOf[ranked[r]!] = r + 1;
  for (let i = 0; i < cc.runs; i++) {
    const r = rankOf[cc.runComponent[i]!]!;
    if (r === 0) out.fill(0, cc.runStart[i]!, cc.runStart[i]! + cc.runLength[i]!);
    else if (relabel === 'rank') out.fill(r, cc.runStart[i]!, cc.runStart[i]! + cc.runLength[i]!);
  }
  return withData(volume, out);
}

/** Options of {@link removeSmallComponents}. */
export interface RemoveSmallOptions extends ComponentOptions {
  /** Components strictly smaller than this are removed. */
  readonly minSize: number;
  /** Unit of `minSize`: `'voxel'` (default) or `'mm3'` (voxel count × sx·sy·sz). */
  readonly unit?: 'voxel' | 'mm3';
  /**
   * `'label'` (default): components of each label separately. `'foreground'`: components of all
   * non-zero voxels together, so touching bones count as one object.
   */
  readonly scope?: 'label' | 'foreground';
}

/**
 * Removes connected components smaller than a size (in voxels or mm³); they become background.
 *
 * @throws {@link LabelValueError}, {@link PostprocessOptionError}.
 */
export function removeSmallComponents<T extends VoxelArray>(volume: Volume<T>, options: RemoveSmallOptions): Volume<T> {
  const connectivity = checkConnectivity(options.connectivity, 'options.connectivity');
  const { minSize } = options;
  if (!(Number.isFinite(minSize) && minSize >= 0)) {
    throw new PostprocessOptionError(`options.minSize: must be a finite number ≥ 0, got ${String(minSize)}`);
  }
  const unit = options.unit ?? 'voxel';
  if (unit !== 'voxel' && unit !== 'mm3') {
    throw new PostprocessOptionError(`options.unit: must be 'voxel' or 'mm3', got ${String(unit)}`);
  }
  const scope = options.scope ?? 'label';
  if (scope !== 'label' && scope !== 'foreground') {
    throw new PostprocessOptionError(`options.scope: must be 'label' or 'foreground', got ${String(scope)}`);
  }
  const voxelVolume = unit === 'mm3' ? volume.spacing[0] * volume.spacing[1] * volume.spacing[2] : 1;
  assertLabelMap(volume.data, 'volume');
  const cc = runComponents(volume.data, volume.shape, connectivity, scope === 'label' ? 'label' : 'foreground');
  const drop = new Uint8Array(cc.count + 1);
  for (let c = 1; c <= cc.count; c++) if (cc.sizes[c - 1]! * voxelVolume < minSize) drop[c] = 1;
  const out = volume.data.slice() as T;
  zeroRuns(cc, drop, out);
  return withData(volume, out);
}

/** Component numbers (1-based) sorted by decreasing size, ties by increasing number (first occurrence). */
export function rankComponents(cc: { readonly count: number; readonly sizes: Float64Array }): number[] {
  const order = Array.from({ length: cc.count }, (_, i) => i + 1);
  order.sort((a, b) => cc.sizes[b - 1]! - cc.sizes[a - 1]! || a - b);
  return order;
}

function zeroRuns(cc: RunComponents, drop: Uint8Array, out: VoxelArray): void {
  for (let i = 0; i < cc.runs; i++) {
    if (drop[cc.runComponent[i]!] === 1) out.fill(0, cc.runStart[i]!, cc.runStart[i]! + cc.runLength[i]!);
  }
}

function assertRepresentable(out: VoxelArray, largest: number): void {
  const probe = out.constructor as new (values: number[]) => VoxelArray;
  if (new probe([largest])[0] !== largest) {
    throw new PostprocessOptionError(
      `options.relabel: label ${largest} does not fit the volume's ${out.constructor.name}; convert the volume first`,
    );
  }
}
