import * as tfl from '@tensorflow/tfjs-layers';
import type { SymbolicTensor } from '@tensorflow/tfjs-layers';
import { DomainSpecificBatchNorm } from '@pedseg/core';
import type { BlockContext } from '../segmentation/blocks.js';
import { buildPretrainedUNet, scaled, type EncoderResult, type PretrainedSegmentationNetwork, type PretrainedUNetOptions } from './common.js';

/** Keras' InceptionV3 batch-norm ε (the Keras default). */
const INCEPTION_EPSILON = 1e-3;

/**
 * Builds InceptionV3 layer by layer, numbering the anonymous `conv2d_bn` blocks exactly as Keras does in a
 * fresh session (`conv2d`, `conv2d_1`, …, `batch_normalization`, `batch_normalization_1`, …).
 */
class InceptionBuilder {
  private count = 0;
  private pools = 0;
  private concats = 0;

  constructor(
    private readonly ctx: BlockContext,
    private readonly divisor: number,
  ) {}

  /** Keras `conv2d_bn`: conv without bias, BN without scale, ReLU ('same' padding, see the encoder doc). */
  convBn(x: SymbolicTensor, filters: number, rows: number, cols: number, strides = 1): SymbolicTensor {
    const suffix = this.count === 0 ? '' : `_${this.count}`;
    this.count++;
    const conv = tfl.layers
      .conv2d({ name: `conv2d${suffix}`, filters: scaled(filters, this.divisor), kernelSize: [rows, cols], strides, padding: 'same', useBias: false })
      .apply(x) as SymbolicTensor;
    const name = `batch_normalization${suffix}`;
    const ctx = this.ctx;
    const normed = (
      ctx.domain
        ? new DomainSpecificBatchNorm({ name, numDomains: ctx.numDomains, epsilon: INCEPTION_EPSILON, momentum: ctx.momentum }).apply([conv, ctx.domain])
        : // Keras uses scale=false; tfjs-layers 4.22 crashes in training with scale=false (it reads γ
          // unconditionally), so γ exists here, starts at 1 and is simply absent from Keras files.
          tfl.layers.batchNormalization({ name, axis: 3, epsilon: INCEPTION_EPSILON, momentum: ctx.momentum }).apply(conv)
    ) as SymbolicTensor;
    return tfl.layers.activation({ name: `activation${suffix}`, activation: 'relu' }).apply(normed) as SymbolicTensor;
  }

  maxPool(x: SymbolicTensor): SymbolicTensor {
    const name = `max_pooling2d${this.pools === 0 ? '' : `_${this.pools}`}`;
    this.pools++;
    return tfl.layers.maxPooling2d({ name, poolSize: 3, strides: 2, padding: 'same' }).apply(x) as SymbolicTensor;
  }

  avgPool(x: SymbolicTensor, id: string): SymbolicTensor {
    return tfl.layers.averagePooling2d({ name: `${id}_avg_pool`, poolSize: 3, strides: 1, padding: 'same' }).apply(x) as SymbolicTensor;
  }

  concat(xs: SymbolicTensor[], name?: string): SymbolicTensor {
    const n = name ?? `concatenate${this.concats === 0 ? '' : `_${this.concats}`}`;
    if (name === undefined) this.concats++;
    return tfl.layers.concatenate({ name: n, axis: -1 }).apply(xs) as SymbolicTensor;
  }
}

/**
 * @internal InceptionV3 (Szegedy et al. 2016) with Keras Applications layer names: the 94 `conv2d_bn`
 * blocks numbered as Keras numbers them in a fresh session (`conv2d` … `conv2d_93`,
 * `batch_normalization` …; Keras' BN has no γ, ours has one starting at 1 because tfjs-layers cannot train a
 * γ-less batch norm), and the `mixed0` … `mixed10` concatenations. Keras pads the stem
 * and the reduction blocks 'valid' (299 → 8); here every convolution and pooling is 'same', so a 2^k input
 * halves exactly at each reduction and lines up with the UNet decoder — the kernels, hence the ImageNet
 * weights, are unchanged; only border handling differs. Skips: the RGB input (1/1), the third stem
 * convolution (1/2), the fifth (1/4), `mixed2` (1/8), `mixed7` (1/16); bottleneck `mixed10` (1/32, 2048).
 */
export function inceptionV3Encoder(ctx: BlockContext, rgb: SymbolicTensor, divisor: number): EncoderResult {
  const b = new InceptionBuilder(ctx, divisor);
  let x = b.convBn(rgb, 32, 3, 3, 2);
  x = b.convBn(x, 32, 3, 3);
  const s1 = b.convBn(x, 64, 3, 3);
  x = b.maxPool(s1);
  x = b.convBn(x, 80, 1, 1);
  const s2 = b.convBn(x, 192, 3, 3);
  x = b.maxPool(s2);
  // mixed 0, 1, 2 (35×35 in Keras)
  for (let i = 0; i < 3; i++) {
    const b1 = b.convBn(x, 64, 1, 1);
    let b5 = b.convBn(x, 48, 1, 1);
    b5 = b.convBn(b5, 64, 5, 5);
    let b3 = b.convBn(x, 64, 1, 1);
    b3 = b.convBn(b3, 96, 3, 3);
    b3 = b.convBn(b3, 96, 3, 3);
    const bp = b.convBn(b.avgPool(x, `mixed${i}`), i === 0 ? 32 : 64, 1, 1);
    x = b.concat([b1, b5, b3, bp], `mixed${i}`);
  }
  const s3 = x;
  // mixed 3 (reduction)
  {
    const b3 = b.convBn(x, 384, 3, 3, 2);
    let bd = b.convBn(x, 64, 1, 1);
    bd = b.convBn(bd, 96, 3, 3);
    bd = b.convBn(bd, 96, 3, 3, 2);
    x = b.concat([b3, bd, b.maxPool(x)], 'mixed3');
  }
  // mixed 4 … 7 (17×17 in Keras)
  [128, 160, 160, 192].forEach((c, i) => {
    const b1 = b.convBn(x, 192, 1, 1);
    let b7 = b.convBn(x, c, 1, 1);
    b7 = b.convBn(b7, c, 1, 7);
    b7 = b.convBn(b7, 192, 7, 1);
    let bd = b.convBn(x, c, 1, 1);
    bd = b.convBn(bd, c, 7, 1);
    bd = b.convBn(bd, c, 1, 7);
    bd = b.convBn(bd, c, 7, 1);
    bd = b.convBn(bd, 192, 1, 7);
    const bp = b.convBn(b.avgPool(x, `mixed${4 + i}`), 192, 1, 1);
    x = b.concat([b1, b7, bd, bp], `mixed${4 + i}`);
  });
  const s4 = x;
  // mixed 8 (reduction)
  {
    let b3 = b.convBn(x, 192, 1, 1);
    b3 = b.convBn(b3, 320, 3, 3, 2);
    let b7 = b.convBn(x, 192, 1, 1);
    b7 = b.convBn(b7, 192, 1, 7);
    b7 = b.convBn(b7, 192, 7, 1);
    b7 = b.convBn(b7, 192, 3, 3, 2);
    x = b.concat([b3, b7, b.maxPool(x)], 'mixed8');
  }
  // mixed 9, 10 (8×8 in Keras)
  for (let i = 0; i < 2; i++) {
    const b1 = b.convBn(x, 320, 1, 1);
    const b3 = b.convBn(x, 384, 1, 1);
    const b3cat = b.concat([b.convBn(b3, 384, 1, 3), b.convBn(b3, 384, 3, 1)], `mixed9_${i}`);
    let bd = b.convBn(x, 448, 1, 1);
    bd = b.convBn(bd, 384, 3, 3);
    const bdcat = b.concat([b.convBn(bd, 384, 1, 3), b.convBn(bd, 384, 3, 1)]);
    const bp = b.convBn(b.avgPool(x, `mixed${9 + i}`), 192, 1, 1);
    x = b.concat([b1, b3cat, bdcat, bp], `mixed${9 + i}`);
  }
  return { skips: [rgb, s1, s2, s3, s4], bottleneck: x };
}

/**
 * Inception-UNet of the multi-task paper (002): InceptionV3 (Keras Applications layer names, ImageNet
 * weights loadable by name from a model converted in a fresh Keras session) as encoder of grayscale slices
 * replicated to 3 channels, 'same' padding throughout (see the note on borders in the encoder), five
 * resolution levels (`inputSize` divisible by 32) and a symmetric decoder of widths 512, 256, 128, 64, 32.
 * With `domains.strategy = 'dsl'` every encoder batch norm is a `DomainSpecificBatchNorm` of the same
 * name (Keras' BN has no γ; the DSBN's γ starts at 1).
 *
 * @param options - see {@link PretrainedUNetOptions}.
 * @throws {@link ModelConfigError} for invalid options; {@link WeightLoadError} if `weights` cannot be read.
 */
export async function buildInceptionUNet(options: PretrainedUNetOptions): Promise<PretrainedSegmentationNetwork> {
  return buildPretrainedUNet(options, { name: 'inception_unet', depth: 5, decoderWidths: [32, 64, 128, 256, 512], encoder: inceptionV3Encoder }, 'buildInceptionUNet');
}
