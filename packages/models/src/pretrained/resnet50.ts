import * as tfl from '@tensorflow/tfjs-layers';
import type { SymbolicTensor } from '@tensorflow/tfjs-layers';
import { DomainSpecificBatchNorm } from '@pedseg/core';
import type { BlockContext } from '../segmentation/blocks.js';
import { buildPretrainedUNet, scaled, type EncoderResult, type PretrainedSegmentationNetwork, type PretrainedUNetOptions } from './common.js';

/** Keras' ResNet50 batch-norm ε. */
const RESNET_EPSILON = 1.001e-5;

/** Batch norm, or a DSBN of the same name when the context routes domains (ImageNet [C] weights tile over K). */
function bn(ctx: BlockContext, x: SymbolicTensor, name: string): SymbolicTensor {
  if (ctx.domain) {
    return new DomainSpecificBatchNorm({ name, numDomains: ctx.numDomains, epsilon: RESNET_EPSILON, momentum: ctx.momentum }).apply([x, ctx.domain]) as SymbolicTensor;
  }
  return tfl.layers.batchNormalization({ name, axis: 3, epsilon: RESNET_EPSILON, momentum: ctx.momentum }).apply(x) as SymbolicTensor;
}

function conv(x: SymbolicTensor, filters: number, kernelSize: number, strides: number, name: string, padding: 'same' | 'valid' = 'same'): SymbolicTensor {
  return tfl.layers.conv2d({ name, filters, kernelSize, strides, padding }).apply(x) as SymbolicTensor;
}

/** Keras `stack1`/`block1` bottleneck residual block (v1: stride on the first 1×1 convolution). */
function block(ctx: BlockContext, x: SymbolicTensor, filters: number, strides: number, shortcutConv: boolean, name: string): SymbolicTensor {
  let shortcut = x;
  if (shortcutConv) shortcut = bn(ctx, conv(x, 4 * filters, 1, strides, `${name}_0_conv`), `${name}_0_bn`);
  let h = conv(x, filters, 1, strides, `${name}_1_conv`);
  h = tfl.layers.activation({ name: `${name}_1_relu`, activation: 'relu' }).apply(bn(ctx, h, `${name}_1_bn`)) as SymbolicTensor;
  h = conv(h, filters, 3, 1, `${name}_2_conv`);
  h = tfl.layers.activation({ name: `${name}_2_relu`, activation: 'relu' }).apply(bn(ctx, h, `${name}_2_bn`)) as SymbolicTensor;
  h = bn(ctx, conv(h, 4 * filters, 1, 1, `${name}_3_conv`), `${name}_3_bn`);
  const sum = tfl.layers.add({ name: `${name}_add` }).apply([shortcut, h]) as SymbolicTensor;
  return tfl.layers.activation({ name: `${name}_out`, activation: 'relu' }).apply(sum) as SymbolicTensor;
}

/**
 * @internal ResNet50 (v1, He et al. 2016) up to stage 4 with Keras Applications layer names (`conv1_conv`,
 * `conv1_bn`, `conv{s}_block{b}_{0..3}_{conv,bn}`, …). Skips: the RGB input (1/1), `conv1_relu` (1/2),
 * `conv2_block3_out` (1/4), `conv3_block4_out` (1/8); bottleneck `conv4_block6_out` (1/16, 1024 channels).
 * Stage 5 is not used.
 */
export function resnet50Encoder(ctx: BlockContext, rgb: SymbolicTensor, divisor: number): EncoderResult {
  const f = (n: number) => scaled(n, divisor);
  let x = tfl.layers.zeroPadding2d({ name: 'conv1_pad', padding: 3 }).apply(rgb) as SymbolicTensor;
  x = conv(x, f(64), 7, 2, 'conv1_conv', 'valid');
  const c1 = tfl.layers.activation({ name: 'conv1_relu', activation: 'relu' }).apply(bn(ctx, x, 'conv1_bn')) as SymbolicTensor;
  x = tfl.layers.zeroPadding2d({ name: 'pool1_pad', padding: 1 }).apply(c1) as SymbolicTensor;
  x = tfl.layers.maxPooling2d({ name: 'pool1_pool', poolSize: 3, strides: 2 }).apply(x) as SymbolicTensor;
  const stages: Array<[number, number, number]> = [
    [2, 64, 3],
    [3, 128, 4],
    [4, 256, 6],
  ];
  const outs: SymbolicTensor[] = [];
  for (const [stage, filters, blocks] of stages) {
    for (let b = 1; b <= blocks; b++) {
      x = block(ctx, x, f(filters), b === 1 && stage > 2 ? 2 : 1, b === 1, `conv${stage}_block${b}`);
    }
    outs.push(x);
  }
  return { skips: [rgb, c1, outs[0] as SymbolicTensor, outs[1] as SymbolicTensor], bottleneck: outs[2] as SymbolicTensor };
}

/**
 * Res-UNet of the combined-regularization paper (000, Fig. 3): ResNet50 (up to stage 4, Keras Applications
 * layer names, so ImageNet weights load by name) as encoder of grayscale slices replicated to 3 channels,
 * and a symmetric decoder (widths 256, 128, 64, 32) of 2×2 up-convolutions and two conv–BN–ReLU blocks
 * per level, the last level's skip being the input itself. With `domains.strategy = 'dsl'` every encoder
 * batch norm becomes a `DomainSpecificBatchNorm` of the same name (ImageNet statistics are copied to each
 * domain on loading), the decoder uses multi-domain blocks and the heads are domain-specific.
 *
 * @param options - see {@link PretrainedUNetOptions}; `inputSize` divisible by 16.
 * @throws {@link ModelConfigError} for invalid options; {@link WeightLoadError} if `weights` cannot be read.
 */
export async function buildResUNet(options: PretrainedUNetOptions): Promise<PretrainedSegmentationNetwork> {
  return buildPretrainedUNet(options, { name: 'res_unet', depth: 4, decoderWidths: [32, 64, 128, 256], encoder: resnet50Encoder }, 'buildResUNet');
}
