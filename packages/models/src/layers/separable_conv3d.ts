import * as tf from '@tensorflow/tfjs-core';
import { serialization } from '@tensorflow/tfjs-core';
import { initializers, layers } from '@tensorflow/tfjs-layers';
import type { LayerVariable, Shape } from '@tensorflow/tfjs-layers';
import type { BaseLayerArgs, CallKwargs } from '@pedseg/core';
import { checkInt } from '../checks.js';
import { ModelInputError } from '../errors.js';

/** Constructor arguments of {@link SeparableConv3D}. */
export interface SeparableConv3DArgs extends BaseLayerArgs {
  /** Output channels of the point-wise convolution. */
  filters: number;
  /** Cubic kernel extent of the depth-wise convolution (5 or 3 in the shape-regression network). */
  kernelSize: number;
  /** Add a bias after the point-wise convolution (default true). */
  useBias?: boolean;
}

/**
 * Depth-wise separable 3D convolution ('same' padding, stride 1), which tfjs lacks: a k×k×k depth-wise
 * convolution (one filter per input channel, depth multiplier 1) followed by a 1×1×1 point-wise convolution
 * and a bias. The depth-wise step is a grouped convolution computed as one `conv3d` per channel on that
 * channel's slice, then concatenated — exact, and differentiable by tfjs' own gradients; its cost grows
 * with the channel count, which the shape-regression network keeps small.
 *
 * Input NDHWC `[batch, D, H, W, C]`; output `[batch, D, H, W, filters]`. Weights: `depthwise_kernel`
 * `[k, k, k, C, 1]`, `pointwise_kernel` `[1, 1, 1, C, filters]`, `bias` `[filters]`.
 */
export class SeparableConv3D extends layers.Layer {
  /** Registered class name (serialization key). */
  static readonly className = 'SeparableConv3D';
  /** Output channels. */
  readonly filters: number;
  /** Depth-wise kernel extent. */
  readonly kernelSize: number;
  /** Whether a bias is added. */
  readonly useBias: boolean;
  private depthwise: LayerVariable | null = null;
  private pointwise: LayerVariable | null = null;
  private bias: LayerVariable | null = null;

  /** @param args - see {@link SeparableConv3DArgs}. */
  constructor(args: SeparableConv3DArgs) {
    super(args);
    this.filters = checkInt(args.filters, 'filters', 'SeparableConv3D');
    this.kernelSize = checkInt(args.kernelSize, 'kernelSize', 'SeparableConv3D');
    this.useBias = args.useBias ?? true;
  }

  /** Creates the depth-wise, point-wise and bias weights. */
  override build(inputShape: Shape | Shape[]): void {
    const shape = (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as Shape;
    const c = shape[4];
    if (shape.length !== 5 || c == null) throw new ModelInputError(`${this.name}: input must be NDHWC with known channels, got [${shape.join(', ')}]`);
    const k = this.kernelSize;
    this.depthwise = this.addWeight('depthwise_kernel', [k, k, k, c, 1], 'float32', initializers.glorotUniform({}));
    this.pointwise = this.addWeight('pointwise_kernel', [1, 1, 1, c, this.filters], 'float32', initializers.glorotUniform({}));
    if (this.useBias) this.bias = this.addWeight('bias', [this.filters], 'float32', initializers.zeros());
    this.built = true;
  }

  /** `[batch, D, H, W, filters]`. */
  override computeOutputShape(inputShape: Shape | Shape[]): Shape {
    const shape = (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as Shape;
    return [...shape.slice(0, 4), this.filters];
  }

  /** Depth-wise (per channel) then point-wise convolution. */
  override call(inputs: tf.Tensor | tf.Tensor[], _kwargs: CallKwargs): tf.Tensor {
    return tf.tidy(() => {
      const x = (Array.isArray(inputs) ? inputs[0] : inputs) as tf.Tensor5D;
      const dw = (this.depthwise as LayerVariable).read() as tf.Tensor5D;
      const c = dw.shape[3];
      if (x.rank !== 5 || x.shape[4] !== c) throw new ModelInputError(`${this.name}: input [${x.shape.join(', ')}] does not have the ${c} channels the layer was built for`);
      const k = this.kernelSize;
      const channels = c === 1 ? [x] : tf.split(x, c, 4);
      const kernels = c === 1 ? [dw] : tf.split(dw, c, 3);
      const per = channels.map((xi, i) => tf.conv3d(xi as tf.Tensor5D, tf.reshape(kernels[i] as tf.Tensor, [k, k, k, 1, 1]) as tf.Tensor5D, 1, 'same'));
      const depthwise = per.length === 1 ? (per[0] as tf.Tensor5D) : (tf.concat(per, 4) as tf.Tensor5D);
      const out = tf.conv3d(depthwise, (this.pointwise as LayerVariable).read() as tf.Tensor5D, 1, 'same');
      return this.bias ? tf.add(out, this.bias.read()) : out;
    });
  }

  /** Serializable configuration. */
  override getConfig(): serialization.ConfigDict {
    return { ...super.getConfig(), filters: this.filters, kernelSize: this.kernelSize, useBias: this.useBias };
  }
}
serialization.registerClass(SeparableConv3D);
