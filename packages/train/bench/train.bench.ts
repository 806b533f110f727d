/**
 * Benchmark of @pedseg/train on the cpu backend: one alternating discriminator + segmentation step of a
 * small Att-UNet-sized toy pair vs tfjs' own optimizer.minimize, a checkpoint write/read, and exact
 * t-SNE on 300 points of 512 dimensions. Prints one JSON line.
 * Run: pnpm exec tsx --conditions=@pedseg/source packages/train/bench/train.bench.ts
 */
import '@tensorflow/tfjs-backend-cpu';
import * as tfl from '@tensorflow/tfjs-layers';
import * as tf from '@tensorflow/tfjs-core';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { categoricalCrossEntropy } from '@pedseg/losses';
import { SeededRandom, Trainer, latestCheckpoint, loadCheckpoint, saveCheckpoint, tsne } from '@pedseg/train';

await tf.setBackend('cpu');

function net(seed: number): tfl.LayersModel {
  return tfl.sequential({
    layers: [
      tfl.layers.conv2d({ inputShape: [32, 32, 1], filters: 16, kernelSize: 3, padding: 'same', activation: 'relu', kernelInitializer: tfl.initializers.glorotUniform({ seed }) }),
      tfl.layers.conv2d({ filters: 16, kernelSize: 3, padding: 'same', activation: 'relu', kernelInitializer: tfl.initializers.glorotUniform({ seed: seed + 1 }) }),
      tfl.layers.conv2d({ filters: 2, kernelSize: 1, activation: 'softmax', kernelInitializer: tfl.initializers.glorotUniform({ seed: seed + 2 }) }),
    ],
  });
}

const x = tf.randomUniform([8, 32, 32, 1], 0, 1, 'float32', 1);
const y = tf.tidy(() => tf.cast(tf.oneHot(tf.cast(tf.greater(tf.squeeze(x, [3]), 0.5), 'int32'), 2), 'float32'));
const steps = 3;

const a = net(1);
const trainer = new Trainer({ s: { model: a, optimizer: { learningRate: 1e-3 } } });
const loss = () => {
  const ce = categoricalCrossEntropy(y, a.apply(x, { training: true }) as tf.Tensor);
  return { total: ce, ce };
};
trainer.step('s', loss);
let t0 = performance.now();
for (let i = 0; i < steps; i += 1) trainer.step('s', loss);
const trainerStepMs = (performance.now() - t0) / steps;

const b = net(1);
const opt = tf.train.adam(1e-3);
const minimize = () => opt.minimize(() => categoricalCrossEntropy(y, b.apply(x, { training: true }) as tf.Tensor), false, b.trainableWeights.map((w) => w.read() as tf.Variable));
minimize();
t0 = performance.now();
for (let i = 0; i < steps; i += 1) minimize();
const tfjsMinimizeMs = (performance.now() - t0) / steps;

const dir = mkdtempSync(join(tmpdir(), 'pedseg-bench-'));
const state = { version: 1 as const, epoch: 0, batch: 1, step: 1, trainerSteps: trainer.steps, seed: 0, rng: new SeededRandom(0).getState(), history: [], partial: { sums: {}, count: 0 }, best: null };
t0 = performance.now();
await saveCheckpoint(dir, trainer, state);
const checkpointSaveMs = performance.now() - t0;
t0 = performance.now();
await loadCheckpoint((await latestCheckpoint(dir)) as string, trainer);
const checkpointLoadMs = performance.now() - t0;

const rng = new SeededRandom(2);
const points = Array.from({ length: 300 }, (_, i) => Array.from({ length: 512 }, () => rng.normal() + (i % 3) * 2));
t0 = performance.now();
tsne(points, { seed: 0 });
const tsne300x512Ms = performance.now() - t0;

console.log(JSON.stringify({ backend: tf.getBackend(), batch: 8, input: '32x32x1', trainerStepMs, tfjsMinimizeMs, checkpointSaveMs, checkpointLoadMs, tsne300x512Ms }));
