import * as tf from '@tensorflow/tfjs-core';
import { initBackend } from '@pedseg/core';
await initBackend({ threads: 1 });
function time(name: string, f: () => tf.Tensor | tf.Tensor[]) {
  for (let i = 0; i < 1; i++) tf.dispose(f());
  const ts: number[] = [];
  for (let i = 0; i < 3; i++) { const t = performance.now(); const r = f(); (Array.isArray(r) ? r[0]! : r).dataSync(); ts.push(performance.now() - t); tf.dispose(r); }
  ts.sort((a, b) => a - b);
  console.log(name.padEnd(50), ts[1]!.toFixed(1), 'ms');
}
const x = tf.randomNormal([1, 32, 32, 32, 16]) as tf.Tensor5D; const w = tf.randomNormal([3, 3, 3, 16, 16]) as tf.Tensor5D;
time('conv3d fwd 32^3 16->16 (113 MFLOP... x2)', () => tf.conv3d(x, w, 1, 'same'));
time('conv3d grads', () => tf.grads((a: tf.Tensor, b: tf.Tensor) => tf.sum(tf.conv3d(a as tf.Tensor5D, b as tf.Tensor5D, 1, 'same')))([x, w]));
const x2 = tf.reshape(x, [32, 32, 32, 16]) as tf.Tensor4D; const w2 = tf.randomNormal([3, 3, 16, 16]) as tf.Tensor4D;
time('conv2d equivalent batch (1/3 the FLOPs)', () => tf.conv2d(x2, w2, 1, 'same'));
