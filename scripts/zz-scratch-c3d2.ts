import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { initBackend } from '@pedseg/core';
import { relativeError, runOn, seeded } from '../packages/core/test/backend/parity_helpers.js';
await initBackend({ backend: 'wasm', threads: 1 });
// brute-force conv3d 'valid' with stride s; BPI and BPF by definition
function oracle(xs: number[], ws: number[], s: number, xv: Float32Array, wv: Float32Array, dyv: Float32Array) {
  const [n, D, H, W, ci] = xs; const [kd, kh, kw, , co] = ws;
  const od = Math.floor((D! - kd!) / s) + 1, oh = Math.floor((H! - kh!) / s) + 1, ow = Math.floor((W! - kw!) / s) + 1;
  const dx = new Float32Array(xv.length), dw = new Float32Array(wv.length);
  for (let b = 0; b < n!; b++) for (let z = 0; z < od; z++) for (let y = 0; y < oh; y++) for (let x = 0; x < ow; x++) for (let o = 0; o < co!; o++) {
    const g = dyv[(((b * od + z) * oh + y) * ow + x) * co! + o]!;
    for (let a = 0; a < kd!; a++) for (let c = 0; c < kh!; c++) for (let e = 0; e < kw!; e++) for (let i = 0; i < ci!; i++) {
      const xi = ((((b * D! + z * s + a) * H! + y * s + c) * W! + x * s + e) * ci! + i);
      const wi = ((((a * kh! + c) * kw! + e) * ci! + i) * co! + o);
      dx[xi] += g * wv[wi]!; dw[wi] += g * xv[xi]!;
    }
  }
  return { dx, dw, outShape: [n!, od, oh, ow, co!] };
}
for (const [xs, ws, s] of [[[1, 4, 4, 4, 2], [3, 3, 3, 2, 3], 1], [[1, 7, 6, 5, 2], [3, 2, 3, 2, 3], 2]] as const) {
  const xv = seeded(xs.reduce((a, b) => a * b, 1), 25), wv = seeded(ws.reduce((a, b) => a * b, 1), 26);
  const tmp = oracle([...xs], [...ws], s, xv, wv, new Float32Array(0));
  const dyv = seeded(tmp.outShape.reduce((a, b) => a * b, 1), 27);
  const o = oracle([...xs], [...ws], s, xv, wv, dyv);
  const bpf = () => tf.engine().runKernel('Conv3DBackpropFilterV2', { x: tf.tensor(xv, [...xs]), dy: tf.tensor(dyv, o.outShape) }, { strides: [s, s, s], pad: 'valid', filterShape: ws } as any) as tf.Tensor;
  const bpi = () => tf.engine().runKernel('Conv3DBackpropInputV2', { dy: tf.tensor(dyv, o.outShape), filter: tf.tensor(wv, [...ws]) }, { strides: [s, s, s], pad: 'valid', inputShape: xs } as any) as tf.Tensor;
  for (const b of ['cpu', 'wasm']) console.log(s, b, 'bpf', relativeError((await runOn(b, bpf))[0]!, o.dw).toExponential(1), 'bpi', relativeError((await runOn(b, bpi))[0]!, o.dx).toExponential(1));
}
