/**
 * @pedseg/metrics — 3D overlap and surface metrics in mm (the papers' S1–S8 and DeepMind's
 * surface-distance conventions), slice-wise scores, ranking systems, statistical tests and
 * representation analysis. No tfjs dependency.
 *
 * @packageDocumentation
 */

/** Name of this package. */
export const PACKAGE_NAME = '@pedseg/metrics';

export type { LabelImage, LabelSelector, SurfaceConvention } from './types.js';
export { InvalidMetricOptionError, MetricsInputError, ShapeMismatchError, SpacingMismatchError } from './errors.js';
export { labelKey } from './labels.js';
export { assertSameGrid } from './validate.js';
export { directedSurfaceDistances, evaluateSegmentation, presentLabels } from './evaluate-segmentation.js';
export type { EvaluateOptions, SegmentationEvaluation, StructureMetrics } from './evaluate-segmentation.js';
export { METRIC_NAMES, evaluationToJson, structureToJson } from './evaluation-json.js';
export type { EvaluationJson, MetricName, StructureMetricsJson } from './evaluation-json.js';
export { labelCensus } from './overlap/label-census.js';
export type { LabelCensus } from './overlap/label-census.js';
export { confusionCounts, confusionFromCensus } from './overlap/confusion.js';
export type { ConfusionCounts } from './overlap/confusion.js';
export { overlapScores } from './overlap/overlap-scores.js';
export type { OverlapScores } from './overlap/overlap-scores.js';
export { structureSurfaceDistances } from './surface/surface-distances.js';
export type { DistanceMethod, SurfaceDirection, SurfaceDistancePair } from './surface/surface-distances.js';
export { summarizeSurfaceDistances } from './surface/surface-scores.js';
export type { DirectedDistances, SurfaceScores } from './surface/surface-scores.js';
export { surfelAreaByCode } from './surface/surfel-areas.js';
export { sliceScores } from './slices/slice-scores.js';
export type { SliceAxis, SliceScore, SliceScoreOptions, SliceSelection } from './slices/slice-scores.js';

export * from './stats/index.js';
export * from './ranking/index.js';
export * from './representation/index.js';
