import * as tf from '@tensorflow/tfjs-core';
import { initBackend } from '@pedseg/core';
import { buildAttentionUNet } from '@pedseg/models';
import { kernelProfile } from '../../core/bench/kernel_profile.js';
await initBackend({ backend: 'wasm', threads: 1, onWarning: () => {} });
const net = buildAttentionUNet({ inputSize: [256, 256], numStructures: 3 });
const x = tf.randomNormal([1, 256, 256, 1]);
for (let i = 0; i < 2; i++) (net.model.predict(x) as tf.Tensor).dispose();
console.log(await kernelProfile(() => { const y = net.model.predict(x) as tf.Tensor; const d = y.dataSync(); y.dispose(); return d; }));
