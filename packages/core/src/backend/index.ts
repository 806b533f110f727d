export {
  BACKEND_NAMES,
  BackendError,
  BackendLoadError,
  BackendUnavailableError,
  InvalidBackendOptionError,
  UnknownBackendError,
  type BackendName,
} from './errors.js';
export {
  TENSORFLOW_PACKAGES,
  initBackend,
  type InitBackendOptions,
  type InitBackendResult,
  type SkippedBackend,
} from './init_backend.js';
export { WASM_TRAINING_KERNELS, registerWasmTrainingKernels } from './register_wasm_training_kernels.js';
export { fusedBatchNormGradConfig, registerBatchNormGradient } from './batch_norm_gradient.js';
