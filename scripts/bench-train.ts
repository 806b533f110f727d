/**
 * Training benchmark of the reference UNet (packages/core/bench/reference_unet.ts).
 *
 *   pnpm --silent bench:train --json [--height 128] [--width H] [--batch 4] [--backend wasm]
 *                                    [--threads N] [--repeats 5] [--profile]
 *
 * Prints one JSON line {"backend","height","width","batch","params","forwardMs","stepMs"}: medians over
 * `--repeats` (≥ 5) runs after warm-up. `--profile` also prints the per-kernel time of one training step
 * (tf.profile) to stderr. Compare with scripts/bench/reference_unet_torch.py.
 */
import * as tf from '@tensorflow/tfjs-core';
import { initBackend } from '@pedseg/core';
import { buildReferenceUNet, countTrainableParams } from '../packages/core/bench/reference_unet.js';
import { kernelProfile } from '../packages/core/bench/kernel_profile.js';

function flag(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}
function intFlag(name: string, fallback: number): number {
  const raw = flag(name);
  if (raw === undefined) return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 1) throw new Error(`--${name} must be a positive integer, got '${raw}'`);
  return value;
}
function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

const json = process.argv.includes('--json');
const height = intFlag('height', 128);
const width = intFlag('width', height);
const batch = intFlag('batch', 4);
const repeats = Math.max(5, intFlag('repeats', 5));
const threadsFlag = flag('threads');
const backendFlag = flag('backend');

const init = await initBackend({
  ...(backendFlag !== undefined ? { backend: backendFlag } : {}),
  ...(threadsFlag !== undefined ? { threads: intFlag('threads', 1) } : {}),
});
if (!json) console.log(`backend: ${init.reason}`);
else console.error(`backend: ${init.reason}`);

const model = buildReferenceUNet({ height, width });
const x = tf.randomNormal([batch, height, width, 1], 0, 1, 'float32', 1);
const labels = tf.tidy(() => tf.cast(tf.oneHot(tf.randomUniform([batch, height, width], 0, 4, 'int32', 2), 4), 'float32'));

// Process CPU time (all threads) next to wall time: on a loaded machine it is the steadier figure.
const cpuTimes = { forward: [] as number[], step: [] as number[] };
function cpuMs(): number {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
}
async function forward(): Promise<number> {
  const [start, cpu] = [performance.now(), cpuMs()];
  const y = model.predict(x) as tf.Tensor;
  await y.data();
  y.dispose();
  cpuTimes.forward.push(cpuMs() - cpu);
  return performance.now() - start;
}
async function step(): Promise<number> {
  const [start, cpu] = [performance.now(), cpuMs()];
  await model.trainOnBatch(x, labels);
  cpuTimes.step.push(cpuMs() - cpu);
  return performance.now() - start;
}

for (let i = 0; i < 2; i++) {
  await forward();
  await step();
}
cpuTimes.forward.length = 0;
cpuTimes.step.length = 0;
const forwardTimes: number[] = [];
const stepTimes: number[] = [];
for (let i = 0; i < repeats; i++) forwardTimes.push(await forward());
for (let i = 0; i < repeats; i++) stepTimes.push(await step());

if (process.argv.includes('--profile')) {
  const profile = await kernelProfile(() => model.trainOnBatch(x, labels));
  console.error(profile);
}

const result = {
  backend: init.backend,
  height,
  width,
  batch,
  params: countTrainableParams(model),
  forwardMs: Math.round(median(forwardTimes) * 10) / 10,
  stepMs: Math.round(median(stepTimes) * 10) / 10,
};
console.error(
  `threads ${init.threads ?? '-'}; process CPU time per call (median): forward ${median(cpuTimes.forward).toFixed(0)} ms, step ${median(cpuTimes.step).toFixed(0)} ms`,
);
if (json) console.log(JSON.stringify(result));
else console.log(`threads ${init.threads ?? '-'}; forward ${forwardTimes.map((t) => t.toFixed(0)).join(' ')} ms; step ${stepTimes.map((t) => t.toFixed(0)).join(' ')} ms\n${JSON.stringify(result)}`);
x.dispose();
labels.dispose();
model.dispose();
