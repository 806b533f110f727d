import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { initBackend } from '@pedseg/core';
import { relativeError, runOn, seeded } from '../packages/core/test/backend/parity_helpers.js';
await initBackend({ backend: 'wasm', threads: 1 });
const img = () => tf.tensor(seeded(2 * 4 * 3 * 2, 3), [2, 4, 3, 2]);
for (const b of ['wasm', 'cpu']) {
  try { const r = await runOn(b, () => tf.grad((x: tf.Tensor) => tf.sum(tf.square(tf.image.resizeBilinear(x as tf.Tensor4D, [9, 7]))))(img())); console.log(b, 'ok', r[0]!.length); } catch (e) { console.log(b, String(e).slice(0, 150)); }
}
// maxpool grad cases
const tensor = (shape: number[], seed: number) => tf.tensor(seeded(shape.reduce((a, b) => a * b, 1), seed), shape);
for (const [shape, f, s, pad] of [[[2, 6, 8, 3], 2, 2, 'valid'], [[2, 8, 8, 3], 2, 2, 'valid'], [[2, 7, 5, 3], 3, 2, 'same'], [[1, 9, 6, 2], 3, 1, 'same']] as const) {
  const g = () => tf.grad((x: tf.Tensor) => tf.sum(tf.square(tf.maxPool(x as tf.Tensor4D, f, s, pad))))(tensor([...shape], 31));
  console.log('maxpool', shape, f, s, pad, relativeError((await runOn('wasm', g))[0]!, (await runOn('cpu', g))[0]!));
}
