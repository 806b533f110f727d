import type { Volume, VoxelArray } from '@pedseg/volume';
import { forEachRowInGrid, growBox, labelMaskInBox, otherThanLabelInBox } from './box.js';
import type { WorkBox } from './box.js';
import { PostprocessOptionError } from './errors.js';
import { inventoryLabels, voxelCount } from './labels.js';
import { checkLabelSelection } from './options.js';
import { resolveBall } from './radius.js';
import type { RadiusUnit } from './radius.js';
import { squaredDistanceUpToBall } from './within.js';
import type { BallMethod } from './within.js';
import { withData } from './volume-utils.js';

/** Options of the ball morphology operators. */
export interface BallOptions {
  /** Ball radius. 2 voxels is the papers' 5×5×5 spherical kernel (offsets with dx²+dy²+dz² ≤ 4). */
  readonly radius: number;
  /** Unit of `radius`; default `'voxel'`. In mm the ball follows the (anisotropic) spacing. */
  readonly unit?: RadiusUnit;
  /** Labels to process; default every non-zero label present. Other labels are left untouched. */
  readonly labels?: readonly number[];
  /** Algorithm; every choice gives the same voxels (see {@link BallMethod}). Default `'auto'`. */
  readonly method?: BallMethod;
}

type Operator = 'dilation' | 'erosion' | 'opening' | 'closing';

/**
 * Dilation of every label by a ball: a background voxel joins label L when it lies within the radius of L.
 * Only background voxels change, so labels never grow into each other; a background voxel reached by
 * several labels takes the nearest one (ties: the smallest label; in mm, distances within a relative
 * 1e-6 tie, as the distances are float32).
 *
 * @param volume - Label map (0 = background); never mutated.
 * @returns A new label map of the same element type, shape, spacing and affine.
 * @throws {@link LabelValueError} for non-integer or negative labels; {@link PostprocessOptionError} for a bad radius.
 */
export function ballDilation<T extends VoxelArray>(volume: Volume<T>, options: BallOptions): Volume<T> {
  return applyBall(volume, options, 'dilation');
}

/**
 * Erosion of every label by a ball: a voxel of label L stays iff every voxel of the image within the
 * radius is L. Voxels outside the image count as L (foreground padding, the dual of dilation's
 * background padding), so objects touching the border are not eroded from the border and
 * `erosion(A) = grid \ dilation(grid \ A)` holds exactly. Removed voxels become background.
 *
 * @throws {@link LabelValueError}, {@link PostprocessOptionError}.
 */
export function ballErosion<T extends VoxelArray>(volume: Volume<T>, options: BallOptions): Volume<T> {
  return applyBall(volume, options, 'erosion');
}

/**
 * Opening (erosion then dilation) of every label by a ball, with the image padded by foreground: the
 * result is `grid ∩ opening_Z3(A ∪ outside)`, anti-extensive and idempotent, and objects touching the
 * border are not shaved there. Removed voxels become background.
 *
 * @throws {@link LabelValueError}, {@link PostprocessOptionError}.
 */
export function ballOpening<T extends VoxelArray>(volume: Volume<T>, options: BallOptions): Volume<T> {
  return applyBall(volume, options, 'opening');
}

/**
 * Closing (dilation then erosion) of every label by a ball, with the image padded by background as if
 * it extended forever: the result is `grid ∩ closing_Z3(A)` — identical to scipy's `binary_closing` on
 * the mask zero-padded by at least the radius and cropped back. It is extensive and idempotent, and it
 * never erodes an object that touches the border. Only background voxels change (one bone never grows
 * into another); a background voxel claimed by several labels takes the nearest (ties: smallest label).
 *
 * @throws {@link LabelValueError}, {@link PostprocessOptionError}.
 */
export function ballClosing<T extends VoxelArray>(volume: Volume<T>, options: BallOptions): Volume<T> {
  return applyBall(volume, options, 'closing');
}

function applyBall<T extends VoxelArray>(volume: Volume<T>, options: BallOptions, op: Operator): Volume<T> {
  const ball = resolveBall(options.radius, options.unit ?? 'voxel', volume.spacing, 'options.radius');
  const only = checkLabelSelection(options.labels, 'options.labels');
  const method = options.method ?? 'auto';
  if (method !== 'auto' && method !== 'edt' && method !== 'scan') {
    throw new PostprocessOptionError(`options.method: must be 'auto', 'edt' or 'scan', got ${String(method)}`);
  }
  const distanceTo = (features: Uint8Array, work: WorkBox): Float32Array | Uint8Array =>
    squaredDistanceUpToBall(features, work.shape, ball, method);
  const inventory = inventoryLabels(volume, 'volume');
  const data = volume.data;
  const out = data.slice() as T;
  const grows = op === 'dilation' || op === 'closing';
  const targets = inventory.labels
    .map((label, i) => ({ label, box: inventory.boxes[i]! }))
    .filter((t) => only === null || only.has(t.label));
  // Nearest-label bookkeeping is needed only when two growing labels could claim the same voxel.
  const claimDistance = grows && targets.length > 1 ? new Float32Array(voxelCount(volume.shape)).fill(Infinity) : null;
  // Distances in mm are float32 and the two methods round differently: competing distances within a
  // relative 1e-6 count as a tie (far below any real difference between lattice distances in a ball).
  const tieSlack = options.unit === 'mm' ? 1e-6 : 0;
  for (const { label, box } of targets) {
    const [ex, ey, ez] = ball.extent;
    switch (op) {
      case 'dilation': {
        const work = growBox(box, [ex, ey, ez], volume.shape);
        const near = distanceTo(labelMaskInBox(data, volume.shape, label, work), work);
        claim(near, near, ball.threshold, work, volume, out, label, claimDistance, tieSlack);
        break;
      }
      case 'closing': {
        const work = growBox(box, [ex + 1, ey + 1, ez + 1]);
        const near = distanceTo(labelMaskInBox(data, volume.shape, label, work), work);
        const outside = new Uint8Array(near.length);
        for (let i = 0; i < near.length; i++) if (near[i]! > ball.threshold) outside[i] = 1;
        const reach = distanceTo(outside, work);
        // Closed voxels are those farther than r from every voxel outside the dilation.
        // `claim` takes voxels whose test value is ≤ 0: 0 = closed, 1 = within r of the outside.
        const notClosed = new Uint8Array(reach.length);
        for (let i = 0; i < reach.length; i++) if (reach[i]! <= ball.threshold) notClosed[i] = 1;
        claim(notClosed, near, 0, work, volume, out, label, claimDistance, tieSlack);
        break;
      }
      case 'erosion': {
        const work = growBox(box, [1, 1, 1], volume.shape);
        const far = distanceTo(otherThanLabelInBox(data, volume.shape, label, work), work);
        release(far, (d) => d <= ball.threshold, work, volume, out, label);
        break;
      }
      case 'opening': {
        const work = growBox(box, [ex + 1, ey + 1, ez + 1]);
        const far = distanceTo(otherThanLabelInBox(data, volume.shape, label, work), work);
        const core = new Uint8Array(far.length);
        for (let i = 0; i < far.length; i++) if (far[i]! > ball.threshold) core[i] = 1;
        const reach = distanceTo(core, work);
        release(reach, (d) => d > ball.threshold, work, volume, out, label);
        break;
      }
    }
  }
  return withData(volume, out);
}

/**
 * Gives `label` to the background voxels of the work box whose `test` value is ≤ threshold, resolving
 * competing labels by `priority`: smaller by more than the relative `tieSlack` wins, otherwise the
 * earlier (smaller) label keeps the voxel.
 */
function claim(
  test: ArrayLike<number>,
  priority: ArrayLike<number>,
  threshold: number,
  work: WorkBox,
  volume: Volume,
  out: VoxelArray,
  label: number,
  claimDistance: Float32Array | null,
  tieSlack: number,
): void {
  const input = volume.data;
  forEachRowInGrid(work, volume.shape, (w, g, n) => {
    for (let k = 0; k < n; k++) {
      if (test[w + k]! > threshold || input[g + k] !== 0) continue;
      if (claimDistance === null) {
        out[g + k] = label;
      } else {
        const d = priority[w + k]!;
        if (d < claimDistance[g + k]! * (1 - tieSlack)) {
          claimDistance[g + k] = d;
          out[g + k] = label;
        }
      }
    }
  });
}

/** Sets to background the voxels of `label` whose `value` satisfies `drop`. */
function release(
  value: ArrayLike<number>,
  drop: (d: number) => boolean,
  work: WorkBox,
  volume: Volume,
  out: VoxelArray,
  label: number,
): void {
  const input = volume.data;
  forEachRowInGrid(work, volume.shape, (w, g, n) => {
    for (let k = 0; k < n; k++) if (input[g + k] === label && drop(value[w + k]!)) out[g + k] = 0;
  });
}
