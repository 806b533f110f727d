/**
 * Command-line options shared by the papers' example scripts:
 * `--scale smoke|paper`, `--data DIR`, `--layout folders|msd`, `--domains a,b,c`, `--backend NAME`,
 * `--out DIR`, `--folds N`, `--epochs N`.
 */
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { initBackend } from '@pedseg/core';
import type { ExperimentConfig } from '@pedseg/train';

/** `smoke`: minutes on a 2-core CPU; `paper`: the papers' sizes and schedules (meant for a GPU). */
export type Scale = 'smoke' | 'paper';

/** Parsed options of an example. */
export interface ExampleArgs {
  /** Scale of the run. */
  readonly scale: Scale;
  /** Folder of the user's datasets (`DIR/<domain>/<case>/{image,label}.nii.gz`), or null for the phantoms. */
  readonly data: string | null;
  /** On-disk layout of `--data`: one folder per case (`folders`, default) or Medical Segmentation Decathlon folders (`msd`). */
  readonly layout: 'folders' | 'msd';
  /** `--domains a,b,c`: the domain (joint) names to use instead of the example's own, or null. */
  readonly domains: readonly string[] | null;
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
      layout: { type: 'string', default: 'folders' },
      domains: { type: 'string' },
      backend: { type: 'string' },
      out: { type: 'string' },
      folds: { type: 'string' },
      epochs: { type: 'string' },
    },
  });
  if (values.scale !== 'smoke' && values.scale !== 'paper') throw new Error(`--scale must be 'smoke' or 'paper', got '${values.scale}'`);
  if (values.layout !== 'folders' && values.layout !== 'msd') throw new Error(`--layout must be 'folders' or 'msd', got '${values.layout}'`);
  if (values.layout === 'msd' && values.data === undefined) throw new Error('--layout applies to --data DIR; give both');
  const domains = values.domains === undefined ? null : values.domains.split(',').map((d) => d.trim());
  if (domains !== null && (domains.length === 0 || domains.some((d) => d === '') || new Set(domains).size !== domains.length)) {
    throw new Error(`--domains must be distinct comma-separated names, got '${values.domains}'`);
  }
  const stamp = new Date().toISOString().replace(/[:.]/g, '-').replace(/-\d{3}Z$/, 'Z');
  return {
    scale: values.scale,
    data: values.data === undefined ? null : resolve(values.data),
    layout: values.layout,
    domains,
    backend: values.backend,
    out: resolve(values.out ?? join('runs', `${example}-${values.scale}-${stamp}`)),
    folds: positiveInt('folds', values.folds),
    epochs: positiveInt('epochs', values.epochs),
  };
}

/**
 * The domains of an example: `--domains` when given, else the example's own (the papers' joints).
 * @param min - fewest domains the example needs (2 for multi-domain learning).
 */
export function exampleDomains(args: ExampleArgs, defaults: readonly string[], min = 1): string[] {
  const domains = [...(args.domains ?? defaults)];
  if (domains.length < min) throw new Error(`--domains: this example needs at least ${min} domains, got ${domains.join(',')}`);
  return domains;
}

/** Phantom cohort settings of a scale: cases per joint and grid (`undefined`: `@pedseg/data`'s default). */
export interface PhantomCohort {
  /** Cases per joint. */
  readonly cases: number;
  /** Phantom grid `[nx, ny, nz]`. */
  readonly shape: [number, number, number] | undefined;
}

/**
 * The `data` section of a `runExperiment` config: the user's datasets under `--data DIR` (every case
 * of the selected domain folders), else a phantom cohort of the same domains.
 */
export function experimentData(args: ExampleArgs, select: { domain: string } | { domains: readonly string[] }, phantoms: PhantomCohort): ExperimentConfig['data'] {
  const which = 'domain' in select ? { domain: select.domain } : { domains: [...select.domains] };
  if (args.data !== null) return { dir: args.data, layout: args.layout, ...which };
  return { ...which, cases: phantoms.cases, ...(phantoms.shape !== undefined ? { shape: phantoms.shape } : {}) };
}

/** One line saying where the data came from, for the results' header. */
export function dataDescription(args: ExampleArgs, phantoms: PhantomCohort): string {
  return args.data !== null
    ? `the datasets in \`${args.data}\` (${args.layout} layout, every case)`
    : `${phantoms.cases} phantom cases per joint${phantoms.shape !== undefined ? ` on a ${phantoms.shape.join('×')} grid` : ''}`;
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
