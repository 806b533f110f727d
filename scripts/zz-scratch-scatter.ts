import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { initBackend } from '@pedseg/core';
await initBackend({ backend: 'wasm', threads: 1 });
for (const b of ['cpu', 'wasm']) {
  await tf.setBackend(b);
  const r = tf.scatterND(tf.tensor2d([[3], [1], [6], [1]], [4, 1], 'int32'), tf.tensor1d([1, 2, 3, 4]), [8]);
  console.log(b, Array.from(await r.data()).join(' '));
  const idx = tf.tensor2d([10, 11, 12, 15, 24, 25, 20, 21].map((v) => [v]), [8, 1], 'int32');
  const r2 = tf.scatterND(idx, tf.tensor1d([1, 2, 3, 4, 5, 6, 7, 8]), [32]);
  console.log(b, Array.from(await r2.data()).join(' '));
}
