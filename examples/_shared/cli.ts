/**
 * Command-line options shared by the papers' example scripts:
 * `--scale smoke|paper`, `--data DIR`, `--backend NAME`, `--out DIR`, `--folds N`, `--epochs N`.
 */
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { initBackend } from '@pedseg/core';

/** `smoke`: minutes on a 2-core CPU; `paper`: the papers' sizes and schedules (meant for a GPU). */
export type Scale = 'smoke' | 'paper';

/** Parsed options of an example. */
export interface ExampleArgs {
  /** Scale of the run. */
  readonly scale: Scale;
  /** Folder of the user's datasets, or null for the phantoms. */
  readonly data: string | null;
  /** Backend forced with `--backend`, or undefined for automatic selection. */
  readonly backend: string | undefined;
  /** Output directory (default `runs/<example>-<scale>-<timestamp>`). */
  readonly out: string;
  /** `--folds N`: run only the first N leave-one-out folds (default: smoke 1, paper all). */
  readonly folds: number | null;
  /** `--epochs N`: override every method's epochs. */
  readonly epochs: number | null;
}

function positiveInt(name: string, v: string | undefined): number | null {
  if (v === undefined) return null;
  const n = Number(v);
  if (!Number.isInteger(n) || n <= 0) throw new Error(`--${name} must be a positive integer, got '${v}'`);
  return n;
}

/** Parses `process.argv` (a bare `--` from `pnpm run x -- ...` is ignored). */
export function parseExampleArgs(example: string): ExampleArgs {
  const { values } = parseArgs({
    args: process.argv.slice(2).filter((a) => a !== '--'),
    options: {
      scale: { type: 'string', default: 'smoke' },
      data: { type: 'string' },
      backend: { type: 'string' },
      out: { type: 'string' },
      folds: { type: 'string' },
      epochs: { type: 'string' },
    },
  });
  if (values.scale !== 'smoke' && values.scale !== 'paper') throw new Error(`--scale must be 'smoke' or 'paper', got '${values.scale}'`);
  const stamp = new Date().toISOString().replace(/[:.]/g, '-').replace(/-\d{3}Z$/, 'Z');
  return {
    scale: values.scale,
    data: values.data ?? null,
    backend: values.backend,
    out: resolve(values.out ?? join('runs', `${example}-${values.scale}-${stamp}`)),
    folds: positiveInt('folds', values.folds),
    epochs: positiveInt('epochs', values.epochs),
  };
}

/**
 * Refuses `--data` for examples built on `runExperiment`, which trains on the phantom cohorts only
 * (the dataset readers of `@pedseg/data` exist, the experiment runner does not take them yet).
 */
export function rejectUserData(args: ExampleArgs): void {
  if (args.data === null) return;
  console.error(
    `--data ${args.data}: not supported yet. runExperiment of @pedseg/train trains on @pedseg/data's phantom cohorts only; ` +
      'read your data with openFolderDatasets / openMsdDataset of @pedseg/data and train with fit() (see the custom training loop guide).',
  );
  process.exit(2);
}

/** Starts the backend (`--backend`, else `PEDSEG_BACKEND`, else the best available) and prints why. */
export async function startBackend(args: ExampleArgs): Promise<string> {
  const started = await initBackend(args.backend !== undefined ? { backend: args.backend } : {});
  console.log(`backend: ${started.reason}`);
  return started.backend;
}

/** `[0, 1, …, n − 1]`, or null for all folds. */
export function firstFolds(n: number | null): number[] | undefined {
  return n === null ? undefined : Array.from({ length: n }, (_, i) => i);
}
