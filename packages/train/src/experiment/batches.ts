import { add, argMax, cast, dispose, equal, greaterEqual, logicalAnd, max, reshape, scalar, sum, tensor1d, tensor4d, tidy, where, zerosLike } from '@tensorflow/tfjs-core';
import type { Tensor } from '@tensorflow/tfjs-core';
import type { SliceSet } from '@pedseg/data';
import type { ExperimentStrategy } from './config.js';

/**
 * How the ground truth of a strategy is encoded as the network's target: `channels` outputs, `map[l]`
 * the channel set to 1 for label l (−1: none, i.e. all zeros — the background of the sigmoid strategies).
 */
export interface TargetEncoding {
  /** Output channels of the network. */
  readonly channels: number;
  /** Label value → channel (−1: no channel). */
  readonly map: readonly number[];
  /** Labels scored by validation Dice after {@link decodeLabels} (1..K). */
  readonly scored: number;
}

/**
 * The target of each strategy for `classes` labels (background included): `multi` one-hot over every
 * label; `global` one channel for "any bone"; `individual` one channel per bone.
 */
export function targetEncoding(strategy: ExperimentStrategy, classes: number): TargetEncoding {
  const labels = Array.from({ length: classes }, (_, l) => l);
  if (strategy === 'multi') return { channels: classes, map: labels, scored: classes - 1 };
  if (strategy === 'global') return { channels: 1, map: labels.map((l) => (l === 0 ? -1 : 0)), scored: 1 };
  return { channels: classes - 1, map: labels.map((l) => l - 1), scored: classes - 1 };
}

/** Images `[B, H, W, 1]` of slices `indices` of a pool. */
export function imageBatch(set: SliceSet, indices: readonly number[]): Tensor {
  const hw = set.height * set.width;
  const xs = new Float32Array(indices.length * hw);
  indices.forEach((s, i) => xs.set(set.images.subarray(s * hw, (s + 1) * hw), i * hw));
  return tensor4d(xs, [indices.length, set.height, set.width, 1]);
}

/** Images `[B, H, W, 1]` and encoded targets `[B, H, W, channels]` of slices `indices` of a pool. */
export function batchTensors(set: SliceSet, indices: readonly number[], encoding: TargetEncoding): { x: Tensor; y: Tensor } {
  const hw = set.height * set.width;
  const C = encoding.channels;
  const xs = new Float32Array(indices.length * hw);
  const ys = new Float32Array(indices.length * hw * C);
  indices.forEach((s, i) => {
    xs.set(set.images.subarray(s * hw, (s + 1) * hw), i * hw);
    for (let k = 0; k < hw; k += 1) {
      const c = encoding.map[set.labels[s * hw + k] as number] ?? -1;
      if (c >= 0) ys[(i * hw + k) * C + c] = 1;
    }
  });
  return { x: tensor4d(xs, [indices.length, set.height, set.width, 1]), y: tensor4d(ys, [indices.length, set.height, set.width, C]) };
}

/**
 * Label map `[B, H, W]` (int32) of a strategy's probabilities: argmax for `multi`, threshold 0.5 for
 * `global` (label 1 = bone), and for `individual` the most confident bone among those ≥ 0.5 (label
 * c + 1), as `@pedseg/postprocess`' merge does in 3D.
 */
export function decodeLabels(probs: Tensor, strategy: ExperimentStrategy): Tensor {
  return tidy(() => {
    if (strategy === 'multi') return argMax(probs, -1);
    if (strategy === 'global') return cast(greaterEqual(reshape(probs, probs.shape.slice(0, -1)), 0.5), 'int32');
    const best = add(argMax(probs, -1), scalar(1, 'int32'));
    return where(greaterEqual(max(probs, -1), 0.5), best, zerosLike(best));
  });
}

/** Ground-truth labels `[B, H, W]` of slices `indices`, mapped to the scored labels of a strategy. */
function truthLabels(set: SliceSet, indices: readonly number[], strategy: ExperimentStrategy): Tensor {
  const hw = set.height * set.width;
  const out = new Int32Array(indices.length * hw);
  indices.forEach((s, i) => {
    for (let k = 0; k < hw; k += 1) {
      const l = set.labels[s * hw + k] as number;
      out[i * hw + k] = strategy === 'global' ? (l > 0 ? 1 : 0) : l;
    }
  });
  return tidy(() => reshape(tensor1d(out, 'int32'), [indices.length, set.height, set.width]));
}

/**
 * Mean over the scored labels of the 2D Dice aggregated over every slice of a pool (labels absent
 * from both prediction and truth count 1). `predict` maps an image batch to probabilities.
 */
export function validationDice(
  predict: (x: Tensor, indices: readonly number[]) => Tensor,
  set: SliceSet,
  strategy: ExperimentStrategy,
  scored: number,
  batchSize: number,
): number {
  const inter = new Float64Array(scored + 1);
  const total = new Float64Array(scored + 1);
  for (let start = 0; start < set.count; start += batchSize) {
    const idx = Array.from({ length: Math.min(batchSize, set.count - start) }, (_, i) => start + i);
    const x = imageBatch(set, idx);
    const gt = truthLabels(set, idx, strategy);
    tidy(() => {
      const pred = decodeLabels(predict(x, idx), strategy);
      for (let c = 1; c <= scored; c += 1) {
        const p = equal(pred, c);
        const g = equal(gt, c);
        inter[c] = (inter[c] as number) + (sum(cast(logicalAnd(p, g), 'float32')).dataSync()[0] as number);
        total[c] = (total[c] as number) + (sum(cast(p, 'float32')).dataSync()[0] as number) + (sum(cast(g, 'float32')).dataSync()[0] as number);
      }
    });
    dispose([x, gt]);
  }
  let d = 0;
  for (let c = 1; c <= scored; c += 1) d += (total[c] as number) === 0 ? 1 : (2 * (inter[c] as number)) / (total[c] as number);
  return d / scored;
}
