import * as tfl from '@tensorflow/tfjs-layers';
import type { SymbolicTensor } from '@tensorflow/tfjs-layers';
import { DomainSpecificBatchNorm } from '@pedseg/core';
import type { BlockContext } from '../segmentation/blocks.js';
import { buildPretrainedUNet, scaled, type EncoderResult, type PretrainedSegmentationNetwork, type PretrainedUNetOptions } from './common.js';

/** Keras' DenseNet batch-norm ε. */
const DENSENET_EPSILON = 1.001e-5;
const GROWTH = 32;

function bnRelu(ctx: BlockContext, x: SymbolicTensor, bnName: string, reluName: string): SymbolicTensor {
  const normed = ctx.domain
    ? new DomainSpecificBatchNorm({ name: bnName, numDomains: ctx.numDomains, epsilon: DENSENET_EPSILON, momentum: ctx.momentum }).apply([x, ctx.domain])
    : tfl.layers.batchNormalization({ name: bnName, axis: 3, epsilon: DENSENET_EPSILON, momentum: ctx.momentum }).apply(x);
  return tfl.layers.activation({ name: reluName, activation: 'relu' }).apply(normed as SymbolicTensor) as SymbolicTensor;
}

function conv(x: SymbolicTensor, filters: number, kernelSize: number, name: string, strides = 1, padding: 'same' | 'valid' = 'same'): SymbolicTensor {
  return tfl.layers.conv2d({ name, filters, kernelSize, strides, padding, useBias: false }).apply(x) as SymbolicTensor;
}

/** Keras `dense_block`: `blocks` × (BN-ReLU-1×1 conv (4·growth) - BN-ReLU-3×3 conv (growth), concatenated). */
function denseBlock(ctx: BlockContext, x: SymbolicTensor, blocks: number, growth: number, name: string): SymbolicTensor {
  for (let i = 1; i <= blocks; i++) {
    const p = `${name}_block${i}`;
    let h = bnRelu(ctx, x, `${p}_0_bn`, `${p}_0_relu`);
    h = conv(h, 4 * growth, 1, `${p}_1_conv`);
    h = bnRelu(ctx, h, `${p}_1_bn`, `${p}_1_relu`);
    h = conv(h, growth, 3, `${p}_2_conv`);
    x = tfl.layers.concatenate({ name: `${p}_concat`, axis: -1 }).apply([x, h]) as SymbolicTensor;
  }
  return x;
}

/** Keras `transition_block`: BN-ReLU, 1×1 conv halving the channels, 2×2 average pooling. */
function transition(ctx: BlockContext, x: SymbolicTensor, name: string): SymbolicTensor {
  const channels = x.shape[x.shape.length - 1] as number;
  let h = bnRelu(ctx, x, `${name}_bn`, `${name}_relu`);
  h = conv(h, Math.floor(channels * 0.5), 1, `${name}_conv`);
  return tfl.layers.averagePooling2d({ name: `${name}_pool`, poolSize: 2, strides: 2 }).apply(h) as SymbolicTensor;
}

/**
 * @internal DenseNet121 (Huang et al. 2017) with Keras Applications layer names (`conv1/conv`, `conv1/bn`,
 * `conv{s}_block{i}_{0,1}_bn`, `…_{1,2}_conv`, `pool{s}_{bn,conv,pool}`, final `bn`). Blocks 6, 12, 24, 16,
 * growth rate 32. Skips: the RGB input (1/1), `conv1/relu` (1/2), `conv2_block6_concat` (1/4),
 * `conv3_block12_concat` (1/8), `conv4_block24_concat` (1/16); bottleneck: `relu` after block 5 (1/32).
 */
export function densenet121Encoder(ctx: BlockContext, rgb: SymbolicTensor, divisor: number): EncoderResult {
  const growth = scaled(GROWTH, divisor);
  let x = tfl.layers.zeroPadding2d({ name: 'zero_padding2d', padding: 3 }).apply(rgb) as SymbolicTensor;
  x = conv(x, scaled(64, divisor), 7, 'conv1/conv', 2, 'valid');
  const c1 = bnRelu(ctx, x, 'conv1/bn', 'conv1/relu');
  x = tfl.layers.zeroPadding2d({ name: 'zero_padding2d_1', padding: 1 }).apply(c1) as SymbolicTensor;
  x = tfl.layers.maxPooling2d({ name: 'pool1', poolSize: 3, strides: 2 }).apply(x) as SymbolicTensor;
  const skips: SymbolicTensor[] = [rgb, c1];
  const blocks = [6, 12, 24, 16];
  blocks.forEach((n, i) => {
    x = denseBlock(ctx, x, n, growth, `conv${i + 2}`);
    if (i < 3) {
      skips.push(x);
      x = transition(ctx, x, `pool${i + 2}`);
    }
  });
  return { skips, bottleneck: bnRelu(ctx, x, 'bn', 'relu') };
}

/**
 * Dense-UNet of the combined-regularization and multi-task papers: DenseNet121 (Keras Applications layer
 * names, ImageNet weights loadable by name) as encoder of grayscale slices replicated to 3 channels, five
 * resolution levels (the bottleneck at 1/32, so `inputSize` must be divisible by 32), and a symmetric
 * decoder of widths 512, 256, 128, 64, 32 (2×2 up-convolution and two conv–BN–ReLU blocks per level, the
 * finest skip being the input). With `domains.strategy = 'dsl'` every encoder batch norm is a
 * `DomainSpecificBatchNorm` of the same name.
 *
 * @param options - see {@link PretrainedUNetOptions}.
 * @throws {@link ModelConfigError} for invalid options; {@link WeightLoadError} if `weights` cannot be read.
 */
export async function buildDenseUNet(options: PretrainedUNetOptions): Promise<PretrainedSegmentationNetwork> {
  return buildPretrainedUNet(options, { name: 'dense_unet', depth: 5, decoderWidths: [32, 64, 128, 256, 512], encoder: densenet121Encoder }, 'buildDenseUNet');
}
