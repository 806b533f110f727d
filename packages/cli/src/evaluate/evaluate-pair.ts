import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { MetricsInputError, assertSameGrid, directedSurfaceDistances, evaluateSegmentation, evaluationToJson, labelCensus } from '@pedseg/metrics';
import type { DirectedDistances, EvaluateOptions, EvaluationJson, LabelSelector, SurfaceConvention } from '@pedseg/metrics';
import { loadNifti } from './load.js';
import type { DirectedOutcome, DirectedTask } from './worker-protocol.js';
import { builtWorkerPath } from './worker-path.js';

/** What a pair evaluation needs besides the two files (plain data, so it crosses to worker threads). */
export interface PairOptions {
  readonly labels: readonly LabelSelector[] | undefined;
  readonly surface: SurfaceConvention;
  readonly tolerance: number;
  readonly percentile: number;
}

/** The library options of a pair evaluation. */
export function pairOptions(options: PairOptions): EvaluateOptions {
  return {
    surface: options.surface,
    tolerance: options.tolerance,
    percentile: options.percentile,
    ...(options.labels === undefined ? {} : { labels: options.labels }),
  };
}

function withFiles<T>(referencePath: string, predictionPath: string, run: () => T): T {
  try {
    return run();
  } catch (error) {
    if (error instanceof MetricsInputError) throw new Error(`${referencePath} vs ${predictionPath}: ${error.message}`);
    throw error;
  }
}

/**
 * Reads a reference / prediction pair and scores it on this thread. Grid mismatches are reported with
 * both file names.
 */
export async function evaluatePair(referencePath: string, predictionPath: string, options: PairOptions): Promise<EvaluationJson> {
  const [reference, prediction] = await Promise.all([loadNifti(referencePath), loadNifti(predictionPath)]);
  return withFiles(referencePath, predictionPath, () => evaluationToJson(evaluateSegmentation(reference, prediction, pairOptions(options))));
}

function startDirectedWorker(path: string, task: DirectedTask): { worker: Worker; result: Promise<Record<string, DirectedDistances> | null> } {
  const worker = new Worker(path);
  const result = new Promise<Record<string, DirectedDistances> | null>((resolve) => {
    worker.once('message', (outcome: DirectedOutcome) => resolve(outcome.ok ? outcome.distances : null));
    // A worker that cannot help (crash, failed read) leaves the work to the main thread.
    worker.once('error', () => resolve(null));
    worker.once('exit', () => resolve(null));
  });
  worker.postMessage(task);
  return { worker, result };
}

/**
 * Scores one pair, on two threads when `jobs` ≥ 2: a worker computes the prediction → reference surface
 * distances while this thread reads the files, counts the overlaps and computes reference →
 * prediction. It pays off for large structures whose distances go through EDTs and when a core is
 * idle; it costs a second read of both files. Otherwise, from sources (no built worker) or on a
 * single core, it is {@link evaluatePair}.
 */
export async function evaluatePairSplit(referencePath: string, predictionPath: string, options: PairOptions, jobs?: number): Promise<EvaluationJson> {
  const path = builtWorkerPath();
  if (path === null || availableParallelism() < 2 || (jobs ?? 1) < 2) return evaluatePair(referencePath, predictionPath, options);
  const helper = startDirectedWorker(path, { kind: 'directed', index: 0, reference: referencePath, prediction: predictionPath, options, direction: 'predictionToReference' });
  try {
    const [reference, prediction] = await Promise.all([loadNifti(referencePath), loadNifti(predictionPath)]);
    const base = pairOptions(options);
    const { census, own } = withFiles(referencePath, predictionPath, () => {
      assertSameGrid(reference, prediction);
      const counted = labelCensus(reference.data, prediction.data, reference.shape);
      return { census: counted, own: directedSurfaceDistances(reference, prediction, 'referenceToPrediction', { ...base, census: counted }) };
    });
    const other = await helper.result;
    const precomputed = other === null ? { referenceToPrediction: own } : { referenceToPrediction: own, predictionToReference: other };
    return withFiles(referencePath, predictionPath, () => evaluationToJson(evaluateSegmentation(reference, prediction, { ...base, census, precomputed })));
  } finally {
    void helper.worker.terminate();
  }
}
