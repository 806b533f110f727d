import type { EvaluationJson } from '@pedseg/metrics';
import type { PairOptions } from './evaluate-pair.js';

/** A pair to score, sent to a worker thread. */
export interface PairTask {
  readonly index: number;
  readonly reference: string;
  readonly prediction: string;
  readonly options: PairOptions;
}

/** A worker's answer to one {@link PairTask}. */
export type PairOutcome =
  | { readonly index: number; readonly ok: true; readonly result: EvaluationJson }
  | { readonly index: number; readonly ok: false; readonly message: string };

