import { dispose, keep, mul, sum, tidy, variableGrads } from '@tensorflow/tfjs-core';
import type { Scalar, Tensor, Variable } from '@tensorflow/tfjs-core';
import type { LayersModel } from '@tensorflow/tfjs-layers';
import { NonFiniteLossError, TrainConfigError } from '../errors.js';
import { Adam } from './adam.js';
import type { AdamOptions } from './adam.js';

/**
 * What a loss closure returns: the scalar to minimize under `total`, and any number of named terms
 * (unweighted, for logging) — e.g. `{ total, ce, shape, adversarial }`.
 */
export interface LossTerms {
  /** The objective minimized by the step. */
  total: Scalar;
  /** Further terms, logged separately (each a scalar). */
  [term: string]: Scalar;
}

/** Values of the terms of one step, read back as numbers. */
export type TermValues = Record<string, number>;

/** One network of a {@link Trainer}: a tfjs-layers model and the Adam settings of its own optimizer. */
export interface TrainableNetwork {
  /** The model; its `trainableWeights` are the variables its optimizer owns. */
  model: LayersModel;
  /** Adam hyper-parameters of this network's optimizer. */
  optimizer: AdamOptions;
}

/** Options of a {@link Trainer}. */
export interface TrainerOptions {
  /**
   * Reject a step whose terms are not finite before any weight is changed (throws
   * {@link NonFiniteLossError}). Default `true`.
   */
  checkFinite?: boolean;
}

function isScalar(t: unknown): t is Scalar {
  return t != null && typeof (t as Tensor).rank === 'number' && (t as Tensor).rank === 0 && !(t as Tensor).isDisposed;
}

interface Entry {
  readonly model: LayersModel;
  readonly variables: readonly Variable[];
  readonly optimizer: Adam;
}

/** One step of an alternating schedule: which network to update, with which loss. */
export interface AlternatingStep {
  /** Name of the network updated by this step. */
  network: string;
  /** The loss closure (runs under the gradient tape). */
  loss: () => LossTerms;
}

/**
 * The training engine: named networks (segmentation network, discriminator, auto-encoder, …), each with
 * its own Adam optimizer over its own trainable variables only.
 *
 * {@link Trainer.step} differentiates a loss closure with respect to the variables of ONE network and
 * updates them; gradients never flow into another network's variables even when the loss runs through
 * it (the conditional discriminator inside the adversarial term, the segmentation network inside the
 * discriminator's loss). Every term the closure returns is read back and returned, and every tensor the
 * step creates is disposed (the closure's own intermediates are freed by the gradient tape's scope).
 */
export class Trainer {
  private readonly entries = new Map<string, Entry>();
  private readonly checkFinite: boolean;
  private stepCounter = 0;

  /**
   * @param networks - name → model + Adam options. Names are used in logs and checkpoint folders.
   * @throws {@link TrainConfigError} for an empty map, a bad name, a model without trainable weights,
   *   or two networks sharing a variable.
   */
  constructor(networks: Readonly<Record<string, TrainableNetwork>>, options: TrainerOptions = {}) {
    this.checkFinite = options.checkFinite ?? true;
    const names = Object.keys(networks);
    if (names.length === 0) throw new TrainConfigError('Trainer: no networks given');
    const owner = new Map<number, string>();
    for (const name of names) {
      if (!/^[A-Za-z0-9_-]+$/.test(name)) {
        throw new TrainConfigError(`Trainer: network name '${name}' must match [A-Za-z0-9_-]+ (it names a checkpoint folder)`);
      }
      const spec = networks[name] as TrainableNetwork;
      const variables = spec.model.trainableWeights.map((w) => w.read() as Variable);
      if (variables.length === 0) throw new TrainConfigError(`Trainer: network '${name}' has no trainable weights`);
      for (const v of variables) {
        const other = owner.get(v.id);
        if (other !== undefined) {
          throw new TrainConfigError(`Trainer: variable ${v.name} belongs to both '${other}' and '${name}'; each optimizer must own its variables alone`);
        }
        owner.set(v.id, name);
      }
      this.entries.set(name, { model: spec.model, variables, optimizer: new Adam(variables, spec.optimizer) });
    }
  }

  /** Names of the networks, in construction order. */
  get networks(): string[] {
    return [...this.entries.keys()];
  }

  /** Number of {@link Trainer.step} calls so far (all networks). */
  get steps(): number {
    return this.stepCounter;
  }

  /** The model registered under `name`. */
  model(name: string): LayersModel {
    return this.entry(name).model;
  }

  /** The optimizer of network `name` (to read its state or change its learning rate). */
  optimizer(name: string): Adam {
    return this.entry(name).optimizer;
  }

  /**
   * One optimization step of network `name`: evaluates `loss()` under a gradient tape restricted to
   * that network's trainable variables, checks every term is a finite scalar, applies Adam, disposes
   * everything, and returns the terms' values.
   *
   * @throws {@link TrainConfigError} for an unknown network or a closure without a scalar `total`.
   * @throws {@link NonFiniteLossError} when a term is NaN or infinite (no weight is changed).
   */
  step(name: string, loss: () => LossTerms): TermValues {
    const entry = this.entry(name);
    const kept: Array<[string, Tensor]> = [];
    // Shape errors are recorded, not thrown, inside the tape: a throw there would leak the tensors
    // tfjs saved for the backward pass. The step returns a harmless connected scalar instead and throws
    // once the tape is closed and everything is disposed.
    let problem: TrainConfigError | null = null;
    let result: { value: Scalar; grads: Record<string, Tensor> };
    try {
      result = variableGrads(() => {
        const terms = loss();
        if (terms == null || typeof terms !== 'object' || !isScalar(terms.total)) {
          problem = new TrainConfigError(`Trainer.step('${name}'): the loss closure must return an object with a scalar 'total'`);
        } else {
          for (const [term, t] of Object.entries(terms)) {
            if (!isScalar(t)) {
              problem = new TrainConfigError(`Trainer.step('${name}'): term '${term}' is not a scalar tensor`);
              break;
            }
            if (term !== 'total') kept.push([term, keep(t)]);
          }
        }
        if (problem !== null) return mul(sum(entry.variables[0] as Variable), 0) as Scalar;
        return terms.total;
      }, entry.variables as Variable[]);
    } catch (error) {
      dispose(kept.map(([, t]) => t));
      throw error;
    }
    if (problem !== null) {
      dispose([result.value, ...Object.values(result.grads), ...kept.map(([, t]) => t)]);
      throw problem;
    }
    const values: TermValues = { total: result.value.dataSync()[0] as number };
    for (const [term, t] of kept) values[term] = t.dataSync()[0] as number;
    const gradients = entry.variables.map((v) => result.grads[v.name] ?? null);
    try {
      if (this.checkFinite) {
        for (const [term, value] of Object.entries(values)) {
          if (!Number.isFinite(value)) {
            throw new NonFiniteLossError(
              `Trainer.step('${name}') at step ${this.stepCounter}: term '${term}' is ${value}; weights left unchanged`,
              term,
            );
          }
        }
      }
      entry.optimizer.applyGradients(gradients);
    } finally {
      dispose([result.value, ...Object.values(result.grads), ...kept.map(([, t]) => t)]);
    }
    this.stepCounter += 1;
    return values;
  }

  /**
   * Runs several steps in order on the same batch — e.g. the papers' alternating scheme: one
   * discriminator step, then one segmentation step — and returns every term as `network.term`.
   */
  alternate(steps: readonly AlternatingStep[]): TermValues {
    const out: TermValues = {};
    for (const s of steps) {
      const values = this.step(s.network, s.loss);
      for (const [term, value] of Object.entries(values)) out[`${s.network}.${term}`] = value;
    }
    return out;
  }

  /** Evaluates `loss()` without updating anything (validation terms); all tensors disposed. */
  evaluate(loss: () => LossTerms): TermValues {
    return tidy(() => {
      const terms = loss();
      const out: TermValues = {};
      for (const [term, t] of Object.entries(terms)) out[term] = t.dataSync()[0] as number;
      return out;
    });
  }

  /** Frees the optimizers' state (the models stay usable). */
  dispose(): void {
    for (const entry of this.entries.values()) entry.optimizer.dispose();
  }

  /** @internal Restores the global step counter (checkpoint resume). */
  setStepCounter(steps: number): void {
    this.stepCounter = steps;
  }

  private entry(name: string): Entry {
    const entry = this.entries.get(name);
    if (entry === undefined) {
      throw new TrainConfigError(`Trainer: unknown network '${name}' (known: ${this.networks.join(', ')})`);
    }
    return entry;
  }
}
