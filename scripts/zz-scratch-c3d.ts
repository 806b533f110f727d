import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { initBackend } from '@pedseg/core';
import { relativeError, runOn, seeded } from '../packages/core/test/backend/parity_helpers.js';
await initBackend({ backend: 'wasm', threads: 1 });
const tensor = (shape: number[], seed: number) => tf.tensor(seeded(shape.reduce((a, b) => a * b, 1), seed), shape);
for (const [xs, ws, s, pad] of [[[2, 5, 6, 4, 3], [3, 3, 3, 3, 4], 1, 'same'], [[1, 4, 4, 4, 2], [3, 3, 3, 2, 3], 1, 'same'], [[1, 4, 4, 4, 2], [3, 3, 3, 2, 3], 1, 'valid'], [[1, 5, 4, 6, 2], [3, 3, 3, 2, 3], 1, 'valid'], [[1, 7, 6, 5, 2], [3, 2, 3, 2, 3], 2, 'valid']] as const) {
  const x = () => tensor([...xs], 25); const w = () => tensor([...ws], 26);
  const fwd = () => tf.conv3d(x() as tf.Tensor5D, w() as tf.Tensor5D, s, pad);
  const outShape = tf.tidy(() => fwd().shape);
  const dy = () => tensor(outShape, 27);
  const bpf = () => tf.engine().runKernel('Conv3DBackpropFilterV2', { x: x(), dy: dy() }, { strides: [s, s, s], pad, filterShape: ws } as any) as tf.Tensor;
  const bpi = () => tf.engine().runKernel('Conv3DBackpropInputV2', { dy: dy(), filter: w() }, { strides: [s, s, s], pad, inputShape: xs } as any) as tf.Tensor;
  const res: string[] = [];
  for (const [n, f] of [['fwd', fwd], ['bpf', bpf], ['bpi', bpi]] as const) res.push(`${n} ${relativeError((await runOn('wasm', f))[0]!, (await runOn('cpu', f))[0]!).toExponential(1)}`);
  console.log(JSON.stringify(xs), JSON.stringify(ws), s, pad, res.join('  '));
}
