/**
 * A network builder option is invalid: a non-integer or non-positive width, depth or class count, an input
 * size not divisible by `2^depth`, an unknown strategy, or a combination the papers do not define
 * (e.g. a multi-domain strategy with sigmoid outputs). The message names the option and the problem.
 */
export class ModelConfigError extends Error {
  override readonly name = 'ModelConfigError';
  /** @param message - names the offending option and the problem. */
  constructor(message: string) {
    super(message);
  }
}

/**
 * Data handed to a model helper is unusable: a wrong shape, rank or dtype, a domain index out of range, a
 * non-finite value. The message names the argument and the problem.
 */
export class ModelInputError extends Error {
  override readonly name = 'ModelInputError';
  /** @param message - names the offending argument and the problem. */
  constructor(message: string) {
    super(message);
  }
}

/**
 * Pre-trained weights could not be loaded by layer name: the directory or `model.json` is missing or
 * malformed, a weight file is truncated, or a weight found under a matching name has a different shape.
 */
export class WeightLoadError extends Error {
  override readonly name = 'WeightLoadError';
  /**
   * @param message - names the file or weight and the problem.
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
 * Landmark sets or a shape model are unusable for Procrustes alignment or PCA: sets of different sizes or
 * dimensions, fewer shapes than needed, non-finite coordinates, a degenerate (zero-size) shape, or a
 * malformed serialized model.
 */
export class ShapeModelError extends Error {
  override readonly name = 'ShapeModelError';
  /** @param message - names the offending argument and the problem. */
  constructor(message: string) {
    super(message);
  }
}
