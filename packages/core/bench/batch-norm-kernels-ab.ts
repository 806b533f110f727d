/**
 * A/B benchmark of the wasm kernels added for the batch-norm chain (`Sum`, `Mean`, `Add`, `Sub`,
 * `Multiply`, `RealDiv`, `FusedBatchNorm`) and of the row-convolution filter gradient, against
 * tfjs-wasm's original kernels and the dilated-convolution filter gradient, on the reference UNet.
 *
 *   pnpm exec tsx --conditions=@pedseg/source packages/core/bench/batch-norm-kernels-ab.ts [--threads 2] [--repeats 7]
 *
 * The two variants alternate call by call in one process, so machine load drifts hit both alike. Prints
 * one JSON line {"threads", "step": {...}, "forward": {...}}, each {"newMs","oldMs","newCpuMs","oldCpuMs",
 * "ratio","cpuRatio"} (medians; ratio = new / old; cpu = process CPU time, all threads).
 */
import * as tf from '@tensorflow/tfjs-core';
import { initBackend } from '@pedseg/core';
import { buildReferenceUNet } from './reference_unet.js';
import { originalKernel, withRunner } from '../src/backend/kernels/kernel_runner.js';
import { conv2DFilterGradient } from '../src/backend/kernels/conv2d_backprop_filter.js';

function flag(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
}
function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  return s[s.length >> 1]!;
}
function cpuMs(): number {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
}

const threads = flag('threads', 2);
const repeats = Math.max(3, flag('repeats', 7));
await initBackend({ backend: 'wasm', threads });

const KERNELS = ['Sum', 'Mean', 'Add', 'Sub', 'Multiply', 'RealDiv', 'FusedBatchNorm'];
const ours = new Map(KERNELS.map((name) => [name, tf.getKernel(name, 'wasm')!]));
let filterPath: 'auto' | 'convolution' = 'auto';
const filterKernel = tf.getKernel('Conv2DBackpropFilter', 'wasm')!;
tf.unregisterKernel('Conv2DBackpropFilter', 'wasm');
tf.registerKernel({
  ...filterKernel,
  kernelFunc: ({ inputs, backend, attrs }) =>
    withRunner(backend, 'wasm', (runner) => {
      const { x, dy } = inputs as { x: tf.TensorInfo; dy: tf.TensorInfo };
      const a = attrs as unknown as { strides: [number, number]; pad: 'same' | 'valid'; filterShape: [number, number, number, number] };
      const info = tf.backend_util.computeConv2DInfo(x.shape as [number, number, number, number], a.filterShape, a.strides, 1, a.pad, undefined, false, 'channelsLast');
      return conv2DFilterGradient(runner, x, dy, info, filterPath);
    }),
});
function useNew(on: boolean): void {
  filterPath = on ? 'auto' : 'convolution';
  for (const name of KERNELS) {
    tf.unregisterKernel(name, 'wasm');
    tf.registerKernel(on ? ours.get(name)! : originalKernel(name, 'wasm')!);
  }
}

const model = buildReferenceUNet({ height: 128, width: 128, seed: 1 });
const x = tf.randomNormal([4, 128, 128, 1], 0, 1, 'float32', 1);
const labels = tf.tidy(() => tf.cast(tf.oneHot(tf.randomUniform([4, 128, 128], 0, 4, 'int32', 2), 4), 'float32'));

async function timed(step: boolean): Promise<[number, number]> {
  const [start, cpu] = [performance.now(), cpuMs()];
  if (step) {
    await model.trainOnBatch(x, labels);
  } else {
    const y = model.predict(x) as tf.Tensor;
    await y.data();
    y.dispose();
  }
  return [performance.now() - start, cpuMs() - cpu];
}

const result: Record<string, unknown> = { threads };
for (const step of [true, false]) {
  for (let i = 0; i < 2; i++) {
    for (const on of [true, false]) {
      useNew(on);
      await timed(step);
    }
  }
  const runs = { new: { wall: [] as number[], cpu: [] as number[] }, old: { wall: [] as number[], cpu: [] as number[] } };
  for (let i = 0; i < repeats; i++) {
    for (const on of [true, false]) {
      useNew(on);
      const [wall, cpu] = await timed(step);
      runs[on ? 'new' : 'old'].wall.push(wall);
      runs[on ? 'new' : 'old'].cpu.push(cpu);
    }
  }
  const [n, o, nc, oc] = [median(runs.new.wall), median(runs.old.wall), median(runs.new.cpu), median(runs.old.cpu)];
  result[step ? 'step' : 'forward'] = {
    newMs: Math.round(n),
    oldMs: Math.round(o),
    newCpuMs: Math.round(nc),
    oldCpuMs: Math.round(oc),
    ratio: Math.round((n / o) * 1000) / 1000,
    cpuRatio: Math.round((nc / oc) * 1000) / 1000,
  };
}
useNew(true);
console.log(JSON.stringify(result));
tf.dispose([x, labels]);
model.dispose();
