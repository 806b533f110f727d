import '@tensorflow/tfjs-backend-cpu';
// tfjs-core alone registers no gradient functions; tfjs-layers' entry point registers them all.
import * as tfl from '@tensorflow/tfjs-layers';
import * as tf from '@tensorflow/tfjs-core';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ExperimentConfig } from '@pedseg/train';

export async function useCpu(): Promise<void> {
  await tf.setBackend('cpu');
  await tf.ready();
}

export function tempDir(tag: string): string {
  return mkdtempSync(join(tmpdir(), `pedseg-train-${tag}-`));
}

function init(seed: number): ReturnType<typeof tfl.initializers.glorotUniform> {
  return tfl.initializers.glorotUniform({ seed });
}

/** A tiny segmentation network: 16×16×1 → 16×16×classes softmax (with batch norm, to test moving stats). */
export function tinySegmenter(seed = 1, classes = 2): tfl.LayersModel {
  const x = tfl.input({ shape: [16, 16, 1] });
  let h = tfl.layers.conv2d({ filters: 4, kernelSize: 3, padding: 'same', kernelInitializer: init(seed) }).apply(x) as tfl.SymbolicTensor;
  h = tfl.layers.batchNormalization().apply(h) as tfl.SymbolicTensor;
  h = tfl.layers.activation({ activation: 'relu' }).apply(h) as tfl.SymbolicTensor;
  h = tfl.layers.conv2d({ filters: 4, kernelSize: 3, padding: 'same', activation: 'relu', kernelInitializer: init(seed + 1) }).apply(h) as tfl.SymbolicTensor;
  const y = tfl.layers.conv2d({ filters: classes, kernelSize: 1, activation: 'softmax', kernelInitializer: init(seed + 2) }).apply(h) as tfl.SymbolicTensor;
  return tfl.model({ inputs: x, outputs: y });
}

/** A tiny conditional discriminator: mask (classes) ⊕ image (1) → 4×4 likelihood map. */
export function tinyDiscriminator(seed = 11, classes = 2): tfl.LayersModel {
  const x = tfl.input({ shape: [16, 16, classes + 1] });
  let h = tfl.layers.conv2d({ filters: 4, kernelSize: 4, strides: 2, padding: 'same', kernelInitializer: init(seed) }).apply(x) as tfl.SymbolicTensor;
  h = tfl.layers.batchNormalization().apply(h) as tfl.SymbolicTensor;
  h = tfl.layers.leakyReLU({ alpha: 0.2 }).apply(h) as tfl.SymbolicTensor;
  const y = tfl.layers.conv2d({ filters: 1, kernelSize: 4, strides: 2, padding: 'same', activation: 'sigmoid', kernelInitializer: init(seed + 1) }).apply(h) as tfl.SymbolicTensor;
  return tfl.model({ inputs: x, outputs: y });
}

/**
 * A deterministic toy dataset: bright discs on a dark background; label = disc. `n` samples.
 * Returns plain arrays so batches are built (and disposed) per step.
 */
export function discDataset(n: number, seed = 3): { images: Float32Array[]; labels: Float32Array[] } {
  const images: Float32Array[] = [];
  const labels: Float32Array[] = [];
  let s = seed;
  const rand = (): number => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 4294967296;
  };
  for (let i = 0; i < n; i += 1) {
    const cx = 4 + rand() * 8;
    const cy = 4 + rand() * 8;
    const r = 2.5 + rand() * 2.5;
    const img = new Float32Array(256);
    const lab = new Float32Array(512);
    for (let y = 0; y < 16; y += 1) {
      for (let x = 0; x < 16; x += 1) {
        const inside = (x - cx) ** 2 + (y - cy) ** 2 <= r * r;
        const p = y * 16 + x;
        img[p] = (inside ? 0.8 : 0.2) + 0.1 * (rand() - 0.5);
        lab[2 * p + (inside ? 1 : 0)] = 1;
      }
    }
    images.push(img);
    labels.push(lab);
  }
  return { images, labels };
}

/** Builds an (image, one-hot label) batch from sample indices. */
export function makeBatch(data: { images: Float32Array[]; labels: Float32Array[] }, indices: readonly number[]): { x: tf.Tensor4D; y: tf.Tensor4D } {
  const b = indices.length;
  const xs = new Float32Array(b * 256);
  const ys = new Float32Array(b * 512);
  indices.forEach((idx, i) => {
    xs.set(data.images[idx] as Float32Array, i * 256);
    ys.set(data.labels[idx] as Float32Array, i * 512);
  });
  return { x: tf.tensor4d(xs, [b, 16, 16, 1]), y: tf.tensor4d(ys, [b, 16, 16, 2]) };
}

/** All weights (trainable and not) of a model as plain arrays. */
export function weightValues(model: tfl.LayersModel): Float32Array[] {
  return model.getWeights().map((w) => Float32Array.from(w.dataSync() as Float32Array));
}

export function sameArrays(a: Float32Array[], b: Float32Array[]): boolean {
  if (a.length !== b.length) return false;
  return a.every((x, i) => {
    const y = b[i] as Float32Array;
    return x.length === y.length && x.every((v, j) => Object.is(v, y[j]));
  });
}

/**
 * The tiny single-domain experiment most runner tests start from: three 16×16×8 ankle phantoms, a
 * one-pooling UNet of width 4, one epoch of fold 0; `extra` overrides any field.
 */
export function tinyAnkleExperiment(outputDir: string, extra: Partial<ExperimentConfig> = {}): ExperimentConfig {
  return {
    name: 'tiny',
    outputDir,
    seed: 3,
    data: { domain: 'ankle', cases: 3, shape: [16, 16, 8], emptyFraction: 0 },
    network: { inputSize: [16, 16], depth: 1, filters: 4, attention: false },
    learningRate: 1e-2,
    batchSize: 8,
    epochs: 1,
    closingRadius: 1,
    folds: [0],
    ...extra,
  };
}
