import { add, div, dispose, mul, scalar, sqrt, square, sub, tensor, tidy, zerosLike } from '@tensorflow/tfjs-core';
import type { Tensor, Variable } from '@tensorflow/tfjs-core';
import { CheckpointError, TrainConfigError } from '../errors.js';

/** Adam hyper-parameters (Kingma & Ba, 2015), with Keras' defaults. */
export interface AdamOptions {
  /** Step size α > 0. */
  learningRate: number;
  /** Exponential decay of the first moment, in [0, 1). Default 0.9. */
  beta1?: number;
  /** Exponential decay of the second moment, in [0, 1). Default 0.999. */
  beta2?: number;
  /** Denominator offset ε > 0. Default 1e-7 (Keras and tfjs' float32 default). */
  epsilon?: number;
}

/** The serialized state of an {@link Adam} optimizer: step count plus flat float32 tensors. */
export interface AdamState {
  /** Number of updates applied so far. */
  readonly step: number;
  /** β1^t and β2^t as float32 (stored, not recomputed, so a resumed run is bit-identical). */
  readonly accBeta: readonly [number, number];
  /** First moments, one per variable, in variable order. */
  readonly m: readonly Float32Array[];
  /** Second moments, one per variable, in variable order. */
  readonly v: readonly Float32Array[];
}

function checkRange(name: string, value: number, lo: number, hi: number, closedHi = false): void {
  const ok = Number.isFinite(value) && value >= lo && (closedHi ? value <= hi : value < hi);
  if (!ok) throw new TrainConfigError(`Adam: ${name} must be in [${lo}, ${hi}${closedHi ? ']' : ')'}, got ${value}`);
}

/**
 * Adam bound to one network's variable list. It performs the same float32 operations as tfjs'
 * `AdamOptimizer`, but its whole state (moments, β powers, step) can be exported and restored exactly —
 * tfjs' own `setWeights` recomputes β^t with `pow`, which differs from the running product in the last
 * bits, so a resumed run would drift from an uninterrupted one.
 *
 * The variable list is fixed at construction: an update touches these variables and nothing else,
 * which is what keeps alternating discriminator / network steps separate.
 */
export class Adam {
  /** Current learning rate (mutable, for schedules). */
  learningRate: number;
  /** β1. */
  readonly beta1: number;
  /** β2. */
  readonly beta2: number;
  /** ε. */
  readonly epsilon: number;
  private readonly variables: readonly Variable[];
  private readonly m: Variable[];
  private readonly v: Variable[];
  private readonly accBeta1: Variable;
  private readonly accBeta2: Variable;
  private steps = 0;

  /**
   * @param variables - the trainable variables this optimizer owns (order defines the state layout).
   * @param options - hyper-parameters.
   * @throws {@link TrainConfigError} for out-of-range hyper-parameters or an empty variable list.
   */
  constructor(variables: readonly Variable[], options: AdamOptions) {
    const { learningRate, beta1 = 0.9, beta2 = 0.999, epsilon = 1e-7 } = options;
    if (!(Number.isFinite(learningRate) && learningRate > 0)) {
      throw new TrainConfigError(`Adam: learningRate must be a positive number, got ${learningRate}`);
    }
    checkRange('beta1', beta1, 0, 1);
    checkRange('beta2', beta2, 0, 1);
    if (!(Number.isFinite(epsilon) && epsilon > 0)) throw new TrainConfigError(`Adam: epsilon must be positive, got ${epsilon}`);
    if (variables.length === 0) throw new TrainConfigError('Adam: the variable list is empty (nothing to train)');
    this.learningRate = learningRate;
    this.beta1 = beta1;
    this.beta2 = beta2;
    this.epsilon = epsilon;
    this.variables = [...variables];
    this.m = this.variables.map((x) => tidy(() => zerosLike(x).variable(false)));
    this.v = this.variables.map((x) => tidy(() => zerosLike(x).variable(false)));
    this.accBeta1 = tidy(() => scalar(beta1).variable(false));
    this.accBeta2 = tidy(() => scalar(beta2).variable(false));
  }

  /** Number of updates applied so far. */
  get step(): number {
    return this.steps;
  }

  /** The variables this optimizer updates. */
  get ownedVariables(): readonly Variable[] {
    return this.variables;
  }

  /**
   * Applies one update. `gradients[i]` belongs to `ownedVariables[i]`; a `null` entry (no path from the
   * loss to that variable) leaves the variable and its moments untouched, as tfjs does.
   */
  applyGradients(gradients: ReadonlyArray<Tensor | null>): void {
    if (gradients.length !== this.variables.length) {
      throw new TrainConfigError(`Adam.applyGradients: expected ${this.variables.length} gradients, got ${gradients.length}`);
    }
    tidy(() => {
      const oneMinusAccBeta1 = sub(1, this.accBeta1);
      const oneMinusAccBeta2 = sub(1, this.accBeta2);
      gradients.forEach((g, i) => {
        if (g == null) return;
        const value = this.variables[i] as Variable;
        const firstMoment = this.m[i] as Variable;
        const secondMoment = this.v[i] as Variable;
        const newFirst = add(mul(firstMoment, this.beta1), mul(g, 1 - this.beta1));
        const newSecond = add(mul(secondMoment, this.beta2), mul(square(g), 1 - this.beta2));
        const mHat = div(newFirst, oneMinusAccBeta1);
        const vHat = div(newSecond, oneMinusAccBeta2);
        firstMoment.assign(newFirst);
        secondMoment.assign(newSecond);
        value.assign(add(mul(div(mHat, add(sqrt(vHat), this.epsilon)), -this.learningRate), value));
      });
      this.accBeta1.assign(mul(this.accBeta1, this.beta1));
      this.accBeta2.assign(mul(this.accBeta2, this.beta2));
    });
    this.steps += 1;
  }

  /** Exports the complete state (copies). */
  getState(): AdamState {
    return {
      step: this.steps,
      accBeta: [this.accBeta1.dataSync()[0] as number, this.accBeta2.dataSync()[0] as number],
      m: this.m.map((x) => Float32Array.from(x.dataSync() as Float32Array)),
      v: this.v.map((x) => Float32Array.from(x.dataSync() as Float32Array)),
    };
  }

  /**
   * Restores a state from {@link Adam.getState} (same variable count and sizes).
   * @throws {@link CheckpointError} when the layout does not match.
   */
  setState(state: AdamState, source = 'optimizer state'): void {
    if (state.m.length !== this.variables.length || state.v.length !== this.variables.length) {
      throw new CheckpointError(
        `Adam.setState: ${source} holds moments for ${state.m.length} variables, the optimizer owns ${this.variables.length}`,
        source,
      );
    }
    this.variables.forEach((x, i) => {
      const size = x.size;
      if ((state.m[i] as Float32Array).length !== size || (state.v[i] as Float32Array).length !== size) {
        throw new CheckpointError(`Adam.setState: ${source}: moment ${i} has the wrong size for variable ${x.name} (${size})`, source);
      }
    });
    tidy(() => {
      this.variables.forEach((x, i) => {
        (this.m[i] as Variable).assign(tensor(state.m[i] as Float32Array, x.shape, 'float32'));
        (this.v[i] as Variable).assign(tensor(state.v[i] as Float32Array, x.shape, 'float32'));
      });
      this.accBeta1.assign(scalar(state.accBeta[0]));
      this.accBeta2.assign(scalar(state.accBeta[1]));
    });
    this.steps = state.step;
  }

  /** Frees the moment variables (the network's own variables are not touched). */
  dispose(): void {
    dispose([...this.m, ...this.v, this.accBeta1, this.accBeta2]);
  }
}
