import * as tf from '@tensorflow/tfjs-core';
import { serialization } from '@tensorflow/tfjs-core';
import { initializers, layers } from '@tensorflow/tfjs-layers';
import type { LayerVariable, Shape } from '@tensorflow/tfjs-layers';
import { applyActivation, checkActivation, type BlockActivation } from './activation.js';
import { routeDomains } from './domain_routing.js';
import { addDsbnVariables, domainBatchNorm, type DsbnVariables } from './dsbn_core.js';
import { LayerInputError } from './errors.js';
import { channelsOf, checkFeatureRank, checkInt, checkNumber, convSame, sameExtent, shapeList, tensorList } from './layer_utils.js';
import { addSeWeights, squeezeExcite, type SeWeights } from './squeeze_excitation.js';
import type { BaseLayerArgs, CallKwargs } from './types.js';

/** Constructor arguments of {@link MultiDomainMBConv}. */
export interface MultiDomainMBConvArgs extends BaseLayerArgs {
  /** Number of domains K. */
  numDomains: number;
  /** Output channels of the projection. */
  filters: number;
  /** Depth-wise kernel extent (default 3; Fig. 3 uses 3 and 5). */
  kernelSize?: number;
  /** Depth-wise stride (default 1). */
  strides?: number;
  /** Expansion ratio t of MBConv-t (default 1; MBConv6 uses 6). With t = 1 there is no expansion conv. */
  expandRatio?: number;
  /** SE bottleneck width as a fraction of the input channels (default 0.25; 0 disables SE). */
  seRatio?: number;
  /** Non-linearity (default `silu`). */
  activation?: BlockActivation;
  /** DSBN ε (default 1e-5). */
  epsilon?: number;
  /** DSBN momentum, Keras convention (default 0.99). */
  momentum?: number;
}

interface MbWeights {
  readonly expand: { kernel: LayerVariable; norm: DsbnVariables } | null;
  readonly depthwise: LayerVariable;
  readonly depthwiseNorm: DsbnVariables;
  readonly se: SeWeights | null;
  readonly project: LayerVariable;
  readonly projectNorm: DsbnVariables;
}

/**
 * Multi-domain inverted-residual bottleneck, MBConv-t (Tan and Le 2019) adapted as in the multi-task paper
 * Fig. 3: `(shared 1×1 conv, DSBN, σ)` [only when t ≠ 1] → shared depth-wise k×k conv, DSBN, σ → SE →
 * shared 1×1 projection conv, DSBN → `+ input` when the stride is 1 and the channel count is kept.
 * Convolutions are shared across domains and bias-free; every batch norm is a DSBN (Eq. 2) and the SE
 * module is shared. No stochastic depth.
 *
 * Inputs `[features, domain]`: 2D NHWC features only (tfjs has no 3D depth-wise convolution) and int32
 * `[batch]` domain indices. Output `[batch, ceil(H/s), ceil(W/s), filters]`. Weights: `expand_kernel`
 * `[1, 1, C_in, t·C_in]` + `expand_bn_*` (when t ≠ 1), `depthwise_kernel` `[k, k, t·C_in, 1]` +
 * `depthwise_bn_*`, `se_*` (bottleneck `max(1, ⌊seRatio·C_in⌋)`), `project_kernel` `[1, 1, t·C_in, filters]`
 * + `project_bn_*`.
 *
 * @throws {@link DomainIndexError} at call time for a bad domain tensor.
 */
export class MultiDomainMBConv extends layers.Layer {
  /** Registered class name (serialization key). */
  static readonly className = 'MultiDomainMBConv';
  /** Number of domains K. */
  readonly numDomains: number;
  /** Output channels. */
  readonly filters: number;
  /** Depth-wise kernel extent. */
  readonly kernelSize: number;
  /** Depth-wise stride. */
  readonly strides: number;
  /** Expansion ratio t. */
  readonly expandRatio: number;
  /** SE ratio (0 = no SE). */
  readonly seRatio: number;
  /** Non-linearity. */
  readonly activation: BlockActivation;
  /** DSBN ε. */
  readonly epsilon: number;
  /** DSBN momentum. */
  readonly momentum: number;
  private mb: MbWeights | null = null;
  private inputChannels = 0;

  /** @param args - see {@link MultiDomainMBConvArgs}. */
  constructor(args: MultiDomainMBConvArgs) {
    super(args);
    const where = 'MultiDomainMBConv';
    this.numDomains = checkInt(args.numDomains, 'numDomains', where);
    this.filters = checkInt(args.filters, 'filters', where);
    this.kernelSize = checkInt(args.kernelSize ?? 3, 'kernelSize', where);
    this.strides = checkInt(args.strides ?? 1, 'strides', where);
    this.expandRatio = checkInt(args.expandRatio ?? 1, 'expandRatio', where);
    this.seRatio = checkNumber(args.seRatio ?? 0.25, 'seRatio', where, 0, 1);
    this.activation = checkActivation(args.activation ?? 'silu', where);
    this.epsilon = checkNumber(args.epsilon ?? 1e-5, 'epsilon', where, 0, Infinity, true);
    this.momentum = checkNumber(args.momentum ?? 0.99, 'momentum', where, 0, 1);
  }

  /** Whether the block adds its input to its output (stride 1 and C_in = filters). */
  get hasSkip(): boolean {
    return this.strides === 1 && this.inputChannels === this.filters;
  }

  /** Creates all kernels, DSBN and SE weights. */
  override build(inputShape: Shape | Shape[]): void {
    const [features] = shapeList(inputShape, 2, this.name) as [Shape, Shape];
    checkFeatureRank(features, this.name, 'features', [4]);
    const cin = channelsOf(features, this.name);
    this.inputChannels = cin;
    const cexp = cin * this.expandRatio;
    const add = (name: string, shape: number[], init: ReturnType<typeof initializers.zeros>, trainable = true) =>
      this.addWeight(name, shape, 'float32', init, undefined, trainable);
    const k = this.kernelSize;
    const expand =
      this.expandRatio === 1
        ? null
        : {
            kernel: add('expand_kernel', [1, 1, cin, cexp], initializers.glorotUniform({})),
            norm: addDsbnVariables(add, 'expand_bn_', this.numDomains, cexp),
          };
    const depthwise = add('depthwise_kernel', [k, k, cexp, 1], initializers.glorotUniform({}));
    const depthwiseNorm = addDsbnVariables(add, 'depthwise_bn_', this.numDomains, cexp);
    const se = this.seRatio > 0 ? addSeWeights(add, 'se_', cexp, Math.max(1, Math.floor(cin * this.seRatio))) : null;
    const project = add('project_kernel', [1, 1, cexp, this.filters], initializers.glorotUniform({}));
    const projectNorm = addDsbnVariables(add, 'project_bn_', this.numDomains, this.filters);
    this.mb = { expand, depthwise, depthwiseNorm, se, project, projectNorm };
    this.built = true;
  }

  /** `[batch, ceil(H/s), ceil(W/s), filters]`. */
  override computeOutputShape(inputShape: Shape | Shape[]): Shape {
    const [features] = shapeList(inputShape, 2, this.name) as [Shape, Shape];
    checkFeatureRank(features, this.name, 'features', [4]);
    return [features[0] as number | null, sameExtent(features[1] as number | null, this.strides), sameExtent(features[2] as number | null, this.strides), this.filters];
  }

  /** The MBConv forward pass with per-domain normalization. */
  override call(inputs: tf.Tensor | tf.Tensor[], kwargs: CallKwargs): tf.Tensor {
    return tf.tidy(() => {
      const [x, domain] = tensorList(inputs, 2, this.name) as [tf.Tensor, tf.Tensor];
      checkFeatureRank(x.shape, this.name, 'features', [4]);
      if (x.shape[3] !== this.inputChannels) {
        throw new LayerInputError(`${this.name}: features have ${x.shape[3]} channels, the block was built for ${this.inputChannels}`);
      }
      const w = this.mb as MbWeights;
      const onehot = routeDomains(domain, x.shape[0] as number, this.numDomains, this.name);
      const opts = { training: kwargs['training'] === true, epsilon: this.epsilon, momentum: this.momentum };
      const act = (t: tf.Tensor) => applyActivation(t, this.activation);
      let h: tf.Tensor = x;
      if (w.expand) h = act(domainBatchNorm(convSame(h, w.expand.kernel.read(), 1), onehot, w.expand.norm, opts));
      const dw = tf.depthwiseConv2d(h as tf.Tensor4D, w.depthwise.read() as tf.Tensor4D, this.strides, 'same');
      h = act(domainBatchNorm(dw, onehot, w.depthwiseNorm, opts));
      if (w.se) h = squeezeExcite(h, w.se, this.activation);
      h = domainBatchNorm(convSame(h, w.project.read(), 1), onehot, w.projectNorm, opts);
      return this.hasSkip ? tf.add(h, x) : h;
    });
  }

  /** Serializable configuration. */
  override getConfig(): serialization.ConfigDict {
    return {
      ...super.getConfig(),
      numDomains: this.numDomains,
      filters: this.filters,
      kernelSize: this.kernelSize,
      strides: this.strides,
      expandRatio: this.expandRatio,
      seRatio: this.seRatio,
      activation: this.activation,
      epsilon: this.epsilon,
      momentum: this.momentum,
    };
  }
}
serialization.registerClass(MultiDomainMBConv);
