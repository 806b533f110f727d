import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { initBackend } from '@pedseg/core';
import { seeded } from '../packages/core/test/backend/parity_helpers.js';
await initBackend({ backend: 'wasm', threads: 1 });
const xv = seeded(1 * 2 * 4 * 1, 31);
console.log(Array.from(xv).map((v) => v.toFixed(2)).join(' '));
for (const b of ['cpu', 'wasm']) {
  await tf.setBackend(b);
  const x = tf.tensor(xv, [1, 2, 4, 1]);
  const r = tf.maxPoolWithArgmax(x as tf.Tensor4D, 2, 2, 'valid', true);
  console.log(b, 'pool', await r.result.data(), 'argmax', await r.indexes.data());
  console.log(b, 'grad', await tf.grad((t: tf.Tensor) => tf.sum(tf.maxPool(t as tf.Tensor4D, 2, 2, 'valid')))(x).data());
}
const img = tf.tensor(seeded(2 * 4 * 3 * 2, 3), [2, 4, 3, 2]);
const orig = tf.getKernel('ResizeBilinearGrad', 'wasm')!;
tf.unregisterKernel('ResizeBilinearGrad', 'wasm');
tf.registerKernel({ ...orig, kernelFunc: (a) => { console.log('grad kernel images', a.inputs.images!.shape, 'dy', a.inputs.dy!.shape, a.attrs); return orig.kernelFunc(a); } });
await tf.setBackend('wasm');
try { tf.grad((x: tf.Tensor) => tf.sum(tf.image.resizeBilinear(x as tf.Tensor4D, [9, 7])))(img); } catch (e) { console.log(String(e).slice(0, 200)); }
