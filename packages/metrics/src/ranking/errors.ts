/** Bad input to the ranking system: a missing or NaN metric, an invalid rule, no cases. */
export class RankingInputError extends Error {
  /** @param message - Names the method, case and metric concerned. */
  constructor(message: string) {
    super(message);
    this.name = 'RankingInputError';
  }
}
