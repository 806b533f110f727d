import * as tf from '@tensorflow/tfjs-core';
import { initBackend } from '@pedseg/core';
import { buildReferenceUNet } from '../packages/core/bench/reference_unet.js';
await initBackend({ threads: Number(process.env.T ?? 1) });
const model = buildReferenceUNet({ height: 128, width: 128 });
const x = tf.randomNormal([4, 128, 128, 1]);
const labels = tf.cast(tf.oneHot(tf.randomUniform([4, 128, 128], 0, 4, 'int32'), 4), 'float32');
for (let i = 0; i < 3; i++) await model.trainOnBatch(x, labels);
// time kernels by wrapping engine.runKernelFunc? use profile and wall clock
let t = performance.now();
const info = await tf.profile(async () => { await model.trainOnBatch(x, labels); });
console.log('wall with profile', performance.now() - t);
t = performance.now(); await model.trainOnBatch(x, labels); console.log('wall', performance.now() - t);
const byShape = new Map<string, number>();
for (const k of info.kernels) { if (!['Conv2DBackpropFilter','Conv2DBackpropInput','FusedConv2D'].includes(k.name)) continue; const key = `${k.name} ${JSON.stringify(k.inputShapes)}`; byShape.set(key, (byShape.get(key) ?? 0) + (k.kernelTimeMs as number)); }
for (const [k, v] of [...byShape.entries()].sort((a,b)=>b[1]-a[1])) console.log(v.toFixed(1), k);
