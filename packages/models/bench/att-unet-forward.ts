/**
 * Forward-pass benchmark of the default Att-UNet (depth 4, filters 32, 3 bones + background, ≈7.9M
 * parameters) at 256×256, inference mode.
 *
 *   pnpm exec tsx --conditions=@pedseg/source packages/models/bench/att-unet-forward.ts
 *        [--backend wasm] [--threads 1] [--batch 1] [--size 256] [--repeats 5] [--python /usr/bin/python3] [--no-torch] [--fold] [--profile]
 *
 * Runs the tfjs network, then (unless --no-torch) the PyTorch twin att_unet_torch.py in this folder with
 * the same threads, batch, size and repeats, and prints one JSON line
 * {"tfjs": {...}, "torch": {...} | null, "ratio", "cpuRatio"}: each side {"backend","threads","size","batch","params",
 * "forwardMs","msPerSlice","cpuMs"} (medians over the repeats after two warm-up passes; cpuMs is process
 * CPU time, all threads; tfjs also "folded"), ratio = tfjs / torch wall time, cpuRatio the same for CPU
 * time (steadier on a loaded machine, but counts threads' spin-waiting). `--fold` runs the
 * batch-norm-folded inference copy (`foldBatchNorm`); PyTorch runs its eval-mode network either way.
 * `--profile` prints the kernel time of one forward pass by kernel name to stderr.
 */
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs-core';
import { initBackend } from '@pedseg/core';
import { buildAttentionUNet, foldBatchNorm } from '@pedseg/models';

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
const fold = process.argv.includes('--fold');
const built = buildAttentionUNet({ inputSize: [size, size], numStructures: 3 });
const net = fold ? foldBatchNorm(built) : built;
const x = tf.randomNormal([batch, size, size, 1], 0, 1, 'float32', 1);

// Process CPU time (all threads) next to wall time: on a loaded machine it is the steadier figure.
const cpuTimes: number[] = [];
function cpuMs(): number {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
}
async function forward(): Promise<number> {
  const [start, cpu] = [performance.now(), cpuMs()];
  const y = net.model.predict(x) as tf.Tensor;
  await y.data();
  y.dispose();
  cpuTimes.push(cpuMs() - cpu);
  return performance.now() - start;
}
await forward();
await forward();
cpuTimes.length = 0;
const times: number[] = [];
for (let i = 0; i < repeats; i++) times.push(await forward());
const forwardMs = median(times);
if (process.argv.includes('--profile')) {
  const { kernelProfile } = await import('../../core/bench/kernel_profile.js');
  console.error(await kernelProfile(async () => {
    const y = net.model.predict(x) as tf.Tensor;
    await y.data();
    y.dispose();
  }));
}
const tfjs = {
  backend: init.backend,
  folded: fold,
  threads: init.threads ?? null,
  size,
  batch,
  params: built.model.countParams(),
  forwardMs: Math.round(forwardMs * 10) / 10,
  msPerSlice: Math.round((forwardMs / batch) * 10) / 10,
  cpuMs: Math.round(median(cpuTimes) * 10) / 10,
};
tf.dispose([x]);
net.model.dispose();

let torch: { forwardMs: number; cpuMs?: number } | null = null;
if (!process.argv.includes('--no-torch')) {
  const script = fileURLToPath(new URL('./att_unet_torch.py', import.meta.url));
  const python = flag('python', '/usr/bin/python3');
  const args = [script, '--threads', String(init.threads ?? threads), '--batch', String(batch), '--size', String(size), '--repeats', String(repeats)];
  try {
    torch = JSON.parse(execFileSync(python, args, { encoding: 'utf8' }).trim().split('\n').at(-1) as string) as { forwardMs: number; cpuMs?: number };
  } catch (error) {
    console.error(`PyTorch side skipped: ${(error as Error).message.split('\n')[0]}`);
  }
}
const round2 = (v: number): number => Math.round(v * 100) / 100;
console.log(
  JSON.stringify({
    tfjs,
    torch,
    ratio: torch ? round2(tfjs.forwardMs / torch.forwardMs) : null,
    cpuRatio: torch?.cpuMs ? round2(tfjs.cpuMs / torch.cpuMs) : null,
  }),
);
