/**
 * @pedseg/models — segmentation networks (UNet, Attention UNet, multi-domain DSL variants, pre-trained
 * encoders), regularization networks (shape auto-encoders, discriminators), statistical shape models and
 * volume inference.
 *
 * @packageDocumentation
 */

/** Name of this package. */
export const PACKAGE_NAME = '@pedseg/models';

export { ModelConfigError, ModelInputError, ShapeModelError, WeightLoadError } from './errors.js';
export {
  sharedLabelOffsets,
  type DomainOptions,
  type DomainStrategy,
  type OutputStrategy,
  type ResolvedSegmentationOptions,
  type SegmentationNetworkOptions,
} from './segmentation/options.js';
export type { SegmentationNetwork, SegmentationOutputs } from './segmentation/network.js';
export { buildAttentionUNet, buildUNet, foldBatchNorm } from './segmentation/unet.js';
export { DomainSpecificConv, type DomainSpecificConvArgs } from './layers/domain_specific_conv.js';
export {
  buildMultiJointAutoEncoder,
  buildShapeAutoEncoder,
  type ShapeAutoEncoder,
  type ShapeAutoEncoderOptions,
} from './regularization/shape_autoencoder.js';
export {
  buildConditionalDiscriminator,
  buildShapeCodeDiscriminator,
  type ConditionalDiscriminatorOptions,
  type ShapeCodeDiscriminatorOptions,
} from './regularization/discriminators.js';
export { symmetricEigen, type SymmetricEigen } from './ssm/jacobi.js';
export {
  applySimilarity,
  generalizedProcrustes,
  procrustesAlign,
  type ProcrustesOptions,
  type ProcrustesResult,
  type SimilarityTransform,
} from './ssm/procrustes.js';
export { PcaShapeModel, type PcaFitOptions, type PcaShapeModelJSON } from './ssm/pca.js';
export { SeparableConv3D, type SeparableConv3DArgs } from './layers/separable_conv3d.js';
export { buildShapeRegressionNetwork, type ShapeRegressionOptions } from './regularization/shape_regression.js';
export { predictVolume, type PredictVolumeOptions, type ProbabilityVolume } from './inference/predict_volume.js';
export { loadEncoderWeights, type LoadEncoderWeightsOptions, type WeightLoadReport } from './pretrained/load_weights.js';
export type { PretrainedSegmentationNetwork, PretrainedUNetOptions } from './pretrained/common.js';
export { buildVggUNet } from './pretrained/vgg19.js';
export { buildResUNet } from './pretrained/resnet50.js';
export { buildDenseUNet } from './pretrained/densenet121.js';
export { buildEfficientUNet } from './pretrained/efficientnet_b3.js';
export { buildInceptionUNet } from './pretrained/inception_v3.js';
