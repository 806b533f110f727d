/**
 * Base class of every input error raised by `@pedseg/losses`. Each subclass names the argument and
 * the problem, so a bad input fails loudly before any tensor is allocated instead of turning into a
 * NaN loss or a crash deep inside tfjs.
 */
export class LossInputError extends Error {
  /** @param message - Names the argument and the problem. */
  constructor(message: string) {
    super(message);
    this.name = 'LossInputError';
  }
}

/** Two tensors that must agree (prediction and target, codes, landmark sets) have different shapes. */
export class LossShapeError extends LossInputError {
  /** @param message - Names both arguments and their shapes. */
  constructor(message: string) {
    super(message);
    this.name = 'LossShapeError';
  }
}

/** A tensor has the wrong rank (for example embeddings that are not `[batch, features]`). */
export class LossRankError extends LossInputError {
  /** @param message - Names the argument, its rank and the expected rank. */
  constructor(message: string) {
    super(message);
    this.name = 'LossRankError';
  }
}

/** A tensor has the wrong dtype (predictions must be `float32`, domain indices `int32`). */
export class LossDtypeError extends LossInputError {
  /** @param message - Names the argument, its dtype and the expected dtype. */
  constructor(message: string) {
    super(message);
    this.name = 'LossDtypeError';
  }
}

/**
 * The per-sample domain indices do not match the batch: wrong length, not integers, negative, or not
 * below the number of domains.
 */
export class DomainLabelError extends LossInputError {
  /** @param message - Names the problem and the offending index or length. */
  constructor(message: string) {
    super(message);
    this.name = 'DomainLabelError';
  }
}

/**
 * A hyper-parameter or option is outside its domain: a negative weighting factor λ, a temperature
 * τ ≤ 0, class weights of the wrong length, class counts that are not positive integers, …
 */
export class InvalidLossOptionError extends LossInputError {
  /** @param message - Names the option and the offending value. */
  constructor(message: string) {
    super(message);
    this.name = 'InvalidLossOptionError';
  }
}
