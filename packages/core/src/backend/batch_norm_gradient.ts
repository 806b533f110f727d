import {
  add,
  backend_util,
  mul,
  neg,
  registerGradient,
  reshape,
  rsqrt,
  scalar,
  sub,
  sum,
  type GradConfig,
  type NamedAttrMap,
  type Tensor,
} from '@tensorflow/tfjs-core';

/** Sums `t` over `axes` (none: unchanged) and gives it the statistics' shape. */
function reduceTo(t: Tensor, axes: number[], shape: number[]): Tensor {
  return reshape(axes.length > 0 ? sum(t, axes) : t, shape);
}

/**
 * Gradient of tfjs' `FusedBatchNorm` kernel, y = (x − mean)·γ/√(var + ε) + β, that broadcasts the
 * per-channel terms instead of tiling them to the activation's shape, and shares the reductions
 * between the inputs. tfjs-core's own version tiles 1/√(var + ε) to the full activation (the largest
 * single cost of a wasm UNet training step) and hard-codes rank-4 activations.
 *
 * Same partial derivatives as tfjs-core's (each input's gradient on its own, mean and variance treated
 * as independent inputs): ∂x = dy·γ·r, ∂mean = −Σdy·γ·r, ∂var = −½·γ·r³·Σdy·(x − mean),
 * ∂γ = r·Σdy·(x − mean), ∂β = Σdy, with r = 1/√(var + ε) and Σ over the broadcast axes.
 */
export const fusedBatchNormGradConfig: GradConfig = {
  kernelName: 'FusedBatchNorm',
  inputsToSave: ['x', 'mean', 'variance', 'scale'],
  gradFunc: (dy: Tensor | Tensor[], saved: Tensor[], attrs: NamedAttrMap) => {
    const gradient = dy as Tensor;
    const { varianceEpsilon } = attrs as unknown as { varianceEpsilon: number };
    const [x, mean, variance, scale] = saved as [Tensor, Tensor, Tensor, Tensor | undefined];
    const axes = backend_util.getReductionAxes(mean.shape, x.shape);
    const statShape = mean.shape;
    // Computed here, not in the closures: each closure runs in its own tidy, these are shared.
    const r = rsqrt(add(variance, scalar(varianceEpsilon)));
    const gain = scale == null ? r : mul(r, scale);
    const sumDy = reduceTo(gradient, axes, statShape);
    const sumDyCentered = reduceTo(mul(gradient, sub(x, mean)), axes, statShape);
    return {
      x: () => reshape(mul(gradient, gain), x.shape),
      mean: () => reshape(mul(neg(sumDy), gain), statShape),
      variance: () => reshape(mul(sumDyCentered, mul(mul(gain, mul(r, r)), scalar(-0.5))), statShape),
      scale: () => reshape(mul(sumDyCentered, r), statShape),
      offset: () => reshape(sumDy, statShape),
    };
  },
};

/**
 * Replaces tfjs-core's `FusedBatchNorm` gradient by {@link fusedBatchNormGradConfig} for every backend
 * (gradients are not per-backend). Safe to call more than once.
 */
export function registerBatchNormGradient(): void {
  registerGradient(fusedBatchNormGradConfig);
}
