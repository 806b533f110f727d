/**
 * @pedseg/volume — 3D volumes (x fastest, `index = x + nx * (y + ny * z)`), NIfTI-1/2 I/O, exact
 * Euclidean distance transforms and connected components. No tfjs dependency.
 *
 * @packageDocumentation
 */

/** Name of this package. */
export const PACKAGE_NAME = '@pedseg/volume';

export type { Box3, Vec3, Volume, VoxelArray } from './types.js';
export {
  ConnectivityError,
  DatatypeConversionError,
  GeometryMismatchError,
  NiftiFormatError,
  UnsupportedDatatypeError,
  VolumeAffineError,
  VolumeShapeError,
  VolumeSpacingError,
} from './errors.js';
export {
  assertSameGeometry,
  createVolume,
  diagonalAffine,
  indexToVoxel,
  sameGeometry,
  spacingFromAffine,
  voxelIndex,
  voxelToWorld,
  worldToVoxel,
} from './volume.js';
export type { CreateVolumeOptions, Geometry, SameGeometryOptions } from './volume.js';
export { boundingBox, boxShape, cropToBox, padBox, unionBox } from './box.js';
export { distanceToFeatures, squaredDistanceToFeatures, squaredDistanceToFeaturesInBox } from './edt.js';
export { connectedComponents2D, connectedComponents3D } from './components.js';
export type { Components, Connectivity2D, Connectivity3D } from './components.js';
export { parseNifti, parseNiftiHeader, readNifti } from './nifti/read.js';
export { encodeNifti, writeNifti } from './nifti/write.js';
export type { NiftiWriteOptions } from './nifti/write.js';
export type { NiftiHeader } from './nifti/header.js';
export type { NiftiDatatype } from './nifti/datatypes.js';
