import type { TermValues, Trainer } from '../engine/trainer.js';
import { TrainConfigError } from '../errors.js';
import { SeededRandom, mixSeed } from '../random.js';
import { latestCheckpoint, loadCheckpoint, saveBestWeights, saveCheckpoint } from './checkpoint.js';
import type { TrainingState } from './checkpoint.js';
import type { EpochRecord, FitResult, TrainingCallback } from './types.js';

/** What a training step receives. */
export interface StepContext {
  /** Epoch index (0-based). */
  readonly epoch: number;
  /** Batch index within the epoch (0-based). */
  readonly batch: number;
  /** Completed batches before this one. */
  readonly step: number;
  /** The run's persistent random stream (its state is checkpointed; draw augmentation parameters here). */
  readonly rng: SeededRandom;
  /**
   * The epoch's data order: a permutation of 0…n−1 that depends only on (seed, epoch), so a run resumed
   * mid-epoch visits the same samples in the same order.
   */
  permutation(n: number): number[];
}

/** Options of {@link fit}. */
export interface FitOptions {
  /** The engine holding the networks and optimizers. */
  trainer: Trainer;
  /** Number of epochs (≥ 1). */
  epochs: number;
  /** Batches per epoch (≥ 1). */
  stepsPerEpoch: number;
  /**
   * One training step: build the batch (from `ctx.permutation` / `ctx.rng`), call `trainer.step` or
   * `trainer.alternate`, dispose the batch, return the terms to log.
   */
  trainStep(ctx: StepContext): TermValues | Promise<TermValues>;
  /** Validation after each epoch; returns scores such as `{ dice }`. */
  validate?(epoch: number): Record<string, number> | Promise<Record<string, number>>;
  /**
   * Validation score selecting the best epoch. Default `'dice'`. Its weights are written to
   * `checkpointDir/best/` when a checkpoint directory is given.
   */
  monitor?: string;
  /** `'max'` (Dice; default) or `'min'` (a loss). */
  monitorMode?: 'max' | 'min';
  /** Seed of the run's random stream and data order. Default 0. */
  seed?: number;
  /** Samples per batch (for throughput display only). */
  batchSize?: number;
  /** Callbacks (progress bar, loggers, …). */
  callbacks?: readonly TrainingCallback[];
  /** Checkpoint directory; without it nothing is written. */
  checkpointDir?: string;
  /** Write a checkpoint every N batches (besides the one at the end). Default: once per epoch. */
  checkpointEvery?: number;
  /** Checkpoints kept on disk. Default 2. */
  keepCheckpoints?: number;
  /** Resume from `checkpointDir`'s latest checkpoint when there is one. Default `true`. */
  resume?: boolean;
  /**
   * On SIGINT finish the current batch, write a checkpoint and stop (`interrupted: true`). Default
   * `true` when `checkpointDir` is set.
   */
  handleInterrupt?: boolean;
  /** After an interrupted run wrote its checkpoint, `process.exit(130)`. Default `false` (CLI sets it). */
  exitOnInterrupt?: boolean;
  /** Free-form JSON saved with every checkpoint (e.g. the experiment config). */
  extra?: unknown;
}

function positiveInt(name: string, v: number): void {
  if (!Number.isInteger(v) || v < 1) throw new TrainConfigError(`fit: ${name} must be a positive integer, got ${v}`);
}

/**
 * The training loop: epochs × batches of a user step, validation after each epoch, best-checkpoint
 * selection on the monitored validation score (`dice` by default), atomic checkpoints every N batches
 * and at the end, exact resume from the latest checkpoint, and SIGINT handling.
 *
 * Reproducibility: the data order of an epoch is a function of (seed, epoch), and the persistent random
 * stream's state is saved in every checkpoint, so a run interrupted and resumed produces bit-identical
 * weights to an uninterrupted one on the same backend (layers that draw tfjs' own random numbers, such
 * as dropout, are outside this guarantee).
 */
export async function fit(options: FitOptions): Promise<FitResult> {
  const { trainer, epochs, stepsPerEpoch, checkpointDir } = options;
  positiveInt('epochs', epochs);
  positiveInt('stepsPerEpoch', stepsPerEpoch);
  if (options.checkpointEvery !== undefined) positiveInt('checkpointEvery', options.checkpointEvery);
  const monitor = options.monitor ?? 'dice';
  const mode = options.monitorMode ?? 'max';
  const seed = options.seed ?? 0;
  const callbacks = options.callbacks ?? [];
  const keep = options.keepCheckpoints ?? 2;

  let epoch = 0;
  let batch = 0;
  let step = 0;
  let rng = new SeededRandom(seed);
  let history: EpochRecord[] = [];
  let sums: Record<string, number> = {};
  let count = 0;
  let best: FitResult['best'] = null;
  let lastCheckpoint: string | null = null;

  if (checkpointDir !== undefined && (options.resume ?? true)) {
    const latest = await latestCheckpoint(checkpointDir);
    if (latest !== null) {
      const state = await loadCheckpoint(latest, trainer);
      if (state.seed !== seed) {
        throw new TrainConfigError(`fit: checkpoint ${latest} was written with seed ${state.seed}, this run uses ${seed}`);
      }
      epoch = state.epoch;
      batch = state.batch;
      step = state.step;
      best = state.best;
      history = [...state.history];
      rng = SeededRandom.fromState(state.rng);
      sums = { ...state.partial.sums };
      count = state.partial.count;
      lastCheckpoint = latest;
    }
  }

  const snapshot = (): TrainingState => ({
    version: 1,
    epoch,
    batch,
    step,
    trainerSteps: trainer.steps,
    seed,
    rng: rng.getState(),
    history,
    partial: { sums, count },
    best,
    ...(options.extra !== undefined ? { extra: options.extra } : {}),
  });
  const checkpoint = async (): Promise<void> => {
    if (checkpointDir === undefined) return;
    lastCheckpoint = await saveCheckpoint(checkpointDir, trainer, snapshot(), keep);
  };

  let interrupted = false;
  const onSigint = (): void => {
    interrupted = true;
  };
  const handle = options.handleInterrupt ?? checkpointDir !== undefined;
  if (handle) process.on('SIGINT', onSigint);

  const permutations = new Map<string, number[]>();
  const context = (e: number, b: number, s: number): StepContext => ({
    epoch: e,
    batch: b,
    step: s,
    rng,
    permutation(n: number): number[] {
      const key = `${e}:${n}`;
      let p = permutations.get(key);
      if (p === undefined) {
        permutations.clear();
        p = new SeededRandom(mixSeed(seed, e, n)).permutation(n);
        permutations.set(key, p);
      }
      return [...p];
    },
  });

  try {
    for (const cb of callbacks) await cb.onTrainBegin?.({ epochs, stepsPerEpoch, startEpoch: epoch, startStep: step, ...(options.batchSize !== undefined ? { batchSize: options.batchSize } : {}) });
    let epochStart = performance.now();
    while (epoch < epochs && !interrupted) {
      while (batch < stepsPerEpoch && !interrupted) {
        const logs = await options.trainStep(context(epoch, batch, step));
        for (const [k, v] of Object.entries(logs)) sums[k] = (sums[k] ?? 0) + v;
        count += 1;
        batch += 1;
        step += 1;
        for (const cb of callbacks) await cb.onBatchEnd?.({ epoch, batch: batch - 1, step, epochs, stepsPerEpoch, logs });
        const periodic = options.checkpointEvery !== undefined && step % options.checkpointEvery === 0;
        if (periodic && !(batch === stepsPerEpoch)) await checkpoint();
      }
      if (interrupted) break;
      const train: TermValues = {};
      for (const [k, v] of Object.entries(sums)) train[k] = v / Math.max(1, count);
      const validation = options.validate ? await options.validate(epoch) : {};
      const score = validation[monitor];
      let improved = false;
      if (score !== undefined && Number.isFinite(score)) {
        improved = best === null || (mode === 'max' ? score > best.value : score < best.value);
        if (improved) {
          best = { epoch, value: score, monitor };
          if (checkpointDir !== undefined) await saveBestWeights(checkpointDir, trainer, best);
        }
      }
      const record: EpochRecord = { epoch, train, validation, seconds: (performance.now() - epochStart) / 1000 };
      history.push(record);
      epoch += 1;
      batch = 0;
      sums = {};
      count = 0;
      const periodicAtEnd = options.checkpointEvery === undefined || step % options.checkpointEvery === 0 || epoch === epochs;
      if (periodicAtEnd) await checkpoint();
      for (const cb of callbacks) await cb.onEpochEnd?.({ record, improved });
      epochStart = performance.now();
    }
    if (interrupted) await checkpoint();
  } finally {
    if (handle) process.off('SIGINT', onSigint);
  }
  const result: FitResult = { history, best, step, interrupted, lastCheckpoint };
  for (const cb of callbacks) await cb.onTrainEnd?.(result);
  if (interrupted && (options.exitOnInterrupt ?? false)) process.exit(130);
  return result;
}
