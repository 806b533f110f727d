import * as tf from '@tensorflow/tfjs-core';
import { initBackend } from '@pedseg/core';
await initBackend({ threads: 1 });
function time(name: string, f: () => tf.Tensor | tf.Tensor[]) {
  for (let i = 0; i < 2; i++) tf.dispose(f());
  const ts: number[] = [];
  for (let i = 0; i < 7; i++) { const t = performance.now(); const r = f(); (Array.isArray(r) ? r[0]! : r).dataSync(); ts.push(performance.now() - t); tf.dispose(r); }
  ts.sort((a, b) => a - b);
  console.log(name.padEnd(50), ts[3]!.toFixed(2), 'ms');
}
const w = tf.randomNormal([3, 3, 256, 256]);
time('reverse', () => tf.reverse(w, [0, 1]));
time('transpose 0132', () => tf.transpose(w, [0, 1, 3, 2]));
time('add 0', () => tf.add(w, 0));
