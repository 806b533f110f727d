/**
 * Forward-pass benchmark of the default Att-UNet (depth 4, filters 32, 3 bones + background, ≈7.9M
 * parameters) at 256×256, inference mode.
 *
 *   pnpm exec tsx --conditions=@pedseg/source packages/models/bench/att-unet-forward.ts
 *        [--backend wasm] [--threads 1] [--batch 1] [--size 256] [--repeats 5]
 *
 * Prints one JSON line {"backend","threads","size","batch","params","forwardMs","msPerSlice"} (medians over
 * the repeats after two warm-up passes). Compare with att_unet_torch.py in this folder, same network.
 */
import * as tf from '@tensorflow/tfjs-core';
import { initBackend } from '@pedseg/core';
import { buildAttentionUNet } from '@pedseg/models';

function flag(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? (process.argv[i + 1] ?? fallback) : fallback;
}
function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? (s[m] as number) : ((s[m - 1] as number) + (s[m] as number)) / 2;
}

const backend = flag('backend', 'wasm');
const threads = Number(flag('threads', '1'));
const batch = Number(flag('batch', '1'));
const size = Number(flag('size', '256'));
const repeats = Math.max(3, Number(flag('repeats', '5')));

const init = await initBackend({ backend, threads, onWarning: (m) => console.error(m) });
const net = buildAttentionUNet({ inputSize: [size, size], numStructures: 3 });
const x = tf.randomNormal([batch, size, size, 1], 0, 1, 'float32', 1);

async function forward(): Promise<number> {
  const start = performance.now();
  const y = net.model.predict(x) as tf.Tensor;
  await y.data();
  y.dispose();
  return performance.now() - start;
}
await forward();
await forward();
const times: number[] = [];
for (let i = 0; i < repeats; i++) times.push(await forward());
const forwardMs = median(times);
console.log(
  JSON.stringify({
    backend: init.backend,
    threads: init.threads ?? null,
    size,
    batch,
    params: net.model.countParams(),
    forwardMs: Math.round(forwardMs * 10) / 10,
    msPerSlice: Math.round((forwardMs / batch) * 10) / 10,
  }),
);
