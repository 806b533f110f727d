/**
 * Post-processing of 2D-slice segmentations into 3D masks, without tfjs: slice stacking, merging of
 * per-bone maps, connected-component filters, hole filling and exact ball morphology.
 *
 * @packageDocumentation
 */
export {
  PostprocessError,
  LabelValueError,
  ProbabilityValueError,
  PostprocessOptionError,
  SliceStackError,
  VolumeMismatchError,
} from './errors.js';
export { stackLabelSlices, stackProbabilitySlices } from './stack.js';
export type { LabelSlice, ProbabilitySlice, StackOptions } from './stack.js';
export { mergeIndividualProbabilities } from './merge.js';
export type { MergeOptions } from './merge.js';
export { keepLargestComponentPerLabel, keepLargestComponents, removeSmallComponents } from './components.js';
export type { ComponentOptions, LargestPerLabelOptions, KeepLargestOptions, RemoveSmallOptions } from './components.js';
export { fillHoles } from './holes.js';
export type { FillHolesOptions } from './holes.js';
export { ballDilation, ballErosion, ballOpening, ballClosing } from './morphology.js';
export type { BallOptions } from './morphology.js';
export type { BallMethod } from './within.js';
export { MM_RADIUS_TOLERANCE } from './radius.js';
export type { RadiusUnit } from './radius.js';
export { inventoryLabels } from './labels.js';
export type { LabelInventory } from './labels.js';
export { postprocessSegmentation } from './pipeline.js';
export type { PipelineConfig, Strategy } from './pipeline.js';

/** Name of this package, for diagnostics. */
export const PACKAGE_NAME = '@pedseg/postprocess';
