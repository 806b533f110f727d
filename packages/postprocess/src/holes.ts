import { connectedComponents3D } from '@pedseg/volume';
import type { Volume, VoxelArray } from '@pedseg/volume';
import { forEachRowInGrid, growBox } from './box.js';
import { PostprocessOptionError } from './errors.js';
import { inventoryLabels, voxelCount } from './labels.js';
import { checkConnectivity, checkLabelSelection } from './options.js';
import { withData } from './volume-utils.js';

/** Options of {@link fillHoles}. */
export interface FillHolesOptions {
  /**
   * Connectivity of the holes (of the not-L voxels), 6, 18 or 26. Default 6, as scipy's
   * `binary_fill_holes`, which pairs with 26-connected objects.
   */
  readonly connectivity?: 6 | 18 | 26;
  /**
   * `'open'` (default): a hole touching the image border is not a hole (it may be the outside cut by
   * the field of view) and stays open. `'fill'`: such holes are filled too, provided they stay within
   * the label's bounding box; only not-L regions reaching outside the label's bounding box count as
   * the outside.
   */
  readonly borderHoles?: 'open' | 'fill';
  /** Labels to fill; default every non-zero label present. */
  readonly labels?: readonly number[];
}

/**
 * Fills the holes of each label: connected regions of not-L voxels enclosed by L. Only background
 * voxels of a hole are filled (another bone inside a hole is kept), so no label grows into another.
 * A background voxel inside holes of several labels takes the label whose hole is smallest (the
 * innermost), ties to the smallest label. With `borderHoles: 'open'` the result per label equals
 * scipy's `binary_fill_holes(volume == L)` with the matching structure, restricted to background.
 *
 * @throws {@link LabelValueError}, {@link PostprocessOptionError}.
 */
export function fillHoles<T extends VoxelArray>(volume: Volume<T>, options: FillHolesOptions = {}): Volume<T> {
  const connectivity = checkConnectivity(options.connectivity ?? 6, 'options.connectivity');
  const only = checkLabelSelection(options.labels, 'options.labels');
  const borderHoles = options.borderHoles ?? 'open';
  if (borderHoles !== 'open' && borderHoles !== 'fill') {
    throw new PostprocessOptionError(`options.borderHoles: must be 'open' or 'fill', got ${String(borderHoles)}`);
  }
  const { data, shape } = volume;
  const inventory = inventoryLabels(volume);
  const out = data.slice() as T;
  const targets = inventory.labels.flatMap((label, i) => (only === null || only.has(label) ? [{ label, box: inventory.boxes[i]! }] : []));
  const claimSize = targets.length > 1 ? new Float64Array(voxelCount(shape)).fill(Infinity) : null;
  for (const { label, box } of targets) {
    // The box grown by one voxel (clipped) is exact: every hole lies inside the label's box, and the
    // grown layer, where it exists, is all not-L and connected to the outside.
    const work = growBox(box, [1, 1, 1], shape);
    const [wx, wy, wz] = work.shape;
    const notLabel = new Uint8Array(wx * wy * wz);
    forEachRowInGrid(work, shape, (w, g, n) => {
      for (let j = 0; j < n; j++) if (data[g + j] !== label) notLabel[w + j] = 1;
    });
    const cc = connectedComponents3D(notLabel, work.shape, connectivity);
    const outside = new Uint8Array(cc.count + 1);
    const inBox = (a: number, v: number) => v >= box.lo[a]! - work.lo[a]! && v < box.hi[a]! - work.lo[a]!;
    let i = 0;
    for (let z = 0; z < wz; z++) {
      for (let y = 0; y < wy; y++) {
        for (let x = 0; x < wx; x++, i++) {
          const c = cc.labels[i]!;
          if (c === 0 || outside[c] === 1) continue;
          const isOutside =
            borderHoles === 'open'
              ? x === 0 || y === 0 || z === 0 || x === wx - 1 || y === wy - 1 || z === wz - 1
              : !(inBox(0, x) && inBox(1, y) && inBox(2, z));
          if (isOutside) outside[c] = 1;
        }
      }
    }
    forEachRowInGrid(work, shape, (w, g, n) => {
      for (let j = 0; j < n; j++) {
        const c = cc.labels[w + j]!;
        if (c === 0 || outside[c] === 1 || data[g + j] !== 0) continue;
        if (claimSize === null) {
          out[g + j] = label;
        } else {
          const size = cc.sizes[c - 1]!;
          if (size < claimSize[g + j]!) {
            claimSize[g + j] = size;
            out[g + j] = label;
          }
        }
      }
    });
  }
  return withData(volume, out);
}
