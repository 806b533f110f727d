import type { Box3, Vec3 } from '@pedseg/volume';
import type { SurfaceConvention } from '../types.js';
import { cornerCodes, directedElementDistances } from './element-surface.js';
import { paddedCrop } from './padded-crop.js';
import { surfelAreaByCode } from './surfel-areas.js';
import type { DirectedDistances } from './surface-scores.js';
import { directedVoxelDistances, voxelSurface } from './voxel-surface.js';

/** Both directions of the surface distances of one structure. */
export interface SurfaceDistancePair {
  /** From each reference surface element to the prediction surface. */
  readonly referenceToPrediction: DirectedDistances;
  /** From each prediction surface element to the reference surface. */
  readonly predictionToReference: DirectedDistances;
}

/**
 * Surface distances of one structure present in both images. Works on the union bounding box of the
 * structure in both images (plus a one-voxel margin), so the cost follows the structure's size, not
 * the image's; the EDTs are exact there because every surface element lies inside.
 *
 * @param reference - Reference label values (whole image).
 * @param prediction - Prediction label values (whole image).
 * @param shape - Image shape.
 * @param spacing - Voxel spacing in mm.
 * @param box - Union bounding box of the structure in both images.
 * @param member - Which values belong to the structure.
 * @param convention - Surface convention.
 * @param tolerance - Surface Dice tolerance in mm.
 */
export function structureSurfaceDistances(
  reference: ArrayLike<number>,
  prediction: ArrayLike<number>,
  shape: Vec3,
  spacing: Vec3,
  box: Box3,
  member: (value: number) => boolean,
  convention: SurfaceConvention,
  tolerance: number,
): SurfaceDistancePair {
  const ref = paddedCrop(reference, shape, box, member);
  const pred = paddedCrop(prediction, shape, box, member);
  if (convention === 'voxel') {
    const refSurface = voxelSurface(ref);
    const predSurface = voxelSurface(pred);
    return {
      referenceToPrediction: directedVoxelDistances(refSurface, predSurface, ref.shape, spacing, tolerance),
      predictionToReference: directedVoxelDistances(predSurface, refSurface, ref.shape, spacing, tolerance),
    };
  }
  const refCodes = cornerCodes(ref);
  const predCodes = cornerCodes(pred);
  const areas = surfelAreaByCode(spacing);
  return {
    referenceToPrediction: directedElementDistances(refCodes.codes, predCodes.codes, refCodes.shape, spacing, areas, tolerance),
    predictionToReference: directedElementDistances(predCodes.codes, refCodes.codes, refCodes.shape, spacing, areas, tolerance),
  };
}
