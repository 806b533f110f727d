import { MetricsInputError, evaluateSegmentation, evaluationToJson } from '@pedseg/metrics';
import type { EvaluateOptions, EvaluationJson, LabelSelector, SurfaceConvention } from '@pedseg/metrics';
import { loadNifti } from './load.js';

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
