import { concat } from '@tensorflow/tfjs-core';
import type { Tensor } from '@tensorflow/tfjs-core';
import type { LayersModel } from '@tensorflow/tfjs-layers';
import type { FrozenModel } from '@pedseg/losses';
import { TrainConfigError } from './errors.js';

/** The one tensor of a model's output (a one-element list is unwrapped). */
export function single(out: Tensor | Tensor[], what: string): Tensor {
  if (Array.isArray(out)) {
    if (out.length !== 1) throw new TrainConfigError(`${what} must return one tensor, got ${out.length}`);
    return out[0] as Tensor;
  }
  return out;
}

/** F(x) of a frozen model (inference mode for a layers model). */
export function frozen(model: FrozenModel, x: Tensor): Tensor {
  return typeof model === 'function' ? model(x) : single(model.apply(x, { training: false }) as Tensor | Tensor[], 'the frozen model');
}

/**
 * D(mask, image) in training mode: a two-input model gets `[mask, image]` (as `@pedseg/models`'
 * conditional discriminator), a one-input model their concatenation on the channel axis — the same
 * convention as `@pedseg/losses`' adversarial term.
 */
export function conditional(D: LayersModel, mask: Tensor, image: Tensor): Tensor {
  const input = D.inputs.length === 2 ? [mask, image] : concat([mask, image], -1);
  return single(D.apply(input, { training: true }) as Tensor | Tensor[], 'the discriminator');
}
