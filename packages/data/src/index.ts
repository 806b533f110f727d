/**
 * @pedseg/data — synthetic pediatric MR phantoms, dataset readers, 2D slices, augmentation, batches
 * and splits.
 *
 * @packageDocumentation
 */

/** Name of this package. */
export const PACKAGE_NAME = '@pedseg/data';

export { Rng, hashString } from './random.js';
export {
  CaseGeometryError,
  DataArgumentError,
  DatasetLayoutError,
  MissingCaseFileError,
  SplitError,
  UndeclaredLabelError,
} from './errors.js';
export {
  DOMAIN_ACQUISITION,
  DOMAIN_CONTRAST,
  DOMAIN_LABELS,
  PAPER_COHORT_SIZES,
  PHANTOM_DOMAINS,
} from './phantom/domains.js';
export type { DomainAcquisition, DomainContrast, PhantomDomain } from './phantom/domains.js';
export { SMALL_PHANTOM_SHAPE, phantomGrid } from './phantom/geometry.js';
export type { PhantomGrid, PhantomSize } from './phantom/geometry.js';
export { MOTION_PROBABILITY } from './phantom/subject.js';
export type { PhantomSubject } from './phantom/subject.js';
export { fibonacciSphere } from './phantom/landmarks.js';
export type { BoneLandmarks } from './phantom/landmarks.js';
export { generateCohort, generatePhantom, phantomCaseId } from './phantom/phantom.js';
export type { CohortOptions, Phantom, PhantomOptions } from './phantom/phantom.js';
export { extractSlices, concatSliceSets, volumeMoments } from './slices/extract.js';
export type { SliceAxis, SliceOptions, SliceSet } from './slices/extract.js';
export { AUGMENTATION_PRESETS } from './augment/presets.js';
export type { AugmentationPreset, AugmentationRanges } from './augment/presets.js';
export { IDENTITY_AUGMENTATION, augmentationMatrix, sampleAugmentation } from './augment/transform.js';
export type { AugmentationParams } from './augment/transform.js';
export { Augmenter, augmentBatch } from './augment/augment.js';
export type { AugmentOptions, AugmentedBatch, AugmenterOptions, FillMode } from './augment/augment.js';
export { DomainBalancedSampler, SingleDomainSampler } from './batch/sampler.js';
export type { Batch, BatchEntry, SamplerOptions } from './batch/sampler.js';
export { checkFold, kFoldSplits, leaveOneOutSplits, lockStepLeaveOneOut, parseSplits, serializeSplits } from './splits/splits.js';
export type { Fold, LockStepFold, SplitOptions, SplitPlan } from './splits/splits.js';
export { iterateCases, loadCase } from './dataset/dataset.js';
export type { DatasetCase, LoadedCase, SegmentationDataset } from './dataset/dataset.js';
export { openMsdDataset } from './dataset/msd.js';
export type { OpenMsdOptions } from './dataset/msd.js';
export { openFolderDatasets } from './dataset/folders.js';
export type { OpenFoldersOptions } from './dataset/folders.js';
export { writeFolderCase, writeMsdDataset, writePhantomDatasets } from './dataset/write.js';
export type { CaseToWrite, DatasetLayout, WritePhantomOptions } from './dataset/write.js';
