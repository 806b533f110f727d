import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type * as WasmBackendPackage from '@tensorflow/tfjs-backend-wasm';
import { BackendUnavailableError } from './errors.js';

/** The public API of `@tensorflow/tfjs-backend-wasm` used here. */
export type WasmPackage = typeof WasmBackendPackage;

/** The loaded wasm backend package, with where its files are. */
export interface LoadedWasmPackage {
  /** The module (its CommonJS Node build). */
  readonly module: WasmPackage;
  /** Absolute path of the loaded bundle (`dist/tf-backend-wasm.node.js`). */
  readonly bundlePath: string;
  /** Directory holding the `.wasm` binaries, with a trailing separator. */
  readonly binaryDir: string;
}

const nodeRequire = createRequire(import.meta.url);
let loaded: LoadedWasmPackage | undefined;

/**
 * Loads `@tensorflow/tfjs-backend-wasm` through `require`, so that Node always gets the package's
 * CommonJS Node build (which reads the `.wasm` binaries with `fs`, never with `fetch`) whatever
 * bundler conditions the caller uses. Registers the `wasm` backend factory as a side effect.
 *
 * @throws BackendUnavailableError when the package cannot be resolved or loaded
 */
export function loadWasmPackage(): LoadedWasmPackage {
  if (loaded !== undefined) return loaded;
  const name = '@tensorflow/tfjs-backend-wasm';
  try {
    const bundlePath = nodeRequire.resolve(name);
    const module = nodeRequire(bundlePath) as WasmPackage;
    loaded = { module, bundlePath, binaryDir: join(dirname(bundlePath), '/') };
    return loaded;
  } catch (cause) {
    throw new BackendUnavailableError('wasm', [name], cause);
  }
}
