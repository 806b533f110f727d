import { createVolume } from '@pedseg/volume';
import type { Volume, VoxelArray } from '@pedseg/volume';

/** A new volume with `data` and the geometry (shape, spacing, affine) of `like`. */
export function withData<T extends VoxelArray>(like: Volume, data: T): Volume<T> {
  return createVolume(data, like.shape, { spacing: like.spacing, affine: like.affine });
}
