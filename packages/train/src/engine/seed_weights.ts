import { tidy, tensor } from '@tensorflow/tfjs-core';
import type { LayersModel } from '@tensorflow/tfjs-layers';
import { SeededRandom, mixSeed } from '../random.js';

/** Fan-in and fan-out of a weight shape, as Keras computes them (the last axis is the output axis). */
function fans(shape: readonly number[]): { fanIn: number; fanOut: number } {
  if (shape.length === 1) return { fanIn: shape[0]!, fanOut: shape[0]! };
  if (shape.length === 2) return { fanIn: shape[0]!, fanOut: shape[1]! };
  const receptive = shape.slice(0, -2).reduce((a, b) => a * b, 1);
  return { fanIn: shape[shape.length - 2]! * receptive, fanOut: shape[shape.length - 1]! * receptive };
}

/**
 * Re-draws the randomly initialized weights of a freshly built model from a seeded generator, so that two
 * runs with the same seed start from the same weights: tfjs-layers' initializers draw from an unseeded
 * generator, which would make whole runs irreproducible.
 *
 * Each weight whose initial values are random (not all equal) is replaced by
 * Glorot-uniform values computed from its shape's fans as Keras and tfjs-layers compute them — the
 * initializer of every random weight in `@pedseg/core` and `@pedseg/models`, so the distribution is
 * unchanged; a weight another initializer drew (He, LeCun) gets Glorot's scale instead. Constant weights
 * (biases, γ = 1, β = 0, moving statistics) are left untouched. Weights shared by several layers are drawn once. Call it on a
 * freshly built model, before loading any pre-trained weights.
 *
 * @param model - A model whose weights have just been initialized.
 * @param seed - Any finite number; the same seed gives the same weights for the same architecture.
 * @returns The number of weights re-drawn.
 */
export function seedInitialWeights(model: LayersModel, seed: number): number {
  const seen = new Set<number>();
  let redrawn = 0;
  for (const [index, weight] of model.weights.entries()) {
    if (seen.has(weight.id)) continue;
    seen.add(weight.id);
    if (weight.dtype !== 'float32') continue;
    const current = weight.read();
    const values = current.dataSync();
    const n = values.length;
    if (n < 2) continue;
    let varies = false;
    for (let i = 1; i < n && !varies; i += 1) varies = values[i] !== values[0];
    if (!varies) continue;
    // One stream per weight: whether one weight is re-drawn never shifts the values of the others.
    const random = new SeededRandom(mixSeed(seed, index));
    const { fanIn, fanOut } = fans(current.shape);
    const halfWidth = Math.sqrt(6 / (fanIn + fanOut));
    const fresh = new Float32Array(n);
    for (let i = 0; i < n; i += 1) fresh[i] = halfWidth * (2 * random.next() - 1);
    tidy(() => {
      weight.write(tensor(fresh, current.shape, 'float32'));
    });
    redrawn += 1;
  }
  return redrawn;
}
