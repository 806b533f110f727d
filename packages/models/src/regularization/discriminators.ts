import * as tfl from '@tensorflow/tfjs-layers';
import type { LayersModel, SymbolicTensor } from '@tensorflow/tfjs-layers';
import { checkInt, resolveWidths } from '../checks.js';
import { ModelConfigError } from '../errors.js';

/** Options of {@link buildConditionalDiscriminator}. */
export interface ConditionalDiscriminatorOptions {
  /** `[H, W]` of mask and image (default `[256, 256]`), divisible by `2^layers`. */
  inputSize?: [number, number];
  /** Channels of the mask (C + 1 for multi-class probabilities, 1 for global / individual). Default 1. */
  maskChannels?: number;
  /** Channels of the conditioning image (default 1). */
  imageChannels?: number;
  /** Widths of the strided 4×4 convolutions (default `[64, 128, 256]`: ≈0.7M parameters). */
  widths?: number[];
  /** LeakyReLU slope (default 0.2). */
  alpha?: number;
  /** Model name (default `conditional_discriminator`). */
  name?: string;
}

/**
 * Conditional discriminator D(y, x) of the combined-regularization paper (000, §2.4, Fig. 3 bottom right),
 * in the PatchGAN style its description implies: the mask y is concatenated with the grayscale image x, then
 * 4×4 stride-2 convolutions (LeakyReLU, batch norm from the second on), a 4×4 stride-1 convolution and a
 * sigmoid give a one-channel likelihood map `[batch, H/2^n, W/2^n, 1]`, each value the probability that the
 * corresponding crop of the mask is real (1) rather than predicted (0).
 *
 * Inputs `[mask, image]`.
 *
 * @throws {@link ModelConfigError} for invalid options.
 */
export function buildConditionalDiscriminator(options: ConditionalDiscriminatorOptions = {}): LayersModel {
  const where = 'buildConditionalDiscriminator';
  const widths = options.widths ?? [64, 128, 256];
  if (!Array.isArray(widths) || widths.length === 0) throw new ModelConfigError(`${where}: widths must be a non-empty array`);
  widths.forEach((w, i) => checkInt(w, `widths[${i}]`, where));
  const size = options.inputSize ?? [256, 256];
  const factor = 2 ** widths.length;
  size.forEach((n, i) => {
    checkInt(n, `inputSize[${i}]`, where);
    if (n % factor !== 0) throw new ModelConfigError(`${where}: inputSize[${i}] = ${n} must be divisible by 2^${widths.length} = ${factor}`);
  });
  const alpha = options.alpha ?? 0.2;
  const mask = tfl.input({ shape: [...size, checkInt(options.maskChannels ?? 1, 'maskChannels', where)], name: 'mask' });
  const image = tfl.input({ shape: [...size, checkInt(options.imageChannels ?? 1, 'imageChannels', where)], name: 'image' });
  let x = tfl.layers.concatenate({ axis: -1, name: 'condition' }).apply([mask, image]) as SymbolicTensor;
  widths.forEach((w, i) => {
    x = tfl.layers.conv2d({ name: `d${i}_conv`, filters: w, kernelSize: 4, strides: 2, padding: 'same', useBias: i === 0 }).apply(x) as SymbolicTensor;
    if (i > 0) x = tfl.layers.batchNormalization({ name: `d${i}_bn`, epsilon: 1e-5 }).apply(x) as SymbolicTensor;
    x = tfl.layers.leakyReLU({ name: `d${i}_lrelu`, alpha }).apply(x) as SymbolicTensor;
  });
  const out = tfl.layers.conv2d({ name: 'likelihood', filters: 1, kernelSize: 4, padding: 'same', activation: 'sigmoid' }).apply(x) as SymbolicTensor;
  return tfl.model({ inputs: [mask, image], outputs: out, name: options.name ?? 'conditional_discriminator' });
}

/** Options of {@link buildShapeCodeDiscriminator}. */
export interface ShapeCodeDiscriminatorOptions {
  /** Shape of one latent code `[h, w, c]` (e.g. `ShapeAutoEncoder.codeShape`); h and w divisible by `2^layers`. */
  codeShape: readonly number[];
  /** Number of 1×1 conv–BN–max-pool–ReLU layers (default: log2(min(h, w)), down to 1×1 spatially). */
  layers?: number;
  /** Model name (default `shape_code_discriminator`). */
  name?: string;
}

/**
 * Shape-code discriminator D(z) of SPAR (001, §2.3, Fig. 1): a succession of 1×1 convolutions, batch norm,
 * 2×2 max-pooling and ReLU, the number of features and the spatial size halved at every layer, then a 1×1
 * convolution to one channel, global average pooling and a sigmoid: `[batch, 1]`, the likelihood that the
 * code comes from a real (1) rather than a predicted (0) mask.
 *
 * @throws {@link ModelConfigError} for invalid options (e.g. more layers than the code has halvings or channels).
 */
export function buildShapeCodeDiscriminator(options: ShapeCodeDiscriminatorOptions): LayersModel {
  const where = 'buildShapeCodeDiscriminator';
  const shape = options?.codeShape;
  if (!Array.isArray(shape) || shape.length !== 3) throw new ModelConfigError(`${where}: codeShape must be [h, w, c], got ${JSON.stringify(shape)}`);
  const [h, w, c] = shape.map((n, i) => checkInt(n, `codeShape[${i}]`, where)) as [number, number, number];
  const layers = checkInt(options.layers ?? Math.floor(Math.log2(Math.min(h, w))), 'layers', where, 0);
  if (h % 2 ** layers !== 0 || w % 2 ** layers !== 0 || c < 2 ** layers) {
    throw new ModelConfigError(`${where}: ${layers} halvings need h, w divisible by ${2 ** layers} and c ≥ ${2 ** layers}, got [${h}, ${w}, ${c}]`);
  }
  const widths = resolveWidths(undefined, 1, layers, where).map((_, i) => Math.floor(c / 2 ** (i + 1))).slice(0, layers);
  const code = tfl.input({ shape: [h, w, c], name: 'code' });
  let x: SymbolicTensor = code;
  widths.forEach((f, i) => {
    x = tfl.layers.conv2d({ name: `c${i}_conv`, filters: f, kernelSize: 1, useBias: false }).apply(x) as SymbolicTensor;
    x = tfl.layers.batchNormalization({ name: `c${i}_bn`, epsilon: 1e-5 }).apply(x) as SymbolicTensor;
    x = tfl.layers.maxPooling2d({ name: `c${i}_pool`, poolSize: 2 }).apply(x) as SymbolicTensor;
    x = tfl.layers.reLU({ name: `c${i}_relu` }).apply(x) as SymbolicTensor;
  });
  x = tfl.layers.conv2d({ name: 'logit', filters: 1, kernelSize: 1 }).apply(x) as SymbolicTensor;
  x = tfl.layers.globalAveragePooling2d({ name: 'pool' }).apply(x) as SymbolicTensor;
  const out = tfl.layers.activation({ name: 'likelihood', activation: 'sigmoid' }).apply(x) as SymbolicTensor;
  return tfl.model({ inputs: code, outputs: out, name: options.name ?? 'shape_code_discriminator' });
}
