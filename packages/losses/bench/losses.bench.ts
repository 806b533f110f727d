/**
 * Times the losses on realistic shapes and prints one JSON line (milliseconds per call, median of
 * several runs). Usage, from the repository root:
 *   pnpm exec tsx --conditions=@pedseg/source packages/losses/bench/losses.bench.ts [cpu|wasm]
 */
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-layers';
import * as tf from '@tensorflow/tfjs-core';
import { initBackend } from '@pedseg/core';
import {
  boundaryDistanceWeights,
  categoricalCrossEntropy,
  multiScaleContrastiveLoss,
  multiTaskCrossEntropy,
  shapePriorsLoss,
  softDiceLoss,
  supervisedContrastiveLoss,
} from '@pedseg/losses';

const backend = process.argv[2] ?? 'cpu';
if (backend === 'wasm') await initBackend({ backend: 'wasm' });
else await tf.setBackend(backend);
await tf.ready();

function median(fn: () => void, runs = 5): number {
  fn(); // warm-up
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    fn();
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  return Number((times[Math.floor(runs / 2)] as number).toFixed(2));
}

const B = 8;
const S = 128;
const C = 4;
const labels = tf.randomUniform([B, S, S], 0, C, 'int32', 1);
const y = tf.tidy(() => tf.cast(tf.oneHot(labels, C), 'float32'));
const logits = tf.randomNormal([B, S, S, C], 0, 1, 'float32', 2);
const p = tf.softmax(logits);
const domains = [0, 0, 0, 1, 1, 1, 2, 2];
const embeddings = tf.randomNormal([96, 512], 0, 1, 'float32', 3) as tf.Tensor2D;
const embDomains = Array.from({ length: 96 }, (_, i) => i % 3);
const scales = [64, 32, 16, 8, 4, 8, 16, 32, 64].map((s, i) => tf.randomNormal([B, s, s, 16 * 2 ** Math.min(i, 8 - i)], 0, 1, 'float32', 10 + i));
const kernel = tf.randomNormal([3, 3, C, 8], 0, 0.2, 'float32', 4);
const encoder = (x: tf.Tensor): tf.Tensor => tf.maxPool(tf.relu(tf.conv2d(x as tf.Tensor4D, kernel as tf.Tensor4D, 2, 'same')), 4, 4, 'same');
const read = (s: tf.Scalar): void => {
  s.dataSync();
  s.dispose();
};

const result = {
  bench: '@pedseg/losses',
  backend: tf.getBackend(),
  shapes: { segmentation: [B, S, S, C], embeddings: [96, 512], scales: scales.map((s) => s.shape) },
  ms: {
    categoricalCrossEntropyFromLogits: median(() => read(categoricalCrossEntropy(y, logits, { fromLogits: true }))),
    multiTaskCrossEntropy: median(() => read(multiTaskCrossEntropy(y, p, domains, [4, 3, 2]))),
    softDiceLoss: median(() => read(softDiceLoss(y, p))),
    boundaryDistanceWeights: median(() => boundaryDistanceWeights(labels).dispose()),
    supervisedContrastiveLoss: median(() => read(supervisedContrastiveLoss(embeddings, embDomains))),
    supervisedContrastiveGradient: median(() => tf.grad((z: tf.Tensor) => supervisedContrastiveLoss(z as tf.Tensor2D, embDomains))(embeddings).dispose()),
    multiScaleContrastive9Scales: median(() => read(multiScaleContrastiveLoss(scales, domains))),
    shapePriorsLoss: median(() => read(shapePriorsLoss(y, p, encoder))),
    shapePriorsGradient: median(() => tf.grad((x: tf.Tensor) => shapePriorsLoss(y, x, encoder))(p).dispose()),
  },
  numTensorsAfter: 0,
};
tf.dispose([labels, y, logits, p, embeddings, ...scales, kernel]);
result.numTensorsAfter = tf.memory().numTensors;
console.log(JSON.stringify(result));
