import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { initBackend } from '@pedseg/core';
import { seeded } from '../packages/core/test/backend/parity_helpers.js';
await initBackend({ backend: 'wasm', threads: 1 });
const xv = seeded(2 * 2 * 4 * 2, 31);
for (const b of ['cpu', 'wasm']) {
  await tf.setBackend(b);
  const x = tf.tensor(xv, [2, 2, 4, 2]);
  for (const inc of [true, false]) {
    const r = tf.maxPoolWithArgmax(x as tf.Tensor4D, 2, 2, 'valid', inc);
    console.log(b, inc, 'argmax', Array.from(await r.indexes.data()).join(' '));
  }
}
let best: number[] = [];
for (let n = 0; n < 2; n++) for (let ow = 0; ow < 2; ow++) for (let c = 0; c < 2; c++) { let m = -9, bi = -1; for (let i = 0; i < 2; i++) for (let j = 0; j < 2; j++) { const idx = ((n * 2 + i) * 4 + ow * 2 + j) * 2 + c; if (xv[idx]! > m) { m = xv[idx]!; bi = idx; } } best.push(bi); }
console.log('oracle', best.join(' '));
