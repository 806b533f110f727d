import type { LayersModel } from '@tensorflow/tfjs-layers';
import { evaluateSegmentation, sliceScores } from '@pedseg/metrics';
import type { Volume } from '@pedseg/volume';
import type { TrainingCallback } from '../loop/types.js';
import { REPORT_METRICS } from './report.js';
import type { CaseScores, ReportMetric } from './report.js';

/** Options of {@link runExperiment}. */
export interface RunExperimentOptions {
  /** Callbacks added to every training run (e.g. a `ProgressBar`). */
  callbacks?: readonly TrainingCallback[];
  /** On SIGINT, write a checkpoint and `process.exit(130)` (the CLI's behaviour). Default `false`. */
  exitOnInterrupt?: boolean;
}

/** Disposes every distinct weight of the given models (which may share layers). */
export function disposeWeights(models: readonly LayersModel[]): void {
  const seen = new Set<number>();
  for (const m of models) {
    for (const w of m.weights) {
      if (seen.has(w.id)) continue;
      seen.add(w.id);
      w.dispose();
    }
  }
}

function finiteOrNull(v: number): number | null {
  return Number.isFinite(v) ? v : null;
}

/**
 * Scores a post-processed prediction against the reference: the six 3D metrics per bone and the 2D
 * Dice of every axial slice containing the bone in the reference (the papers' Wilcoxon samples).
 *
 * @param names - label names indexed by label value (0 = background).
 * @param prefix - prepended to the structure names (`ankle/` in multi-domain runs).
 */
export function scoreCase(fold: number, caseId: string, reference: Volume, prediction: Volume, names: readonly string[], prefix = '', domain?: string): CaseScores {
  const labels = Array.from({ length: names.length - 1 }, (_, i) => i + 1);
  const evaluation = evaluateSegmentation(reference, prediction, { labels });
  const slices = sliceScores(reference, prediction, { labels, include: 'reference' });
  const structures: Record<string, Record<ReportMetric, number | null>> = {};
  const sliceDice: Record<string, number[]> = {};
  for (const l of labels) {
    const m = evaluation.labels[String(l)];
    if (m === undefined) continue;
    const row = {} as Record<ReportMetric, number | null>;
    for (const k of REPORT_METRICS) row[k] = finiteOrNull(m[k]);
    const name = `${prefix}${names[l] as string}`;
    structures[name] = row;
    sliceDice[name] = (slices[String(l)] ?? []).map((s) => s.dice);
  }
  return { fold, caseId, ...(domain !== undefined ? { domain } : {}), structures, sliceDice };
}
