/**
 * Base class of every input error raised by the segmentation metrics. The subclasses name the
 * argument and the problem, so a bad input never turns into a NaN score.
 */
export class MetricsInputError extends Error {
  /** @param message - Names the argument and the problem. */
  constructor(message: string) {
    super(message);
    this.name = 'MetricsInputError';
  }
}

/** The reference and the prediction do not have the same grid shape (or a data length does not match its shape). */
export class ShapeMismatchError extends MetricsInputError {
  /** @param message - Names both shapes. */
  constructor(message: string) {
    super(message);
    this.name = 'ShapeMismatchError';
  }
}

/** The reference and the prediction do not have the same voxel spacing, or a spacing is not positive and finite. */
export class SpacingMismatchError extends MetricsInputError {
  /** @param message - Names both spacings. */
  constructor(message: string) {
    super(message);
    this.name = 'SpacingMismatchError';
  }
}

/** A metric option is out of its domain (label 0 or not finite, negative tolerance, percentile outside [0, 100], unknown convention or axis). */
export class InvalidMetricOptionError extends MetricsInputError {
  /** @param message - Names the option and the offending value. */
  constructor(message: string) {
    super(message);
    this.name = 'InvalidMetricOptionError';
  }
}
