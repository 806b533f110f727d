import type { Box3, Vec3 } from '@pedseg/volume';
import { labelKey, labelMembers, memberTest } from './labels.js';
import { confusionFromCensus } from './overlap/confusion.js';
import { labelCensus } from './overlap/label-census.js';
import type { LabelCensus } from './overlap/label-census.js';
import { overlapScores } from './overlap/overlap-scores.js';
import type { OverlapScores } from './overlap/overlap-scores.js';
import { structureSurfaceDistances } from './surface/surface-distances.js';
import { emptySurfaceScores, summarizeSurfaceDistances } from './surface/surface-scores.js';
import type { SurfaceScores } from './surface/surface-scores.js';
import type { LabelImage, LabelSelector, SurfaceConvention } from './types.js';
import { assertSameGrid, checkConvention, checkPercentile, checkTolerance } from './validate.js';

/** Options of {@link evaluateSegmentation}. */
export interface EvaluateOptions {
  /**
   * Structures to score: labels, or label sets scored as their union (e.g. `[1, 2, [1, 2]]`).
   * Default: every non-zero value present in either image, ascending.
   */
  readonly labels?: readonly LabelSelector[];
  /** Surface convention of the distance metrics; default `'voxel'` (the papers'). */
  readonly surface?: SurfaceConvention;
  /** Tolerance of the normalised surface Dice in mm; default 1. */
  readonly tolerance?: number;
  /** Percentile of the robust Hausdorff distance reported as `hd95`; default 95. */
  readonly percentile?: number;
}

/**
 * Every score of one structure. Empty-mask policy: both masks empty → Dice 1 and distances 0; exactly
 * one empty → Dice 0 and distances `Infinity` (see {@link OverlapScores} for the other ratios). Never NaN.
 */
export interface StructureMetrics extends OverlapScores, SurfaceScores {
  /** Report key: `"3"` or `"1+2"` for a label set. */
  readonly label: string;
  /** Label values making up the structure. */
  readonly members: readonly number[];
  /** Voxels of the structure in the reference. */
  readonly referenceVoxels: number;
  /** Voxels of the structure in the prediction. */
  readonly predictionVoxels: number;
  /** Volume of the structure in the reference, mm³. */
  readonly referenceVolume: number;
  /** Volume of the structure in the prediction, mm³. */
  readonly predictionVolume: number;
}

/** Result of {@link evaluateSegmentation}. */
export interface SegmentationEvaluation {
  /** Surface convention used. */
  readonly surface: SurfaceConvention;
  /** Surface Dice tolerance, mm. */
  readonly tolerance: number;
  /** Percentile reported as `hd95`. */
  readonly percentile: number;
  /** Voxel spacing (mm) of the reference. */
  readonly spacing: Vec3;
  /** Scores per structure, keyed by {@link labelKey}, in the order asked for. */
  readonly labels: Readonly<Record<string, StructureMetrics>>;
}

function unionOfBoxes(boxes: ReadonlyMap<number, Box3>, members: readonly number[], into: { lo: number[]; hi: number[] } | null): { lo: number[]; hi: number[] } | null {
  let acc = into;
  for (const m of members) {
    const b = boxes.get(m);
    if (b === undefined) continue;
    if (acc === null) {
      acc = { lo: [...b.lo], hi: [...b.hi] };
      continue;
    }
    for (let a = 0; a < 3; a++) {
      acc.lo[a] = Math.min(acc.lo[a]!, b.lo[a]);
      acc.hi[a] = Math.max(acc.hi[a]!, b.hi[a]);
    }
  }
  return acc;
}

/** Every non-zero value present in either image, ascending. */
export function presentLabels(census: LabelCensus): number[] {
  const values = new Set<number>([...census.referenceBoxes.keys(), ...census.predictionBoxes.keys()]);
  return [...values].sort((a, b) => a - b);
}

/**
 * Scores a predicted label image against a reference: overlap (Dice, Jaccard, sensitivity,
 * specificity, precision, volume similarity, RAVD) from one pass over both images for all labels, and
 * surface distances (MSSD/Hausdorff, HD95, ASSD, MASD, NSD) per structure from exact EDTs on the
 * structure's bounding box.
 *
 * @param reference - Reference labels with shape and spacing (a `Volume` of `@pedseg/volume` fits).
 * @param prediction - Predicted labels on the same grid.
 * @param options - Structures, surface convention, tolerance, percentile.
 * @returns Scores per structure; distances in mm, overlap scores as fractions.
 * @throws ShapeMismatchError / SpacingMismatchError when the grids differ; InvalidMetricOptionError for bad options.
 */
export function evaluateSegmentation(reference: LabelImage, prediction: LabelImage, options: EvaluateOptions = {}): SegmentationEvaluation {
  assertSameGrid(reference, prediction);
  const surface = checkConvention(options.surface ?? 'voxel');
  const tolerance = checkTolerance(options.tolerance ?? 1);
  const percentile = checkPercentile(options.percentile ?? 95);
  const { shape, spacing } = reference;
  const census = labelCensus(reference.data, prediction.data, shape);
  const selectors = options.labels ?? presentLabels(census);
  const voxelVolume = spacing[0] * spacing[1] * spacing[2];
  const labels: Record<string, StructureMetrics> = {};
  for (const selector of selectors) {
    const members = labelMembers(selector);
    const key = labelKey(members);
    const counts = confusionFromCensus(census, members);
    const referenceVoxels = counts.truePositives + counts.falseNegatives;
    const predictionVoxels = counts.truePositives + counts.falsePositives;
    let surfaceScores: SurfaceScores;
    if (referenceVoxels === 0 || predictionVoxels === 0) {
      surfaceScores = emptySurfaceScores(referenceVoxels === 0 && predictionVoxels === 0);
    } else {
      const box = unionOfBoxes(census.predictionBoxes, members, unionOfBoxes(census.referenceBoxes, members, null))!;
      const pair = structureSurfaceDistances(
        reference.data,
        prediction.data,
        shape,
        spacing,
        { lo: [box.lo[0]!, box.lo[1]!, box.lo[2]!], hi: [box.hi[0]!, box.hi[1]!, box.hi[2]!] },
        memberTest(members),
        surface,
        tolerance,
      );
      surfaceScores = summarizeSurfaceDistances(pair.referenceToPrediction, pair.predictionToReference, percentile);
    }
    labels[key] = {
      label: key,
      members,
      ...overlapScores(counts),
      ...surfaceScores,
      referenceVoxels,
      predictionVoxels,
      referenceVolume: referenceVoxels * voxelVolume,
      predictionVolume: predictionVoxels * voxelVolume,
    };
  }
  return { surface, tolerance, percentile, spacing: [spacing[0], spacing[1], spacing[2]], labels };
}
