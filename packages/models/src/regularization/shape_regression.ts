import * as tfl from '@tensorflow/tfjs-layers';
import type { LayersModel, SymbolicTensor } from '@tensorflow/tfjs-layers';
import { InstanceNormalization, PcaShapeLayer, type ShapeModel } from '@pedseg/core';
import { checkInputSize, checkInt } from '../checks.js';
import { ModelConfigError } from '../errors.js';
import { SeparableConv3D } from '../layers/separable_conv3d.js';

/** Options of {@link buildShapeRegressionNetwork}. */
export interface ShapeRegressionOptions {
  /** Input patch size `[D, H, W]` (default `[64, 64, 64]`), divisible by 8 (three strided convolutions). */
  inputSize?: [number, number, number];
  /** Image channels (default 1). */
  inputChannels?: number;
  /** Widths of the five feature layers (default `[16, 32, 64, 64, 64]`). */
  widths?: number[];
  /** The statistical shape model (mean and components, landmark-major, 3D), e.g. from `PcaShapeModel`. */
  shapeModel: ShapeModel;
  /** Number of landmarks L of the shape model. */
  numLandmarks: number;
  /** Model name (default `shape_regression`). */
  name?: string;
}

/**
 * Deep 3D shape-regression network of the shape fitting paper (004, §3.4, Fig. 3):
 *
 * - layers 1-3: separable 5×5×5 convolution ({@link SeparableConv3D}) + ReLU, then a 2×2×2 stride-2
 *   convolution for down-sampling and instance normalization (+ ReLU);
 * - layers 4-5: separable 3×3×3 convolutions + ReLU;
 * - layer 6: 1×1×1 convolution to M + 9 channels (M shape weights, then 3 translation, 3 rotation and 3
 *   log-scale parameters), averaged over the remaining spatial positions (global average pooling, so any
 *   input size divisible by 8 works; the paper's feature map reaches the parameters directly);
 * - `PcaShapeLayer` (@pedseg/core) with the fixed shape model: landmarks `[batch, L, 3]`.
 *
 * Train with a landmark loss, e.g. `model.compile({ optimizer, loss: 'meanSquaredError' })` against ground
 * truth landmarks `[batch, L, 3]` (the paper's MSE). The 1×1×1 layer starts at zero weights and bias, so an
 * untrained network outputs the mean shape.
 *
 * @throws {@link ModelConfigError} for invalid options; `LayerConfigError` from @pedseg/core for a shape
 *   model whose sizes do not match.
 */
export function buildShapeRegressionNetwork(options: ShapeRegressionOptions): LayersModel {
  const where = 'buildShapeRegressionNetwork';
  if (options == null || options.shapeModel == null) throw new ModelConfigError(`${where}: shapeModel is required`);
  const size = checkInputSize(options.inputSize ?? [64, 64, 64], 3, where, 3);
  const channels = checkInt(options.inputChannels ?? 1, 'inputChannels', where);
  const widths = options.widths ?? [16, 32, 64, 64, 64];
  if (!Array.isArray(widths) || widths.length !== 5) throw new ModelConfigError(`${where}: widths must hold 5 integers, got ${JSON.stringify(widths)}`);
  widths.forEach((w, i) => checkInt(w, `widths[${i}]`, where));
  const numLandmarks = checkInt(options.numLandmarks, 'numLandmarks', where);
  const numComponents = options.shapeModel.components.length;

  const image = tfl.input({ shape: [...size, channels], name: 'image' });
  let x: SymbolicTensor = image;
  for (let i = 0; i < 5; i++) {
    const w = widths[i] as number;
    x = new SeparableConv3D({ name: `l${i + 1}_sepconv`, filters: w, kernelSize: i < 3 ? 5 : 3 }).apply(x) as SymbolicTensor;
    x = tfl.layers.reLU({ name: `l${i + 1}_relu` }).apply(x) as SymbolicTensor;
    if (i < 3) {
      x = tfl.layers.conv3d({ name: `l${i + 1}_down`, filters: w, kernelSize: 2, strides: 2, padding: 'same' }).apply(x) as SymbolicTensor;
      x = new InstanceNormalization({ name: `l${i + 1}_norm` }).apply(x) as SymbolicTensor;
      x = tfl.layers.reLU({ name: `l${i + 1}_norm_relu` }).apply(x) as SymbolicTensor;
    }
  }
  const paramCount = numComponents + 9;
  x = tfl.layers.conv3d({ name: 'parameters', filters: paramCount, kernelSize: 1, kernelInitializer: 'zeros', biasInitializer: 'zeros' }).apply(x) as SymbolicTensor;
  const final = size.map((n) => n / 8) as [number, number, number];
  x = tfl.layers.averagePooling3d({ name: 'parameters_pool', poolSize: final, strides: final }).apply(x) as SymbolicTensor;
  x = tfl.layers.flatten({ name: 'parameters_flat' }).apply(x) as SymbolicTensor;
  const landmarks = new PcaShapeLayer({ name: 'pca_shape', dims: 3, numLandmarks, numComponents, shapeModel: options.shapeModel }).apply(x) as SymbolicTensor;
  return tfl.model({ inputs: image, outputs: landmarks, name: options.name ?? 'shape_regression' });
}
