import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/*
 * tfjs-wasm 4.22 disables threads under Node: its pthread workers are started from `blob:` URLs, which
 * Node's worker_threads rejects, and the thread count is capped at half the logical cores. The shims
 * below route the two scripts through temporary files instead (the worker script has a Node branch)
 * and let the cap admit the requested count. They reach into bundle internals, so every assumption is
 * checked and any failure makes the caller fall back to one thread.
 */

/** Undo handle for {@link installThreadShims}. */
export interface ThreadShims {
  /** Restores `Blob`, `URL.createObjectURL` and `os.cpus`. Idempotent. */
  restore(): void;
  /** Deletes the temporary scripts (safe once the backend has started: its workers have loaded them). */
  removeFiles(): void;
  /** The error a shim ran into while the backend started, if any. */
  failure(): Error | undefined;
}

const nodeRequire = createRequire(import.meta.url);
const MAIN_SCRIPT_MARKER = 'var WasmBackendModuleThreadedSimd';
const WORKER_SCRIPT_MARKER = 'WasmBackendModuleThreadedSimd(Module)';

/**
 * The `require$$N` module variables of the bundle that the threaded factory's source refers to; the
 * factory is re-evaluated in each worker, where they must be defined again.
 */
export function bundleModulePrelude(bundleSource: string): string {
  const declarations = [...bundleSource.matchAll(/^var (require\$\$\d+) = require\('([^']+)'\);$/gm)];
  if (declarations.length === 0) throw new Error('no `var require$$N = require(...)` lines found in the wasm bundle');
  const lines = declarations.map((m) => `var ${m[1]} = require(${JSON.stringify(m[2])});`);
  lines.push('var commonjsGlobal = globalThis;');
  return `${lines.join('\n')}\n`;
}

/** Checks that the factory source only uses module variables the prelude defines. */
function checkPrelude(script: string, prelude: string): void {
  for (const match of script.matchAll(/require\$\$\d+/g)) {
    if (!prelude.includes(`var ${match[0]} `)) throw new Error(`the threaded wasm factory uses ${match[0]}, which the shim cannot provide`);
  }
}

/**
 * Installs the shims that let tfjs-wasm start `threads` XNNPACK threads under Node. Call right before
 * `tf.setBackend('wasm')` (after `setThreadsCount` and setting `WASM_HAS_MULTITHREAD_SUPPORT`), then
 * {@link ThreadShims.restore} and {@link ThreadShims.removeFiles} once it has settled.
 *
 * @param bundlePath - the loaded `tf-backend-wasm.node.js`
 * @param threads - the thread count that will be requested
 * @throws Error when a precondition does not hold (nothing is left installed then)
 */
export function installThreadShims(bundlePath: string, threads: number): ThreadShims {
  const OriginalBlob = globalThis.Blob;
  const originalCreateObjectURL = URL.createObjectURL.bind(URL);
  const createObjectURLDescriptor = Object.getOwnPropertyDescriptor(URL, 'createObjectURL');
  const os = nodeRequire('node:os') as { cpus: () => unknown[] };
  const cpusDescriptor = Object.getOwnPropertyDescriptor(os, 'cpus');
  if (typeof OriginalBlob !== 'function') throw new Error('global Blob is missing');
  if (createObjectURLDescriptor === undefined || !createObjectURLDescriptor.writable) throw new Error('URL.createObjectURL is not writable');
  if (cpusDescriptor === undefined || !cpusDescriptor.writable) throw new Error('os.cpus is not writable');
  const prelude = bundleModulePrelude(readFileSync(bundlePath, 'utf8'));

  const dir = mkdtempSync(join(tmpdir(), 'pedseg-wasm-threads-'));
  const mainPath = join(dir, 'main.cjs');
  const workerPath = join(dir, 'worker.cjs');
  const texts = new WeakMap<object, string>();
  let mainWritten = false;
  let failure: Error | undefined;

  class ScriptBlob extends OriginalBlob {
    constructor(parts?: ConstructorParameters<typeof Blob>[0], options?: ConstructorParameters<typeof Blob>[1]) {
      super(parts ?? [], options);
      if (parts === undefined || !parts.every((p) => typeof p === 'string')) return;
      const text = parts.join('');
      texts.set(this, text);
      if (text.startsWith(MAIN_SCRIPT_MARKER)) {
        try {
          checkPrelude(text, prelude);
          writeFileSync(mainPath, prelude + text);
          mainWritten = true;
        } catch (error) {
          failure = error instanceof Error ? error : new Error(String(error));
          throw failure;
        }
      }
    }
  }

  const createObjectURL = (object: Blob): string => {
    const text = texts.get(object);
    if (text === undefined || !text.includes(WORKER_SCRIPT_MARKER)) return originalCreateObjectURL(object);
    if (!mainWritten) {
      failure = new Error('the wasm worker script was requested before the main script Blob was seen');
      throw failure;
    }
    // Inside the worker, the main script "Blob" it receives resolves to the file written above.
    const override = `URL.createObjectURL = function () { return ${JSON.stringify(mainPath)}; };\nURL.revokeObjectURL = function () {};\n`;
    writeFileSync(workerPath, override + text);
    return workerPath;
  };

  const originalCpus = os.cpus;
  const cpus = (): unknown[] => {
    const list = originalCpus.call(os);
    const first = list[0];
    // tfjs-wasm allows at most half the logical cores; report enough for `threads`.
    while (list.length < 2 * threads && first !== undefined) list.push(first);
    return list;
  };

  globalThis.Blob = ScriptBlob as typeof Blob;
  URL.createObjectURL = createObjectURL;
  os.cpus = cpus;
  let restored = false;
  return {
    restore() {
      if (restored) return;
      restored = true;
      globalThis.Blob = OriginalBlob;
      Object.defineProperty(URL, 'createObjectURL', createObjectURLDescriptor);
      os.cpus = originalCpus;
    },
    removeFiles() {
      rmSync(dir, { recursive: true, force: true });
    },
    failure: () => failure,
  };
}

/** The emscripten pieces of a started wasm backend that {@link unrefThreadWorkers} touches. */
interface EmscriptenThreads {
  PThread?: { runningWorkers?: Array<{ unref?: () => void }> };
}

/**
 * Lets the process exit while XNNPACK's worker threads idle: emscripten `ref()`s a Node worker when it
 * starts a pthread, and the thread pool lives as long as the backend, so without this a script that
 * used the threaded backend never ends. Returns how many workers were released.
 *
 * @param backend - `tf.findBackend('wasm')`
 */
export function unrefThreadWorkers(backend: unknown): number {
  const module = (backend as { wasm?: EmscriptenThreads } | undefined)?.wasm;
  const workers = module?.PThread?.runningWorkers ?? [];
  let released = 0;
  for (const worker of workers) {
    if (typeof worker.unref === 'function') {
      worker.unref();
      released++;
    }
  }
  return released;
}
