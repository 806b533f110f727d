import { clone, customGrad, engine, mul, valueAndGrads, zerosLike } from '@tensorflow/tfjs-core';
import type { GradSaveFunc, Scalar, Tensor, Tensor1D } from '@tensorflow/tfjs-core';
import type { LayersModel } from '@tensorflow/tfjs-layers';
import { LossShapeError } from './errors.js';

/**
 * A network whose weights stay fixed while a loss is optimised: the shape encoder F of the
 * combined-regularization and SPAR papers, a discriminator D during the segmentation step. Either a
 * plain function of one tensor or a tfjs-layers `LayersModel` (called with `apply(x, {training: false})`,
 * so batch normalisation uses its moving statistics — calibrate them after a short pre-training, e.g.
 * with `recalibrateBatchNorm` of `@pedseg/train`).
 */
export type FrozenModel = ((x: Tensor) => Tensor) | LayersModel;

/**
 * A domain-aware frozen network (the multi-joint anatomical encoder of the multi-task paper): a
 * function of the mask and the per-sample domain indices, or a `LayersModel` whose inputs are
 * `[mask, domain]` (the `@pedseg` convention for functional models).
 */
export type DomainAwareModel = ((x: Tensor, domains: Tensor1D) => Tensor) | LayersModel;

function single(out: unknown, what: string): Tensor {
  if (Array.isArray(out)) {
    if (out.length !== 1) throw new LossShapeError(`${what} must return one tensor, got ${out.length}`);
    return out[0] as Tensor;
  }
  return out as Tensor;
}

/** Applies a frozen model to one input (inference mode for layers models). */
export function applyModel(model: FrozenModel, x: Tensor, what = 'the frozen model'): Tensor {
  if (typeof model === 'function') return single(model(x), what);
  return single(model.apply(x, { training: false }), what);
}

/** Applies a domain-aware frozen model to a mask and its domain indices. */
export function applyDomainModel(model: DomainAwareModel, x: Tensor, domains: Tensor1D, what = 'the encoder'): Tensor {
  if (typeof model === 'function') return single(model(x, domains), what);
  return single(model.apply([x, domains], { training: false }), what);
}

/** True while a gradient tape records ops (inside `tf.grad`, `variableGrads`, `optimizer.minimize`). */
function tapeIsRecording(): boolean {
  const state = engine().state;
  return state.gradientDepth > 0 && state.kernelDepth === 0;
}

/**
 * Evaluates the scalar `fn(...inputs)` so that, under a gradient tape, gradients reach `inputs` only —
 * never the weights of any network `fn` applies internally.
 *
 * Why not plain ops: `optimizer.minimize(f)` without a variable list updates every trainable variable
 * the loss touches, which would silently fine-tune the frozen shape encoder. Here the value and its
 * gradient with respect to the inputs are computed eagerly (a nested `valueAndGrads`), and a
 * `customGrad` node whose only inputs are `inputs` hands that gradient back. The frozen network's ops
 * are not on any path to the returned tensor, so tfjs never produces a gradient for its weights. The
 * cost equals the ordinary forward + backward pass through the frozen network. Outside a tape the
 * value is computed directly (no gradient registration needed for evaluation).
 *
 * Limitation: the returned scalar is differentiable once. Its gradient is a saved constant, so a
 * second-order derivative (`tf.grad` of a `tf.grad`) through it would be wrong.
 */
export function frozenScalar(inputs: readonly Tensor[], fn: (...xs: Tensor[]) => Scalar): Scalar {
  if (!tapeIsRecording()) return fn(...inputs);
  const { value, grads } = valueAndGrads(fn)([...inputs]);
  const gradients = grads.map((g, i) => g ?? zerosLike(inputs[i] as Tensor));
  const attach = customGrad((...args: Array<Tensor | GradSaveFunc>) => {
    const save = args[args.length - 1] as GradSaveFunc;
    save(gradients);
    return {
      value: clone(value),
      gradFunc: (dy: Tensor, saved: Tensor[]) => saved.map((g) => mul(dy, g)),
    };
  });
  return attach(...inputs) as Scalar;
}
