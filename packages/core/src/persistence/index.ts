export { ModelFileError, UnknownLayerClassError } from './errors.js';
export { MODEL_JSON, WEIGHTS_BIN } from './model_files.js';
export { saveModel } from './save_model.js';
export { loadModel } from './load_model.js';
export { writeDirectoryAtomically } from './atomic_directory.js';
