import type { DirectedDistances, EvaluationJson, SurfaceDirection } from '@pedseg/metrics';
import type { PairOptions } from './evaluate-pair.js';

/** A pair to score, sent to a worker thread. */
export interface PairTask {
  readonly kind: 'pair';
  readonly index: number;
  readonly reference: string;
  readonly prediction: string;
  readonly options: PairOptions;
}

/** One direction of the surface distances of a pair, computed by a worker while the main thread does the other. */
export interface DirectedTask {
  readonly kind: 'directed';
  readonly index: number;
  readonly reference: string;
  readonly prediction: string;
  readonly options: PairOptions;
  readonly direction: SurfaceDirection;
}

/** A worker's answer to one {@link PairTask}. */
export type PairOutcome =
  | { readonly index: number; readonly ok: true; readonly result: EvaluationJson }
  | { readonly index: number; readonly ok: false; readonly message: string };

/** A worker's answer to one {@link DirectedTask}. */
export type DirectedOutcome =
  | { readonly index: number; readonly ok: true; readonly distances: Record<string, DirectedDistances> }
  | { readonly index: number; readonly ok: false; readonly message: string };
