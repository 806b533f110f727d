import type { ConfusionCounts } from './confusion.js';

/**
 * Overlap scores of one structure, all as fractions. Ratios whose denominator is zero follow the
 * empty-mask policy: 1 when the quantity compared is empty on both sides (nothing to get wrong),
 * 0 when only one side is empty; `ravd` is `Infinity` when only the reference is empty. Never NaN.
 */
export interface OverlapScores {
  /** 2·TP / (2·TP + FP + FN) (papers' S1). 1 when both masks are empty. */
  readonly dice: number;
  /** TP / (TP + FP + FN). 1 when both masks are empty. */
  readonly jaccard: number;
  /** TP / (TP + FN), the true positive rate (S2). Empty reference: 1 if the prediction is empty too, else 0. */
  readonly sensitivity: number;
  /** TN / (TN + FP) over the whole image, label against the rest (S3). No reference background: 1 if the prediction has none either, else 0. */
  readonly specificity: number;
  /** TP / (TP + FP), the positive predictive value. Empty prediction: 1 if the reference is empty too, else 0. */
  readonly precision: number;
  /** 1 − |FN − FP| / (2·TP + FP + FN). 1 when both masks are empty. */
  readonly volumeSimilarity: number;
  /** Relative absolute volume difference | |GT| − |P| | / |GT| (S4). Empty reference: 0 if the prediction is empty too, else `Infinity`. */
  readonly ravd: number;
}

function ratio(numerator: number, denominator: number, whenBothEmpty: number, whenOneEmpty: number, otherEmpty: boolean): number {
  if (denominator > 0) return numerator / denominator;
  return otherEmpty ? whenBothEmpty : whenOneEmpty;
}

/**
 * Overlap scores from confusion counts.
 *
 * @param counts - Voxel counts of the structure.
 */
export function overlapScores(counts: ConfusionCounts): OverlapScores {
  const { truePositives: tp, falsePositives: fp, falseNegatives: fn, trueNegatives: tn } = counts;
  const ref = tp + fn;
  const pred = tp + fp;
  const union = tp + fp + fn;
  return {
    dice: ratio(2 * tp, 2 * tp + fp + fn, 1, 0, true),
    jaccard: ratio(tp, union, 1, 0, true),
    sensitivity: ratio(tp, ref, 1, 0, pred === 0),
    specificity: ratio(tn, tn + fp, 1, 0, tn + fn === 0),
    precision: ratio(tp, pred, 1, 0, ref === 0),
    volumeSimilarity: union > 0 ? 1 - Math.abs(fn - fp) / (2 * tp + fp + fn) : 1,
    ravd: ratio(Math.abs(ref - pred), ref, 0, Infinity, pred === 0),
  };
}
