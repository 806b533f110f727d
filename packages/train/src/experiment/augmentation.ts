import { dispose, tensor3d, tensor4d } from '@tensorflow/tfjs-core';
import { Augmenter } from '@pedseg/data';
import type { AugmentationPreset, SliceSet } from '@pedseg/data';
import { mixSeed } from '../random.js';

/** Salt separating the augmentation stream from the data-order stream of the same (seed, epoch, batch). */
const AUGMENTATION_SALT = 0x61756721;

/**
 * The slices `indices` of a pool, each warped by `@pedseg/data`'s seeded {@link Augmenter} with the
 * preset's ranges (image bilinear with edge fill, labels nearest with background fill), as a new pool
 * of `indices.length` slices in the same order.
 *
 * The augmenter is seeded by (run seed, epoch, batch), not by a running stream, so a fit resumed
 * mid-epoch draws exactly the warps an uninterrupted run would have drawn for that batch.
 */
export function augmentedSlices(set: SliceSet, indices: readonly number[], preset: AugmentationPreset, seed: number, epoch: number, batch: number): SliceSet {
  const { height: H, width: W } = set;
  const hw = H * W;
  const B = indices.length;
  const xs = new Float32Array(B * hw);
  const ls = new Int32Array(B * hw);
  indices.forEach((s, i) => {
    xs.set(set.images.subarray(s * hw, (s + 1) * hw), i * hw);
    ls.set(set.labels.subarray(s * hw, (s + 1) * hw), i * hw);
  });
  const x = tensor4d(xs, [B, H, W, 1]);
  const y = tensor3d(ls, [B, H, W], 'int32');
  const out = new Augmenter(preset, { seed: mixSeed(seed, AUGMENTATION_SALT, epoch, batch) }).apply(x, y);
  const images = out.images.dataSync() as Float32Array;
  const labels = Uint8Array.from(out.labels.dataSync());
  dispose([x, y, out.images, out.labels]);
  return {
    height: H,
    width: W,
    count: B,
    images: Float32Array.from(images),
    labels,
    sliceIndices: Int32Array.from(indices, (s) => set.sliceIndices[s] as number),
    caseIds: indices.map((s) => set.caseIds[s] as string),
  };
}

/**
 * A multi-domain batch (`entries` into one pool per joint) with every slice augmented: one augmented
 * pool per joint holding that joint's sampled slices, and the entries renumbered into them. Each joint
 * draws from its own stream of (seed, epoch, batch, joint).
 */
export function augmentedEntries(
  pools: readonly SliceSet[],
  entries: readonly { readonly domain: number; readonly slice: number }[],
  preset: AugmentationPreset,
  seed: number,
  epoch: number,
  batch: number,
): { pools: SliceSet[]; entries: { domain: number; slice: number }[] } {
  const picked = pools.map(() => [] as number[]);
  const renumbered = entries.map((e) => {
    const list = picked[e.domain] as number[];
    list.push(e.slice);
    return { domain: e.domain, slice: list.length - 1 };
  });
  const augmented = pools.map((pool, k) => augmentedSlices(pool, picked[k] as number[], preset, mixSeed(seed, k), epoch, batch));
  return { pools: augmented, entries: renumbered };
}
