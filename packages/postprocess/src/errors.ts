/** Base class of every error thrown by `@pedseg/postprocess`; catch it to handle them all. */
export class PostprocessError extends Error {
  /** @param message - What was wrong, naming the argument. */
  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}

/**
 * A label map holds a value that is not a label: NaN, ±Infinity, a fraction or a negative number.
 * Labels are non-negative integers, 0 being background.
 */
export class LabelValueError extends PostprocessError {}

/** A probability map holds NaN or ±Infinity. */
export class ProbabilityValueError extends PostprocessError {}

/**
 * An option is out of its domain: a negative or non-finite radius, a connectivity other than
 * 6, 18 or 26, a non-integer `k`, an unknown unit or strategy, and so on.
 */
export class PostprocessOptionError extends PostprocessError {}

/**
 * 2D slices cannot be stacked: their shapes or channel counts differ, their data length does not match
 * their shape, their indices are not a permutation of `0..n-1`, or they disagree with the target grid.
 */
export class SliceStackError extends PostprocessError {}

/** Volumes that must share a grid (the per-bone maps of the "individual" strategy) differ in shape. */
export class VolumeMismatchError extends PostprocessError {}
