/** Bad input to the representation analysis: mismatched lengths, zero or non-finite vectors, tiny groups. */
export class RepresentationInputError extends Error {
  /** @param message - Names the argument and the problem. */
  constructor(message: string) {
    super(message);
    this.name = 'RepresentationInputError';
  }
}
