import { areaWeightedPercentile, linearPercentile, pairwiseSum } from './numeric.js';

/**
 * Surface-distance scores of one structure, in mm (`nsd` is a fraction). Both surfaces empty: every
 * distance 0 and `nsd` 1. Exactly one empty: every distance `Infinity` and `nsd` 0. Never NaN.
 */
export interface SurfaceScores {
  /** Maximum symmetric surface distance = symmetric Hausdorff distance (papers' S5). */
  readonly mssd: number;
  /** The larger of the two directed percentile distances (95th unless another percentile is asked for). */
  readonly hd95: number;
  /** Average symmetric surface distance: mean over the union of both directions' distances (S6), area-weighted in the `element` convention. */
  readonly assd: number;
  /** Mean of the two directed average distances. */
  readonly masd: number;
  /** Normalised surface Dice at the tolerance: share of both surfaces (by count or area) within the tolerance of the other surface. */
  readonly nsd: number;
  /** Directed average distance from the reference surface to the prediction surface. */
  readonly averageReferenceToPrediction: number;
  /** Directed average distance from the prediction surface to the reference surface. */
  readonly averagePredictionToReference: number;
}

/** Directed distances of one surface's elements (voxels or surfels) to the other surface, ascending. */
export interface DirectedDistances {
  /** Distances in mm, ascending. */
  readonly distances: Float64Array;
  /** Weight (surface area in mm²) of each element; absent = every element weighs 1 (voxel convention). */
  readonly areas?: Float64Array;
  /**
   * Total weight (count or area) of the elements within the surface Dice tolerance of the other surface;
   * exactly the total weight when all of them are, exactly 0 when none is.
   */
  readonly withinTolerance: number;
}

/** Scores of two empty surfaces (perfect agreement) and of exactly one empty surface. */
export function emptySurfaceScores(bothEmpty: boolean): SurfaceScores {
  const d = bothEmpty ? 0 : Infinity;
  return { mssd: d, hd95: d, assd: d, masd: d, nsd: bothEmpty ? 1 : 0, averageReferenceToPrediction: d, averagePredictionToReference: d };
}

function weightedSum(d: DirectedDistances): { sum: number; weight: number } {
  const { distances, areas } = d;
  if (areas === undefined) return { sum: pairwiseSum(distances), weight: distances.length };
  const products = new Float64Array(distances.length);
  for (let i = 0; i < products.length; i++) products[i] = distances[i]! * areas[i]!;
  return { sum: pairwiseSum(products), weight: pairwiseSum(areas) };
}

function percentileOf(d: DirectedDistances, percent: number): number {
  return d.areas === undefined ? linearPercentile(d.distances, percent) : areaWeightedPercentile(d.distances, d.areas, percent);
}

/**
 * Summarises the two directed distance lists of a pair of non-empty surfaces.
 *
 * @param referenceToPrediction - Distances from the reference surface to the prediction surface.
 * @param predictionToReference - Distances from the prediction surface to the reference surface.
 * @param percent - Percentile of the robust Hausdorff distance (95 for HD95).
 */
export function summarizeSurfaceDistances(
  referenceToPrediction: DirectedDistances,
  predictionToReference: DirectedDistances,
  percent: number,
): SurfaceScores {
  const a = referenceToPrediction;
  const b = predictionToReference;
  const weighted = a.areas !== undefined;
  const sa = weightedSum(a);
  const sb = weightedSum(b);
  const meanA = sa.sum / sa.weight;
  const meanB = sb.sum / sb.weight;
  // surface-distance takes the Hausdorff distance as its robust Hausdorff at 100 %, which is the
  // largest distance unless rounding of the cumulative areas stops earlier; keep its rule there.
  const mssd = weighted
    ? Math.max(percentileOf(a, 100), percentileOf(b, 100))
    : Math.max(a.distances[a.distances.length - 1]!, b.distances[b.distances.length - 1]!);
  return {
    mssd,
    hd95: Math.max(percentileOf(a, percent), percentileOf(b, percent)),
    assd: (sa.sum + sb.sum) / (sa.weight + sb.weight),
    masd: (meanA + meanB) / 2,
    nsd: (a.withinTolerance + b.withinTolerance) / (sa.weight + sb.weight),
    averageReferenceToPrediction: meanA,
    averagePredictionToReference: meanB,
  };
}
