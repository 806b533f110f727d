import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { initBackend } from '@pedseg/core';
import { relativeError, runOn, seeded } from '../packages/core/test/backend/parity_helpers.js';
await initBackend({ backend: 'wasm', threads: 1 });
const tensor = (shape: number[], seed: number) => tf.tensor(seeded(shape.reduce((a, b) => a * b, 1), seed), shape);
// JS oracle for maxpool 2x2 s2 valid gradient of sum(square(maxpool(x)))
const shape = [2, 6, 8, 3];
const xv = seeded(2 * 6 * 8 * 3, 31);
const oracle = new Float32Array(xv.length);
for (let n = 0; n < 2; n++) for (let oh = 0; oh < 3; oh++) for (let ow = 0; ow < 4; ow++) for (let c = 0; c < 3; c++) {
  let best = -Infinity, bi = -1;
  for (let i = 0; i < 2; i++) for (let j = 0; j < 2; j++) { const idx = ((n * 6 + oh * 2 + i) * 8 + ow * 2 + j) * 3 + c; if (xv[idx]! > best) { best = xv[idx]!; bi = idx; } }
  oracle[bi] = 2 * best;
}
const f = () => tf.grad((x: tf.Tensor) => tf.sum(tf.square(tf.maxPool(x as tf.Tensor4D, 2, 2, 'valid'))))(tf.tensor(xv, shape));
const e = await runOn('cpu', f); const a = await runOn('wasm', f);
console.log('cpu vs oracle', relativeError(e[0]!, oracle), 'wasm vs oracle', relativeError(a[0]!, oracle));
const f2 = () => tf.grad((x: tf.Tensor) => tf.sum(tf.maxPool(x as tf.Tensor4D, 2, 2, 'valid')))(tf.tensor(xv, shape));
const e2 = await runOn('cpu', f2); const a2 = await runOn('wasm', f2);
console.log('dy=1: cpu vs wasm', relativeError(a2[0]!, e2[0]!));
const r1 = () => tf.image.resizeBilinear(tensor([2, 4, 3, 2], 33) as tf.Tensor4D, [9, 7]);
console.log('resize fwd', relativeError((await runOn('wasm', r1))[0]!, (await runOn('cpu', r1))[0]!));
const r2 = () => tf.grad((x: tf.Tensor) => tf.sum(tf.square(tf.image.resizeBilinear(x as tf.Tensor4D, [9, 9]))))(tensor([2, 4, 4, 2], 33));
console.log('resize grad square', relativeError((await runOn('wasm', r2))[0]!, (await runOn('cpu', r2))[0]!));
