import type { Box3, Vec3 } from '@pedseg/volume';
import { InvalidMetricOptionError } from './errors.js';
import { labelKey, labelMembers } from './labels.js';
import { confusionFromCensus } from './overlap/confusion.js';
import type { ConfusionCounts } from './overlap/confusion.js';
import { labelCensus } from './overlap/label-census.js';
import type { LabelCensus } from './overlap/label-census.js';
import { overlapScores } from './overlap/overlap-scores.js';
import type { OverlapScores } from './overlap/overlap-scores.js';
import { structureSurfaceDistances } from './surface/surface-distances.js';
import type { DistanceMethod, SurfaceDirection } from './surface/surface-distances.js';
import { emptySurfaceScores, summarizeSurfaceDistances } from './surface/surface-scores.js';
import type { DirectedDistances, SurfaceScores } from './surface/surface-scores.js';
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
  /**
   * How nearest-surface distances are found: `'edt'` (an exact EDT of the other surface over the
   * structure's box), `'points'` (an exact k-d tree search of the other surface's points) or `'auto'`
   * (default: the cheaper one). Results agree to float32 rounding of the EDT (~1e-7 relative); surface
   * Dice decisions are identical.
   */
  readonly distanceMethod?: DistanceMethod;
  /** A census of this very pair ({@link labelCensus}), to skip the pass over the images when it is already known. */
  readonly census?: LabelCensus;
  /**
   * Directed distances already computed by {@link directedSurfaceDistances} for this pair with the same
   * surface convention and tolerance (e.g. on another thread), keyed by structure; they are used instead
   * of computing that direction again.
   */
  readonly precomputed?: Partial<Record<SurfaceDirection, Readonly<Record<string, DirectedDistances>>>>;
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

/** Every non-zero value present in either image, ascending. */
export function presentLabels(census: LabelCensus): number[] {
  const values = new Set<number>([...census.referenceBoxes.keys(), ...census.predictionBoxes.keys()]);
  return [...values].sort((a, b) => a - b);
}

interface Structure {
  readonly key: string;
  readonly members: number[];
  readonly counts: ConfusionCounts;
  /** Union bounding box in both images; null unless the structure is present in both. */
  readonly box: Box3 | null;
}

function unionBox(census: LabelCensus, members: readonly number[]): Box3 {
  const lo = [Infinity, Infinity, Infinity];
  const hi = [-Infinity, -Infinity, -Infinity];
  for (const boxes of [census.referenceBoxes, census.predictionBoxes]) {
    for (const m of members) {
      const b = boxes.get(m);
      if (b === undefined) continue;
      for (let a = 0; a < 3; a++) {
        lo[a] = Math.min(lo[a]!, b.lo[a]);
        hi[a] = Math.max(hi[a]!, b.hi[a]);
      }
    }
  }
  return { lo: [lo[0]!, lo[1]!, lo[2]!], hi: [hi[0]!, hi[1]!, hi[2]!] };
}

interface Settings {
  readonly method: DistanceMethod;
  readonly surface: SurfaceConvention;
  readonly tolerance: number;
  readonly percentile: number;
  readonly census: LabelCensus;
  readonly structures: Structure[];
}

function prepare(reference: LabelImage, prediction: LabelImage, options: EvaluateOptions): Settings {
  assertSameGrid(reference, prediction);
  const surface = checkConvention(options.surface ?? 'voxel');
  const tolerance = checkTolerance(options.tolerance ?? 1);
  const percentile = checkPercentile(options.percentile ?? 95);
  const method = options.distanceMethod ?? 'auto';
  if (method !== 'auto' && method !== 'edt' && method !== 'points') {
    throw new InvalidMetricOptionError(`distanceMethod: '${String(method)}' must be 'auto', 'edt' or 'points'`);
  }
  const census = options.census ?? labelCensus(reference.data, prediction.data, reference.shape);
  if (census.voxels !== reference.data.length) {
    throw new InvalidMetricOptionError(`census: counts ${census.voxels} voxels, the images have ${reference.data.length}`);
  }
  const structures = (options.labels ?? presentLabels(census)).map((selector): Structure => {
    const members = labelMembers(selector);
    const counts = confusionFromCensus(census, members);
    const present = counts.truePositives + counts.falseNegatives > 0 && counts.truePositives + counts.falsePositives > 0;
    return { key: labelKey(members), members, counts, box: present ? unionBox(census, members) : null };
  });
  return { method, surface, tolerance, percentile, census, structures };
}

/**
 * One direction of the surface distances of every structure present in both images, keyed as
 * {@link evaluateSegmentation} keys them; pass the result back through its `precomputed` option. This
 * splits the two EDT-bound directions between two threads.
 *
 * @param reference - Reference labels.
 * @param prediction - Predicted labels on the same grid.
 * @param direction - Which direction to compute.
 * @param options - Same options as for {@link evaluateSegmentation}.
 */
export function directedSurfaceDistances(
  reference: LabelImage,
  prediction: LabelImage,
  direction: SurfaceDirection,
  options: EvaluateOptions = {},
): Record<string, DirectedDistances> {
  const settings = prepare(reference, prediction, options);
  const out: Record<string, DirectedDistances> = {};
  for (const s of settings.structures) {
    if (s.box === null) continue;
    const pair = structureSurfaceDistances(reference.data, prediction.data, reference.shape, reference.spacing, s.box, s.members, settings.surface, settings.tolerance, [direction], settings.method);
    out[s.key] = pair[direction]!;
  }
  return out;
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
  const { method, surface, tolerance, percentile, structures } = prepare(reference, prediction, options);
  const { shape, spacing } = reference;
  const voxelVolume = spacing[0] * spacing[1] * spacing[2];
  const labels: Record<string, StructureMetrics> = {};
  for (const { key, members, counts, box } of structures) {
    const referenceVoxels = counts.truePositives + counts.falseNegatives;
    const predictionVoxels = counts.truePositives + counts.falsePositives;
    let surfaceScores: SurfaceScores;
    if (box === null) {
      surfaceScores = emptySurfaceScores(referenceVoxels === 0 && predictionVoxels === 0);
    } else {
      const given: Partial<Record<SurfaceDirection, DirectedDistances>> = {
        referenceToPrediction: options.precomputed?.referenceToPrediction?.[key],
        predictionToReference: options.precomputed?.predictionToReference?.[key],
      };
      const missing = (['referenceToPrediction', 'predictionToReference'] as const).filter((d) => given[d] === undefined);
      const computed = missing.length > 0 ? structureSurfaceDistances(reference.data, prediction.data, shape, spacing, box, members, surface, tolerance, missing, method) : {};
      const toPrediction = given.referenceToPrediction ?? computed.referenceToPrediction!;
      const toReference = given.predictionToReference ?? computed.predictionToReference!;
      surfaceScores = summarizeSurfaceDistances(toPrediction, toReference, percentile);
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
