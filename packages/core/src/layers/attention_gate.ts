import * as tf from '@tensorflow/tfjs-core';
import { serialization } from '@tensorflow/tfjs-core';
import { initializers, layers } from '@tensorflow/tfjs-layers';
import type { LayerVariable, Shape } from '@tensorflow/tfjs-layers';
import { routeDomains } from './domain_routing.js';
import { addDsbnVariables, domainBatchNorm, type DsbnVariables } from './dsbn_core.js';
import { LayerInputError } from './errors.js';
import {
  channelsOf,
  checkFeatureRank,
  checkInt,
  checkNumber,
  checkSameSpatial,
  convSame,
  shapeList,
  tensorList,
} from './layer_utils.js';
import type { BaseLayerArgs, CallKwargs } from './types.js';

/** Constructor arguments of {@link AttentionGate}. */
export interface AttentionGateArgs extends BaseLayerArgs {
  /** F_int: channels of the intermediate (θ_x + φ_g) representation. */
  intermediateChannels: number;
  /**
   * When true the layer has two outputs, `[gated, alpha]`, alpha being the attention coefficients
   * `[batch, ...spatial, 1]` in (0, 1) for visualization; otherwise only the gated skip features (default false).
   */
  returnAttention?: boolean;
  /** Batch-norm ε (default 1e-5). */
  epsilon?: number;
  /** Batch-norm moving-average momentum, Keras convention (default 0.99). */
  momentum?: number;
}

/** Constructor arguments of {@link MultiDomainAttentionGate}. */
export interface MultiDomainAttentionGateArgs extends AttentionGateArgs {
  /** Number of domains K. */
  numDomains: number;
}

interface GateWeights {
  readonly thetaX: LayerVariable;
  readonly phiG: LayerVariable;
  readonly psi: LayerVariable;
  readonly thetaXNorm: DsbnVariables;
  readonly phiGNorm: DsbnVariables;
  readonly psiNorm: DsbnVariables;
}

/**
 * Shared implementation of the additive attention gate (Oktay et al. 2018, Attention U-Net), its batch
 * normalizations being domain-specific (K domains; K = 1 is ordinary batch normalization):
 *
 * `q = ReLU(BN_x(W_x ∗ x) + BN_g(W_g ∗ g))`, `α = sigmoid(BN_ψ(ψ ∗ q))`, `x̂ = α · x`,
 *
 * all convolutions 1×1(×1) and without bias (the batch norm shifts subsume them). The gating signal `g`
 * must already be at the skip connection's spatial size (upsample the coarser decoder features first, as
 * MONAI's AttentionBlock expects). Weights: `theta_x_kernel` `[1.., Cx, F_int]`, `phi_g_kernel`
 * `[1.., Cg, F_int]`, `psi_kernel` `[1.., F_int, 1]`, and batch-norm weights `theta_x_bn_*`, `phi_g_bn_*`
 * (`[K, F_int]`), `psi_bn_*` (`[K, 1]`).
 */
export abstract class AttentionGateBase extends layers.Layer {
  /** F_int. */
  readonly intermediateChannels: number;
  /** Whether the attention coefficients are a second output. */
  readonly returnAttention: boolean;
  /** Batch-norm ε. */
  readonly epsilon: number;
  /** Batch-norm momentum. */
  readonly momentum: number;
  /** Number of domains (1 for the single-domain gate). */
  abstract readonly numDomains: number;
  /** Number of layer inputs: 2 (`[x, g]`) or 3 (`[x, g, domain]`). */
  protected abstract readonly inputCount: number;
  private weightsOfGate: GateWeights | null = null;

  /** @param args - see {@link AttentionGateArgs}. */
  constructor(args: AttentionGateArgs, where: string) {
    super(args);
    this.intermediateChannels = checkInt(args.intermediateChannels, 'intermediateChannels', where);
    this.returnAttention = args.returnAttention ?? false;
    this.epsilon = checkNumber(args.epsilon ?? 1e-5, 'epsilon', where, 0, Infinity, true);
    this.momentum = checkNumber(args.momentum ?? 0.99, 'momentum', where, 0, 1);
  }

  /** Creates the three 1×1 kernels and their batch-norm weights. */
  override build(inputShape: Shape | Shape[]): void {
    const [x, g] = this.checkShapes(inputShape);
    const ones = Array<number>(x.length - 2).fill(1);
    const f = this.intermediateChannels;
    const add = (name: string, shape: number[], init: ReturnType<typeof initializers.zeros>, trainable: boolean) =>
      this.addWeight(name, shape, 'float32', init, undefined, trainable);
    this.weightsOfGate = {
      thetaX: add('theta_x_kernel', [...ones, channelsOf(x, this.name, 'x'), f], initializers.glorotUniform({}), true),
      phiG: add('phi_g_kernel', [...ones, channelsOf(g, this.name, 'g'), f], initializers.glorotUniform({}), true),
      psi: add('psi_kernel', [...ones, f, 1], initializers.glorotUniform({}), true),
      thetaXNorm: addDsbnVariables(add, 'theta_x_bn_', this.numDomains, f),
      phiGNorm: addDsbnVariables(add, 'phi_g_bn_', this.numDomains, f),
      psiNorm: addDsbnVariables(add, 'psi_bn_', this.numDomains, 1),
    };
    this.built = true;
  }

  /** The skip features' shape, plus `[batch, ...spatial, 1]` for alpha when `returnAttention`. */
  override computeOutputShape(inputShape: Shape | Shape[]): Shape | Shape[] {
    const [x] = this.checkShapes(inputShape);
    const alpha = [...x.slice(0, -1), 1];
    return this.returnAttention ? [x, alpha] : x;
  }

  /** Gates the skip features `x` with attention computed from `x` and the gating signal `g`. */
  override call(inputs: tf.Tensor | tf.Tensor[], kwargs: CallKwargs): tf.Tensor | tf.Tensor[] {
    return tf.tidy(() => {
      const list = tensorList(inputs, this.inputCount, this.name);
      const [x, g] = list as [tf.Tensor, tf.Tensor];
      this.checkShapes([x.shape, g.shape, ...(this.inputCount === 3 ? [[x.shape[0] ?? null]] : [])]);
      const w = this.weightsOfGate as GateWeights;
      if (x.shape[x.rank - 1] !== w.thetaX.shape[w.thetaX.shape.length - 2] || g.shape[g.rank - 1] !== w.phiG.shape[w.phiG.shape.length - 2]) {
        throw new LayerInputError(`${this.name}: channel counts of x and g differ from those the layer was built with`);
      }
      const batch = x.shape[0] as number;
      const onehot =
        this.inputCount === 3
          ? routeDomains(list[2] as tf.Tensor, batch, this.numDomains, this.name)
          : (tf.ones([batch, 1]) as tf.Tensor2D);
      const opts = { training: kwargs['training'] === true, epsilon: this.epsilon, momentum: this.momentum };
      const theta = domainBatchNorm(convSame(x, w.thetaX.read(), 1), onehot, w.thetaXNorm, opts);
      const phi = domainBatchNorm(convSame(g, w.phiG.read(), 1), onehot, w.phiGNorm, opts);
      const q = tf.relu(tf.add(theta, phi));
      const alpha = tf.sigmoid(domainBatchNorm(convSame(q, w.psi.read(), 1), onehot, w.psiNorm, opts));
      const gated = tf.mul(x, alpha);
      return this.returnAttention ? [gated, alpha] : gated;
    });
  }

  /** Serializable configuration. */
  override getConfig(): serialization.ConfigDict {
    return {
      ...super.getConfig(),
      intermediateChannels: this.intermediateChannels,
      returnAttention: this.returnAttention,
      epsilon: this.epsilon,
      momentum: this.momentum,
    };
  }

  private checkShapes(inputShape: Shape | Shape[]): [Shape, Shape] {
    const shapes = shapeList(inputShape, this.inputCount, this.name);
    const [x, g] = shapes as [Shape, Shape];
    checkFeatureRank(x, this.name, 'x (skip features)');
    checkFeatureRank(g, this.name, 'g (gating signal)');
    checkSameSpatial(x, g, this.name, ['x (skip features)', 'g (gating signal, upsample it to the skip size)']);
    return [x, g];
  }
}

/**
 * Single-domain additive attention gate (Attention U-Net, Oktay et al. 2018) with ordinary batch
 * normalization; see {@link AttentionGateBase} for the equations and weights.
 *
 * Inputs `[x, g]`: skip features x and gating signal g (same spatial size, 2D NHWC or 3D NDHWC).
 * Output: the gated x, or `[gated, alpha]` with `returnAttention`. With all kernels zero, α = 0.5 everywhere.
 */
export class AttentionGate extends AttentionGateBase {
  /** Registered class name (serialization key). */
  static readonly className = 'AttentionGate';
  /** Always 1. */
  readonly numDomains = 1;
  protected readonly inputCount = 2;

  /** @param args - see {@link AttentionGateArgs}. */
  constructor(args: AttentionGateArgs) {
    super(args, 'AttentionGate');
  }
}
serialization.registerClass(AttentionGate);

/**
 * Multi-domain attention gate (multi-task paper §2.1, Fig. 2-3): the additive attention gate of
 * {@link AttentionGateBase} with each batch normalization replaced by a DSBN (Eq. 2), so each domain
 * calibrates its own attention. Convolutions are shared across domains.
 *
 * Inputs `[x, g, domain]`: skip features, gating signal (same spatial size) and int32 `[batch]` domain
 * indices. Output: the gated x, or `[gated, alpha]` with `returnAttention`.
 *
 * @throws {@link DomainIndexError} at call time for a bad domain tensor.
 */
export class MultiDomainAttentionGate extends AttentionGateBase {
  /** Registered class name (serialization key). */
  static readonly className = 'MultiDomainAttentionGate';
  /** Number of domains K. */
  readonly numDomains: number;
  protected readonly inputCount = 3;

  /** @param args - see {@link MultiDomainAttentionGateArgs}. */
  constructor(args: MultiDomainAttentionGateArgs) {
    super(args, 'MultiDomainAttentionGate');
    this.numDomains = checkInt(args.numDomains, 'numDomains', 'MultiDomainAttentionGate');
  }

  /** Serializable configuration (adds `numDomains`). */
  override getConfig(): serialization.ConfigDict {
    return { ...super.getConfig(), numDomains: this.numDomains };
  }
}
serialization.registerClass(MultiDomainAttentionGate);
