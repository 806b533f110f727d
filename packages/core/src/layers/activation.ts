import * as tf from '@tensorflow/tfjs-core';
import { LayerConfigError } from './errors.js';

/** Non-linearities the multi-domain blocks accept (σ in the papers' Eq. 3); `silu` is x·sigmoid(x). */
export type BlockActivation = 'relu' | 'silu' | 'sigmoid' | 'tanh' | 'linear';

const ACTIVATIONS: readonly BlockActivation[] = ['relu', 'silu', 'sigmoid', 'tanh', 'linear'];

/** @internal Throws a {@link LayerConfigError} unless `name` is a {@link BlockActivation}. */
export function checkActivation(name: unknown, where: string): BlockActivation {
  if (typeof name !== 'string' || !(ACTIVATIONS as readonly string[]).includes(name)) {
    throw new LayerConfigError(`${where}: activation must be one of ${ACTIVATIONS.join(', ')}, got ${String(name)}`);
  }
  return name as BlockActivation;
}

/** @internal Applies a {@link BlockActivation}. */
export function applyActivation(x: tf.Tensor, name: BlockActivation): tf.Tensor {
  switch (name) {
    case 'relu':
      return tf.relu(x);
    case 'silu':
      return tf.mul(x, tf.sigmoid(x));
    case 'sigmoid':
      return tf.sigmoid(x);
    case 'tanh':
      return tf.tanh(x);
    case 'linear':
      return x;
  }
}
