import * as tf from '@tensorflow/tfjs-core';
import { initBackend } from '@pedseg/core';
import { originalKernel } from '../packages/core/src/backend/kernels/kernel_runner.js';
import { seeded } from '../packages/core/test/backend/parity_helpers.js';
await initBackend({ backend: 'wasm', threads: 1 });
const x = tf.tensor(seeded(2 * 4 * 3 * 2, 3), [2, 4, 3, 2]);
const wv = tf.tensor(seeded(2 * 9 * 7 * 2, 4), [2, 9, 7, 2]);
const loss = (t: tf.Tensor) => tf.sum(tf.mul(wv, tf.image.resizeBilinear(t as tf.Tensor4D, [9, 7])));
const mine = await tf.grad(loss)(x).data();
const ours = tf.getKernel('ResizeBilinearGrad', 'wasm')!;
tf.unregisterKernel('ResizeBilinearGrad', 'wasm'); tf.registerKernel(originalKernel('ResizeBilinearGrad', 'wasm')!);
let orig: Float32Array | string;
try { orig = (await tf.grad(loss)(x).data()) as Float32Array; } catch (e) { orig = String(e).slice(0, 100); }
tf.unregisterKernel('ResizeBilinearGrad', 'wasm'); tf.registerKernel(ours);
const xv = await x.data();
const num: number[] = [];
for (const i of [0, 5, 11, 23]) { const h = 1e-2; const a = Float32Array.from(xv); a[i]! += h; const b = Float32Array.from(xv); b[i]! -= h; num.push((loss(tf.tensor(a, x.shape)).dataSync()[0]! - loss(tf.tensor(b, x.shape)).dataSync()[0]!) / (2 * h)); }
console.log('numeric', num.map((v) => v.toFixed(4)).join(' '));
console.log('mine   ', [0, 5, 11, 23].map((i) => mine[i]!.toFixed(4)).join(' '));
console.log('orig   ', typeof orig === 'string' ? orig : [0, 5, 11, 23].map((i) => (orig as Float32Array)[i]!.toFixed(4)).join(' '));
