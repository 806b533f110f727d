/**
 * Base class of every input error raised by the statistical tests and summaries.
 * scipy.stats returns NaN (or raises a generic `ValueError`) in these situations; `@pedseg/metrics`
 * raises one of the subclasses below instead, so a bad sample never turns into a NaN p-value.
 */
export class StatisticsInputError extends Error {
  /** @param message - Names the argument and the problem. */
  constructor(message: string) {
    super(message);
    this.name = 'StatisticsInputError';
  }
}

/** A sample is empty (scipy: NaN for `wilcoxon`/`normaltest`, `ValueError` for `ks_2samp`). */
export class EmptySampleError extends StatisticsInputError {
  /** @param argument - Name of the empty argument. */
  constructor(readonly argument: string) {
    super(`${argument} is empty`);
    this.name = 'EmptySampleError';
  }
}

/** A sample holds NaN or ±Infinity (scipy propagates NaN). */
export class SampleNotFiniteError extends StatisticsInputError {
  /**
   * @param argument - Name of the argument.
   * @param index - Position of the first non-finite value.
   * @param value - That value.
   */
  constructor(
    readonly argument: string,
    readonly index: number,
    readonly value: number,
  ) {
    super(`${argument}[${index}] is ${String(value)}; every value must be a finite number`);
    this.name = 'SampleNotFiniteError';
  }
}

/** Paired samples of different lengths (scipy: `ValueError`). */
export class SampleLengthMismatchError extends StatisticsInputError {
  /**
   * @param lengthX - Length of `x`.
   * @param lengthY - Length of `y`.
   */
  constructor(
    readonly lengthX: number,
    readonly lengthY: number,
  ) {
    super(`x and y must have the same length for a paired test; got ${lengthX} and ${lengthY}`);
    this.name = 'SampleLengthMismatchError';
  }
}

/** Too few observations for the test (scipy: NaN plus a warning, e.g. `normaltest` with n < 8). */
export class SampleTooSmallError extends StatisticsInputError {
  /**
   * @param argument - Name of the argument.
   * @param length - Its length.
   * @param minimum - The smallest length the test accepts.
   * @param test - Name of the test.
   */
  constructor(
    readonly argument: string,
    readonly length: number,
    readonly minimum: number,
    test: string,
  ) {
    super(`${test} needs at least ${minimum} observations in ${argument}; got ${length}`);
    this.name = 'SampleTooSmallError';
  }
}

/**
 * The sample carries no information for the test, so scipy's statistic is undefined (NaN): a constant
 * sample in `dagostinoPearson`, or only zero differences in `wilcoxonSignedRank` when scipy uses the
 * normal approximation.
 */
export class DegenerateSampleError extends StatisticsInputError {
  /** @param message - What is degenerate. */
  constructor(message: string) {
    super(message);
    this.name = 'DegenerateSampleError';
  }
}

/** An option has a value outside its documented set (scipy: `ValueError`). */
export class StatisticsOptionError extends StatisticsInputError {
  /**
   * @param option - Option name.
   * @param value - The rejected value.
   * @param allowed - The accepted values, for the message.
   */
  constructor(option: string, value: unknown, allowed: string) {
    super(`option ${option} = ${JSON.stringify(value)} is invalid; expected ${allowed}`);
    this.name = 'StatisticsOptionError';
  }
}
