import * as tf from '@tensorflow/tfjs-core';
import { initBackend } from '@pedseg/core';
await initBackend({ threads: Number(process.env.T ?? 1) });
function time(name: string, f: () => tf.Tensor | tf.Tensor[]) {
  for (let i = 0; i < 2; i++) tf.dispose(f());
  const ts: number[] = [];
  for (let i = 0; i < 7; i++) { const t = performance.now(); const r = f(); (Array.isArray(r) ? r[0]! : r).dataSync(); ts.push(performance.now() - t); tf.dispose(r); }
  ts.sort((a, b) => a - b);
  console.log(name.padEnd(50), ts[3]!.toFixed(2), 'ms');
}
for (const [s, cin, cout] of [[128, 16, 16], [128, 32, 16], [64, 32, 32], [32, 64, 64], [16, 128, 128], [8, 256, 256]]) {
  const x = tf.randomNormal([4, s, s, cin]) as tf.Tensor4D; const w = tf.randomNormal([3, 3, cin, cout]) as tf.Tensor4D; const dy = tf.randomNormal([4, s, s, cout]) as tf.Tensor4D;
  time(`fwd conv ${[s, cin, cout]}`, () => tf.conv2d(x, w, 1, 'same'));
  time(`fwd conv new filter ${[s, cin, cout]}`, () => tf.conv2d(x, tf.add(w, 0) as tf.Tensor4D, 1, 'same'));
  time(`BPI ${[s, cin, cout]}`, () => tf.engine().runKernel('Conv2DBackpropInput', { dy, filter: w }, { strides: [1, 1], pad: 'same', dataFormat: 'NHWC', inputShape: x.shape } as any) as tf.Tensor);
  const wf = tf.transpose(tf.reverse(w, [0, 1]), [0, 1, 3, 2]) as tf.Tensor4D;
  time(`flipped conv same ${[s, cin, cout]}`, () => tf.conv2d(dy, wf, 1, 'same'));
  time(`flipped conv explicit ${[s, cin, cout]}`, () => tf.conv2d(dy, wf, 1, [[0, 0], [1, 1], [1, 1], [0, 0]]));
}
