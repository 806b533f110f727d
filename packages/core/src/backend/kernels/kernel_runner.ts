import {
  getKernel,
  type DataId,
  type KernelConfig,
  type NamedAttrMap,
  type NamedTensorInfoMap,
  type TensorInfo,
} from '@tensorflow/tfjs-core';

/** The part of a tfjs `KernelBackend` the training kernels need. */
interface DisposingBackend {
  disposeData(dataId: DataId, force?: boolean): boolean;
}

/** tfjs-wasm's direct heap access (BackendWasm.makeOutput / typedArrayFromHeap). */
interface HeapBackend {
  makeOutput(shape: number[], dtype: 'float32'): TensorInfo;
  typedArrayFromHeap(info: TensorInfo): Float32Array;
}

/**
 * Kernels replaced by this package keep their original implementation here, so that an override can
 * fall back to it (or call it, as the BatchMatMul override does) without recursing into itself.
 */
const originalKernels = new Map<string, KernelConfig>();

/** Remembers the implementation a kernel had before it was overridden (first registration wins). */
export function rememberOriginalKernel(config: KernelConfig): void {
  const key = `${config.backendName}/${config.kernelName}`;
  if (!originalKernels.has(key)) originalKernels.set(key, config);
}

/** The implementation a kernel had before this package overrode it, if it did. */
export function originalKernel(kernelName: string, backendName: string): KernelConfig | undefined {
  return originalKernels.get(`${backendName}/${kernelName}`);
}

/**
 * Runs other kernels of the same backend from inside a kernel function and frees the intermediate
 * results. Kernel functions must not call tfjs ops on their inputs (wrapping and disposing them would
 * free the caller's data), so composite kernels are written against backend kernels directly.
 */
export class KernelRunner {
  private readonly temporaries: TensorInfo[] = [];

  /**
   * @param backend - the backend object passed to the kernel function
   * @param backendName - its registered name (e.g. `wasm`)
   */
  constructor(
    readonly backend: unknown,
    readonly backendName: string,
  ) {}

  /** Runs `kernelName` (its original implementation if overridden); the result is a temporary. */
  run(kernelName: string, inputs: NamedTensorInfoMap, attrs: NamedAttrMap = {}): TensorInfo {
    const out = this.runKeep(kernelName, inputs, attrs);
    this.temporaries.push(out);
    return out;
  }

  /** The implementation to call for `kernelName` (its original one if overridden). */
  private configOf(kernelName: string): KernelConfig {
    const config = originalKernel(kernelName, this.backendName) ?? getKernel(kernelName, this.backendName);
    if (config === undefined) {
      throw new Error(`Kernel '${kernelName}' is not registered for backend '${this.backendName}'.`);
    }
    return config;
  }

  /**
   * Like {@link run}, but through the kernel currently registered (an override of this package when
   * there is one), not the original: for composite kernels that want another override's fast path.
   */
  runRegistered(kernelName: string, inputs: NamedTensorInfoMap, attrs: NamedAttrMap = {}): TensorInfo {
    const config = getKernel(kernelName, this.backendName);
    if (config === undefined) throw new Error(`Kernel '${kernelName}' is not registered for backend '${this.backendName}'.`);
    const out = config.kernelFunc({ inputs, backend: this.backend as object, attrs });
    if (Array.isArray(out)) throw new Error(`Kernel '${kernelName}' returned several outputs; expected one.`);
    this.temporaries.push(out);
    return out;
  }

  /** Like {@link run}, but the caller owns the result (use for the kernel's output). */
  runKeep(kernelName: string, inputs: NamedTensorInfoMap, attrs: NamedAttrMap = {}): TensorInfo {
    const out = this.configOf(kernelName).kernelFunc({ inputs, backend: this.backend as object, attrs });
    if (Array.isArray(out)) throw new Error(`Kernel '${kernelName}' returned several outputs; expected one.`);
    return out;
  }

  /** Stops tracking `info` as a temporary: it becomes the caller's output. */
  release(info: TensorInfo): TensorInfo {
    const index = this.temporaries.indexOf(info);
    if (index >= 0) this.temporaries.splice(index, 1);
    return info;
  }

  /** Frees these temporaries now (e.g. per chunk of a long computation) instead of at the end. */
  free(infos: TensorInfo[]): void {
    const backend = this.backend as DisposingBackend;
    for (const info of infos) {
      this.release(info);
      backend.disposeData(info.dataId);
    }
  }

  /** Frees every temporary still tracked. Call in `finally`. */
  dispose(): void {
    const backend = this.backend as DisposingBackend;
    for (const info of this.temporaries.splice(0)) backend.disposeData(info.dataId);
  }


  /** Reshape through the backend's kernel (shares data, so it is cheap). */
  reshape(x: TensorInfo, shape: number[]): TensorInfo {
    return this.run('Reshape', { x }, { shape });
  }

  /** Transpose through the backend's kernel. */
  transpose(x: TensorInfo, perm: number[]): TensorInfo {
    return this.run('Transpose', { x }, { perm });
  }

  /** Plain (untransposed) matrix product of rank-3 operands. */
  matMul(a: TensorInfo, b: TensorInfo): TensorInfo {
    return this.run('BatchMatMul', { a, b }, { transposeA: false, transposeB: false });
  }

  /** Zero padding. */
  pad(x: TensorInfo, paddings: Array<[number, number]>): TensorInfo {
    return this.run('PadV2', { x }, { paddings, constantValue: 0 });
  }

  /**
   * The spatially flipped filter, [KH, KW, A, B] → [KH, KW, B, A] when `swapChannels`, else
   * [KH, KW, A, B] with taps reversed. One pass over the (small) filter on the JS side: tfjs-wasm's
   * Reverse kernel takes ≈36 ms for a 3×3×256×256 filter, more than the convolution that uses it.
   */
  flipFilter(filter: TensorInfo, swapChannels: boolean): TensorInfo {
    const backend = this.backend as Partial<HeapBackend>;
    if (filter.dtype !== 'float32' || typeof backend.makeOutput !== 'function' || typeof backend.typedArrayFromHeap !== 'function') {
      const reversed = this.run('Reverse', { x: filter }, { dims: [0, 1] });
      return swapChannels ? this.transpose(reversed, [0, 1, 3, 2]) : reversed;
    }
    const [kh, kw, a, b] = filter.shape as [number, number, number, number];
    const out = backend.makeOutput(swapChannels ? [kh, kw, b, a] : [kh, kw, a, b], 'float32');
    this.temporaries.push(out);
    const source = backend.typedArrayFromHeap(filter);
    const target = backend.typedArrayFromHeap(out);
    const taps = kh * kw;
    const block = a * b;
    for (let t = 0; t < taps; t++) {
      const from = t * block;
      const to = (taps - 1 - t) * block;
      if (!swapChannels) {
        target.set(source.subarray(from, from + block), to);
        continue;
      }
      for (let i = 0; i < a; i++) {
        for (let j = 0; j < b; j++) target[to + j * a + i] = source[from + i * b + j]!;
      }
    }
    return out;
  }

  /** Whether the backend exposes its heap (tfjs-wasm), so float32 data can be written from JS. */
  hasHeap(): boolean {
    const backend = this.backend as Partial<HeapBackend>;
    return typeof backend.makeOutput === 'function' && typeof backend.typedArrayFromHeap === 'function';
  }

  /** A new float32 temporary on the heap; only when {@link hasHeap}. Its contents are undefined. */
  heapOutput(shape: number[]): TensorInfo {
    const out = (this.backend as HeapBackend).makeOutput(shape, 'float32');
    this.temporaries.push(out);
    return out;
  }

  /**
   * The heap view of a float32 tensor; only when {@link hasHeap}. Take it after the last allocation:
   * heap growth detaches earlier views.
   */
  heapView(info: TensorInfo): Float32Array {
    return (this.backend as HeapBackend).typedArrayFromHeap(info);
  }

  /** Contiguous slice. */
  slice(x: TensorInfo, begin: number[], size: number[]): TensorInfo {
    return this.run('Slice', { x }, { begin, size });
  }
}

/** Runs `body` with a fresh {@link KernelRunner}, freeing its temporaries afterwards (also on error). */
export function withRunner(backend: unknown, backendName: string, body: (runner: KernelRunner) => TensorInfo): TensorInfo {
  const runner = new KernelRunner(backend, backendName);
  try {
    return runner.release(body(runner));
  } finally {
    runner.dispose();
  }
}
