import type { PhantomDomain } from '@pedseg/data';
import { TrainConfigError } from '../errors.js';
import { trainingPreset } from '../presets.js';

/** Training procedure of an experiment (the multi strategy of the combined-regularization paper). */
export type ExperimentProcedure = 'baseline' | 'combined-regularization';

/**
 * An experiment: data, network, procedure and schedule. Plain JSON-compatible, so it can come from a
 * file (`pedseg train --config FILE`) or a TypeScript object.
 */
export interface ExperimentConfig {
  /** Run name (used in tables). */
  name: string;
  /** Output directory of the run: `fold-<i>/` per fold, `per_case.csv`, `summary.csv`, `summary.json`. */
  outputDir: string;
  /** Seed of phantoms, splits order, data order and initial weights. Default 0. */
  seed?: number;
  /** Synthetic phantom cohort of one joint (`@pedseg/data`). */
  data: {
    /** Joint. */
    domain: PhantomDomain;
    /** Number of cases (≥ 3 for leave-one-out). */
    cases: number;
    /** Phantom grid `[nx, ny, nz]`; default `@pedseg/data`'s small grid. */
    shape?: [number, number, number];
    /** Fraction of empty slices kept for training (0–1). Default 0.1. */
    emptyFraction?: number;
  };
  /** Segmentation network (`@pedseg/models` UNet / Att-UNet, multi strategy). */
  network?: {
    /** Network input `[H, W]`, divisible by 2^depth. Default `[32, 32]`. */
    inputSize?: [number, number];
    /** Poolings. Default 2. */
    depth?: number;
    /** First-level width. Default 8. */
    filters?: number;
    /** Attention gates (Att-UNet). Default true. */
    attention?: boolean;
  };
  /** Procedure. Default `'combined-regularization'`. */
  procedure?: ExperimentProcedure;
  /** Shape-priors weight (combined regularization). Default from the preset, else 0.1. */
  lambda1?: number;
  /** Adversarial weight (combined regularization). Default from the preset, else 0.01. */
  lambda2?: number;
  /** A preset of {@link TRAINING_PRESETS} providing learning rate, batch size, epochs and λ. */
  preset?: string;
  /** Adam learning rate (overrides the preset). */
  learningRate?: number;
  /** Batch size (overrides the preset). */
  batchSize?: number;
  /** Epochs (overrides the preset). */
  epochs?: number;
  /** Auto-encoder pre-training epochs (λ1 > 0). Default 1. */
  autoEncoderEpochs?: number;
  /** Run only these folds (e.g. `[i]` for `--fold i`); default all. */
  folds?: number[];
  /** Radius of the final ball closing in voxels (paper: 2, the 5×5×5 ball). Default 2. */
  closingRadius?: number;
}

/** A config with every default filled in. */
export interface ResolvedExperimentConfig {
  /** Run name. */
  readonly name: string;
  /** Output directory. */
  readonly outputDir: string;
  /** Seed. */
  readonly seed: number;
  /** Data options. */
  readonly data: { readonly domain: PhantomDomain; readonly cases: number; readonly shape: [number, number, number] | null; readonly emptyFraction: number };
  /** Network options. */
  readonly network: { readonly inputSize: [number, number]; readonly depth: number; readonly filters: number; readonly attention: boolean };
  /** Procedure. */
  readonly procedure: ExperimentProcedure;
  /** λ1. */
  readonly lambda1: number;
  /** λ2. */
  readonly lambda2: number;
  /** Learning rate. */
  readonly learningRate: number;
  /** Batch size. */
  readonly batchSize: number;
  /** Epochs. */
  readonly epochs: number;
  /** Auto-encoder epochs. */
  readonly autoEncoderEpochs: number;
  /** Folds to run, or null for all. */
  readonly folds: readonly number[] | null;
  /** Closing radius. */
  readonly closingRadius: number;
}

function positive(name: string, v: number, integer = true): void {
  if (!Number.isFinite(v) || v <= 0 || (integer && !Number.isInteger(v))) {
    throw new TrainConfigError(`experiment config: ${name} must be a positive ${integer ? 'integer' : 'number'}, got ${v}`);
  }
}

/**
 * Fills the defaults of an experiment config and validates it.
 * @throws {@link TrainConfigError} naming the first invalid field.
 */
export function resolveExperimentConfig(config: ExperimentConfig): ResolvedExperimentConfig {
  if (config == null || typeof config !== 'object') throw new TrainConfigError('experiment config: expected an object');
  if (typeof config.name !== 'string' || config.name === '') throw new TrainConfigError('experiment config: name must be a non-empty string');
  if (typeof config.outputDir !== 'string' || config.outputDir === '') throw new TrainConfigError('experiment config: outputDir must be a non-empty string');
  if (config.data == null) throw new TrainConfigError('experiment config: data is required');
  const preset = config.preset !== undefined ? trainingPreset(config.preset) : null;
  const procedure = config.procedure ?? 'combined-regularization';
  if (procedure !== 'baseline' && procedure !== 'combined-regularization') {
    throw new TrainConfigError(`experiment config: procedure must be 'baseline' or 'combined-regularization', got '${String(procedure)}'`);
  }
  const lambda1 = procedure === 'baseline' ? 0 : (config.lambda1 ?? preset?.lambdas['lambda1'] ?? 0.1);
  const lambda2 = procedure === 'baseline' ? 0 : (config.lambda2 ?? preset?.lambdas['lambda2'] ?? 0.01);
  for (const [k, v] of [['lambda1', lambda1], ['lambda2', lambda2]] as const) {
    if (!Number.isFinite(v) || v < 0) throw new TrainConfigError(`experiment config: ${k} must be ≥ 0, got ${v}`);
  }
  const resolved: ResolvedExperimentConfig = {
    name: config.name,
    outputDir: config.outputDir,
    seed: config.seed ?? 0,
    data: {
      domain: config.data.domain,
      cases: config.data.cases,
      shape: config.data.shape ?? null,
      emptyFraction: config.data.emptyFraction ?? 0.1,
    },
    network: {
      inputSize: config.network?.inputSize ?? [32, 32],
      depth: config.network?.depth ?? 2,
      filters: config.network?.filters ?? 8,
      attention: config.network?.attention ?? true,
    },
    procedure,
    lambda1,
    lambda2,
    learningRate: config.learningRate ?? preset?.learningRate ?? 1e-3,
    batchSize: config.batchSize ?? preset?.batchSize ?? 8,
    epochs: config.epochs ?? preset?.epochs ?? 2,
    autoEncoderEpochs: config.autoEncoderEpochs ?? 1,
    folds: config.folds ?? null,
    closingRadius: config.closingRadius ?? 2,
  };
  positive('data.cases', resolved.data.cases);
  if (resolved.data.cases < 3) throw new TrainConfigError(`experiment config: data.cases must be ≥ 3 for leave-one-out, got ${resolved.data.cases}`);
  positive('learningRate', resolved.learningRate, false);
  positive('batchSize', resolved.batchSize);
  positive('epochs', resolved.epochs);
  positive('autoEncoderEpochs', resolved.autoEncoderEpochs);
  if (!(resolved.data.emptyFraction >= 0 && resolved.data.emptyFraction <= 1)) {
    throw new TrainConfigError(`experiment config: data.emptyFraction must be in [0, 1], got ${resolved.data.emptyFraction}`);
  }
  if (resolved.folds !== null) {
    for (const f of resolved.folds) {
      if (!Number.isInteger(f) || f < 0 || f >= resolved.data.cases) {
        throw new TrainConfigError(`experiment config: fold ${f} is out of range [0, ${resolved.data.cases})`);
      }
    }
  }
  return resolved;
}
