import { WINOGRAD_WASM_PLAIN, WINOGRAD_WASM_SHARED } from './winograd_binary.js';

/** Signature of the two input transforms (pointers are byte offsets). */
export type InputTransform = (
  image: number,
  n: number,
  h: number,
  w: number,
  c: number,
  padTop: number,
  padLeft: number,
  tilesY: number,
  tilesX: number,
  vTable: number,
  zero: number,
) => void;

/** The exported functions of the Winograd transform module (see winograd_wat.ts); pointers are byte offsets. */
export interface WinogradTransforms {
  filterTransform(g: number, cin: number, cout: number, uTable: number): void;
  inputTransform: InputTransform;
  outputTransform(
    mTable: number,
    n: number,
    oh: number,
    ow: number,
    c: number,
    tilesY: number,
    tilesX: number,
    y: number,
    bias: number,
    lo: number,
    hi: number,
    sink: number,
  ): void;
  inputTransformTransposed: InputTransform;
  outputGradientTransform(dy: number, n: number, oh: number, ow: number, c: number, tilesY: number, tilesX: number, mTable: number, zero: number): void;
  filterGradientTransform(uTable: number, cin: number, cout: number, dw: number): void;
}

/** A WebAssembly linear memory (the compile target's lib declares no WebAssembly types). */
export interface WasmMemory {
  readonly buffer: ArrayBuffer | SharedArrayBuffer;
}

/** The parts of the WebAssembly JS API used here. */
interface WasmApi {
  Memory: abstract new (...args: never[]) => WasmMemory;
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: Record<string, Record<string, unknown>>) => { exports: unknown };
}

const wasmApi = (globalThis as unknown as { WebAssembly?: WasmApi }).WebAssembly;

/** The parts of tfjs-wasm's emscripten module that hold its linear memory. */
interface EmscriptenMemoryHolder {
  wasmMemory?: unknown;
  asm?: { memory?: unknown };
}

const instances = new WeakMap<WasmMemory, WinogradTransforms | null>();

/** tfjs-wasm's linear memory (threaded build: `wasmMemory`; single-threaded: the instance's export). */
export function wasmBackendMemory(backend: unknown): WasmMemory | undefined {
  const module = (backend as { wasm?: EmscriptenMemoryHolder } | undefined)?.wasm;
  const memory = module?.wasmMemory ?? module?.asm?.memory;
  return wasmApi !== undefined && memory instanceof wasmApi.Memory ? memory : undefined;
}

/**
 * The transform module instantiated on `memory` (once per memory), or `null` where it cannot be
 * instantiated (no SIMD); callers then keep the native convolution.
 */
export function winogradTransformsFor(memory: WasmMemory): WinogradTransforms | null {
  const cached = instances.get(memory);
  if (cached !== undefined) return cached;
  let transforms: WinogradTransforms | null = null;
  try {
    const shared = typeof SharedArrayBuffer !== 'undefined' && memory.buffer instanceof SharedArrayBuffer;
    // atob, not Buffer: the module also loads in browsers.
    const bytes = Uint8Array.from(atob(shared ? WINOGRAD_WASM_SHARED : WINOGRAD_WASM_PLAIN), (c) => c.charCodeAt(0));
    if (wasmApi === undefined) throw new Error('no WebAssembly');
    const instance = new wasmApi.Instance(new wasmApi.Module(bytes), { env: { memory } });
    transforms = instance.exports as unknown as WinogradTransforms;
  } catch {
    transforms = null;
  }
  instances.set(memory, transforms);
  return transforms;
}
