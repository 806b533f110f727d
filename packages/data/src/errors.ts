/** An argument of a data-pipeline function is invalid (shape, range, count, domain name). */
export class DataArgumentError extends Error {
  override readonly name = 'DataArgumentError';
  /** @param message - names the offending argument and the problem. */
  constructor(message: string) {
    super(message);
  }
}

/** A dataset folder or its `dataset.json` does not follow the expected layout. */
export class DatasetLayoutError extends Error {
  override readonly name = 'DatasetLayoutError';
  /** @param message - names the folder or file and the problem. */
  constructor(message: string) {
    super(message);
  }
}

/** A case of a dataset lacks its image or label file. */
export class MissingCaseFileError extends Error {
  override readonly name = 'MissingCaseFileError';
  /**
   * @param caseId - the case whose file is missing.
   * @param path - the file that was expected.
   */
  constructor(
    readonly caseId: string,
    readonly path: string,
  ) {
    super(`case ${caseId}: missing file ${path}`);
  }
}

/** The image and label of a case do not share a voxel grid (shape, spacing or affine). */
export class CaseGeometryError extends Error {
  override readonly name = 'CaseGeometryError';
  /**
   * @param caseId - the offending case.
   * @param detail - which property differs.
   */
  constructor(
    readonly caseId: string,
    detail: string,
  ) {
    super(`case ${caseId}: image and label geometry differ: ${detail}`);
  }
}

/** A label map contains a value that the dataset does not declare. */
export class UndeclaredLabelError extends Error {
  override readonly name = 'UndeclaredLabelError';
  /**
   * @param caseId - the offending case.
   * @param value - the undeclared label value.
   * @param declared - the declared label values.
   */
  constructor(
    readonly caseId: string,
    readonly value: number,
    declared: readonly number[],
  ) {
    super(`case ${caseId}: label value ${value} is not declared (declared: ${declared.join(', ')})`);
  }
}

/** A split plan is invalid: overlapping subsets, a case missing from the plan, or malformed JSON. */
export class SplitError extends Error {
  override readonly name = 'SplitError';
  /** @param message - names the fold and the problem. */
  constructor(message: string) {
    super(message);
  }
}
