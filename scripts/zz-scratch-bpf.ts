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
function shifted(x: tf.Tensor4D, dy: tf.Tensor4D, k: number): tf.Tensor {
  return tf.tidy(() => {
    const [n, h, w, cin] = x.shape; const cout = dy.shape[3];
    const p = (k - 1) / 2;
    const xPad = tf.pad(x, [[0, 0], [p, p], [p, p], [0, 0]]);
    const hp = h + 2 * p, wp = w + 2 * p;
    const L = n * hp * wp; const maxOff = (k - 1) * wp + (k - 1); const Lp = L - maxOff;
    const dyGrid = tf.pad(dy, [[0, 0], [0, hp - h], [0, wp - w], [0, 0]]);
    const A = tf.slice(tf.transpose(tf.reshape(dyGrid, [L, cout])), [0, 0], [cout, Lp]);
    const xf = tf.reshape(xPad, [L, cin]);
    const outs: tf.Tensor[] = [];
    for (let i = 0; i < k; i++) for (let j = 0; j < k; j++) outs.push(tf.matMul(A, tf.slice(xf, [i * wp + j, 0], [Lp, cin])));
    return tf.transpose(tf.reshape(tf.stack(outs), [k, k, cout, cin]), [0, 1, 3, 2]);
  });
}
function im2colT(x: tf.Tensor4D, dy: tf.Tensor4D, k: number): tf.Tensor {
  return tf.tidy(() => {
    const [n, h, w, cin] = x.shape; const cout = dy.shape[3];
    const p = (k - 1) / 2;
    const hp = h + 2 * p, wp = w + 2 * p;
    const L = n * hp * wp; const maxOff = (k - 1) * wp + (k - 1); const Lp = L - maxOff;
    const xT = tf.reshape(tf.transpose(tf.pad(x, [[0, 0], [p, p], [p, p], [0, 0]]), [3, 0, 1, 2]), [cin, L]);
    const rows: tf.Tensor[] = [];
    for (let i = 0; i < k; i++) for (let j = 0; j < k; j++) rows.push(tf.slice(xT, [0, i * wp + j], [cin, Lp]));
    const bt = tf.concat(rows, 0);
    const dyGrid = tf.slice(tf.reshape(tf.pad(dy, [[0, 0], [0, hp - h], [0, wp - w], [0, 0]]), [L, cout]), [0, 0], [Lp, cout]);
    return tf.reshape(tf.matMul(bt, dyGrid), [k, k, cin, cout]);
  });
}
for (const [n, s, cin, cout] of [[4, 128, 16, 16], [4, 128, 32, 16], [4, 64, 32, 32], [4, 32, 64, 64], [4, 16, 128, 128], [4, 8, 256, 256]]) {
  const x = tf.randomNormal([n, s, s, cin]) as tf.Tensor4D; const dy = tf.randomNormal([n, s, s, cout]) as tf.Tensor4D;
  const ref = tf.engine().runKernel('Conv2DBackpropFilter', { x, dy }, { strides: [1, 1], pad: 'same', dataFormat: 'NHWC', filterShape: [3, 3, cin, cout] } as any) as tf.Tensor;
  const alt = shifted(x, dy, 3);
  const err = tf.max(tf.abs(tf.sub(ref, alt))).dataSync()[0]! / tf.max(tf.abs(ref)).dataSync()[0]!;
  time(`identity ${[n, s, cin, cout]}`, () => tf.engine().runKernel('Conv2DBackpropFilter', { x, dy }, { strides: [1, 1], pad: 'same', dataFormat: 'NHWC', filterShape: [3, 3, cin, cout] } as any) as tf.Tensor);
  time(`shifted  ${[n, s, cin, cout]} err ${err.toExponential(1)}`, () => shifted(x, dy, 3));
  const alt2 = im2colT(x, dy, 3);
  const err2 = tf.max(tf.abs(tf.sub(ref, alt2))).dataSync()[0]! / tf.max(tf.abs(ref)).dataSync()[0]!;
  time(`im2colT  ${[n, s, cin, cout]} err ${err2.toExponential(1)}`, () => im2colT(x, dy, 3));
}
