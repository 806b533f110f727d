/**
 * Augmentation throughput: one batch of the papers' size (32 slices of 256 × 256) warped with the
 * CombReg ranges (scaling, rotation, shift, flips) on each available backend, plus the full sampler
 * step (gather + tensor creation + augmentation). Prints one JSON line.
 *
 *   pnpm exec tsx --conditions=@pedseg/source packages/data/bench/augment.ts [batch] [size] [repeats]
 */
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { Augmenter, DomainBalancedSampler, Rng, type SliceSet } from '@pedseg/data';

const batch = Number(process.argv[2] ?? 32);
const size = Number(process.argv[3] ?? 256);
const repeats = Number(process.argv[4] ?? 5);

function pool(tag: number, count: number): SliceSet {
  const plane = size * size;
  const rng = new Rng(tag);
  const images = new Float32Array(count * plane).map(() => rng.normal());
  const labels = new Uint8Array(count * plane).map((_, i) => ((i % size) > size / 3 && (i % size) < (2 * size) / 3 ? tag : 0));
  return { height: size, width: size, count, images, labels, sliceIndices: new Int32Array(count), caseIds: Array(count).fill('c') };
}

async function measure(backend: string): Promise<Record<string, number | string>> {
  await tf.setBackend(backend);
  await tf.ready();
  const aug = new Augmenter('combReg', { seed: 1 });
  const x = tf.randomNormal([batch, size, size, 1]) as tf.Tensor4D;
  const y = tf.randomUniformInt([batch, size, size], 0, 4) as tf.Tensor3D;
  const once = (): void => {
    const out = aug.apply(x, y);
    out.images.dataSync();
    tf.dispose([out.images, out.labels]);
  };
  once();
  const t0 = performance.now();
  for (let r = 0; r < repeats; r += 1) once();
  const augMs = (performance.now() - t0) / repeats;
  const sampler = new DomainBalancedSampler([pool(1, 40), pool(2, 40)], { batchSize: batch - (batch % 2), seed: 2, augmenter: aug });
  const t1 = performance.now();
  for (let r = 0; r < repeats; r += 1) {
    const b = sampler.nextBatch();
    b.images.dataSync();
    tf.dispose([b.images, b.labels, b.domain]);
  }
  const stepMs = (performance.now() - t1) / repeats;
  tf.dispose([x, y]);
  return { backend, augmentMsPerBatch: +augMs.toFixed(1), augmentMsPerSlice: +(augMs / batch).toFixed(2), samplerStepMsPerBatch: +stepMs.toFixed(1), slicesPerSecond: Math.round((batch * 1000) / augMs) };
}

async function main(): Promise<void> {
  const results = [await measure('cpu')];
  try {
    await import('@tensorflow/tfjs-backend-wasm');
    results.push(await measure('wasm'));
  } catch (error) {
    results.push({ backend: 'wasm', skipped: (error as Error).message.slice(0, 80) });
  }
  console.log(JSON.stringify({ bench: 'augment', preset: 'combReg', batch, size, repeats, results }));
}

void main();
