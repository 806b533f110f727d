import * as tf from '@tensorflow/tfjs-core';
import { initBackend } from '@pedseg/core';
import { buildReferenceUNet } from '../packages/core/bench/reference_unet.js';
import { kernelProfile } from '../packages/core/bench/kernel_profile.js';
await initBackend({ threads: Number(process.env.T ?? 2) });
const model = buildReferenceUNet({ height: 128, width: 128 });
const x = tf.randomNormal([4, 128, 128, 1]);
const labels = tf.cast(tf.oneHot(tf.randomUniform([4, 128, 128], 0, 4, 'int32'), 4), 'float32');
for (let i = 0; i < 2; i++) { await model.trainOnBatch(x, labels); tf.dispose(model.predict(x) as tf.Tensor); }
let t = performance.now(); const y = model.predict(x) as tf.Tensor; await y.data(); y.dispose(); console.log('forward wall', (performance.now() - t).toFixed(0));
console.log((await kernelProfile(async () => { const y = model.predict(x) as tf.Tensor; await y.data(); y.dispose(); })).split('\n').slice(0, 12).join('\n'));
t = performance.now(); await model.trainOnBatch(x, labels); console.log('step wall', (performance.now() - t).toFixed(0));
console.log((await kernelProfile(() => model.trainOnBatch(x, labels))).split('\n').slice(0, 25).join('\n'));
