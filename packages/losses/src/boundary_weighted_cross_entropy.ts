import { argMax, div, mean, mul, tensor, tidy } from '@tensorflow/tfjs-core';
import type { Scalar, Tensor } from '@tensorflow/tfjs-core';
import type { ClassReduction } from './cross_entropy.js';
import { pixelCrossEntropy } from './cross_entropy.js';
import { labelBoundary, squaredDistanceToFeatures } from './distance_transform.js';
import { InvalidLossOptionError, LossDtypeError, LossShapeError } from './errors.js';
import { DEFAULT_EPSILON } from './log_terms.js';
import {
  assertClassWeights,
  assertMinRank,
  assertNonNegative,
  assertOneOf,
  assertPair,
  assertPositive,
  describeShape,
} from './validate.js';

/** Options of {@link boundaryDistanceWeights}. */
export interface BoundaryDistanceWeightOptions {
  /** Peak extra weight w0 on the boundary. Default 10 (U-Net's value). */
  w0?: number;
  /** Width σ of the Gaussian fall-off, in the units of `spacing`. Default 5. */
  sigma?: number;
  /** Size of an element along each spatial axis (e.g. mm). Default 1 per axis (distances in pixels). */
  spacing?: readonly number[];
}

/** Options of {@link boundaryWeightedCrossEntropy}. */
export interface BoundaryWeightedCrossEntropyOptions extends BoundaryDistanceWeightOptions {
  /**
   * Precomputed weight map `[batch, …spatial]` (e.g. from {@link boundaryDistanceWeights} once per
   * sample). Default: computed from `argMax(yTrue)` on every call.
   */
  weights?: Tensor;
  /** `yPred` holds scores (stable log-softmax inside). Default `false`. */
  fromLogits?: boolean;
  /** Per-class weights multiplying each class' term. Default: all 1. */
  classWeights?: readonly number[];
  /** Reduction over classes, as in {@link categoricalCrossEntropy}. Default `'mean'`. */
  classReduction?: ClassReduction;
  /** Probability clip. Default 1e-7. */
  epsilon?: number;
}

/**
 * Per-pixel weights from the distance to the label boundary:
 *
 * w(u) = 1 + w0 · exp(−d(u)² / (2σ²))
 *
 * where d(u) is the Euclidean distance (in `spacing` units) from u to the nearest boundary element —
 * an element with a face neighbour of a different label, so both sides of every interface get
 * d = 0 and weight 1 + w0. An image with a single label has no boundary and weight 1 everywhere.
 * Exact distances (separable lower-envelope transform), computed on the host: the weights depend on
 * the labels only and carry no gradient.
 *
 * @param labels - Integer label maps `[batch, …spatial]` (int32, rank ≥ 2).
 * @returns A float32 tensor of the same shape.
 * @throws {@link LossRankError}, {@link LossDtypeError}, {@link InvalidLossOptionError}
 */
export function boundaryDistanceWeights(labels: Tensor, options: BoundaryDistanceWeightOptions = {}): Tensor {
  const { w0 = 10, sigma = 5 } = options;
  assertMinRank('labels', labels, 2);
  if (labels.dtype !== 'int32') throw new LossDtypeError(`labels must be int32, got ${labels.dtype}`);
  assertNonNegative('w0', w0);
  assertPositive('sigma', sigma);
  const spatial = labels.shape.slice(1);
  const spacing = options.spacing ?? spatial.map(() => 1);
  if (spacing.length !== spatial.length) {
    throw new InvalidLossOptionError(
      `spacing must have one entry per spatial axis of ${describeShape(labels.shape)} (${spatial.length}), got ${spacing.length}`,
    );
  }
  spacing.forEach((s, i) => assertPositive(`spacing[${i}]`, s));
  const values = labels.dataSync();
  const imageSize = spatial.reduce((a, b) => a * b, 1);
  const out = new Float32Array(values.length);
  const twoSigma2 = 2 * sigma * sigma;
  for (let n = 0; n < (labels.shape[0] as number); n++) {
    const image = values.subarray(n * imageSize, (n + 1) * imageSize);
    const d2 = squaredDistanceToFeatures(labelBoundary(image, spatial), spatial, spacing);
    for (let u = 0; u < imageSize; u++) out[n * imageSize + u] = 1 + w0 * Math.exp(-(d2[u] as number) / twoSigma2);
  }
  return tensor(out, labels.shape, 'float32');
}

/**
 * Boundary-distance-weighted cross-entropy (the distance-weighted loss the shape-fitting paper adds
 * to cross-entropy for its initial 2D U-Net):
 *
 * L = (1/N) Σ_n (1/(|C|·|Ω|)) Σ_u w_n(u) Σ_c −w_c · y_{n,c,u} log ŷ_{n,c,u}
 *
 * with w_n(u) from {@link boundaryDistanceWeights} (1/|C| dropped with `classReduction: 'sum'`). The
 * weights are not renormalised: with w0 = 0 this is exactly {@link categoricalCrossEntropy}.
 *
 * @param yTrue - One-hot targets `[batch, …spatial, C]`, float32.
 * @param yPred - Probabilities (or scores with `fromLogits`), same shape.
 * @returns A scalar.
 * @throws {@link LossShapeError}, {@link LossRankError}, {@link LossDtypeError}, {@link InvalidLossOptionError}
 */
export function boundaryWeightedCrossEntropy(
  yTrue: Tensor,
  yPred: Tensor,
  options: BoundaryWeightedCrossEntropyOptions = {},
): Scalar {
  const { fromLogits = false, classWeights, classReduction = 'mean', epsilon = DEFAULT_EPSILON } = options;
  assertPair(yTrue, yPred, 3);
  const numClasses = yPred.shape[yPred.rank - 1] as number;
  if (classWeights !== undefined) assertClassWeights('classWeights', classWeights, numClasses);
  assertOneOf('classReduction', classReduction, ['mean', 'sum']);
  assertNonNegative('epsilon', epsilon);
  let weights = options.weights;
  let ownWeights = false;
  if (weights !== undefined) {
    const spatialShape = yPred.shape.slice(0, -1);
    if (weights.rank !== spatialShape.length || !weights.shape.every((d, i) => d === spatialShape[i])) {
      throw new LossShapeError(
        `weights ${describeShape(weights.shape)} must have the shape of yPred without its class axis ${describeShape(spatialShape)}`,
      );
    }
    if (weights.dtype !== 'float32') throw new LossDtypeError(`weights must be float32, got ${weights.dtype}`);
  } else {
    const labels = argMax(yTrue, -1);
    try {
      weights = boundaryDistanceWeights(labels, options);
    } finally {
      labels.dispose();
    }
    ownWeights = true;
  }
  const w = weights;
  try {
    return tidy(() => {
      const perPixel = mul(pixelCrossEntropy(yTrue, yPred, fromLogits, epsilon, classWeights), w);
      const loss = mean(perPixel);
      return (classReduction === 'mean' ? div(loss, numClasses) : loss) as Scalar;
    });
  } finally {
    if (ownWeights) w.dispose();
  }
}
