/**
 * A training option or configuration value is invalid: a non-positive learning rate or batch size, an
 * unknown preset, a network name the trainer does not know, a loss closure without `total`. The
 * message names the option and the problem.
 */
export class TrainConfigError extends Error {
  override readonly name = 'TrainConfigError';
}

/**
 * A loss term is not a finite scalar (NaN, ±Infinity or a non-scalar tensor). Training stops instead of
 * silently corrupting the weights; the message names the term and the step.
 */
export class NonFiniteLossError extends Error {
  override readonly name = 'NonFiniteLossError';
  /**
   * @param message - names the term, its value and the step.
   * @param term - the offending term name.
   */
  constructor(
    message: string,
    readonly term: string,
  ) {
    super(message);
  }
}

/**
 * A checkpoint cannot be written or read: directory missing, `state.json` malformed, optimizer state not
 * matching the networks' variables. The message names the file and the problem.
 */
export class CheckpointError extends Error {
  override readonly name = 'CheckpointError';
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
 * Input to a figure or embedding function is invalid: empty or ragged series, mismatched image and
 * mask sizes, a perplexity too large for the number of points. The message names the argument.
 */
export class FigureInputError extends Error {
  override readonly name = 'FigureInputError';
}
