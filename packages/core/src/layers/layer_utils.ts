import * as tf from '@tensorflow/tfjs-core';
import type { Shape } from '@tensorflow/tfjs-layers';
import { LayerConfigError, LayerInputError } from './errors.js';

/** @internal Normalizes a `build`/`computeOutputShape` argument to exactly `count` shapes. */
export function shapeList(inputShape: Shape | Shape[], count: number, where: string): Shape[] {
  const isList = Array.isArray(inputShape[0]) || (inputShape.length === 0 && count === 0);
  const shapes = isList ? (inputShape as Shape[]) : [inputShape as Shape];
  if (shapes.length !== count) {
    throw new LayerInputError(`${where}: expected ${count} input(s), got ${shapes.length}`);
  }
  return shapes;
}

/** @internal Normalizes a `call` argument to exactly `count` tensors. */
export function tensorList(inputs: tf.Tensor | tf.Tensor[], count: number, where: string): tf.Tensor[] {
  const list = Array.isArray(inputs) ? inputs : [inputs];
  if (list.length !== count) {
    throw new LayerInputError(`${where}: expected ${count} input tensor(s), got ${list.length}`);
  }
  return list;
}

/** @internal Throws unless `shape` is a 2D (rank 4, NHWC) or 3D (rank 5, NDHWC) feature map shape. */
export function checkFeatureRank(shape: Shape | number[], where: string, what = 'features', ranks = [4, 5]): void {
  if (!ranks.includes(shape.length)) {
    throw new LayerInputError(
      `${where}: ${what} must have rank ${ranks.join(' or ')} (${ranks.map((r) => (r === 4 ? 'NHWC' : r === 5 ? 'NDHWC' : `rank ${r}`)).join(' / ')}), got shape [${shape.join(', ')}]`,
    );
  }
}

/** @internal The channel count (last axis) of a shape, which must be known. */
export function channelsOf(shape: Shape | number[], where: string, what = 'features'): number {
  const c = shape[shape.length - 1];
  if (c == null || c <= 0) {
    throw new LayerInputError(`${where}: the channel axis of ${what} must be known, got shape [${shape.join(', ')}]`);
  }
  return c;
}

/** @internal Throws a {@link LayerConfigError} unless `value` is an integer ≥ `min`. */
export function checkInt(value: unknown, name: string, where: string, min = 1): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min) {
    throw new LayerConfigError(`${where}: ${name} must be an integer ≥ ${min}, got ${String(value)}`);
  }
  return value;
}

/** @internal Throws a {@link LayerConfigError} unless `value` is a finite number in `[lo, hi]` (exclusive bounds if asked). */
export function checkNumber(value: unknown, name: string, where: string, lo: number, hi: number, openLo = false): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value > hi || value < lo || (openLo && value === lo)) {
    throw new LayerConfigError(`${where}: ${name} must be a finite number in ${openLo ? '(' : '['}${lo}, ${hi}], got ${String(value)}`);
  }
  return value;
}

/** @internal Output extent of a `same`-padded convolution or pooling. */
export function sameExtent(n: number | null, stride: number): number | null {
  return n == null ? null : Math.ceil(n / stride);
}

/**
 * @internal `same`-padded convolution of an NHWC (rank 4) or NDHWC (rank 5) tensor with a kernel of shape
 * `[...k, Cin, Cout]`, equal strides on every spatial axis.
 */
export function convSame(x: tf.Tensor, kernel: tf.Tensor, stride: number): tf.Tensor {
  if (x.rank === 4) return tf.conv2d(x as tf.Tensor4D, kernel as tf.Tensor4D, stride, 'same');
  return tf.conv3d(x as tf.Tensor5D, kernel as tf.Tensor5D, stride, 'same');
}

/** @internal Checks that two feature shapes agree on every axis but the channels (unknown dims pass). */
export function checkSameSpatial(a: Shape | number[], b: Shape | number[], where: string, names: [string, string]): void {
  const ok = a.length === b.length && a.slice(1, -1).every((d, i) => d == null || b[i + 1] == null || d === b[i + 1]);
  if (!ok) {
    throw new LayerInputError(
      `${where}: ${names[0]} [${a.join(', ')}] and ${names[1]} [${b.join(', ')}] must have the same rank and spatial size`,
    );
  }
}
