import type { TermValues } from '../engine/trainer.js';

/** One completed epoch: mean training terms and validation scores. */
export interface EpochRecord {
  /** Epoch index (0-based). */
  readonly epoch: number;
  /** Mean of every term over the epoch's batches. */
  readonly train: Readonly<TermValues>;
  /** Validation scores (e.g. `dice`), empty without a validation function. */
  readonly validation: Readonly<Record<string, number>>;
  /** Wall-clock seconds the epoch took (training + validation; only the part run in this process after a resume). */
  readonly seconds: number;
}

/** Sent once before the first batch. */
export interface TrainBeginEvent {
  /** Total epochs. */
  readonly epochs: number;
  /** Batches per epoch. */
  readonly stepsPerEpoch: number;
  /** Epoch the run starts (or resumes) in. */
  readonly startEpoch: number;
  /** Global step the run starts (or resumes) at. */
  readonly startStep: number;
  /** Samples per batch when known (throughput in samples/s). */
  readonly batchSize?: number;
}

/** Sent after every batch. */
export interface BatchEndEvent {
  /** Epoch index (0-based). */
  readonly epoch: number;
  /** Batch index within the epoch (0-based). */
  readonly batch: number;
  /** Global step after this batch (1-based count of completed batches). */
  readonly step: number;
  /** Total epochs. */
  readonly epochs: number;
  /** Batches per epoch. */
  readonly stepsPerEpoch: number;
  /** The batch's terms. */
  readonly logs: Readonly<TermValues>;
}

/** Sent after every epoch (after validation). */
export interface EpochEndEvent {
  /** The completed epoch. */
  readonly record: EpochRecord;
  /** True when this epoch's validation score is the best so far. */
  readonly improved: boolean;
}

/** How a run ended. */
export interface FitResult {
  /** Completed epochs (including those of runs this one resumed). */
  readonly history: readonly EpochRecord[];
  /** Best validation score and its epoch, when validation ran. */
  readonly best: { readonly epoch: number; readonly value: number; readonly monitor: string } | null;
  /** Completed batches in total. */
  readonly step: number;
  /** True when the run stopped early on SIGINT (after writing a checkpoint). */
  readonly interrupted: boolean;
  /** Checkpoint folder written last, if any. */
  readonly lastCheckpoint: string | null;
}

/**
 * Hooks called by {@link fit}. All are optional and may be async (awaited in order). Keep them cheap:
 * they run between steps.
 */
export interface TrainingCallback {
  /** Before the first batch. */
  onTrainBegin?(event: TrainBeginEvent): void | Promise<void>;
  /** After every batch. */
  onBatchEnd?(event: BatchEndEvent): void | Promise<void>;
  /** After every epoch and its validation. */
  onEpochEnd?(event: EpochEndEvent): void | Promise<void>;
  /** After the last batch, the final checkpoint, or an interruption. */
  onTrainEnd?(result: FitResult): void | Promise<void>;
}
