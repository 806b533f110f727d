import * as tfl from '@tensorflow/tfjs-layers';
import { train } from '@tensorflow/tfjs-core';

/** Options of {@link buildReferenceUNet}. */
export interface ReferenceUNetOptions {
  /** Input height (divisible by 2^depth). */
  height: number;
  /** Input width (divisible by 2^depth). */
  width: number;
  /** Encoder widths; the bottleneck is twice the last. Default [16, 32, 64, 128] (the reference). */
  widths?: readonly number[];
  /** Output classes; default 4. */
  classes?: number;
  /** Compile with categorical cross-entropy and Adam(1e-3); default true. */
  compile?: boolean;
  /** Seed of the kernel initializers; when given, two builds have identical weights (tests rely on it). */
  seed?: number;
}

/** A seeded Glorot-uniform initializer per layer, or undefined (the layer's default) without a seed. */
function kernelInit(seed: number | undefined, layer: { index: number }): ReturnType<typeof tfl.initializers.glorotUniform> | undefined {
  if (seed === undefined) return undefined;
  return tfl.initializers.glorotUniform({ seed: seed + layer.index++ });
}

/** Two (3×3 conv without bias → batch norm → ReLU). */
function block(x: tfl.SymbolicTensor, filters: number, name: string, init: () => ReturnType<typeof tfl.initializers.glorotUniform> | undefined): tfl.SymbolicTensor {
  let y = x;
  for (let i = 1; i <= 2; i++) {
    y = tfl.layers.conv2d({ filters, kernelSize: 3, padding: 'same', useBias: false, name: `${name}_conv${i}`, kernelInitializer: init() }).apply(y) as tfl.SymbolicTensor;
    y = tfl.layers.batchNormalization({ name: `${name}_bn${i}` }).apply(y) as tfl.SymbolicTensor;
    y = tfl.layers.activation({ activation: 'relu', name: `${name}_relu${i}` }).apply(y) as tfl.SymbolicTensor;
  }
  return y;
}

/**
 * The foundation issue's reference UNet (the benchmark and the wasm training tests use it; the PyTorch
 * twin is scripts/bench/reference_unet_torch.py): encoder blocks of the given widths with 2×2 max-pool
 * after each, a bottleneck block of twice the last width, a decoder of 2×2 stride-2 transposed
 * convolutions (with bias) + skip concatenation + block, then a 1×1 convolution and softmax.
 */
export function buildReferenceUNet(options: ReferenceUNetOptions): tfl.LayersModel {
  const widths = options.widths ?? [16, 32, 64, 128];
  const classes = options.classes ?? 4;
  const counter = { index: 0 };
  const init = () => kernelInit(options.seed, counter);
  const input = tfl.input({ shape: [options.height, options.width, 1], name: 'image' });
  const skips: tfl.SymbolicTensor[] = [];
  let x = input;
  widths.forEach((w, i) => {
    x = block(x, w, `enc${i}`, init);
    skips.push(x);
    x = tfl.layers.maxPooling2d({ poolSize: 2, strides: 2, name: `pool${i}` }).apply(x) as tfl.SymbolicTensor;
  });
  x = block(x, 2 * widths[widths.length - 1]!, 'bottleneck', init);
  for (let i = widths.length - 1; i >= 0; i--) {
    const w = widths[i]!;
    x = tfl.layers.conv2dTranspose({ filters: w, kernelSize: 2, strides: 2, padding: 'same', name: `up${i}`, kernelInitializer: init() }).apply(x) as tfl.SymbolicTensor;
    x = tfl.layers.concatenate({ axis: -1, name: `skip${i}` }).apply([x, skips[i]!]) as tfl.SymbolicTensor;
    x = block(x, w, `dec${i}`, init);
  }
  const logits = tfl.layers.conv2d({ filters: classes, kernelSize: 1, name: 'head', kernelInitializer: init() }).apply(x) as tfl.SymbolicTensor;
  const output = tfl.layers.activation({ activation: 'softmax', name: 'softmax' }).apply(logits) as tfl.SymbolicTensor;
  const model = tfl.model({ inputs: input, outputs: output, name: 'reference_unet' });
  if (options.compile ?? true) {
    model.compile({ optimizer: train.adam(1e-3), loss: 'categoricalCrossentropy' });
  }
  return model;
}

/** Number of trainable parameters (PyTorch's `sum(p.numel() for p in model.parameters())`). */
export function countTrainableParams(model: tfl.LayersModel): number {
  return model.trainableWeights.reduce((total, w) => total + w.shape.reduce<number>((a, b) => a * (b ?? 1), 1), 0);
}
