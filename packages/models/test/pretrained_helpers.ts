import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { join } from 'node:path';
import { saveModel } from '@pedseg/core';
import type { vgg19Encoder } from '../src/pretrained/vgg19.js';
import type { BlockContext } from '../src/segmentation/blocks.js';
import { rand } from './helpers.js';

const plain: BlockContext = { domain: null, numDomains: 1, epsilon: 1e-5, momentum: 0.99, dims: 2 };

/** A stand-alone ImageNet-like encoder fixture (same Keras layer names), saved as a tfjs layers model. */
export async function saveFixture(dir: string, encoder: typeof vgg19Encoder, divisor: number, name: string, extra = false): Promise<{ path: string; model: tfl.LayersModel }> {
  const x = tfl.input({ shape: [32, 32, 3] });
  const enc = encoder(plain, x, divisor);
  let out = enc.bottleneck;
  if (extra) out = tfl.layers.dense({ name: 'predictions', units: 2 }).apply(tfl.layers.flatten({ name: 'flatten' }).apply(out)) as tfl.SymbolicTensor;
  const model = tfl.model({ inputs: x, outputs: out });
  // make BN statistics non-trivial so a copy is distinguishable from the initialization
  for (const w of model.weights) {
    if (w.originalName.endsWith('moving_variance')) w.write(tf.tidy(() => tf.add(tf.abs(rand(w.shape as number[], 5)), 0.5)));
    else if (w.originalName.endsWith('moving_mean') || w.originalName.endsWith('beta')) w.write(rand(w.shape as number[], 4));
  }
  const path = join(dir, name);
  await saveModel(model, path);
  return { path, model };
}

