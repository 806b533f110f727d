import * as tfl from '@tensorflow/tfjs-layers';
import type { SymbolicTensor } from '@tensorflow/tfjs-layers';
import type { BlockContext } from '../segmentation/blocks.js';
import { buildPretrainedUNet, scaled, type EncoderResult, type PretrainedSegmentationNetwork, type PretrainedUNetOptions } from './common.js';

/** VGG19 convolutions per block and widths (Simonyan & Zisserman 2015, configuration E). */
const VGG19_BLOCKS: ReadonlyArray<readonly [number, number]> = [
  [2, 64],
  [2, 128],
  [4, 256],
  [4, 512],
  [4, 512],
];

/**
 * @internal The VGG19 convolutional base with Keras Applications layer names (`block{b}_conv{i}`,
 * `block{b}_pool`; 3×3 convolutions with bias and ReLU). Skips are the last convolution of blocks 1-4, the
 * bottleneck the last convolution of block 5 (its pooling and the dense top are dropped).
 */
export function vgg19Encoder(_ctx: BlockContext, rgb: SymbolicTensor, divisor: number): EncoderResult {
  let x = rgb;
  const skips: SymbolicTensor[] = [];
  VGG19_BLOCKS.forEach(([convs, width], b) => {
    if (b > 0) x = tfl.layers.maxPooling2d({ name: `block${b}_pool`, poolSize: 2, strides: 2 }).apply(x) as SymbolicTensor;
    for (let i = 1; i <= convs; i++) {
      x = tfl.layers.conv2d({ name: `block${b + 1}_conv${i}`, filters: scaled(width, divisor), kernelSize: 3, padding: 'same', activation: 'relu' }).apply(x) as SymbolicTensor;
    }
    if (b < 4) skips.push(x);
  });
  return { skips, bottleneck: x };
}

/**
 * VGG-UNet of the combined-regularization paper (000, §3.2): the VGG19 convolutional base as encoder
 * (grayscale replicated to 3 channels, layer names as Keras Applications' `VGG19`, so ImageNet weights load
 * by name), skips from `block1_conv2`, `block2_conv2`, `block3_conv4`, `block4_conv4`, bottleneck
 * `block5_conv4` (1/16), and a symmetric decoder (widths 512, 256, 128, 64) of 2×2 up-convolutions and two
 * conv–BN–ReLU blocks per level. Attention gates (`attention: true`) and the multi-domain strategies
 * (`domains`) work as in {@link buildUNet}; VGG19 has no batch norm, so `dsl` makes the decoder, gates and
 * heads domain-specific while the encoder is shared.
 *
 * @param options - see {@link PretrainedUNetOptions}; `inputSize` divisible by 16.
 * @returns the network; `weightReport` lists what was loaded.
 * @throws {@link ModelConfigError} for invalid options; {@link WeightLoadError} if `weights` cannot be read.
 */
export async function buildVggUNet(options: PretrainedUNetOptions): Promise<PretrainedSegmentationNetwork> {
  return buildPretrainedUNet(options, { name: 'vgg_unet', depth: 4, decoderWidths: [64, 128, 256, 512], encoder: vgg19Encoder }, 'buildVggUNet');
}
