import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { initBackend } from '@pedseg/core';
import { seeded } from '../packages/core/test/backend/parity_helpers.js';
await initBackend({ backend: 'wasm', threads: 1 });
const shape = [Number(process.env.N ?? 1), Number(process.env.H ?? 4), Number(process.env.W ?? 4), Number(process.env.C ?? 2)];
const xv = seeded(shape.reduce((a, b) => a * b), 31);
for (const b of ['cpu', 'wasm']) {
  await tf.setBackend(b);
  const x = tf.tensor(xv, shape);
  const y = tf.maxPool(x as tf.Tensor4D, 2, 2, 'valid');
  const dy = tf.onesLike(y);
  const g = tf.engine().runKernel('MaxPoolGrad', { dy, input: x, output: y }, { filterSize: 2, strides: 2, pad: 'valid' } as any) as tf.Tensor;
  console.log(b, Array.from(await g.data()).join(' '));
  console.log(b, 'argmax', Array.from(await tf.maxPoolWithArgmax(x as tf.Tensor4D, 2, 2, 'valid', true).indexes.data()).join(' '));
}
