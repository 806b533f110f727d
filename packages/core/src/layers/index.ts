export { DomainIndexError, LayerInputError, LayerConfigError } from './errors.js';
export type { BaseLayerArgs, CallKwargs } from './types.js';
export { checkDomainIndex, domainOneHot, routeDomains } from './domain_routing.js';
export type { BlockActivation } from './activation.js';
export { DomainSpecificBatchNorm, type DomainSpecificBatchNormArgs } from './domain_specific_batch_norm.js';
export { InstanceNormalization, type InstanceNormalizationArgs } from './instance_normalization.js';
export { MultiDomainConvBlock, type MultiDomainConvBlockArgs } from './multi_domain_conv_block.js';
export {
  AttentionGateBase,
  AttentionGate,
  MultiDomainAttentionGate,
  type AttentionGateArgs,
  type MultiDomainAttentionGateArgs,
} from './attention_gate.js';
export {
  DomainSpecificHeads,
  classCountMask,
  domainClassMask,
  domainClassSlice,
  type DomainSpecificHeadsArgs,
} from './domain_specific_heads.js';
export { SqueezeExcitation, type SqueezeExcitationArgs } from './squeeze_excitation.js';
export { MultiDomainMBConv, type MultiDomainMBConvArgs } from './multi_domain_mbconv.js';
export {
  PcaShapeLayer,
  type PcaShapeLayerArgs,
  type ShapeModel,
  type ScaleParameterization,
} from './pca_shape_layer.js';
export { rotationMatrices } from './similarity_transform.js';
export { CUSTOM_LAYER_CLASSES, registerCustomLayers } from './registry.js';
