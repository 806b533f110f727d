import type { SegmentationEvaluation, StructureMetrics } from './evaluate-segmentation.js';
import type { SurfaceConvention } from './types.js';

/** Names of the scores of a structure, in report order (overlap fractions, then distances in mm). */
export const METRIC_NAMES = [
  'dice',
  'jaccard',
  'sensitivity',
  'specificity',
  'precision',
  'volumeSimilarity',
  'ravd',
  'mssd',
  'hd95',
  'assd',
  'masd',
  'nsd',
] as const;

/** One of {@link METRIC_NAMES}. */
export type MetricName = (typeof METRIC_NAMES)[number];

/**
 * JSON form of one structure's scores: `Infinity` (one mask empty) becomes `null`, and `empty` is
 * true exactly when some score is `null` because one of the two masks is empty.
 */
export type StructureMetricsJson = { readonly [K in MetricName]: number | null } & {
  /** True when exactly one of the masks is empty (the distances and possibly `ravd` are then `null`). */
  readonly empty: boolean;
  /** Voxels of the structure in the reference. */
  readonly referenceVoxels: number;
  /** Voxels of the structure in the prediction. */
  readonly predictionVoxels: number;
  /** Reference volume, mm³. */
  readonly referenceVolume: number;
  /** Prediction volume, mm³. */
  readonly predictionVolume: number;
};

/** JSON form of a {@link SegmentationEvaluation} (what `pedseg evaluate --format json` prints). */
export interface EvaluationJson {
  /** Surface convention used. */
  readonly surface: SurfaceConvention;
  /** Surface Dice tolerance, mm. */
  readonly tolerance: number;
  /** Percentile reported as `hd95`. */
  readonly percentile: number;
  /** Spacing of the reference, mm. */
  readonly spacing: readonly number[];
  /** Scores per structure key. */
  readonly labels: Readonly<Record<string, StructureMetricsJson>>;
}

/** One structure's scores in JSON form (`Infinity` → `null`, plus the `empty` flag). */
export function structureToJson(metrics: StructureMetrics): StructureMetricsJson {
  const out: Record<string, number | null | boolean> = {};
  for (const name of METRIC_NAMES) {
    const v = metrics[name];
    out[name] = Number.isFinite(v) ? v : null;
  }
  out.empty = (metrics.referenceVoxels === 0) !== (metrics.predictionVoxels === 0);
  out.referenceVoxels = metrics.referenceVoxels;
  out.predictionVoxels = metrics.predictionVoxels;
  out.referenceVolume = metrics.referenceVolume;
  out.predictionVolume = metrics.predictionVolume;
  return out as StructureMetricsJson;
}

/**
 * Converts an evaluation to plain JSON data (`JSON.stringify` would turn `Infinity` into `null`
 * silently; this does it on purpose and flags it).
 */
export function evaluationToJson(evaluation: SegmentationEvaluation): EvaluationJson {
  const labels: Record<string, StructureMetricsJson> = {};
  for (const [key, metrics] of Object.entries(evaluation.labels)) labels[key] = structureToJson(metrics);
  return {
    surface: evaluation.surface,
    tolerance: evaluation.tolerance,
    percentile: evaluation.percentile,
    spacing: [...evaluation.spacing],
    labels,
  };
}
