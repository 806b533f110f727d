import type { LabelCensus } from './label-census.js';

/** Voxel counts of one structure, label (set) against the rest of the image. */
export interface ConfusionCounts {
  /** In the reference and in the prediction. */
  readonly truePositives: number;
  /** In the prediction only. */
  readonly falsePositives: number;
  /** In the reference only. */
  readonly falseNegatives: number;
  /** In neither. */
  readonly trueNegatives: number;
}

/**
 * Confusion counts of the structure made of `members` (a voxel belongs to it when its value is one of
 * them), read off a census of the pair.
 */
export function confusionFromCensus(census: LabelCensus, members: readonly number[]): ConfusionCounts {
  const inSet = new Set(members);
  let tp = 0;
  let ref = 0;
  let pred = 0;
  for (const [r, row] of census.joint) {
    const rIn = inSet.has(r);
    for (const [p, count] of row) {
      const pIn = inSet.has(p);
      if (rIn) ref += count;
      if (pIn) pred += count;
      if (rIn && pIn) tp += count;
    }
  }
  return {
    truePositives: tp,
    falsePositives: pred - tp,
    falseNegatives: ref - tp,
    trueNegatives: census.voxels - ref - pred + tp,
  };
}

/**
 * Confusion counts of two binary masks (non-zero = foreground), counted directly.
 *
 * @param reference - Reference mask.
 * @param prediction - Prediction mask of the same length.
 */
export function confusionCounts(reference: ArrayLike<number>, prediction: ArrayLike<number>): ConfusionCounts {
  let tp = 0;
  let ref = 0;
  let pred = 0;
  const n = reference.length;
  for (let i = 0; i < n; i++) {
    const r = reference[i] !== 0;
    const p = prediction[i] !== 0;
    if (r) ref++;
    if (p) pred++;
    if (r && p) tp++;
  }
  return { truePositives: tp, falsePositives: pred - tp, falseNegatives: ref - tp, trueNegatives: n - ref - pred + tp };
}
