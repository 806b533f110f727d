import * as tf from '@tensorflow/tfjs-core';
import { DataArgumentError } from '../errors.js';
import { Rng } from '../random.js';
import { AUGMENTATION_PRESETS, type AugmentationPreset, type AugmentationRanges } from './presets.js';
import { augmentationMatrix, checkAugmentationRanges, sampleAugmentation, type AugmentationParams } from './transform.js';

/** How pixels that map outside the input image are filled (tf.image.transform fill modes). */
export type FillMode = 'constant' | 'reflect' | 'wrap' | 'nearest';

/** Options of {@link augmentBatch} and {@link Augmenter}. */
export interface AugmentOptions {
  /** Interpolation of the image; default `'bilinear'` (labels always use `'nearest'`). */
  readonly imageInterpolation?: 'bilinear' | 'nearest';
  /** Fill of the image outside the input; default `'nearest'` (edge replication, as Keras). */
  readonly imageFill?: FillMode;
  /** Constant of the image fill when `imageFill` is `'constant'`; default 0. */
  readonly imageFillValue?: number;
}

/** An augmented batch. */
export interface AugmentedBatch {
  /** `[B, H, W, C]` float32. */
  readonly images: tf.Tensor4D;
  /** Same shape and dtype as the input labels. */
  readonly labels: tf.Tensor;
}

/**
 * Warps each sample of a batch — image and label map with the same geometry (bilinear or nearest for
 * the image, nearest with background fill for the labels) — with tf.image.transform.
 *
 * Other backends warp the whole batch in one Transform call per tensor. The cpu backend of tfjs 4.22
 * computes only the first sample of a batched Transform (its kernel returns inside the batch loop), so
 * there samples are warped one at a time.
 *
 * @param images - `[B, H, W, C]` float32.
 * @param labels - `[B, H, W]` or `[B, H, W, 1]` label values (int32 or float32).
 * @param params - one augmentation per sample.
 * @returns new tensors (the caller disposes them).
 * @throws {@link DataArgumentError} on mismatched shapes or parameter counts.
 */
export function augmentBatch(images: tf.Tensor4D, labels: tf.Tensor, params: readonly AugmentationParams[], options: AugmentOptions = {}): AugmentedBatch {
  if (images.rank !== 4) throw new DataArgumentError(`images must be [B, H, W, C], got [${images.shape.join(', ')}]`);
  const [B, H, W] = images.shape;
  const labelShapeOk =
    (labels.rank === 3 || (labels.rank === 4 && labels.shape[3] === 1)) && labels.shape[0] === B && labels.shape[1] === H && labels.shape[2] === W;
  if (!labelShapeOk) {
    throw new DataArgumentError(`labels must be [${B}, ${H}, ${W}] or [${B}, ${H}, ${W}, 1], got [${labels.shape.join(', ')}]`);
  }
  if (params.length !== B) throw new DataArgumentError(`need one augmentation per sample: ${params.length} for batch ${B}`);
  const interpolation = options.imageInterpolation ?? 'bilinear';
  const fill = options.imageFill ?? 'nearest';
  const fillValue = options.imageFillValue ?? 0;
  return tf.tidy(() => {
    const img = images.dtype === 'float32' ? images : tf.cast(images, 'float32');
    const lab = tf.reshape(tf.cast(labels, 'float32'), [B, H, W, 1]) as tf.Tensor4D;
    const matrices = params.map((p) => augmentationMatrix(p, H, W));
    let augImages: tf.Tensor4D;
    let augLabels4: tf.Tensor4D;
    if (tf.getBackend() !== 'cpu') {
      const m = tf.tensor2d(matrices, [B, 8], 'float32');
      augImages = tf.image.transform(img, m, interpolation, fill, fillValue);
      augLabels4 = tf.image.transform(lab, m, 'nearest', 'constant', 0);
    } else {
      const outImages: tf.Tensor4D[] = [];
      const outLabels: tf.Tensor4D[] = [];
      for (let b = 0; b < B; b += 1) {
        const m = tf.tensor2d([matrices[b]!], [1, 8], 'float32');
        const xi = tf.slice(img, [b, 0, 0, 0], [1, -1, -1, -1]) as tf.Tensor4D;
        const xl = tf.slice(lab, [b, 0, 0, 0], [1, -1, -1, -1]) as tf.Tensor4D;
        outImages.push(tf.image.transform(xi, m, interpolation, fill, fillValue));
        outLabels.push(tf.image.transform(xl, m, 'nearest', 'constant', 0));
      }
      augImages = (B === 1 ? outImages[0]! : tf.concat(outImages, 0)) as tf.Tensor4D;
      augLabels4 = (B === 1 ? outLabels[0]! : tf.concat(outLabels, 0)) as tf.Tensor4D;
    }
    const augLabels = tf.reshape(augLabels4, labels.shape);
    return { images: augImages, labels: labels.dtype === 'float32' ? augLabels : tf.cast(augLabels, labels.dtype) };
  });
}

/** Options of an {@link Augmenter}. */
export interface AugmenterOptions extends AugmentOptions {
  /** Seed of the augmentation stream. */
  readonly seed: number;
  /** Multiplier of every continuous range; 0 makes the augmenter the identity. Default 1. */
  readonly magnitude?: number;
}

/**
 * Seeded on-the-fly augmentation with a paper's ranges: draws one {@link AugmentationParams} per
 * sample and applies it to image and labels alike.
 */
export class Augmenter {
  /** The ranges in use. */
  readonly ranges: AugmentationRanges;
  private readonly rng: Rng;
  private readonly magnitude: number;
  private readonly options: AugmentOptions;

  /**
   * @param ranges - a preset name of {@link AUGMENTATION_PRESETS} or explicit ranges.
   * @param options - seed, magnitude, interpolation and fill.
   */
  constructor(ranges: AugmentationPreset | AugmentationRanges, options: AugmenterOptions) {
    if (typeof ranges === 'string' && !(ranges in AUGMENTATION_PRESETS)) {
      throw new DataArgumentError(`unknown augmentation preset '${ranges}' (known: ${Object.keys(AUGMENTATION_PRESETS).join(', ')})`);
    }
    this.ranges = typeof ranges === 'string' ? AUGMENTATION_PRESETS[ranges] : ranges;
    checkAugmentationRanges(this.ranges);
    this.rng = new Rng(options.seed);
    this.magnitude = options.magnitude ?? 1;
    this.options = options;
  }

  /** Draws the augmentations of the next `count` samples. */
  sample(count: number): AugmentationParams[] {
    return Array.from({ length: count }, () => sampleAugmentation(this.ranges, this.rng, this.magnitude));
  }

  /** Augments a batch (see {@link augmentBatch}); returns new tensors. */
  apply(images: tf.Tensor4D, labels: tf.Tensor): AugmentedBatch {
    return augmentBatch(images, labels, this.sample(images.shape[0]), this.options);
  }
}
