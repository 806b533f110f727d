/**
 * `@pedseg/losses` — the loss terms of the papers behind `@pedseg`, as plain, composable tfjs
 * functions to call inside your own `optimizer.minimize` loop.
 *
 * @packageDocumentation
 */

/** Name of this package. */
export const PACKAGE_NAME = '@pedseg/losses';

export {
  LossInputError,
  LossShapeError,
  LossRankError,
  LossDtypeError,
  DomainLabelError,
  InvalidLossOptionError,
} from './errors.js';
export type { DomainIndices } from './domains.js';
export type { FrozenModel, DomainAwareModel } from './frozen.js';
export { categoricalCrossEntropy, binaryCrossEntropy } from './cross_entropy.js';
export type { ClassReduction, CategoricalCrossEntropyOptions, BinaryCrossEntropyOptions } from './cross_entropy.js';
export { multiTaskCrossEntropy } from './multi_task_cross_entropy.js';
export type { MultiTaskCrossEntropyOptions } from './multi_task_cross_entropy.js';
export { softDiceLoss } from './dice.js';
export type { SoftDiceLossOptions } from './dice.js';
export { boundaryDistanceWeights, boundaryWeightedCrossEntropy } from './boundary_weighted_cross_entropy.js';
export type {
  BoundaryDistanceWeightOptions,
  BoundaryWeightedCrossEntropyOptions,
} from './boundary_weighted_cross_entropy.js';
export { shapePriorsLoss, shapeCodeDistance } from './shape_priors.js';
export type { CodeReduction, CodeDistanceOptions } from './shape_priors.js';
export {
  conditionalDiscriminatorLoss,
  conditionalAdversarialLoss,
  conditionalAdversarialTerm,
  applyConditionalDiscriminator,
} from './adversarial.js';
export type { AdversarialLossOptions, ConditionalDiscriminator } from './adversarial.js';
export { sparDiscriminatorLoss, sparLoss, sparTerm } from './spar.js';
export { combinedRegularizationObjective, sparObjective } from './objectives.js';
export type {
  SegmentationCrossEntropyOptions,
  CombinedRegularizationOptions,
  CombinedRegularizationTerms,
  SparObjectiveOptions,
  SparObjectiveTerms,
} from './objectives.js';
export { supervisedContrastiveLoss } from './contrastive.js';
export type { SupervisedContrastiveOptions } from './contrastive.js';
export { multiScaleContrastiveLoss, globalPool } from './multi_scale_contrastive.js';
export type { MultiScaleContrastiveOptions } from './multi_scale_contrastive.js';
export {
  multiJointAnatomicalPriorsLoss,
  multiJointAutoEncoderLoss,
  multiTaskObjective,
} from './anatomical_priors.js';
export type {
  AnatomicalPriorsOptions,
  MultiJointAutoEncoderOptions,
  MultiJointAutoEncoderTerms,
  MultiTaskObjectiveOptions,
  MultiTaskObjectiveTerms,
} from './anatomical_priors.js';
export { landmarkMeanSquaredError, landmarkMeanEuclideanDistance } from './landmarks.js';
