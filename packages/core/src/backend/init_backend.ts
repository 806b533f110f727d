import { availableParallelism } from 'node:os';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { existsSync } from 'node:fs';
import { env, findBackend, findBackendFactory, getBackend, registerBackend, removeBackend, setBackend } from '@tensorflow/tfjs-core';
import { registerBatchNormGradient } from './batch_norm_gradient.js';
import {
  BACKEND_NAMES,
  BackendLoadError,
  BackendUnavailableError,
  InvalidBackendOptionError,
  UnknownBackendError,
  describeCause,
  type BackendError,
  type BackendName,
} from './errors.js';
import { registerWasmTrainingKernels } from './register_wasm_training_kernels.js';
import { loadWasmPackage } from './wasm_package.js';
import { installThreadShims, unrefThreadWorkers, type ThreadShims } from './wasm_threads.js';

/** The npm packages providing the `tensorflow` backend, in order of preference. */
export const TENSORFLOW_PACKAGES: readonly string[] = ['@tensorflow/tfjs-node-gpu', '@tensorflow/tfjs-node'];

/** Options of {@link initBackend}. */
export interface InitBackendOptions {
  /**
   * Force this backend (takes precedence over `PEDSEG_BACKEND`). Without it, and without the variable,
   * the first of `tensorflow`, `wasm`, `cpu` that starts is used.
   */
  backend?: string;
  /**
   * XNNPACK threads for the wasm backend. Default: the number of logical cores, at most 8. tfjs-wasm
   * 4.22 does not start threads under Node by itself; values above 1 temporarily patch `Blob`,
   * `URL.createObjectURL` and `os.cpus` while the backend starts (its worker scripts go through temporary
   * files, deleted once started). If that fails, one thread is used and a warning is given.
   */
  threads?: number;
  /** Install the broadcasting batch-norm gradient ({@link registerBatchNormGradient}); default `true`. */
  batchNormGradient?: boolean;
  /** Environment to read `PEDSEG_BACKEND` from; default `process.env`. */
  env?: Readonly<Record<string, string | undefined>>;
  /**
   * Directories from which the optional `tensorflow` packages are resolved; default: this package's
   * location, then the current working directory.
   */
  resolveFrom?: readonly string[];
  /**
   * Directory holding the `tfjs-backend-wasm*.wasm` binaries (with a trailing `/`); default: the
   * installed package's `dist/`. Only the first wasm start in a process can set it.
   */
  wasmBinaryDir?: string;
  /** Receives warnings (thread fallback, ...); default `console.warn`. */
  onWarning?: (message: string) => void;
}

/** A backend that was tried and skipped during automatic selection. */
export interface SkippedBackend {
  /** The backend. */
  readonly backend: BackendName;
  /** Why it was skipped. */
  readonly error: BackendError;
}

/** What {@link initBackend} chose and why. */
export interface InitBackendResult {
  /** The backend now active in tfjs. */
  readonly backend: BackendName;
  /** One sentence: how it was chosen (forced or automatic, what was skipped). */
  readonly reason: string;
  /** The npm package that provides it (for `tensorflow`: which of {@link TENSORFLOW_PACKAGES}). */
  readonly package: string;
  /** wasm only: the XNNPACK thread count in use. */
  readonly threads?: number;
  /** Backends tried before this one in automatic selection. */
  readonly skipped: readonly SkippedBackend[];
  /** Warnings given while starting (also passed to `onWarning`). */
  readonly warnings: readonly string[];
}

const thisRequire = createRequire(import.meta.url);

interface Context {
  readonly options: InitBackendOptions;
  readonly warnings: string[];
}

function warn(context: Context, message: string): void {
  context.warnings.push(message);
  (context.options.onWarning ?? ((m: string) => console.warn(`[@pedseg/core] ${m}`)))(message);
}

function parseBackendName(name: string, source: string): BackendName {
  const normalised = name.trim().toLowerCase();
  if ((BACKEND_NAMES as readonly string[]).includes(normalised)) return normalised as BackendName;
  throw new UnknownBackendError(name, source);
}

interface Started {
  package: string;
  threads?: number;
  detail: string;
}

/** The last error thrown by a backend factory wrapped by {@link recordFactoryErrors}. */
const factoryErrors = new Map<string, unknown>();

/**
 * tfjs' setBackend swallows a failing factory's error (it warns and returns false); wrap the factory
 * so the cause can be reported. Only before the backend is first initialised.
 */
function recordFactoryErrors(name: string, priority: number): void {
  const factory = findBackendFactory(name);
  if (factory === null || findBackend(name) !== null || factoryErrors.has(`${name}:wrapped`)) return;
  factoryErrors.set(`${name}:wrapped`, true);
  removeBackend(name);
  registerBackend(
    name,
    async () => {
      try {
        return await factory();
      } catch (cause) {
        factoryErrors.set(name, cause);
        throw cause;
      }
    },
    priority,
  );
}

async function activate(backend: BackendName, packageName: string): Promise<void> {
  factoryErrors.delete(backend);
  let ok: boolean;
  try {
    ok = await setBackend(backend);
  } catch (cause) {
    throw new BackendLoadError(backend, cause);
  }
  if (!ok) throw new BackendLoadError(backend, factoryErrors.get(backend) ?? `tf.setBackend('${backend}') returned false after loading ${packageName}`);
}

async function startTensorflow(context: Context): Promise<Started> {
  const roots = context.options.resolveFrom ?? [];
  const requires = roots.length > 0 ? roots.map((dir) => createRequire(join(dir, 'noop.js'))) : [thisRequire, createRequire(join(process.cwd(), 'noop.js'))];
  let lastCause: unknown;
  for (const name of TENSORFLOW_PACKAGES) {
    for (const req of requires) {
      let resolved: string;
      try {
        resolved = req.resolve(name);
      } catch (cause) {
        lastCause = cause;
        continue;
      }
      try {
        req(resolved);
      } catch (cause) {
        throw new BackendLoadError('tensorflow', cause);
      }
      await activate('tensorflow', name);
      return { package: name, detail: `${name} is installed` };
    }
  }
  throw new BackendUnavailableError('tensorflow', TENSORFLOW_PACKAGES, lastCause);
}

function defaultThreads(): number {
  return Math.max(1, Math.min(8, availableParallelism()));
}

let wasmPathsSet = false;
/** tfjs-wasm registers its backend factory with priority 2. */
const WASM_PRIORITY = 2;

async function startWasm(context: Context): Promise<Started> {
  const pkg = loadWasmPackage();
  registerWasmTrainingKernels('wasm');
  recordFactoryErrors('wasm', WASM_PRIORITY);
  if (!wasmPathsSet) {
    // Absolute directory of the installed binaries: read with fs by the Node build, never fetched.
    const dir = context.options.wasmBinaryDir ?? pkg.binaryDir;
    const binary = join(dir, 'tfjs-backend-wasm-simd.wasm');
    if (!existsSync(binary)) throw new BackendLoadError('wasm', `wasm binary not found: ${binary}`);
    pkg.module.setWasmPaths(dir);
    wasmPathsSet = true;
  }
  const requested = context.options.threads ?? defaultThreads();
  if (requested > 1) {
    const threaded = await startThreadedWasm(context, requested);
    if (threaded !== undefined) return { package: '@tensorflow/tfjs-backend-wasm', threads: threaded, detail: `${threaded} threads` };
  }
  pkg.module.setThreadsCount(1);
  await activate('wasm', '@tensorflow/tfjs-backend-wasm');
  return { package: '@tensorflow/tfjs-backend-wasm', threads: pkg.module.getThreadsCount(), detail: '1 thread' };
}

/** Tries a threaded start; returns the thread count, or undefined after warning (caller retries single-threaded). */
async function startThreadedWasm(context: Context, threads: number): Promise<number | undefined> {
  const pkg = loadWasmPackage();
  let shims: ThreadShims;
  try {
    shims = installThreadShims(pkg.bundlePath, threads);
  } catch (cause) {
    warn(context, `wasm threads unavailable (${describeCause(cause)}); using 1 thread.`);
    return undefined;
  }
  env().set('WASM_HAS_MULTITHREAD_SUPPORT', true);
  pkg.module.setThreadsCount(threads);
  let ok = false;
  let error: unknown;
  try {
    ok = await setBackend('wasm');
  } catch (cause) {
    error = cause;
  } finally {
    shims.restore();
    shims.removeFiles();
  }
  if (ok) {
    unrefThreadWorkers(findBackend('wasm'));
    const actual = pkg.module.getThreadsCount();
    if (actual !== threads) warn(context, `wasm started with ${actual} threads instead of ${threads}.`);
    return actual;
  }
  env().set('WASM_HAS_MULTITHREAD_SUPPORT', false);
  warn(context, `threaded wasm failed to start (${describeCause(shims.failure() ?? error ?? 'setBackend returned false')}); using 1 thread.`);
  return undefined;
}

async function startCpu(): Promise<Started> {
  try {
    thisRequire('@tensorflow/tfjs-backend-cpu');
  } catch (cause) {
    throw new BackendUnavailableError('cpu', ['@tensorflow/tfjs-backend-cpu'], cause);
  }
  await activate('cpu', '@tensorflow/tfjs-backend-cpu');
  return { package: '@tensorflow/tfjs-backend-cpu', detail: 'pure JavaScript, slow for training' };
}

function start(backend: BackendName, context: Context): Promise<Started> {
  switch (backend) {
    case 'tensorflow':
      return startTensorflow(context);
    case 'wasm':
      return startWasm(context);
    case 'cpu':
      return startCpu();
  }
}

function asBackendError(backend: BackendName, cause: unknown): BackendError {
  if (cause instanceof BackendUnavailableError || cause instanceof BackendLoadError) return cause;
  return new BackendLoadError(backend, cause);
}

let current: { key: string; result: InitBackendResult } | undefined;

/**
 * Chooses and starts the tfjs backend used for training and inference, in this order:
 * `tensorflow` (native TensorFlow from `@tensorflow/tfjs-node-gpu`, else `@tensorflow/tfjs-node`, when
 * installed), `wasm` (with the training kernels of {@link registerWasmTrainingKernels} and, when
 * possible, several threads), `cpu`. `options.backend` or the `PEDSEG_BACKEND` environment variable
 * forces one. Also installs the broadcasting batch-norm gradient.
 *
 * @example
 * ```ts
 * const { backend, reason } = await initBackend();
 * console.log(`training on ${backend}: ${reason}`);
 * ```
 * @throws UnknownBackendError for a name other than `tensorflow`, `wasm`, `cpu`
 * @throws InvalidBackendOptionError for an invalid `threads`
 * @throws BackendUnavailableError when a forced backend's package is not installed
 * @throws BackendLoadError when a forced backend's package loads but fails to start
 */
export async function initBackend(options: InitBackendOptions = {}): Promise<InitBackendResult> {
  const variables = options.env ?? process.env;
  const fromEnv = variables['PEDSEG_BACKEND'];
  let forced: BackendName | undefined;
  let source = '';
  if (options.backend !== undefined) {
    source = 'options.backend';
    forced = parseBackendName(options.backend, source);
  } else if (fromEnv !== undefined && fromEnv.trim() !== '') {
    source = 'PEDSEG_BACKEND';
    forced = parseBackendName(fromEnv, source);
  }
  if (options.threads !== undefined && (!Number.isInteger(options.threads) || options.threads < 1)) {
    throw new InvalidBackendOptionError('wasm', 'threads', `expected a positive integer, got ${String(options.threads)}`);
  }
  if (options.batchNormGradient ?? true) registerBatchNormGradient();

  const key = JSON.stringify({ forced: forced ?? null, source, threads: options.threads ?? null, from: options.resolveFrom ?? null });
  if (current !== undefined && current.key === key && getBackend() === current.result.backend) return current.result;

  const context: Context = { options, warnings: [] };
  const skipped: SkippedBackend[] = [];
  const candidates = forced !== undefined ? [forced] : [...BACKEND_NAMES];
  for (const backend of candidates) {
    let started: Started;
    try {
      started = await start(backend, context);
    } catch (cause) {
      const error = asBackendError(backend, cause);
      if (forced !== undefined) throw error;
      skipped.push({ backend, error });
      continue;
    }
    const how =
      forced !== undefined
        ? `forced by ${source === 'PEDSEG_BACKEND' ? `PEDSEG_BACKEND=${fromEnv ?? ''}` : `options.backend='${options.backend ?? ''}'`}`
        : `first available of ${BACKEND_NAMES.join(', ')}` +
          (skipped.length > 0 ? ` (skipped ${skipped.map((s) => `${s.backend}: ${s.error.message}`).join('; ')})` : '');
    const result: InitBackendResult = {
      backend,
      reason: `${backend} (${started.package}, ${started.detail}): ${how}`,
      package: started.package,
      ...(started.threads !== undefined ? { threads: started.threads } : {}),
      skipped,
      warnings: context.warnings,
    };
    current = { key, result };
    return result;
  }
  // cpu is a dependency, so this is reached only if every backend failed.
  throw skipped[skipped.length - 1]?.error ?? new BackendLoadError('cpu', 'no backend could be started');
}
