import * as tf from '@tensorflow/tfjs-core';
import { initBackend } from '@pedseg/core';
import { buildAttentionUNet, foldBatchNorm } from '@pedseg/models';
await initBackend({ backend: 'wasm', threads: 1, onWarning: () => {} });
const net = buildAttentionUNet({ inputSize: [256, 256], numStructures: 3 });
const f = foldBatchNorm(net);
const x = tf.randomNormal([1, 256, 256, 1]);
for (const [name, m] of [['plain', net.model], ['folded', f.model], ['plain', net.model], ['folded', f.model]] as const) {
  for (let i = 0; i < 2; i++) (m.predict(x) as tf.Tensor).dispose();
  const info = await tf.profile(() => { const y = m.predict(x) as tf.Tensor; y.dataSync(); y.dispose(); });
  const by = new Map<string, number>();
  for (const k of info.kernels) if (!k.name.endsWith('__op')) by.set(k.name, (by.get(k.name) ?? 0) + (typeof k.kernelTimeMs === 'number' ? k.kernelTimeMs : 0));
  const total = [...by.values()].reduce((a, b) => a + b, 0);
  console.log(name, Math.round(total), [...by.entries()].sort((a, b) => b[1] - a[1]).slice(0, 4).map(([k, v]) => `${k}:${Math.round(v)}`).join(' '));
}
