import type { Box3, Vec3 } from '@pedseg/volume';
import type { SurfaceConvention } from '../types.js';
import { cornerCodes, directedElementDistances } from './element-surface.js';
import { paddedCrop } from './padded-crop.js';
import { surfelAreaByCode } from './surfel-areas.js';
import type { DirectedDistances } from './surface-scores.js';
import { directedVoxelDistances, voxelSurface } from './voxel-surface.js';

/** One of the two directions of the surface distances. */
export type SurfaceDirection = 'referenceToPrediction' | 'predictionToReference';

/** Both directions of the surface distances of one structure. */
export interface SurfaceDistancePair {
  /** From each reference surface element to the prediction surface. */
  readonly referenceToPrediction: DirectedDistances;
  /** From each prediction surface element to the reference surface. */
  readonly predictionToReference: DirectedDistances;
}

const BOTH: readonly SurfaceDirection[] = ['referenceToPrediction', 'predictionToReference'];

/**
 * Surface distances of one structure present in both images, in the directions asked for (both by
 * default; one direction lets two threads share the work). Works on the union bounding box of the
 * structure in both images plus a one-voxel margin, so the cost follows the structure's size, not the
 * image's; the EDTs are exact there because every surface element lies inside.
 *
 * @param reference - Reference label values (whole image).
 * @param prediction - Prediction label values (whole image).
 * @param shape - Image shape.
 * @param spacing - Voxel spacing in mm.
 * @param box - Union bounding box of the structure in both images.
 * @param members - Label values making up the structure.
 * @param convention - Surface convention.
 * @param tolerance - Surface Dice tolerance in mm.
 * @param directions - Directions to compute; default both.
 */
export function structureSurfaceDistances(
  reference: ArrayLike<number>,
  prediction: ArrayLike<number>,
  shape: Vec3,
  spacing: Vec3,
  box: Box3,
  members: readonly number[],
  convention: SurfaceConvention,
  tolerance: number,
  directions: readonly SurfaceDirection[] = BOTH,
): Partial<SurfaceDistancePair> {
  const ref = paddedCrop(reference, shape, box, members);
  const pred = paddedCrop(prediction, shape, box, members);
  const out: { -readonly [K in SurfaceDirection]?: DirectedDistances } = {};
  if (convention === 'voxel') {
    const refSurface = voxelSurface(ref);
    const predSurface = voxelSurface(pred);
    for (const d of directions) {
      out[d] =
        d === 'referenceToPrediction'
          ? directedVoxelDistances(refSurface, predSurface, ref.shape, spacing, tolerance)
          : directedVoxelDistances(predSurface, refSurface, ref.shape, spacing, tolerance);
    }
    return out;
  }
  const refCodes = cornerCodes(ref);
  const predCodes = cornerCodes(pred);
  const areas = surfelAreaByCode(spacing);
  for (const d of directions) {
    out[d] =
      d === 'referenceToPrediction'
        ? directedElementDistances(refCodes.codes, predCodes.codes, refCodes.shape, spacing, areas, tolerance)
        : directedElementDistances(predCodes.codes, refCodes.codes, refCodes.shape, spacing, areas, tolerance);
  }
  return out;
}
