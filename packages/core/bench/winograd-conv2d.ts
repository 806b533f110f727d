/**
 * Winograd F(4×4, 3×3) against tfjs-wasm's native convolution, per layer shape of the default
 * Att-UNet at 256² (3×3 convolutions, batch 1):
 *
 *   pnpm exec tsx --conditions=@pedseg/source packages/core/bench/winograd-conv2d.ts [--threads 2] [--repeats 7] [--batch 1]
 *
 * Prints one JSON line per shape {"h","w","cin","cout","nativeMs","winogradMs","nativeFreshFilterMs",
 * "winogradFreshFilterMs","speedup","speedupFreshFilter","gflops"} (medians; `gflops` is the direct
 * convolution's 2·H·W·9·cin·cout over winogradMs) and a final {"total": {...}} line summing over the
 * network's layers with their multiplicity. "Fresh filter" makes a new filter tensor per call (one
 * `add`, included in both columns), as a training step does: XNNPACK then packs the weights on every
 * call, and Winograd either transforms the filter for that call (enough tiles) or leaves it to the
 * native kernel.
 */
import * as tf from '@tensorflow/tfjs-core';
import { initBackend } from '@pedseg/core';

function flag(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? (process.argv[i + 1] ?? fallback) : fallback;
}
const threads = Number(flag('threads', '2'));
const repeats = Math.max(3, Number(flag('repeats', '7')));
const batch = Number(flag('batch', '1'));
await initBackend({ backend: 'wasm', threads });

/** [size, cin, cout, how many such layers the Att-UNet has]. */
const LAYERS: Array<[number, number, number, number]> = [
  [256, 32, 32, 3],
  [256, 64, 32, 1],
  [128, 32, 64, 1],
  [128, 64, 64, 3],
  [128, 128, 64, 1],
  [64, 64, 128, 1],
  [64, 128, 128, 3],
  [64, 256, 128, 1],
  [32, 128, 256, 1],
  [32, 256, 256, 3],
  [32, 512, 256, 1],
  [16, 256, 512, 1],
  [16, 512, 512, 1],
];

function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

async function time(run: () => tf.Tensor): Promise<number> {
  for (let i = 0; i < 2; i++) run().dispose();
  const times: number[] = [];
  for (let i = 0; i < repeats; i++) {
    const start = performance.now();
    const y = run();
    await y.data();
    times.push(performance.now() - start);
    y.dispose();
  }
  return median(times);
}

const total = { nativeMs: 0, winogradMs: 0, nativeFreshFilterMs: 0, winogradFreshFilterMs: 0 };
for (const [size, cin, cout, count] of LAYERS) {
  const x = tf.randomNormal([batch, size, size, cin], 0, 1, 'float32', 1) as tf.Tensor4D;
  const filter = tf.randomNormal([3, 3, cin, cout], 0, 0.1, 'float32', 2) as tf.Tensor4D;
  const bias = tf.zeros([cout]);
  const conv = (f: tf.Tensor4D): tf.Tensor => tf.fused.conv2d({ x, filter: f, bias, strides: 1, pad: 'same', activation: 'relu' });
  const fresh = (): tf.Tensor => tf.tidy(() => conv(tf.add(filter, 0) as tf.Tensor4D));
  process.env['PEDSEG_WINOGRAD'] = '0';
  const nativeMs = await time(() => conv(filter));
  const nativeFreshFilterMs = await time(fresh);
  delete process.env['PEDSEG_WINOGRAD'];
  const winogradMs = await time(() => conv(filter));
  const winogradFreshFilterMs = await time(fresh);
  tf.dispose([x, filter, bias]);
  total.nativeMs += count * nativeMs;
  total.winogradMs += count * winogradMs;
  total.nativeFreshFilterMs += count * nativeFreshFilterMs;
  total.winogradFreshFilterMs += count * winogradFreshFilterMs;
  const round = (v: number): number => Math.round(v * 100) / 100;
  console.log(
    JSON.stringify({
      h: size,
      w: size,
      cin,
      cout,
      nativeMs: round(nativeMs),
      winogradMs: round(winogradMs),
      nativeFreshFilterMs: round(nativeFreshFilterMs),
      winogradFreshFilterMs: round(winogradFreshFilterMs),
      speedup: round(nativeMs / winogradMs),
      speedupFreshFilter: round(nativeFreshFilterMs / winogradFreshFilterMs),
      gflops: round((2 * batch * size * size * 9 * cin * cout) / winogradMs / 1e6),
    }),
  );
}
const r = (v: number): number => Math.round(v * 10) / 10;
console.log(
  JSON.stringify({
    total: {
      threads,
      batch,
      nativeMs: r(total.nativeMs),
      winogradMs: r(total.winogradMs),
      nativeFreshFilterMs: r(total.nativeFreshFilterMs),
      winogradFreshFilterMs: r(total.winogradFreshFilterMs),
      speedup: r((total.nativeMs / total.winogradMs) * 100) / 100,
      speedupFreshFilter: r((total.nativeFreshFilterMs / total.winogradFreshFilterMs) * 100) / 100,
    },
  }),
);
