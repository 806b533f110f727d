import { appendFile, mkdir, readFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { BatchEndEvent, EpochEndEvent, TrainingCallback } from '../loop/types.js';

/** Options of {@link JsonlLogger}. */
export interface JsonlLoggerOptions {
  /** Also write one line per batch (default `true`); epochs are always written. */
  batches?: boolean;
}

/**
 * Appends one JSON object per line: `{"type":"batch","epoch","batch","step",…terms}` after every batch
 * and `{"type":"epoch","epoch","seconds","train":{…},"validation":{…}}` after every epoch. Appending
 * means a resumed run continues the same file; batches run after the last checkpoint of an interrupted
 * run are run, and logged, again (`step` tells them apart). Non-finite numbers are written as `null`.
 */
export class JsonlLogger implements TrainingCallback {
  private ready: Promise<void> | null = null;

  /**
   * @param path - the `.jsonl` file (parent directories are created).
   * @param options - what to log.
   */
  constructor(
    readonly path: string,
    private readonly options: JsonlLoggerOptions = {},
  ) {}

  /** @inheritDoc */
  async onBatchEnd(event: BatchEndEvent): Promise<void> {
    if (this.options.batches === false) return;
    await this.write({ type: 'batch', epoch: event.epoch, batch: event.batch, step: event.step, ...event.logs });
  }

  /** @inheritDoc */
  async onEpochEnd(event: EpochEndEvent): Promise<void> {
    const { record, improved } = event;
    await this.write({ type: 'epoch', epoch: record.epoch, seconds: record.seconds, improved, train: record.train, validation: record.validation });
  }

  private async write(obj: unknown): Promise<void> {
    this.ready ??= mkdir(dirname(this.path), { recursive: true }).then(() => undefined);
    await this.ready;
    await appendFile(this.path, `${JSON.stringify(obj, (_k, v: unknown) => (typeof v === 'number' && !Number.isFinite(v) ? null : v))}\n`);
  }
}

function csvCell(v: string | number | undefined): string {
  if (v === undefined) return '';
  const s = typeof v === 'number' ? (Number.isFinite(v) ? String(v) : '') : v;
  return /[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/**
 * Appends one CSV row per epoch: `epoch`, `seconds`, `train_<term>` for every training term and
 * `val_<score>` for every validation score. The header is written with the first row; when the file
 * already has one (a resumed run), its columns are reused.
 */
export class CsvLogger implements TrainingCallback {
  private columns: string[] | null = null;

  /** @param path - the `.csv` file (parent directories are created). */
  constructor(readonly path: string) {}

  /** @inheritDoc */
  async onEpochEnd(event: EpochEndEvent): Promise<void> {
    const { record } = event;
    const row: Record<string, number> = { epoch: record.epoch, seconds: record.seconds };
    for (const [k, v] of Object.entries(record.train)) row[`train_${k}`] = v;
    for (const [k, v] of Object.entries(record.validation)) row[`val_${k}`] = v;
    if (this.columns === null) {
      let header: string | null = null;
      try {
        header = (await readFile(this.path, 'utf8')).split('\n')[0] ?? null;
      } catch {
        header = null;
      }
      if (header) {
        this.columns = header.split(',');
      } else {
        this.columns = Object.keys(row);
        await mkdir(dirname(this.path), { recursive: true });
        await appendFile(this.path, `${this.columns.map((c) => csvCell(c)).join(',')}\n`);
      }
    }
    await appendFile(this.path, `${this.columns.map((c) => csvCell(row[c])).join(',')}\n`);
  }
}
