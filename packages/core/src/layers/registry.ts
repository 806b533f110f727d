import { serialization } from '@tensorflow/tfjs-core';
import { AttentionGate, MultiDomainAttentionGate } from './attention_gate.js';
import { DomainSpecificBatchNorm } from './domain_specific_batch_norm.js';
import { DomainSpecificHeads } from './domain_specific_heads.js';
import { InstanceNormalization } from './instance_normalization.js';
import { MultiDomainConvBlock } from './multi_domain_conv_block.js';
import { MultiDomainMBConv } from './multi_domain_mbconv.js';
import { PcaShapeLayer } from './pca_shape_layer.js';
import { SqueezeExcitation } from './squeeze_excitation.js';

/** Every layer class of `@pedseg/core`, each registered for tfjs-layers (de)serialization under its `className`. */
export const CUSTOM_LAYER_CLASSES = [
  DomainSpecificBatchNorm,
  InstanceNormalization,
  MultiDomainConvBlock,
  AttentionGate,
  MultiDomainAttentionGate,
  DomainSpecificHeads,
  SqueezeExcitation,
  MultiDomainMBConv,
  PcaShapeLayer,
] as const;

/**
 * (Re-)registers every class of {@link CUSTOM_LAYER_CLASSES} with `serialization.registerClass`. Importing
 * a layer's module already registers it; this explicit, idempotent call keeps loading working when a
 * bundler drops modules whose exports look unused. {@link loadModel} calls it.
 */
export function registerCustomLayers(): void {
  for (const cls of CUSTOM_LAYER_CLASSES) serialization.registerClass(cls);
}
