/**
 * A model directory cannot be written or read: missing, not a directory, `model.json` absent or not valid
 * JSON, weight files missing, truncated or longer than the manifest says, or a weight path escaping the
 * directory. The message names the file and the problem.
 */
export class ModelFileError extends Error {
  override readonly name = 'ModelFileError';
  /**
   * @param message - names the file and the problem.
   * @param path - the file or directory concerned.
   */
  constructor(
    message: string,
    readonly path: string,
  ) {
    super(message);
  }
}

/**
 * A saved model uses a layer class that is not registered (e.g. a custom layer whose module was not
 * imported before loading). Import the module that calls `serialization.registerClass` for it, then load.
 */
export class UnknownLayerClassError extends Error {
  override readonly name = 'UnknownLayerClassError';
  /**
   * @param message - names the class and the file.
   * @param className - the unregistered class name.
   */
  constructor(
    message: string,
    readonly className: string,
  ) {
    super(message);
  }
}
