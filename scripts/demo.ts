/**
 * Placeholder demo (the examples issue replaces it): starts the embedded backend, trains a tiny UNet
 * on a synthetic segmentation task (bright ellipses on noise) and prints the loss falling and the
 * final Dice on held-out images.
 *
 *   pnpm demo
 */
import * as tf from '@tensorflow/tfjs-core';
import { initBackend } from '@pedseg/core';
import { buildReferenceUNet } from '../packages/core/bench/reference_unet.js';

const SIZE = 32;
const STEPS = 40;
const BATCH = 8;

/** Deterministic uniform numbers in [0, 1) (mulberry32). */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** `count` images with one rotated bright ellipse on Gaussian-ish noise, and their one-hot masks. */
function ellipses(count: number, rand: () => number): { images: tf.Tensor4D; masks: tf.Tensor4D } {
  const image = new Float32Array(count * SIZE * SIZE);
  const mask = new Int32Array(count * SIZE * SIZE);
  for (let n = 0; n < count; n++) {
    const cy = 8 + rand() * 16;
    const cx = 8 + rand() * 16;
    const ry = 3 + rand() * 7;
    const rx = 3 + rand() * 7;
    const angle = rand() * Math.PI;
    const [c, s] = [Math.cos(angle), Math.sin(angle)];
    for (let y = 0; y < SIZE; y++) {
      for (let x = 0; x < SIZE; x++) {
        const u = ((x - cx) * c + (y - cy) * s) / rx;
        const v = (-(x - cx) * s + (y - cy) * c) / ry;
        const inside = u * u + v * v <= 1 ? 1 : 0;
        const noise = (rand() + rand() + rand() - 1.5) * 0.6;
        const i = (n * SIZE + y) * SIZE + x;
        image[i] = 0.8 * inside + noise;
        mask[i] = inside;
      }
    }
  }
  return tf.tidy(() => ({
    images: tf.tensor4d(image, [count, SIZE, SIZE, 1]),
    masks: tf.cast(tf.oneHot(tf.tensor3d(mask, [count, SIZE, SIZE], 'int32'), 2), 'float32') as tf.Tensor4D,
  }));
}

/** Foreground Dice of argmax predictions: 2|P ∩ G| / (|P| + |G|), 1 when both are empty. */
async function dice(probabilities: tf.Tensor, masks: tf.Tensor): Promise<number> {
  const [intersection, sizes] = tf.tidy(() => {
    const predicted = tf.cast(tf.argMax(probabilities, -1), 'float32');
    const truth = tf.cast(tf.argMax(masks, -1), 'float32');
    return [tf.sum(tf.mul(predicted, truth)), tf.add(tf.sum(predicted), tf.sum(truth))];
  });
  const [i, n] = [(await intersection!.data())[0]!, (await sizes!.data())[0]!];
  tf.dispose([intersection!, sizes!]);
  return n === 0 ? 1 : (2 * i) / n;
}

const started = performance.now();
const backend = await initBackend();
console.log(`backend: ${backend.reason}`);

const model = buildReferenceUNet({ height: SIZE, width: SIZE, widths: [8, 16], classes: 2 });
const rand = random(7);
const test = ellipses(16, rand);
const losses: number[] = [];
for (let step = 1; step <= STEPS; step++) {
  const { images, masks } = ellipses(BATCH, rand);
  const loss = (await model.trainOnBatch(images, masks)) as number;
  tf.dispose([images, masks]);
  losses.push(loss);
  process.stdout.write(`\rtraining ${'#'.repeat(Math.round((20 * step) / STEPS)).padEnd(20, '.')} step ${step}/${STEPS} loss ${loss.toFixed(4)}`);
  if (step % 10 === 0 || step === 1) process.stdout.write('\n');
}
const probabilities = model.predict(test.images) as tf.Tensor;
const score = await dice(probabilities, test.masks);
tf.dispose([probabilities, test.images, test.masks]);
model.dispose();
const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
console.log(`loss: first 5 steps ${mean(losses.slice(0, 5)).toFixed(4)} -> last 5 steps ${mean(losses.slice(-5)).toFixed(4)}`);
console.log(`held-out Dice (16 images): ${score.toFixed(3)}  [${((performance.now() - started) / 1000).toFixed(1)} s]`);
