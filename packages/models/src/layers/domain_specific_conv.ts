import * as tf from '@tensorflow/tfjs-core';
import { serialization } from '@tensorflow/tfjs-core';
import { initializers, layers } from '@tensorflow/tfjs-layers';
import type { LayerVariable, Shape } from '@tensorflow/tfjs-layers';
import { routeDomains, type BaseLayerArgs, type CallKwargs } from '@pedseg/core';
import { checkInt } from '../checks.js';
import { ModelInputError } from '../errors.js';

/** Constructor arguments of {@link DomainSpecificConv}. */
export interface DomainSpecificConvArgs extends BaseLayerArgs {
  /** Number of domains K. */
  numDomains: number;
  /** Output channels. */
  filters: number;
  /** Square kernel extent (default 3). */
  kernelSize?: number;
}

/**
 * Domain-specific 2D convolution without bias ("DS Conv 3×3" of the multi-joint auto-encoder, multi-task
 * paper Fig. 3): every domain k has its own kernel W_k; a sample of domain k is convolved with W_k only
 * ('same' padding, stride 1). It is the auto-encoder's input layer, reading domain k's label map, whose
 * |C_k| channels are padded with zeros to `max_k |C_k|` as `DomainSpecificHeads` outputs them. The bias is
 * omitted because the DSBN that follows subsumes it.
 *
 * Inputs `[features, domain]` (features NHWC, domain int32 `[batch]` or `[batch, 1]`). Output
 * `[batch, H, W, filters]`. Weight: `kernel` `[k, k, C_in, K·filters]`, domain k's kernel in the output
 * slice `k·filters … (k+1)·filters − 1`. All K kernels run in one convolution and each sample keeps its own
 * domain's slice, so mixed batches need no splitting.
 *
 * @throws DomainIndexError (from @pedseg/core) at call time for a bad domain tensor.
 */
export class DomainSpecificConv extends layers.Layer {
  /** Registered class name (serialization key). */
  static readonly className = 'DomainSpecificConv';
  /** K. */
  readonly numDomains: number;
  /** Output channels. */
  readonly filters: number;
  /** Kernel extent. */
  readonly kernelSize: number;
  private kernel: LayerVariable | null = null;

  /** @param args - see {@link DomainSpecificConvArgs}. */
  constructor(args: DomainSpecificConvArgs) {
    super(args);
    this.numDomains = checkInt(args.numDomains, 'numDomains', 'DomainSpecificConv');
    this.filters = checkInt(args.filters, 'filters', 'DomainSpecificConv');
    this.kernelSize = checkInt(args.kernelSize ?? 3, 'kernelSize', 'DomainSpecificConv');
  }

  /** Creates the `[k, k, C_in, K·filters]` kernel. */
  override build(inputShape: Shape | Shape[]): void {
    const features = (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as Shape;
    const cin = features[features.length - 1];
    if (features.length !== 4 || cin == null) {
      throw new ModelInputError(`${this.name}: features must be NHWC with a known channel count, got [${features.join(', ')}]`);
    }
    const k = this.kernelSize;
    this.kernel = this.addWeight('kernel', [k, k, cin, this.numDomains * this.filters], 'float32', initializers.glorotUniform({}));
    this.built = true;
  }

  /** `[batch, H, W, filters]`. */
  override computeOutputShape(inputShape: Shape | Shape[]): Shape {
    const features = (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as Shape;
    return [...features.slice(0, -1), this.filters];
  }

  /** Convolves each sample with its domain's kernel. */
  override call(inputs: tf.Tensor | tf.Tensor[], _kwargs: CallKwargs): tf.Tensor {
    return tf.tidy(() => {
      const list = Array.isArray(inputs) ? inputs : [inputs];
      if (list.length !== 2) throw new ModelInputError(`${this.name}: expected inputs [features, domain], got ${list.length} tensor(s)`);
      const [x, domain] = list as [tf.Tensor4D, tf.Tensor];
      const kernel = this.kernel as LayerVariable;
      if (x.rank !== 4 || x.shape[3] !== kernel.shape[2]) {
        throw new ModelInputError(`${this.name}: features [${x.shape.join(', ')}] do not match the kernel [${kernel.shape.join(', ')}]`);
      }
      const [b, h, w] = x.shape;
      const onehot = routeDomains(domain, b, this.numDomains, this.name);
      const all = tf.reshape(tf.conv2d(x, kernel.read() as tf.Tensor4D, 1, 'same'), [b, h, w, this.numDomains, this.filters]);
      return tf.sum(tf.mul(all, tf.reshape(onehot, [b, 1, 1, this.numDomains, 1])), 3);
    });
  }

  /** Serializable configuration. */
  override getConfig(): serialization.ConfigDict {
    return { ...super.getConfig(), numDomains: this.numDomains, filters: this.filters, kernelSize: this.kernelSize };
  }
}
serialization.registerClass(DomainSpecificConv);
