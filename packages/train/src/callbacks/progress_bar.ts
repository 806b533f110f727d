import type { BatchEndEvent, EpochEndEvent, FitResult, TrainBeginEvent, TrainingCallback } from '../loop/types.js';
import { formatDuration, formatNumber } from './format.js';

/** Where the progress bar writes: a stream with `write`, and `isTTY`/`columns` when it is a terminal. */
export interface ProgressStream {
  /** Writes text. */
  write(text: string): unknown;
  /** True for a terminal (the bar redraws one line in place). */
  isTTY?: boolean;
  /** Terminal width. */
  columns?: number;
}

/** Options of {@link ProgressBar}. */
export interface ProgressBarOptions {
  /** Output stream. Default `process.stderr`. */
  stream?: ProgressStream;
  /** Force TTY (in-place redraw) or plain-line mode; default: the stream's `isTTY`. */
  tty?: boolean;
  /** Terms shown (default: every term, in the order they appear). */
  terms?: readonly string[];
  /** In plain-line mode, print a line every N batches (default: about 4 lines per epoch). */
  lineEvery?: number;
}

/**
 * A progress callback: epoch, batch counter, a bar, the running mean of each term, throughput
 * (batches/s, or samples/s when the batch size is known) and the epoch's ETA. On a terminal it redraws
 * one line with `\r`; otherwise (CI logs, files) it prints plain lines at a few points per epoch and a
 * summary line per epoch with the validation scores.
 */
export class ProgressBar implements TrainingCallback {
  private readonly stream: ProgressStream;
  private readonly tty: boolean;
  private readonly terms: readonly string[] | undefined;
  private readonly lineEvery: number | undefined;
  private batchSize: number | undefined;
  private epochStart = 0;
  private batchesThisEpoch = 0;
  private sums: Record<string, number> = {};

  /** @param options - stream, mode and shown terms. */
  constructor(options: ProgressBarOptions = {}) {
    this.stream = options.stream ?? process.stderr;
    this.tty = options.tty ?? this.stream.isTTY === true;
    this.terms = options.terms;
    this.lineEvery = options.lineEvery;
  }

  /** @inheritDoc */
  onTrainBegin(event: TrainBeginEvent): void {
    this.batchSize = event.batchSize;
    this.reset();
    if (event.startStep > 0) this.stream.write(`resuming at epoch ${event.startEpoch + 1}, step ${event.startStep}\n`);
  }

  /** @inheritDoc */
  onBatchEnd(event: BatchEndEvent): void {
    for (const [k, v] of Object.entries(event.logs)) this.sums[k] = (this.sums[k] ?? 0) + v;
    this.batchesThisEpoch += 1;
    const line = this.line(event);
    if (this.tty) {
      const width = this.stream.columns ?? 120;
      this.stream.write(`\r${line.slice(0, width - 1).padEnd(Math.min(width - 1, line.length))}\x1b[K`);
      return;
    }
    const every = this.lineEvery ?? Math.max(1, Math.ceil(event.stepsPerEpoch / 4));
    if ((event.batch + 1) % every === 0 || event.batch + 1 === event.stepsPerEpoch) this.stream.write(`${line}\n`);
  }

  /** @inheritDoc */
  onEpochEnd(event: EpochEndEvent): void {
    const { record, improved } = event;
    const val = Object.entries(record.validation).map(([k, v]) => `val_${k} ${formatNumber(v)}`);
    const summary = `epoch ${record.epoch + 1} done in ${formatDuration(record.seconds)}${val.length > 0 ? ` | ${val.join(' ')}` : ''}${improved ? ' (best)' : ''}`;
    this.stream.write(this.tty ? `\r\x1b[K${summary}\n` : `${summary}\n`);
    this.reset();
  }

  /** @inheritDoc */
  onTrainEnd(result: FitResult): void {
    if (result.interrupted) this.stream.write(`${this.tty ? '\n' : ''}interrupted at step ${result.step}; checkpoint ${result.lastCheckpoint ?? '(none)'}\n`);
  }

  private reset(): void {
    this.epochStart = performance.now();
    this.batchesThisEpoch = 0;
    this.sums = {};
  }

  private line(event: BatchEndEvent): string {
    const done = event.batch + 1;
    const total = event.stepsPerEpoch;
    const barWidth = 20;
    const filled = Math.round((done / total) * barWidth);
    const bar = `[${'='.repeat(Math.max(0, filled - 1))}${filled > 0 ? (done === total ? '=' : '>') : ''}${' '.repeat(barWidth - filled)}]`;
    const elapsed = (performance.now() - this.epochStart) / 1000;
    const rate = this.batchesThisEpoch / Math.max(elapsed, 1e-9);
    const eta = (total - done) / Math.max(rate, 1e-9);
    const names = this.terms ?? Object.keys(this.sums);
    const terms = names
      .filter((k) => this.sums[k] !== undefined)
      .map((k) => `${k} ${formatNumber((this.sums[k] as number) / this.batchesThisEpoch)}`)
      .join(' ');
    const throughput = this.batchSize !== undefined ? `${(rate * this.batchSize).toFixed(1)} samples/s` : `${rate.toFixed(2)} it/s`;
    return `epoch ${event.epoch + 1}/${event.epochs} ${bar} ${done}/${total} ${terms} | ${throughput} ETA ${formatDuration(eta)}`;
  }
}
