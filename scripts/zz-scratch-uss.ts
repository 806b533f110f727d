import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { initBackend } from '@pedseg/core';
await initBackend({ backend: 'wasm', threads: 1 });
for (const b of ['cpu', 'wasm']) {
  await tf.setBackend(b);
  const x = tf.tensor2d([[1, 2], [3, 4], [5, 6], [7, 8]]);
  console.log(b, await tf.unsortedSegmentSum(x, tf.tensor1d([0, 5, -1, 1], 'int32'), 3).array());
  console.log(b, await tf.cast(tf.unsortedSegmentSum(tf.tensor2d([[1, 2], [3, 4], [5, 6]], [3, 2], 'int32'), tf.tensor1d([1, 1, 0], 'int32'), 2), 'float32').array());
}
