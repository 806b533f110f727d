/**
 * Names of the backends {@link initBackend} knows how to start.
 *
 * `tensorflow` is the native TensorFlow binding (`@tensorflow/tfjs-node-gpu`, else `@tensorflow/tfjs-node`).
 */
export type BackendName = 'tensorflow' | 'wasm' | 'cpu';

/** The backend names accepted by {@link initBackend}, in the order it tries them. */
export const BACKEND_NAMES: readonly BackendName[] = ['tensorflow', 'wasm', 'cpu'];

/**
 * Base class of every error raised while choosing or starting a backend.
 * `backend` is the backend (or the unrecognised name) concerned.
 */
export class BackendError extends Error {
  /** The backend the error is about, as the caller spelled it. */
  readonly backend: string;

  /**
   * @param backend - the backend concerned
   * @param message - what went wrong
   * @param options - `cause`: the underlying error, if any
   */
  constructor(backend: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'BackendError';
    this.backend = backend;
  }
}

/** The requested backend name (option or `PEDSEG_BACKEND`) is not one of {@link BACKEND_NAMES}. */
export class UnknownBackendError extends BackendError {
  /**
   * @param backend - the unrecognised name
   * @param source - where the name came from (`options.backend` or `PEDSEG_BACKEND`)
   */
  constructor(backend: string, source: string) {
    super(
      backend,
      `Unknown backend '${backend}' (from ${source}); expected one of ${BACKEND_NAMES.map((b) => `'${b}'`).join(', ')}.`,
    );
    this.name = 'UnknownBackendError';
  }
}

/** An option of {@link initBackend} has an invalid value (e.g. `threads: 0`). */
export class InvalidBackendOptionError extends BackendError {
  /**
   * @param backend - the backend the option is for
   * @param option - the option's name
   * @param problem - what is wrong with its value
   */
  constructor(backend: string, option: string, problem: string) {
    super(backend, `Invalid option '${option}' for backend '${backend}': ${problem}.`);
    this.name = 'InvalidBackendOptionError';
  }
}

/**
 * A forced backend cannot be used because the package providing it is not installed or cannot be
 * loaded (for `tensorflow`: neither `@tensorflow/tfjs-node-gpu` nor `@tensorflow/tfjs-node`).
 */
export class BackendUnavailableError extends BackendError {
  /** The npm packages that were tried, in order. */
  readonly packages: readonly string[];

  /**
   * @param backend - the backend that was requested
   * @param packages - the packages that were tried
   * @param cause - why the last one failed
   */
  constructor(backend: string, packages: readonly string[], cause?: unknown) {
    super(
      backend,
      `Backend '${backend}' is not available: could not load ${packages.join(' or ')}` +
        `${cause instanceof Error ? ` (${cause.message.split('\n')[0]})` : ''}. Install it or choose another backend.`,
      { cause },
    );
    this.name = 'BackendUnavailableError';
    this.packages = packages;
  }
}

/** The backend's package loaded, but initialising it failed (e.g. the wasm binary could not be instantiated). */
export class BackendLoadError extends BackendError {
  /**
   * @param backend - the backend that failed to start
   * @param cause - the underlying error or rejection reason
   */
  constructor(backend: string, cause: unknown) {
    super(backend, `Backend '${backend}' failed to initialise: ${describeCause(cause).replace(/\.+$/, '')}.`, { cause });
    this.name = 'BackendLoadError';
  }
}

/** Renders an error, a rejection object (`{message}`) or anything else as one line. */
export function describeCause(cause: unknown): string {
  if (cause instanceof Error) return cause.message.split('\n')[0] ?? cause.name;
  if (typeof cause === 'object' && cause !== null && 'message' in cause) {
    return String((cause as { message: unknown }).message);
  }
  return cause === undefined ? 'unknown cause' : String(cause);
}
