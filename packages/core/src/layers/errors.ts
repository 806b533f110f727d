/**
 * The per-sample domain index tensor is unusable: not int32, not of shape `[batch]` (or `[batch, 1]`),
 * a batch size different from the features', or an index outside `[0, numDomains)`. Thrown at call time.
 */
export class DomainIndexError extends Error {
  override readonly name = 'DomainIndexError';
  /** @param message - names the offending argument and the problem. */
  constructor(message: string) {
    super(message);
  }
}

/**
 * A layer received inputs it cannot process: wrong number of inputs, wrong rank, a channel count that
 * differs from the one the layer was built with, or mismatched spatial sizes.
 */
export class LayerInputError extends Error {
  override readonly name = 'LayerInputError';
  /** @param message - names the offending input and the problem. */
  constructor(message: string) {
    super(message);
  }
}

/** A layer constructor argument (or a shape model handed to a layer) is invalid. */
export class LayerConfigError extends Error {
  override readonly name = 'LayerConfigError';
  /** @param message - names the offending argument and the problem. */
  constructor(message: string) {
    super(message);
  }
}
