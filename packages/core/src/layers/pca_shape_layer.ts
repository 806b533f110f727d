import * as tf from '@tensorflow/tfjs-core';
import { serialization } from '@tensorflow/tfjs-core';
import { initializers, layers } from '@tensorflow/tfjs-layers';
import type { LayerVariable, Shape } from '@tensorflow/tfjs-layers';
import { LayerConfigError, LayerInputError } from './errors.js';
import { checkInt, shapeList, tensorList } from './layer_utils.js';
import { rotationMatrices } from './similarity_transform.js';
import type { BaseLayerArgs, CallKwargs } from './types.js';

/**
 * How the scale parameters map to scale factors: `log` → `exp(p)` (zero parameters = unit scale, always
 * positive), `direct` → `p` itself (as a plain multiplicative factor).
 */
export type ScaleParameterization = 'log' | 'direct';

/** A statistical shape model: mean shape and principal components, landmark-major (x, y(, z) per landmark). */
export interface ShapeModel {
  /** Mean shape, `numLandmarks · dims` numbers: `[x_0, y_0(, z_0), x_1, …]`. */
  readonly mean: ArrayLike<number>;
  /** `numComponents` principal components, each laid out as the mean. */
  readonly components: ReadonlyArray<ArrayLike<number>>;
}

/** Constructor arguments of {@link PcaShapeLayer}. */
export interface PcaShapeLayerArgs extends BaseLayerArgs {
  /** 2 or 3. */
  dims: 2 | 3;
  /** Number of landmarks L. */
  numLandmarks: number;
  /** Number of PCA components M used (may be 0). */
  numComponents: number;
  /** Scale parameterization (default `log`). */
  scaleParameterization?: ScaleParameterization;
  /**
   * The shape model to load into the fixed weights at build time. Not part of the config: a saved model
   * restores it from its (non-trainable) weights. Without it the weights start at zero until
   * {@link PcaShapeLayer.setShapeModel}.
   */
  shapeModel?: ShapeModel;
}

/** Number of global pose parameters: 2D 2 + 1 + 2, 3D 3 + 3 + 3. */
function poseCount(dims: 2 | 3): number {
  return dims === 2 ? 5 : 9;
}

/**
 * PCA shape layer (deep 3D shape fitting paper §3.4): landmarks are the shape model's mean plus a linear
 * combination of its principal components, then a global similarity transform,
 *
 * `x = mean + Σ_m b_m · c_m`, `y_l = R · diag(s) · x_l + t` for every landmark l,
 *
 * scaling and rotating about the model's origin (Procrustes-aligned models are centred there).
 *
 * **Input** `[batch, M + P]`, in this order: the M shape weights `b_1 … b_M`, then the pose: translation
 * `t` (d values), rotation (2D: one angle θ; 3D: α, β, γ), scale `s` (d values, per axis, mapped by
 * `scaleParameterization`). P = 5 in 2D, 9 in 3D (the paper's three translation, rotation and scale
 * parameters). Rotation convention: radians, counter-clockwise; 3D `R = R_z(γ)·R_y(β)·R_x(α)` (see
 * {@link rotationMatrices}). All zeros (with `log` scaling) returns the mean shape.
 *
 * **Output** `[batch, L, d]` landmark coordinates. Weights: `mean` `[L, d]` and `components` `[M, L, d]`,
 * both non-trainable (fixed, loaded from a statistical shape model).
 */
export class PcaShapeLayer extends layers.Layer {
  /** Registered class name (serialization key). */
  static readonly className = 'PcaShapeLayer';
  /** 2 or 3. */
  readonly dims: 2 | 3;
  /** L. */
  readonly numLandmarks: number;
  /** M. */
  readonly numComponents: number;
  /** Scale parameterization. */
  readonly scaleParameterization: ScaleParameterization;
  private readonly pendingModel: ShapeModel | null;
  private meanShape: LayerVariable | null = null;
  private componentShapes: LayerVariable | null = null;

  /** @param args - see {@link PcaShapeLayerArgs}. */
  constructor(args: PcaShapeLayerArgs) {
    super(args);
    const where = 'PcaShapeLayer';
    if (args.dims !== 2 && args.dims !== 3) throw new LayerConfigError(`${where}: dims must be 2 or 3, got ${String(args.dims)}`);
    this.dims = args.dims;
    this.numLandmarks = checkInt(args.numLandmarks, 'numLandmarks', where);
    this.numComponents = checkInt(args.numComponents, 'numComponents', where, 0);
    const scale = args.scaleParameterization ?? 'log';
    if (scale !== 'log' && scale !== 'direct') {
      throw new LayerConfigError(`${where}: scaleParameterization must be 'log' or 'direct', got ${String(scale)}`);
    }
    this.scaleParameterization = scale;
    this.pendingModel = args.shapeModel ?? null;
    if (this.pendingModel) this.checkModel(this.pendingModel);
  }

  /** Number of input parameters per sample: M + (5 in 2D, 9 in 3D). */
  get parameterCount(): number {
    return this.numComponents + poseCount(this.dims);
  }

  /** Creates the fixed `mean` and `components` weights and loads `shapeModel` if one was given. */
  override build(inputShape: Shape | Shape[]): void {
    const [shape] = shapeList(inputShape, 1, this.name) as [Shape];
    this.checkInputShape(shape);
    const L = this.numLandmarks;
    const d = this.dims;
    this.meanShape = this.addWeight('mean', [L, d], 'float32', initializers.zeros(), undefined, false);
    this.componentShapes = this.addWeight('components', [this.numComponents, L, d], 'float32', initializers.zeros(), undefined, false);
    this.built = true;
    if (this.pendingModel) this.setShapeModel(this.pendingModel);
  }

  /**
   * Loads a statistical shape model into the fixed weights (layer must be built).
   *
   * @throws {@link LayerConfigError} if the sizes do not match `numLandmarks`, `dims`, `numComponents` or a value is not finite.
   */
  setShapeModel(model: ShapeModel): void {
    this.checkModel(model);
    if (!this.meanShape || !this.componentShapes) {
      throw new LayerConfigError(`${this.name}: setShapeModel needs a built layer (apply it or call build first)`);
    }
    const L = this.numLandmarks;
    const d = this.dims;
    const flat = new Float32Array(this.numComponents * L * d);
    model.components.forEach((c, m) => flat.set(Array.from(c), m * L * d));
    tf.tidy(() => {
      this.meanShape?.write(tf.tensor2d(Array.from(model.mean), [L, d]));
      this.componentShapes?.write(tf.tensor3d(flat, [this.numComponents, L, d]));
    });
  }

  /** `[batch, L, d]`. */
  override computeOutputShape(inputShape: Shape | Shape[]): Shape {
    const [shape] = shapeList(inputShape, 1, this.name) as [Shape];
    this.checkInputShape(shape);
    return [shape[0] as number | null, this.numLandmarks, this.dims];
  }

  /** Shape synthesis followed by the similarity transform. */
  override call(inputs: tf.Tensor | tf.Tensor[], _kwargs: CallKwargs): tf.Tensor {
    return tf.tidy(() => {
      const [params] = tensorList(inputs, 1, this.name) as [tf.Tensor];
      this.checkInputShape(params.shape);
      const batch = params.shape[0] as number;
      const L = this.numLandmarks;
      const d = this.dims;
      const M = this.numComponents;
      const rotCount = d === 2 ? 1 : 3;
      const [weights, translation, angles, scaleParams] = tf.split(params, [M, d, rotCount, d], 1) as tf.Tensor2D[];
      let shape: tf.Tensor = tf.broadcastTo(tf.expandDims((this.meanShape as LayerVariable).read(), 0), [batch, L, d]);
      if (M > 0) {
        const comps = tf.reshape((this.componentShapes as LayerVariable).read(), [M, L * d]);
        shape = tf.add(shape, tf.reshape(tf.matMul(weights as tf.Tensor2D, comps as tf.Tensor2D), [batch, L, d]));
      }
      const scale = this.scaleParameterization === 'log' ? tf.exp(scaleParams as tf.Tensor) : (scaleParams as tf.Tensor);
      const scaled = tf.mul(shape, tf.reshape(scale, [batch, 1, d]));
      // Points are rows here, so y = x · Rᵀ; the explicit transpose avoids matMul's slow transposeB path on wasm.
      const rotationT = tf.transpose(rotationMatrices(angles as tf.Tensor2D), [0, 2, 1]);
      const rotated = tf.matMul(scaled as tf.Tensor3D, rotationT);
      return tf.add(rotated, tf.reshape(translation as tf.Tensor, [batch, 1, d]));
    });
  }

  /** Serializable configuration (the shape model itself travels in the weights). */
  override getConfig(): serialization.ConfigDict {
    return {
      ...super.getConfig(),
      dims: this.dims,
      numLandmarks: this.numLandmarks,
      numComponents: this.numComponents,
      scaleParameterization: this.scaleParameterization,
    };
  }

  private checkInputShape(shape: Shape | number[]): void {
    if (shape.length !== 2 || (shape[1] != null && shape[1] !== this.parameterCount)) {
      throw new LayerInputError(
        `${this.name}: parameters must have shape [batch, ${this.parameterCount}] (${this.numComponents} shape weights + ${poseCount(this.dims)} pose), got [${shape.join(', ')}]`,
      );
    }
  }

  private checkModel(model: ShapeModel): void {
    const n = this.numLandmarks * this.dims;
    const bad = (v: ArrayLike<number>) => v.length !== n || Array.from(v).some((x) => !Number.isFinite(x));
    if (bad(model.mean)) {
      throw new LayerConfigError(`${this.name}: shapeModel.mean must hold ${n} finite numbers (numLandmarks · dims), got ${model.mean.length}`);
    }
    if (model.components.length !== this.numComponents || model.components.some(bad)) {
      throw new LayerConfigError(
        `${this.name}: shapeModel.components must be ${this.numComponents} arrays of ${n} finite numbers, got ${model.components.length}`,
      );
    }
  }
}
serialization.registerClass(PcaShapeLayer);
