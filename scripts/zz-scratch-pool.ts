import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { initBackend } from '@pedseg/core';
import { relativeError, runOn, seeded } from '../packages/core/test/backend/parity_helpers.js';
await initBackend({ backend: 'wasm', threads: 1 });
const tensor = (shape: number[], seed: number) => tf.tensor(seeded(shape.reduce((a, b) => a * b, 1), seed), shape);
const cases: Record<string, () => tf.Tensor> = {
  maxPool3d: () => tf.grad((x: tf.Tensor) => tf.sum(tf.square(tf.maxPool3d(x as tf.Tensor5D, 2, 2, 'valid'))))(tensor([2, 4, 6, 4, 3], 29)),
  avgPool3d: () => tf.grad((x: tf.Tensor) => tf.sum(tf.square(tf.avgPool3d(x as tf.Tensor5D, 2, 2, 'same'))))(tensor([1, 5, 4, 3, 2], 30)),
  maxPool: () => tf.grad((x: tf.Tensor) => tf.sum(tf.square(tf.maxPool(x as tf.Tensor4D, 2, 2, 'valid'))))(tensor([2, 6, 8, 3], 31)),
  avgPool: () => tf.grad((x: tf.Tensor) => tf.sum(tf.square(tf.avgPool(x as tf.Tensor4D, 3, 2, 'same'))))(tensor([2, 7, 5, 3], 32)),
  avgPoolValid: () => tf.grad((x: tf.Tensor) => tf.sum(tf.square(tf.avgPool(x as tf.Tensor4D, 2, 2, 'valid'))))(tensor([2, 6, 4, 3], 32)),
  avgPoolFwdSame: () => tf.avgPool(tensor([2, 7, 5, 3], 32) as tf.Tensor4D, 3, 2, 'same'),
  resize: () => tf.grad((x: tf.Tensor) => tf.sum(tf.square(tf.image.resizeBilinear(x as tf.Tensor4D, [9, 7]))))(tensor([2, 4, 3, 2], 33)),
};
for (const [name, f] of Object.entries(cases)) {
  const e = await runOn('cpu', f); const a = await runOn('wasm', f);
  console.log(name, relativeError(a[0]!, e[0]!));
}
