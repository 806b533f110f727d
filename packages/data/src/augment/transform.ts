import { DataArgumentError } from '../errors.js';
import type { Rng } from '../random.js';
import type { AugmentationRanges } from './presets.js';

/** One drawn augmentation: zoom, rotation, shift and flips about the image centre. */
export interface AugmentationParams {
  /** Zoom factor (> 0; 1 = none). */
  readonly scale: number;
  /** Rotation angle in radians (counter-clockwise in (col, row) pixel coordinates). */
  readonly rotation: number;
  /** Shift along columns as a fraction of the width. */
  readonly shiftX: number;
  /** Shift along rows as a fraction of the height. */
  readonly shiftY: number;
  /** Mirror columns. */
  readonly flipHorizontal: boolean;
  /** Mirror rows. */
  readonly flipVertical: boolean;
}

/** The identity augmentation. */
export const IDENTITY_AUGMENTATION: AugmentationParams = {
  scale: 1,
  rotation: 0,
  shiftX: 0,
  shiftY: 0,
  flipHorizontal: false,
  flipVertical: false,
};

/** Throws {@link DataArgumentError} unless the ranges are finite and non-negative (scale < 1). */
export function checkAugmentationRanges(ranges: AugmentationRanges): void {
  for (const key of ['scale', 'rotation', 'shift'] as const) {
    const v = ranges[key];
    if (!(Number.isFinite(v) && v >= 0)) throw new DataArgumentError(`augmentation ${key} range must be finite and ≥ 0, got ${v}`);
  }
  if (ranges.scale >= 1) throw new DataArgumentError(`augmentation scale range must be < 1, got ${ranges.scale}`);
}

/**
 * Draws one augmentation from `ranges`, all continuous ranges multiplied by `magnitude`; at magnitude
 * 0 the result is the identity (flips are off too). Always consumes the same number of draws, so the
 * sequence of a seeded generator does not depend on the ranges.
 */
export function sampleAugmentation(ranges: AugmentationRanges, rng: Rng, magnitude = 1): AugmentationParams {
  checkAugmentationRanges(ranges);
  if (!(Number.isFinite(magnitude) && magnitude >= 0)) throw new DataArgumentError(`magnitude must be finite and ≥ 0, got ${magnitude}`);
  const u = [rng.uniform(-1, 1), rng.uniform(-1, 1), rng.uniform(-1, 1), rng.uniform(-1, 1), rng.next(), rng.next()];
  const on = magnitude > 0;
  return {
    scale: 1 + Math.min(0.99, ranges.scale * magnitude) * u[0]!,
    rotation: ((ranges.rotation * magnitude * Math.PI) / 180) * u[1]!,
    shiftX: ranges.shift * magnitude * u[2]!,
    shiftY: ranges.shift * magnitude * u[3]!,
    flipHorizontal: on && ranges.flipHorizontal && u[4]! < 0.5,
    flipVertical: on && ranges.flipVertical && u[5]! < 0.5,
  };
}

/**
 * The 8 projective coefficients `[a0, a1, a2, b0, b1, b2, 0, 0]` that tf.image.transform expects: they
 * map an OUTPUT pixel (x = col, y = row) to the INPUT location it samples,
 * (x', y') = (a0·x + a1·y + a2, b0·x + b1·y + b2). The forward warp about the centre c = ((W−1)/2,
 * (H−1)/2) is out = c + t + s·R(θ)·F·(in − c) with flips F and shift t; this returns its inverse.
 */
export function augmentationMatrix(params: AugmentationParams, height: number, width: number): number[] {
  if (!(params.scale > 0)) throw new DataArgumentError(`augmentation scale must be > 0, got ${params.scale}`);
  const cx = (width - 1) / 2;
  const cy = (height - 1) / 2;
  const tx = params.shiftX * width;
  const ty = params.shiftY * height;
  const fx = params.flipHorizontal ? -1 : 1;
  const fy = params.flipVertical ? -1 : 1;
  const cos = Math.cos(params.rotation);
  const sin = Math.sin(params.rotation);
  // inverse: in = c + F · R(−θ) · (out − c − t) / s
  const k = 1 / params.scale;
  const a0 = fx * cos * k;
  const a1 = fx * sin * k;
  const b0 = -fy * sin * k;
  const b1 = fy * cos * k;
  const ox = cx + tx;
  const oy = cy + ty;
  // `+ 0` turns −0 into +0 so that equal transforms compare equal
  return [a0, a1, cx - a0 * ox - a1 * oy, b0, b1, cy - b0 * ox - b1 * oy, 0, 0].map((v) => v + 0);
}
